/*
 * /proc's "magic" and writable corners, compared with Linux: following
 * /proc/self/fd/N reaches the open file itself (a pipe, a deleted file;
 * open makes a new description), writes to read-only /proc files root
 * opened (EIO, EINVAL; a read-only sysctl refuses even root) and to
 * sysctls, with values that leave the host's
 * settings as they were (each number written is the one read).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include "../common/report.h"

#define NUMBER_MAX 32

static void fd_path(char *path, size_t size, int fd)
{
	snprintf(path, size, "/proc/self/fd/%d", fd);
}

static void magic_links(void)
{
	struct stat st = { 0 }, via = { 0 };
	char path[64], buf[8] = { 0 };
	int p[2], file, again, w;

	pipe(p);
	fcntl(p[0], F_SETFL, O_NONBLOCK);        /* an empty pipe's read says so, not waits */
	fd_path(path, sizeof(path), p[0]);
	fstat(p[0], &st);
	show("stat of a pipe's link", stat(path, &via));
	show_bool("  the pipe itself", S_ISFIFO(via.st_mode) && via.st_ino == st.st_ino);
	show("lstat of it", lstat(path, &via));
	show_bool("  a link", S_ISLNK(via.st_mode));
	w = open(path, O_WRONLY);
	show_bool("open O_WRONLY through the read end's link", w >= 0);
	show("  write to it", write(w, "hi", 2));
	show("  read from the read end", read(p[0], buf, sizeof(buf)));
	show_bool("  what was written", !strcmp(buf, "hi"));
	show("open O_NOFOLLOW", open(path, O_RDONLY | O_NOFOLLOW));
	close(w);

	enter_scratch("procmagic");
	file = open("file", O_CREAT | O_RDWR, 0600);
	write(file, "abcdef", 6);
	fd_path(path, sizeof(path), file);
	again = open(path, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	show("open through a file's link, read 3", read(again, buf, 3));
	show_bool("  from offset 0", !strcmp(buf, "abc"));
	show("  the first descriptor's offset", lseek(file, 0, SEEK_CUR));
	show("  write through the read-only open", write(again, "x", 1));
	close(again);
	unlink("file");
	again = open(path, O_RDWR);
	show_bool("open through a deleted file's link", again >= 0);
	show("  pread there", pread(again, buf, 2, 4));
	close(again);
	close(file);
	fd_path(path, sizeof(path), file);
	show("stat through a closed descriptor's link", stat(path, &via));
	leave_scratch();
	close(p[0]);
	close(p[1]);
}

/* Open path for writing and write s: each step's result. */
static void write_to(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	char what[128];

	snprintf(what, sizeof(what), "open %s for writing", path);
	show(what, fd < 0 ? -1 : 0);
	if (fd < 0)
		return;
	snprintf(what, sizeof(what), "  write \"%s\"", s);
	show(what, write(fd, s, strlen(s)));
	close(fd);
}

/* The text of path (a line: a number, a release), NUL-terminated. */
static void read_line(const char *path, char *out, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = fd >= 0 ? read(fd, out, size - 1) : -1;

	out[n > 0 ? n : 0] = '\0';
	close(fd);
}

static void read_only_files(void)
{
	struct utsname u;
	char release[128];

	write_to("/proc/sys/kernel/osrelease", "x");      /* a 0444 sysctl: not even root */
	read_line("/proc/sys/kernel/osrelease", release, sizeof(release));
	uname(&u);
	show_bool("osrelease is uname's release, a line",
		  !strncmp(release, u.release, strlen(u.release)) &&
		  !strcmp(release + strlen(u.release), "\n"));
	write_to("/proc/meminfo", "x");
	write_to("/proc/uptime", "x");
	write_to("/proc/kpageflags", "x");
	write_to("/proc/self/stat", "x");
	write_to("/proc/self/maps", "x");
	write_to("/proc/self/cmdline", "x");
	write_to("/proc/self/pagemap", "x");
}

/* Writes that fail, or store the value already there. */
static void sysctl_writes(const char *path, const char *bad[])
{
	char now[NUMBER_MAX], spaced[NUMBER_MAX + 4], after[NUMBER_MAX];
	int fd;

	read_line(path, now, sizeof(now));
	for (int i = 0; bad[i]; i++)
		write_to(path, bad[i]);
	snprintf(spaced, sizeof(spaced), "  %.*s \n", (int)strcspn(now, "\n"), now);
	write_to(path, spaced);
	fd = open(path, O_RDWR);
	lseek(fd, 3, SEEK_SET);
	show("  a write at offset 3", write(fd, "5", 1));
	show("  an empty write", write(fd, "", 0));
	close(fd);
	read_line(path, after, sizeof(after));
	show_bool("  the value stays", !strcmp(now, after));
}

int main(void)
{
	static const char *pid_max_bad[] = { "300", "abc", "-5", "+32768", "32768x", "", NULL };
	static const char *pipe_bad[] = { "3000000000", "-1", "2147483649", NULL };
	static const char *tainted_bad[] = { "x", NULL };

	magic_links();
	read_only_files();
	sysctl_writes("/proc/sys/kernel/pid_max", pid_max_bad);
	sysctl_writes("/proc/sys/fs/pipe-max-size", pipe_bad);
	sysctl_writes("/proc/sys/kernel/tainted", tainted_bad);
	return 0;
}
