/*
 * The checking helpers subtests use (ut.h): fail() and the CHECK family,
 * child-status checks, rmap_verify, scratch files and /proc/self/maps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "ut.h"

int report_fd = 2;
pid_t subtest_pid;

void fail(const char *fmt, ...)
{
	char buf[900];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	write(report_fd, buf, n);
	_exit(1);
}

void check_err_(long r, int err, const char *what)
{
	if (r != -1 || errno != err)
		fail("%s: got %ld%s%s, want -1 %s", what, r, r == -1 ? " " : "",
		     r == -1 ? errno_name(errno) : "", errno_name(err));
}

long check_ok_(long r, const char *what)
{
	if (r == -1)
		fail("%s: -1 %s", what, errno_name(errno));
	return r;
}

void check_child_ok(int status, const char *what)
{
	if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("%s: %s", what, status_str(status));
}

void check_child_signal(int status, int sig, const char *what)
{
	if (killed_by(status) != sig)
		fail("%s: %s, want signal %s", what, status_str(status), signal_name(sig));
}

void check_rmap(const char *when)
{
	long r = anvil_rmap_verify();

	if (r != 0 && r != -1)
		fail("rmap_verify %s: %ld violations", when, r);
}

const char *scratch_dir(void)
{
	static char path[64];

	if (!path[0] || access(path, F_OK) < 0) {
		/* the subtest's pid, also in its children: the runner removes this one */
		snprintf(path, sizeof(path), "/tmp/anvil-ut-%d",
			 (int)(subtest_pid ? subtest_pid : getpid()));
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail("mkdir %s: %s", path, errno_name(errno));
	}
	return path;
}

const char *scratch_path(const char *name)
{
	static char bufs[2][96];
	static int which;
	char *b = bufs[which ^= 1];

	snprintf(b, sizeof(bufs[0]), "%s/%s", scratch_dir(), name);
	return b;
}


ssize_t read_proc_text(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[n < 0 ? 0 : n] = '\0';
	return n;
}
