/*
 * Mount flags on a tmpfs mounted on a scratch directory: MS_RDONLY (every
 * way of writing gives EROFS, in Linux's order among the other errors;
 * reading, devices and FIFOs still work), MS_NOEXEC (execve and access
 * EACCES, mmap PROT_EXEC EPERM, mprotect EACCES), MS_REMOUNT (EBUSY for
 * read-only while a file is open for writing; the flags in /proc/mounts
 * and statfs), and umount2's flags: MNT_DETACH (the files stay usable
 * until closed), MNT_EXPIRE, MNT_FORCE, UMOUNT_NOFOLLOW, unknown ones.
 * The tests run in a child; the parent unmounts whatever it left.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <abi/mount.h>
#include "../common/report.h"

#define PAGE 4096
#define USED_PAGES 3
#define MNT "m"
#define SUB "m/sub"
#define BAD_UMOUNT_FLAG 0x10
#define ROOT 0
#define PROC_MOUNTS_MAX 16384
#define DEV_NULL ((1 << 8) | 3)      /* mknod's encoding of /dev/null's 1:3 */

static const char content[] = "tmpfs data\n";

static long mnt(const char *dir, unsigned long flags, const char *data)
{
	return syscall(__NR_mount, "none", dir, "tmpfs", flags, data);
}


static long umount2(const char *dir, int flags)
{
	return syscall(__NR_umount2, dir, flags);
}

static const char *absolute(const char *path)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", scratch(), path);
	return buf;
}

static long remount(unsigned long flags, const char *data)
{
	return syscall(__NR_mount, NULL, absolute(MNT), NULL, MS_REMOUNT | flags, data);
}

