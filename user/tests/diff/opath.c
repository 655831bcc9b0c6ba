/*
 * O_PATH descriptors: they name a file without opening it.  fstat,
 * fstatfs, fchdir, dup, close, the fcntl descriptor commands and use as
 * an *at() directory work; read, write, lseek, mmap, getdents, fchmod,
 * ioctl and other fcntl commands give EBADF; a FIFO does not wait, a
 * symbolic link can be named itself (O_NOFOLLOW), and the access mode,
 * O_CREAT and O_TRUNC are ignored.
 */
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define BUF 64

static void on_a_file(void)
{
	char buf[BUF];
	struct stat st;
	struct statfs64 sfs;
	struct pollfd pfd;
	int fd, d;

	fd = open("file", O_CREAT | O_WRONLY, 0644);
	write(fd, "contents", 8);
	close(fd);
	fd = open("file", O_PATH | O_RDWR | O_TRUNC);
	show_bool("O_PATH|O_RDWR|O_TRUNC opens", fd >= 0);
	show("  F_GETFL", fcntl(fd, F_GETFL));
	show("  read", read(fd, buf, sizeof(buf)));
	show("  write", write(fd, "x", 1));
	show("  lseek", lseek(fd, 0, SEEK_SET));
	show("  fstat", fstat(fd, &st));
	printf("  the size is still %ld\n", (long)st.st_size);
	show("  fstatfs64", fstatfs64(fd, &sfs));
	show_map("  mmap", mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0));
	show("  fchmod", syscall(__NR_fchmod, fd, 0600));
	show("  ioctl FIONREAD", ioctl(fd, FIONREAD, &d));
	show("  F_SETFL", fcntl(fd, F_SETFL, O_NONBLOCK));
	show("  F_SETFD", fcntl(fd, F_SETFD, FD_CLOEXEC));
	show("  F_GETFD", fcntl(fd, F_GETFD));
	d = dup(fd);
	show_bool("  dup works", d >= 0);
	show("  F_GETFL of the dup", fcntl(d, F_GETFL));
	close(d);
	show("  F_DUPFD 20", fcntl(fd, F_DUPFD, 20));
	close(20);
	show("  fsync", fsync(fd));
	show("  ftruncate", ftruncate(fd, 0));
	pfd.fd = fd;
	pfd.events = POLLIN;
	show("  poll", poll(&pfd, 1, 0));
	printf("  revents %#x\n", pfd.revents);
	show("  close", close(fd));
	show("O_PATH of a missing file, O_CREAT", open("missing", O_PATH | O_CREAT, 0644));
	show("O_PATH|O_DIRECTORY of a file", open("file", O_PATH | O_DIRECTORY));
}

static void on_a_directory(void)
{
	char buf[BUF];
	int d = open(".", O_PATH | O_DIRECTORY), fd;

	show_bool("O_PATH of a directory", d >= 0);
	show("  getdents64", syscall(__NR_getdents64, d, buf, sizeof(buf)));
	fd = openat(d, "file", O_RDONLY);
	show_bool("  openat through it", fd >= 0);
	show("  read of what openat gave", read(fd, buf, sizeof(buf)));
	close(fd);
	show("  mkdirat through it", syscall(__NR_mkdirat, d, "sub", 0755));
	show("  fchdir to it", syscall(__NR_fchdir, d));
	show("  stat of file from there", access("file", F_OK));
	close(d);
}

static void on_others(void)
{
	char target[BUF] = "";
	struct stat st;
	int fd;

	symlink("file", "link");
	fd = open("link", O_PATH | O_NOFOLLOW);
	show_bool("O_PATH|O_NOFOLLOW of a symlink opens the link", fd >= 0);
	fstat(fd, &st);
	show_bool("  fstat says it is a link", S_ISLNK(st.st_mode));
	show("  readlinkat(fd, \"\")", syscall(__NR_readlinkat, fd, "", target, sizeof(target)));
	close(fd);
	show("O_NOFOLLOW without O_PATH", open("link", O_RDONLY | O_NOFOLLOW));
	mkfifo("fifo", 0644);
	fd = open("fifo", O_PATH);
	show_bool("O_PATH of a FIFO does not wait", fd >= 0);
	show("  read", read(fd, target, 1));
	close(fd);
	fd = open("/dev/null", O_PATH | O_WRONLY);
	show("O_PATH of /dev/null: write", write(fd, "x", 1));
	close(fd);
}

int main(void)
{
	enter_scratch("opath");
	on_a_file();
	on_a_directory();
	on_others();
	leave_scratch();
	return 0;
}
