/*
 * sendfile(2): file to pipe and file to file, with and without an
 * offset pointer (which the input's own offset then ignores), more than
 * a page at a time, and Linux's errors for each misuse.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "ut.h"

#define DATA_LEN 10000          /* several pages */

static char data[DATA_LEN], back[DATA_LEN];

static long sendfile64_(int out, int in, long long *off, size_t count)
{
	return syscall(__NR_sendfile64, out, in, off, count);
}

static void t_sendfile(void)
{
	int in, out, p[2];
	long long off = 100;

	fill_pattern((unsigned char *)data, DATA_LEN, 5);
	in = CHECK_OK(open(scratch_path("in"), O_CREAT | O_RDWR, 0644));
	CHECK(write(in, data, DATA_LEN) == DATA_LEN, "write");
	CHECK_OK(lseek(in, 0, SEEK_SET));
	out = CHECK_OK(open(scratch_path("out"), O_CREAT | O_RDWR, 0644));
	CHECK(sendfile64_(out, in, NULL, DATA_LEN + 50) == DATA_LEN, "file to file, no offset");
	CHECK(lseek(in, 0, SEEK_CUR) == DATA_LEN && lseek(out, 0, SEEK_CUR) == DATA_LEN,
	      "offsets after sendfile: in %ld out %ld", (long)lseek(in, 0, SEEK_CUR),
	      (long)lseek(out, 0, SEEK_CUR));
	CHECK(pread(out, back, DATA_LEN, 0) == DATA_LEN && !memcmp(back, data, DATA_LEN),
	      "the copy differs");
	CHECK(sendfile64_(out, in, NULL, 10) == 0, "at end of file");
	CHECK_OK(pipe(p));
	CHECK(sendfile64_(p[1], in, &off, 300) == 300 && off == 400, "file to pipe at an offset: off %lld",
	      off);
	CHECK(lseek(in, 0, SEEK_CUR) == DATA_LEN, "sendfile with an offset moved the file's own");
	CHECK(read(p[0], back, sizeof(back)) == 300 && !memcmp(back, data + 100, 300),
	      "the pipe got the wrong bytes");
	CHECK_ERR(sendfile64_(out, p[0], &off, 1), ESPIPE);
	CHECK_ERR(sendfile64_(p[0], in, NULL, 1), EBADF);     /* the read end */
	CHECK_ERR(sendfile64_(out, -1, NULL, 1), EBADF);
	CHECK_ERR(sendfile64_(out, in, (long long *)0xC0000000, 1), EFAULT);
	off = -1;
	CHECK_ERR(sendfile64_(out, in, &off, 1), EINVAL);
	close(out);
	out = CHECK_OK(open(scratch_path("out"), O_WRONLY | O_APPEND));
	CHECK_ERR(sendfile64_(out, in, NULL, 1), EINVAL);
	close(out);
	close(in);
	close(p[0]);
	close(p[1]);
}

const struct subtest sendfile_tests[] = {
	{ "sendfile", t_sendfile, 0 },
	{ NULL },
};
