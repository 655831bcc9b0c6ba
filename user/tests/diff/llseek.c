/*
 * lseek and _llseek at their edges: results below zero and sums that
 * overflow 64 bits (EINVAL, the offset unchanged), SEEK_DATA and
 * SEEK_HOLE on a file without holes, unknown whence values (EINVAL
 * before ESPIPE), a bad result pointer (EFAULT, but the offset moved,
 * as on Linux), pipes and /dev/null.
 * (Offsets between 2 GiB and a file system's largest file size are
 * fine on the host's file systems but beyond anvil's: usertests fs.)
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define LLONG_MAX 0x7fffffffffffffffLL

/* _llseek(fd, offset, whence): the new offset, or -1 with errno. */
static long long llseek(int fd, long long offset, int whence)
{
	long long result = -2;

	if (syscall(__NR__llseek, fd, (unsigned long)((unsigned long long)offset >> 32),
		    (unsigned long)offset, &result, whence) < 0)
		return -1;
	return result;
}

static void show_ll(const char *what, long long r)
{
	if (r == -1)
		printf("%s: -1 %s\n", what, errno_name(errno));
	else
		printf("%s: %lld\n", what, r);
}

static void edges(int fd)
{
	show_ll("_llseek SEEK_SET 5", llseek(fd, 5, SEEK_SET));
	show_ll("_llseek SEEK_SET -1", llseek(fd, -1, SEEK_SET));
	show_ll("_llseek SEEK_SET LLONG_MIN", llseek(fd, -LLONG_MAX - 1, SEEK_SET));
	show_ll("_llseek SEEK_CUR -6", llseek(fd, -6, SEEK_CUR));
	show_ll("_llseek SEEK_CUR -5", llseek(fd, -5, SEEK_CUR));
	show_ll("_llseek SEEK_CUR 3", llseek(fd, 3, SEEK_CUR));
	show_ll("_llseek SEEK_CUR LLONG_MAX (the sum overflows)", llseek(fd, LLONG_MAX, SEEK_CUR));
	show_ll("  offset after", llseek(fd, 0, SEEK_CUR));
	show_ll("_llseek SEEK_END -101", llseek(fd, -101, SEEK_END));
	show_ll("_llseek SEEK_END -100", llseek(fd, -100, SEEK_END));
	show_ll("_llseek SEEK_END LLONG_MAX (the sum overflows)", llseek(fd, LLONG_MAX, SEEK_END));
	show_ll("_llseek SEEK_END LLONG_MIN", llseek(fd, -LLONG_MAX - 1, SEEK_END));
	show_ll("_llseek SEEK_SET 2 GiB - 1", llseek(fd, 0x7fffffffLL, SEEK_SET));
	show_ll("_llseek SEEK_CUR -(2 GiB - 1)", llseek(fd, -0x7fffffffLL, SEEK_CUR));
	show_ll("  offset after", llseek(fd, 0, SEEK_CUR));
	show("lseek SEEK_SET -1", lseek(fd, -1, SEEK_SET));
	show("lseek SEEK_SET 2 GiB - 1", lseek(fd, 0x7fffffff, SEEK_SET));
	show("lseek SEEK_SET 7", lseek(fd, 7, SEEK_SET));
	show("lseek SEEK_CUR -8", lseek(fd, -8, SEEK_CUR));
	show("lseek SEEK_END -101", lseek(fd, -101, SEEK_END));
	show("  offset after", lseek(fd, 0, SEEK_CUR));
}

static void whences(int fd)
{
	show_ll("SEEK_DATA 0", llseek(fd, 0, SEEK_DATA));
	show_ll("SEEK_DATA 99", llseek(fd, 99, SEEK_DATA));
	show_ll("SEEK_DATA 100 (end of file)", llseek(fd, 100, SEEK_DATA));
	show_ll("SEEK_DATA -1", llseek(fd, -1, SEEK_DATA));
	show_ll("SEEK_HOLE 0", llseek(fd, 0, SEEK_HOLE));
	show_ll("  offset after", llseek(fd, 0, SEEK_CUR));
	show_ll("SEEK_HOLE 100 (end of file)", llseek(fd, 100, SEEK_HOLE));
	show_ll("SEEK_HOLE -1", llseek(fd, -1, SEEK_HOLE));
	show_ll("whence 5", llseek(fd, 0, 5));
	show_ll("whence -1", llseek(fd, 0, -1));
	show("lseek SEEK_DATA 10", lseek(fd, 10, SEEK_DATA));
	show("lseek SEEK_HOLE 10", lseek(fd, 10, SEEK_HOLE));
	show("lseek whence 5", lseek(fd, 0, 5));
}

static void others(int fd)
{
	int p[2], null = open("/dev/null", O_RDWR);

	llseek(fd, 0, SEEK_SET);
	show("_llseek to 30, result pointer bad",
	     syscall(__NR__llseek, fd, 0, 30, ADDR(0x1000), SEEK_SET));
	show_ll("  offset after", llseek(fd, 0, SEEK_CUR));
	show("_llseek on a bad descriptor", syscall(__NR__llseek, 99, 0, 0, ADDR(0x1000), SEEK_SET));
	pipe(p);
	show_ll("_llseek on a pipe", llseek(p[0], 0, SEEK_CUR));
	show("lseek on a pipe", lseek(p[1], 0, SEEK_SET));
	show("lseek on a pipe, whence 5", lseek(p[1], 0, 5));
	show("lseek on /dev/null to 10", lseek(null, 10, SEEK_SET));
	show("lseek on /dev/null, whence 5", lseek(null, 0, 5));
	close(null);
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	char data[100] = { 0 };
	int fd;

	enter_scratch("llseek");
	fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (write(fd, data, sizeof(data)) != sizeof(data))
		return 1;
	edges(fd);
	whences(fd);
	others(fd);
	close(fd);
	leave_scratch();
	return 0;
}
