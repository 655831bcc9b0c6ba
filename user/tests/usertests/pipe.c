/*
 * Pipes: data integrity across more than 64 KiB, EOF once every writer
 * has closed, SIGPIPE (or EPIPE when it is ignored) once every reader has,
 * and O_NONBLOCK's EAGAIN on an empty or full pipe.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "ut.h"

#define BIG (300 * 1024)     /* > 64 KiB, so the writer blocks on a full pipe many times */

static void big_writer(void *arg)
{
	int *fds = arg;
	static unsigned char buf[BIG];
	size_t off = 0;

	close(fds[0]);
	fill_pattern(buf, BIG, 77);
	while (off < BIG) {
		/* odd-sized writes, so chunks straddle the pipe's pages */
		size_t n = BIG - off < 7777 ? BIG - off : 7777;
		ssize_t w = write(fds[1], buf + off, n);

		CHECK(w > 0, "write at %zu: %s", off, errno_name(errno));
		off += w;
	}
}

static void t_pipe_big(void)
{
	static unsigned char buf[BIG + 1];
	int fds[2];
	size_t got = 0;
	ssize_t r;
	pid_t pid;
	long bad;

	CHECK_OK(pipe(fds));
	pid = CHECK_OK(spawn(big_writer, fds));
	close(fds[1]);
	while ((r = read(fds[0], buf + got, sizeof(buf) - got)) > 0)
		got += r;
	CHECK(r == 0, "read: %s", errno_name(errno));
	CHECK(got == BIG, "read %zu bytes, want %d", got, BIG);
	bad = check_pattern(buf, BIG, 77);
	CHECK(bad < 0, "data differs at byte %ld", bad);
	check_child_ok(wait_status(pid, 0), "writer");
}

static void t_pipe_eof(void)
{
	int fds[2], fd2;
	char buf[8];

	CHECK_OK(pipe(fds));
	fd2 = CHECK_OK(dup(fds[1]));
	CHECK(write(fds[1], "abc", 3) == 3, "write");
	close(fds[1]);
	CHECK(read(fds[0], buf, 2) == 2 && !memcmp(buf, "ab", 2), "first read");
	CHECK(write(fd2, "d", 1) == 1, "write through the dup");
	close(fd2);         /* the last writer: the data first, then EOF */
	CHECK(read(fds[0], buf, 8) == 2 && !memcmp(buf, "cd", 2), "the rest of the data");
	CHECK(read(fds[0], buf, 8) == 0, "no EOF after the last writer closed");
	CHECK(read(fds[0], buf, 8) == 0, "EOF does not repeat");
}

static void write_to_closed(void *arg)
{
	int *fds = arg;

	close(fds[0]);
	write(fds[1], "x", 1);
	_exit(3);           /* not reached: SIGPIPE kills */
}

static void t_pipe_sigpipe(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	int fds[2];

	CHECK_OK(pipe(fds));
	close(fds[0]);
	check_child_signal(run_in_child(write_to_closed, fds), SIGPIPE, "writer without readers");
	CHECK_OK(sigaction(SIGPIPE, &sa, NULL));
	CHECK_ERR(write(fds[1], "x", 1), EPIPE);
	sa.sa_handler = SIG_DFL;
	CHECK_OK(sigaction(SIGPIPE, &sa, NULL));
	close(fds[1]);
}

static void t_pipe_nonblock(void)
{
	static char buf[4096];
	int fds[2];
	long total = 0;
	ssize_t w;

	CHECK_OK(syscall(__NR_pipe2, fds, O_NONBLOCK));
	CHECK((fcntl(fds[0], F_GETFL) & O_NONBLOCK) && (fcntl(fds[1], F_GETFL) & O_NONBLOCK),
	      "pipe2(O_NONBLOCK) ends are not O_NONBLOCK");
	CHECK_ERR(read(fds[0], buf, 1), EAGAIN);
	while ((w = write(fds[1], buf, sizeof(buf))) > 0)
		total += w;
	CHECK(w == -1 && errno == EAGAIN, "filling the pipe ended with %zd %s", w,
	      errno_name(errno));
	CHECK(total >= 4096, "the pipe held only %ld bytes", total);
	CHECK_ERR(write(fds[1], buf, 1), EAGAIN);
	CHECK(read(fds[0], buf, sizeof(buf)) == sizeof(buf), "reading from a full pipe");
	CHECK(write(fds[1], buf, 1) == 1, "one byte after making room");
	total -= sizeof(buf) - 1;       /* now: what the pipe holds */
	/* F_SETFL turns it off again: a blocking read on an empty pipe sees EOF */
	CHECK_OK(fcntl(fds[0], F_SETFL, 0));
	CHECK(!(fcntl(fds[0], F_GETFL) & O_NONBLOCK), "F_SETFL did not clear O_NONBLOCK");
	close(fds[1]);
	while ((w = read(fds[0], buf, sizeof(buf))) > 0)
		total -= w;
	CHECK(w == 0 && total == 0, "after draining: %zd, %ld bytes unaccounted", w, total);
}

#define PIPE_MAX_SIZE (1 << 20)      /* /proc/sys/fs/pipe-max-size */

#define NOBODY 65534

/* A child turned nobody gets EPERM growing the pipe fd to size. */
static void check_nobody_refused(int fd, long size)
{
	int status;
	pid_t pid = CHECK_OK(fork());

	if (pid == 0) {
		if (setuid(NOBODY))
			_exit(2);
		_exit(fcntl(fd, F_SETPIPE_SZ, size) < 0 && errno == EPERM ? 0 : 1);
	}
	CHECK_OK(waitpid(pid, &status, 0));
	check_child_ok(status, "nobody's F_SETPIPE_SZ past pipe-max-size");
}

/*
 * Past pipe-max-size only root grows a pipe (CAP_SYS_RESOURCE, as Linux);
 * a refused one keeps its size.
 */
static void t_pipe_size_limit(void)
{
	int p[2];
	long r;

	CHECK_OK(pipe(p));
	check_nobody_refused(p[0], 2 * PIPE_MAX_SIZE);
	r = fcntl(p[0], F_SETPIPE_SZ, 2 * PIPE_MAX_SIZE);
	CHECK(r == 2 * PIPE_MAX_SIZE || (r < 0 && errno == ENOMEM), "root: %ld %s", r,
	      errno_name(errno));
	CHECK(fcntl(p[0], F_SETPIPE_SZ, PIPE_MAX_SIZE) == PIPE_MAX_SIZE, "1 MiB refused");
	CHECK(fcntl(p[1], F_GETPIPE_SZ) == PIPE_MAX_SIZE, "the size did not stay");
	close(p[0]);
	close(p[1]);
}

const struct subtest pipe_tests[] = {
	{ "pipe_big", t_pipe_big, 0 },
	{ "pipe_eof", t_pipe_eof, 0 },
	{ "pipe_sigpipe", t_pipe_sigpipe, 0 },
	{ "pipe_nonblock", t_pipe_nonblock, 0 },
	{ "pipe_size_limit", t_pipe_size_limit, 0 },
	{ NULL },
};