/* The options of the /proc/mounts line of scratch/dir (cut at the line's end), or NULL. */
static const char *mount_options(const char *dir)
{
	static char buf[PROC_MOUNTS_MAX], want[256];
	int fd = open("/proc/mounts", O_RDONLY);
	long n = 0, r;
	size_t len;

	if (fd < 0)
		return NULL;
	while (n < (long)sizeof(buf) - 1 && (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	len = (size_t)snprintf(want, sizeof(want), " %s tmpfs ", absolute(dir));
	for (char *line = buf; *line; ) {
		char *end = strchr(line, '\n'), *at;

		if (end)
			*end = '\0';
		for (at = line; *at; at++)
			if (!strncmp(at, want, len))
				return at + len;
		line = end ? end + 1 : line + strlen(line);
	}
	return NULL;
}

/* Is word one of the comma-separated options o? */
static int has_option(const char *o, const char *word)
{
	size_t len = strlen(word);

	for (; o; o = strchr(o, ',') ? strchr(o, ',') + 1 : NULL)
		if (!strncmp(o, word, len) && (o[len] == ',' || o[len] == ' ' || !o[len]))
			return 1;
	return 0;
}

/* "what: rw nosuid=no noexec=yes statfs-ro=no" -- or "what: not mounted". */
static void show_flags(const char *what)
{
	const char *o = mount_options(MNT);
	struct statfs64 s;
	char first[3] = "";

	if (!o) {
		printf("%s: not mounted\n", what);
		return;
	}
	memcpy(first, o, 2);
	statfs64(MNT, &s);
	printf("%s: %s nosuid=%s noexec=%s statfs-ro=%s statfs-noexec=%s\n", what, first,
	       has_option(o, "nosuid") ? "yes" : "no", has_option(o, "noexec") ? "yes" : "no",
	       s.f_flags & ST_RDONLY ? "yes" : "no", s.f_flags & ST_NOEXEC ? "yes" : "no");
}

static void make_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		printf("cannot make %s: %s\n", path, errno_name(errno));
	close(fd);
}

/* Everything the read-only tests touch, made while the mount is writable. */
static void populate(void)
{
	static char pages[USED_PAGES * PAGE];

	make_file(MNT "/file", content, sizeof(content) - 1, 0644);
	make_file(MNT "/big", pages, sizeof(pages), 0644);
	make_file(MNT "/prog", "not a program\n", 14, 0755);
	show("mkdir dir", mkdir(MNT "/dir", 0755));
	show("mkdir dir/inner", mkdir(MNT "/dir/inner", 0755));
	show("symlink link", symlink("file", MNT "/link"));
	show("mkfifo fifo", mknod(MNT "/fifo", S_IFIFO | 0666, 0));
	show("mknod null (1,3)", mknod(MNT "/null", S_IFCHR | 0666, DEV_NULL));
}

static void show_open(const char *what, const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	show(what, fd < 0 ? -1 : 0);
	if (fd >= 0)
		close(fd);
}

static void readonly_opens(void)
{
	char buf[64] = "";
	int fd;

	show_open("open file O_RDONLY", MNT "/file", O_RDONLY);
	fd = open(MNT "/file", O_RDONLY);
	show("  read", read(fd, buf, sizeof(buf)));
	show_bool("  the data", !strcmp(buf, content));
	close(fd);
	show_open("open file O_WRONLY", MNT "/file", O_WRONLY);
	show_open("open file O_RDWR", MNT "/file", O_RDWR);
	show_open("open file O_RDONLY|O_TRUNC", MNT "/file", O_RDONLY | O_TRUNC);
	show_open("open file O_WRONLY|O_APPEND", MNT "/file", O_WRONLY | O_APPEND);
	show_open("open new O_CREAT|O_WRONLY", MNT "/new", O_CREAT | O_WRONLY);
	show_open("open new O_CREAT|O_RDONLY", MNT "/new", O_CREAT | O_RDONLY);
	show_open("open file O_CREAT|O_RDONLY (exists)", MNT "/file", O_CREAT | O_RDONLY);
	show_open("open file O_CREAT|O_EXCL (exists)", MNT "/file", O_CREAT | O_EXCL | O_RDWR);
	show_open("open file O_CREAT|O_WRONLY (exists)", MNT "/file", O_CREAT | O_WRONLY);
	show_open("open dir O_WRONLY", MNT "/dir", O_WRONLY);
	show_open("open dir O_RDONLY", MNT "/dir", O_RDONLY | O_DIRECTORY);
	show_open("open link O_WRONLY|O_NOFOLLOW", MNT "/link", O_WRONLY | O_NOFOLLOW);
	show_open("open link O_WRONLY", MNT "/link", O_WRONLY);
	show_open("open missing/new O_CREAT", MNT "/missing/new", O_CREAT | O_WRONLY);
	show_open("open file/new O_CREAT", MNT "/file/new", O_CREAT | O_WRONLY);
	show_open("open fifo O_RDWR", MNT "/fifo", O_RDWR);
	show_open("open fifo O_WRONLY|O_TRUNC|O_NONBLOCK (a reader? no)", MNT "/fifo",
		  O_WRONLY | O_TRUNC | O_NONBLOCK);
	fd = open(MNT "/null", O_WRONLY);
	show("open null O_WRONLY", fd < 0 ? -1 : 0);
	show("  write", write(fd, "x", 1));
	close(fd);
	show("creat new", creat(MNT "/new", 0644));
	show("creat file", creat(MNT "/file", 0644));
}

static void readonly_names(void)
{
	show("mkdir new", mkdir(MNT "/newdir", 0755));
	show("mkdir dir (exists)", mkdir(MNT "/dir", 0755));
	show("mkdir missing/new", mkdir(MNT "/missing/new", 0755));
	show("mknod new FIFO", mknod(MNT "/newfifo", S_IFIFO | 0644, 0));
	show("mknod new char device", mknod(MNT "/newnull", S_IFCHR | 0644, DEV_NULL));
	show("mknod fifo (exists)", mknod(MNT "/fifo", S_IFIFO | 0644, 0));
	show("mknod new directory", mknod(MNT "/newdir", S_IFDIR | 0644, 0));
	show("symlink new", symlink("file", MNT "/newlink"));
	show("symlink link (exists)", symlink("file", MNT "/link"));
	show("symlink to an empty target", symlink("", MNT "/newlink"));
	show("unlink file", unlink(MNT "/file"));
	show("unlink missing", unlink(MNT "/missing"));
	show("unlink dir", unlink(MNT "/dir"));
	show("unlink dir/.", unlink(MNT "/dir/."));
	show("rmdir dir/inner", rmdir(MNT "/dir/inner"));
	show("rmdir missing", rmdir(MNT "/missing"));
	show("rmdir dir/.", rmdir(MNT "/dir/."));
	show("rmdir dir/..", rmdir(MNT "/dir/.."));
	show("rename file -> renamed", rename(MNT "/file", MNT "/renamed"));
	show("rename missing -> renamed", rename(MNT "/missing", MNT "/renamed"));
	show("rename file -> dir/file", rename(MNT "/file", MNT "/dir/file"));
	show("rename file -> (scratch) out", rename(MNT "/file", "out"));
	show("rename (scratch) outside -> file", rename("outside", MNT "/file"));
	show("link file -> linked", link(MNT "/file", MNT "/linked"));
	show("link file -> dir (exists)", link(MNT "/file", MNT "/dir"));
	show("link missing -> linked", link(MNT "/missing", MNT "/linked"));
	show("link (scratch) outside -> linked", link("outside", MNT "/linked"));
	show("link file -> (scratch) out", link(MNT "/file", "out"));
}

static void readonly_attributes(void)
{
	struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };
	int fd = open(MNT "/file", O_RDONLY);
	void *p;

	show("truncate file", truncate(MNT "/file", 1));
	show("truncate file to -1", truncate(MNT "/file", -1));
	show("truncate dir", truncate(MNT "/dir", 0));
	show("truncate fifo", truncate(MNT "/fifo", 0));
	show("truncate missing", truncate(MNT "/missing", 0));
	show("ftruncate (read-only fd)", ftruncate(fd, 0));
	show("chmod file", chmod(MNT "/file", 0600));
	show("chmod dir", chmod(MNT "/dir", 0700));
	show("chmod fifo", chmod(MNT "/fifo", 0600));
	show("chmod missing", chmod(MNT "/missing", 0600));
	show("fchmod (read-only fd)", fchmod(fd, 0600));
	show("chown file", chown(MNT "/file", ROOT, ROOT));
	show("chown file -1 -1", chown(MNT "/file", -1, -1));
	show("lchown link", lchown(MNT "/link", ROOT, ROOT));
	show("fchown (read-only fd)", fchown(fd, ROOT, ROOT));
	show("utimensat now", utimensat(AT_FDCWD, MNT "/file", NULL, 0));
	show("utimensat times", utimensat(AT_FDCWD, MNT "/file", ts, 0));
	show("futimens (read-only fd)", syscall(__NR_utimensat, fd, NULL, NULL, 0));
	show("access file R_OK", access(MNT "/file", R_OK));
	show("access file W_OK", access(MNT "/file", W_OK));
	show("access dir W_OK", access(MNT "/dir", W_OK));
	show("access fifo W_OK", access(MNT "/fifo", W_OK));
	show("access null W_OK", access(MNT "/null", W_OK));
	show("fallocate (read-only fd)", syscall(__NR_fallocate, fd, 0, 0, 0, PAGE, 0));
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show_map("mmap MAP_SHARED PROT_WRITE", p);
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show_map("mmap MAP_PRIVATE PROT_WRITE", p);
	if (p != MAP_FAILED) {
		show_touch("  write to it", p, 1);
		munmap(p, PAGE);
	}
	close(fd);
}

