/*
 * posix_fadvise through both i386 entries, fadvise64 (250: the length in
 * one register) and fadvise64_64 (272: in two): every advice accepted on
 * a regular file, a directory and /dev/null, and Linux's errors in its
 * order -- a bad or O_PATH descriptor EBADF, a pipe ESPIPE, an unknown
 * advice or a negative length EINVAL.  The data reads back the same
 * whatever was advised.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define FILE_NAME "anvil-diff-fadvise"
#define FILE_BYTES (64 * 1024 + 123)
#define NR_ADVICE 6                   /* POSIX_FADV_NORMAL .. POSIX_FADV_NOREUSE on i386 */
#define POSIX_FADV_RANDOM 1
#define POSIX_FADV_SEQUENTIAL 2
#define POSIX_FADV_WILLNEED 3

static long fadvise64(int fd, long long offset, uint32_t len, int advice)
{
	return syscall(__NR_fadvise64, fd, (uint32_t)offset, (uint32_t)(offset >> 32), len, advice);
}

static long fadvise64_64(int fd, long long offset, long long len, int advice)
{
	return syscall(__NR_fadvise64_64, fd, (uint32_t)offset, (uint32_t)(offset >> 32),
		       (uint32_t)len, (uint32_t)(len >> 32), advice);
}

static void every_advice(const char *what, int fd)
{
	char label[64];

	for (int advice = 0; advice < NR_ADVICE; advice++) {
		snprintf(label, sizeof(label), "%s: advice %d", what, advice);
		show(label, fadvise64(fd, 0, 0, advice));
	}
}

/* Read the file back after each advice: the same bytes. */
static void reads_back(int fd, const char *data)
{
	static const int advice[] = { POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL, POSIX_FADV_WILLNEED };
	static char buf[FILE_BYTES];

	for (unsigned int i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
		fadvise64_64(fd, 4096, 8192, advice[i]);
		memset(buf, 0, sizeof(buf));
		show_bool("read back after an advice", pread(fd, buf, sizeof(buf), 0) == FILE_BYTES &&
			  !memcmp(buf, data, FILE_BYTES));
	}
}

int main(void)
{
	static char data[FILE_BYTES];
	int fd, p[2], dir, path, null;

	enter_scratch("fadvise");
	for (int i = 0; i < FILE_BYTES; i++)
		data[i] = (char)(i * 7 + (i >> 12));
	fd = open(FILE_NAME, O_CREAT | O_RDWR | O_TRUNC, 0600);
	show("write", write(fd, data, FILE_BYTES));
	every_advice("file", fd);
	show("fadvise64_64 WILLNEED 4096..+8192", fadvise64_64(fd, 4096, 8192, POSIX_FADV_WILLNEED));
	show("WILLNEED past the end", fadvise64(fd, 1 << 20, 4096, POSIX_FADV_WILLNEED));
	show("NORMAL at offset -1", fadvise64(fd, -1, 10, 0));
	show("advice 6", fadvise64(fd, 0, 0, NR_ADVICE));
	show("advice -1", fadvise64(fd, 0, 0, -1));
	show("fadvise64_64 length -1", fadvise64_64(fd, 0, -1, 0));
	reads_back(fd, data);

	dir = open(".", O_RDONLY);
	every_advice("directory", dir);
	null = open("/dev/null", O_RDONLY);
	every_advice("/dev/null", null);
	pipe(p);
	show("pipe", fadvise64(p[0], 0, 0, 0));
	show("pipe, advice 6", fadvise64(p[0], 0, 0, NR_ADVICE));
	path = open(FILE_NAME, O_PATH);
	show("O_PATH", fadvise64(path, 0, 0, 0));
	show("fd 999", fadvise64(999, 0, 0, 0));
	close(p[0]);
	close(p[1]);
	close(path);
	close(null);
	close(dir);
	close(fd);
	show("unlink", unlink(FILE_NAME));
	return 0;
}
