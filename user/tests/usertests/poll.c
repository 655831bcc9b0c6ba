/*
 * poll(2): what a pipe reports at each end (data, room, hang-up, no
 * reader), POLLNVAL for a closed descriptor, a timeout that expires, and
 * a sleeper woken by a write from another process.
 */
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>
#include "ut.h"

#define SHORT_MS 50             /* a timeout that must expire */
#define WRITER_DELAY_MS 100     /* the writer's pause before it writes */

static void t_poll_pipe(void)
{
	int fds[2];
	struct pollfd p[3];
	struct timespec t0;
	char c;

	CHECK_OK(pipe(fds));
	p[0] = (struct pollfd){ fds[0], POLLIN, 0 };
	p[1] = (struct pollfd){ fds[1], POLLOUT, 0 };
	p[2] = (struct pollfd){ -1, POLLIN, 0 };
	CHECK(poll(p, 3, 0) == 1 && !p[0].revents && p[1].revents == POLLOUT && !p[2].revents,
	      "empty pipe: revents %#x %#x %#x", p[0].revents, p[1].revents, p[2].revents);
	CHECK(write(fds[1], "x", 1) == 1, "write");
	CHECK(poll(p, 2, 0) == 2 && p[0].revents == POLLIN, "with data: revents %#x", p[0].revents);
	CHECK(read(fds[0], &c, 1) == 1, "read");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK(poll(p, 1, SHORT_MS) == 0 && !p[0].revents, "an empty pipe was ready");
	CHECK(ms_since(&t0) >= SHORT_MS - 10, "timeout of %d ms took %ld ms", SHORT_MS,
	      ms_since(&t0));
	close(fds[1]);
	CHECK(poll(p, 1, -1) == 1 && p[0].revents == POLLHUP, "no writer: revents %#x",
	      p[0].revents);
	CHECK_OK(pipe(fds));
	close(fds[0]);
	signal(SIGPIPE, SIG_IGN);
	p[1].fd = fds[1];
	CHECK(poll(&p[1], 1, 0) == 1 && (p[1].revents & POLLERR), "no reader: revents %#x",
	      p[1].revents);
	close(fds[1]);
	p[0].fd = fds[1];                       /* closed now */
	CHECK(poll(p, 1, 0) == 1 && p[0].revents == POLLNVAL, "closed fd: revents %#x",
	      p[0].revents);
	CHECK_ERR(poll((struct pollfd *)0xC0000000, 1, 0), EFAULT);
}

static void late_writer(void *arg)
{
	int *fds = arg;

	close(fds[0]);
	msleep(WRITER_DELAY_MS);
	CHECK(write(fds[1], "y", 1) == 1, "late write");
}

static void t_poll_wakeup(void)
{
	int fds[2], status;
	struct pollfd p;
	pid_t pid;

	CHECK_OK(pipe(fds));
	pid = spawn(late_writer, fds);
	close(fds[1]);
	p = (struct pollfd){ fds[0], POLLIN, 0 };
	CHECK(poll(&p, 1, 10 * WRITER_DELAY_MS) == 1 && (p.revents & POLLIN),
	      "not woken by the write: revents %#x", p.revents);
	status = wait_status(pid, 0);
	check_child_ok(status, "writer");
	close(fds[0]);
}

const struct subtest poll_tests[] = {
	{ "poll_pipe", t_poll_pipe, 0 },
	{ "poll_wakeup", t_poll_wakeup, 0 },
	{ NULL },
};