/* Read-only: the errors of every write, and reading still works. */
static void readonly(void)
{
	int fd = open(MNT "/file", O_RDWR), fd2;

	show("remount ro with a file open for writing", remount(MS_RDONLY, NULL));
	show_flags("  flags");
	close(fd);
	fd = open(MNT "/file", O_RDONLY);
	make_file(MNT "/unlinked", "x", 1, 0644);
	fd2 = open(MNT "/unlinked", O_RDONLY);
	show("unlink a file open for reading", unlink(MNT "/unlinked"));
	show("remount ro with it still open", remount(MS_RDONLY, NULL));
	close(fd2);
	show("mkdir gone", mkdir(MNT "/gone", 0755));
	show("chdir into it", chdir(MNT "/gone"));
	show("rmdir it, the cwd", rmdir(absolute(MNT "/gone")));
	show("remount ro with a removed directory as the cwd", remount(MS_RDONLY, NULL));
	show("chdir back", chdir(scratch()));
	show("remount ro with a file open for reading", remount(MS_RDONLY, NULL));
	show_flags("  flags");
	close(fd);
	make_file("outside", "x", 1, 0644);
	readonly_opens();
	readonly_names();
	readonly_attributes();
	show("remount ro again", remount(MS_RDONLY, NULL));
	show("remount rw", remount(0, NULL));
	show_flags("  flags");
	show("mkdir new", mkdir(MNT "/newdir", 0755));
	show("rmdir new", rmdir(MNT "/newdir"));
	show_open("open file O_WRONLY", MNT "/file", O_WRONLY);
	show("remount ro, bind (the mount only)", remount(MS_BIND | MS_RDONLY, NULL));
	show_flags("  flags");
	show_open("  open file O_WRONLY", MNT "/file", O_WRONLY);
	show("  mkdir new", mkdir(MNT "/newdir", 0755));
	show("remount rw, bind", remount(MS_BIND, NULL));
}

