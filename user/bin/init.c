/*
 * init, process 1.
 *
 * Normal boot: run "/bin/sh /etc/rc" if /etc/rc exists, then keep an
 * interactive /bin/sh on the console, starting a new one whenever it
 * exits; every orphan that ends up as our child is reaped meanwhile.
 *
 * run-elf mode, when /etc/run-elf exists: the file holds one argv as
 * NUL-terminated strings (argv[0] is the program's path).  Run it with
 * stdin from /etc/run-elf.stdin (else /dev/null), stdout on /dev/serial1
 * and stderr on /dev/serial2, wait for it, print one line on the console
 *   run-elf: exit N | run-elf: signal N | run-elf: exec failed: <error>
 * and power off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/wait.h>

#define RC "/etc/rc"
#define RUN_ELF "/etc/run-elf"
#define RUN_ELF_STDIN "/etc/run-elf.stdin"

static char *const rc_argv[] = { "sh", RC, NULL };
static char *const shell_argv[] = { "sh", NULL };
static char *const shell_env[] = { "PATH=/bin:/sbin", "HOME=/root", NULL };
static char *const run_elf_env[] = { "PATH=/bin:/sbin", "HOME=/", NULL };

/* The kernel should start us with 0, 1 and 2 on the console; make sure. */
static void console_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0) {
			int c = open("/dev/console", O_RDWR);

			if (c >= 0 && c != fd) {
				dup2(c, fd);
				close(c);
			}
		}
}

/* Wait until pid ends, reaping any other child on the way; -1 if it is not our child. */
static int wait_for(pid_t pid, int *status)
{
	for (;;) {
		pid_t p = wait(status);

		if (p == pid)
			return 0;
		if (p < 0 && errno != EINTR)
			return -1;
	}
}

/* fork, retrying while the kernel is short of memory or processes. */
static pid_t fork_retry(void)
{
	pid_t pid;

	while ((pid = fork()) < 0) {
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
		sleep(1);
	}
	return pid;
}

/* Run argv[0] and wait for it.  The console shell gets a session with the console as its terminal. */
static void run(char *const argv[], char *const envp[], int session)
{
	int status;
	pid_t pid = fork_retry();

	if (pid == 0) {
		if (session) {
			setsid();
			ioctl(0, TIOCSCTTY, 0);   /* without a terminal the shell runs without job control */
		}
		execve("/bin/sh", argv, envp);
		fprintf(stderr, "init: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	wait_for(pid, &status);
}

static void normal_boot(void)
{
	if (access(RC, F_OK) == 0)
		run(rc_argv, shell_env, 0);
	for (;;) {
		time_t start = time(NULL);

		run(shell_argv, shell_env, 1);
		if (time(NULL) - start < 1)
			sleep(1);   /* a shell that dies at once must not make us spin */
	}
}

/* The whole file, NUL-terminated; NULL on error. */
static char *read_file(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	size_t cap = 256, n = 0;
	char *buf = malloc(cap);
	ssize_t r;

	if (fd < 0 || !buf)
		return NULL;
	while ((r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += r;
		if (n + 1 == cap && !(buf = realloc(buf, cap *= 2)))
			return NULL;
	}
	close(fd);
	buf[n] = '\0';
	*len = n;
	return r < 0 ? NULL : buf;
}

/* Split NUL-separated strings into a NULL-terminated argv. */
static char **split_argv(char *buf, size_t len)
{
	int n = 0;
	char **argv;

	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0' || i == len - 1)
			n++;
	argv = calloc(n + 1, sizeof(char *));
	if (!argv)
		return NULL;
	n = 0;
	for (size_t i = 0; i < len; i += strlen(buf + i) + 1)
		argv[n++] = buf + i;
	return argv;
}

/* Open path (flags) onto fd; if it cannot be opened, fd stays as it was (the console). */
static void open_onto(const char *path, int flags, int fd)
{
	int f = open(path, flags);

	if (f >= 0 && f != fd) {
		dup2(f, fd);
		close(f);
	}
}

/* In the child: set up fds 0-2, exec, and on failure send errno up the close-on-exec pipe. */
static void run_elf_child(char **argv, int report_fd)
{
	int err;

	setpgid(0, 0);          /* a process group of its own, as a shell gives a job */
	if (access(RUN_ELF_STDIN, F_OK) == 0)
		open_onto(RUN_ELF_STDIN, O_RDONLY, 0);
	else
		open_onto("/dev/null", O_RDONLY, 0);
	open_onto("/dev/serial1", O_WRONLY, 1);
	open_onto("/dev/serial2", O_WRONLY, 2);
	execve(argv[0], argv, run_elf_env);
	err = errno;
	write(report_fd, &err, sizeof(err));
	_exit(127);
}

static void run_elf(void)
{
	size_t len = 0;
	char *buf = read_file(RUN_ELF, &len);
	char **argv = buf && len ? split_argv(buf, len) : NULL;
	char line[128];
	int report[2], err = 0, status = 0, console;
	pid_t pid;

	if (!argv) {
		err = buf && !len ? EINVAL : errno;
	} else if (pipe(report) < 0) {
		err = errno;
	} else {
		fcntl(report[1], F_SETFD, FD_CLOEXEC);
		pid = fork_retry();
		if (pid == 0) {
			close(report[0]);
			run_elf_child(argv, report[1]);
		}
		close(report[1]);
		/* Nothing arrives (EOF) if the exec succeeded. */
		while (read(report[0], &err, sizeof(err)) < 0 && errno == EINTR)
			;
		close(report[0]);
		wait_for(pid, &status);
	}
	if (err)
		snprintf(line, sizeof(line), "run-elf: exec failed: %s\n", strerror(err));
	else if (WIFSIGNALED(status))
		snprintf(line, sizeof(line), "run-elf: signal %d\n", WTERMSIG(status));
	else
		snprintf(line, sizeof(line), "run-elf: exit %d\n", WEXITSTATUS(status));
	console = open("/dev/console", O_WRONLY);
	write(console >= 0 ? console : 1, line, strlen(line));
	sync();
	/* as Linux's shutdown: a disk root left read-only is marked clean for the next boot */
	mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL);
	reboot(RB_POWER_OFF);
	fprintf(stderr, "init: reboot: %s\n", strerror(errno));
	for (;;)   /* a process 1 must never exit */
		if (wait(NULL) < 0)
			pause();
}

int main(void)
{
	console_fds();
	if (access(RUN_ELF, F_OK) == 0)
		run_elf();
	normal_boot();
	return 0;
}