static void show_exec(const char *what, const char *path)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		char *argv[] = { (char *)path, NULL };

		execve(path, argv, NULL);
		_exit(errno);
	}
	waitpid(pid, &status, 0);
	printf("%s: %s\n", what, WIFEXITED(status) ? errno_name(WEXITSTATUS(status)) : "?");
}

/* noexec: no running, no executable mappings. */
static void noexec(void)
{
	int fd;
	void *p;

	show("remount noexec", remount(MS_NOEXEC | MS_NOSUID, NULL));
	show_flags("  flags");
	show_exec("execve prog", MNT "/prog");
	show_exec("execve dir", MNT "/dir");
	show("access prog X_OK", access(MNT "/prog", X_OK));
	show("access prog R_OK", access(MNT "/prog", R_OK));
	show("access dir X_OK", access(MNT "/dir", X_OK));
	fd = open(MNT "/prog", O_RDWR);
	show_map("mmap PROT_READ|PROT_EXEC MAP_PRIVATE",
		 mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0));
	show_map("mmap PROT_READ|PROT_EXEC MAP_SHARED",
		 mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0));
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	show_map("mmap PROT_READ", p);
	show("  mprotect PROT_READ|PROT_EXEC", mprotect(p, PAGE, PROT_READ | PROT_EXEC));
	show("  mprotect PROT_READ|PROT_WRITE", mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	munmap(p, PAGE);
	show("remount exec, with a file open for writing", remount(0, NULL));
	show_flags("  flags");
	p = mmap(NULL, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	show_map("mmap PROT_READ|PROT_EXEC", p);
	munmap(p, PAGE);
	close(fd);
	show_exec("execve prog (not a program)", MNT "/prog");
	show("access prog X_OK", access(MNT "/prog", X_OK));
}

static void remount_options(void)
{
	struct statfs64 s;

	show("remount dir (not a mount point)",
	     syscall(__NR_mount, NULL, MNT "/dir", NULL, MS_REMOUNT, NULL));
	show("remount with colour=blue", remount(0, "colour=blue"));
	show("remount with size=lots", remount(0, "size=lots"));
	show("remount with size=4k (3 pages in use)", remount(0, "size=4k"));
	show("remount with size=2m,mode=700", remount(0, "size=2m,mode=700"));
	statfs64(MNT, &s);
	printf("  blocks %llu\n", (unsigned long long)s.f_blocks);
	show("remount of a missing directory",
	     syscall(__NR_mount, NULL, "missing", NULL, MS_REMOUNT, NULL));
}

static void umount_flags(void)
{
	int fd;

	show("symlink mlink -> m", symlink(MNT, "mlink"));
	show("umount2 unknown flag", umount2(MNT, BAD_UMOUNT_FLAG));
	show("umount2 MNT_EXPIRE|MNT_DETACH", umount2(MNT, MNT_EXPIRE | MNT_DETACH));
	show("umount2 MNT_EXPIRE|MNT_FORCE", umount2(MNT, MNT_EXPIRE | MNT_FORCE));
	show("umount2 dir (not a mount point)", umount2(MNT "/dir", 0));
	show("umount2 mlink UMOUNT_NOFOLLOW", umount2("mlink", UMOUNT_NOFOLLOW));
	fd = open(MNT "/file", O_RDONLY);
	show("umount2 with a file open", umount2(MNT, 0));
	show("umount2 MNT_FORCE with a file open", umount2(MNT, MNT_FORCE));
	show("umount2 MNT_EXPIRE with a file open", umount2(MNT, MNT_EXPIRE));
	close(fd);
	show("chdir m/dir", chdir(MNT "/dir"));
	show("umount2 with the cwd inside", umount2("../../" MNT, 0));
	show("chdir back", chdir(scratch()));
	show("umount2 MNT_EXPIRE", umount2(MNT, MNT_EXPIRE));
	show("umount2 MNT_EXPIRE again", umount2(MNT, MNT_EXPIRE));
	show_flags("  after");
	show("mount again", mnt(MNT, 0, NULL));
	show("umount2 mlink (followed)", umount2("mlink", 0));
	show_flags("  after");
}

/* MNT_DETACH: gone from the namespace at once, the files usable until the last close. */
static void lazy(void)
{
	char buf[64] = "";
	struct statfs64 s;
	struct stat st;
	int fd;

	show("mount", mnt(MNT, 0, NULL));
	make_file(MNT "/file", content, sizeof(content) - 1, 0644);
	show("mkdir dir", mkdir(MNT "/dir", 0755));
	show("mkdir sub", mkdir(SUB, 0755));
	show("mount on sub", mnt(SUB, 0, NULL));
	show("umount2 with a mount inside", umount2(MNT, 0));
	fd = open(MNT "/file", O_RDONLY);
	show("chdir m/dir", chdir(MNT "/dir"));
	show("umount2 MNT_DETACH", umount2(absolute(MNT), MNT_DETACH));
	show_bool("  m listed", mount_options(MNT) != NULL);
	show_bool("  m/sub listed", mount_options(SUB) != NULL);
	show("  read the open file", read(fd, buf, sizeof(buf)));
	show_bool("  the data", !strcmp(buf, content));
	show("  fstatfs", fstatfs64(fd, &s));
	show_bool("  still tmpfs", s.f_type == TMPFS_MAGIC);
	show("  creat in the cwd", creat("made-after", 0644));
	show("  stat it", stat("made-after", &st));
	show("  stat ../file", stat("../file", &st));
	show("chdir back", chdir(scratch()));
	show("  stat m/file", stat(MNT "/file", &st));
	show("  umount2 m again", umount2(MNT, 0));
	close(fd);
	show("rmdir m", rmdir(MNT));
}

static void tests(void *arg)
{
	(void)arg;
	show("mkdir m", mkdir(MNT, 0755));
	show("mount", mnt(MNT, MS_NOSUID, "size=1m"));
	show_flags("  flags");
	populate();
	readonly();
	noexec();
	remount_options();
	umount_flags();
	lazy();
}

int main(void)
{
	enter_scratch("mountflags");
	in_child("mount flags", tests, NULL);
	/* whatever a failure left mounted, innermost first */
	while (umount2(SUB, MNT_DETACH) == 0 || umount2(MNT, MNT_DETACH) == 0)
		;
	leave_scratch();
	return 0;
}
