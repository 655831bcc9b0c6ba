/*
 * fork, exit and wait: the raw wait statuses of exits (0..255 and beyond)
 * and of deaths by signal (sent, or from faults, abort, SIGPIPE), stops
 * and continues, WNOHANG, ECHILD, waiting by process group, zombies, a
 * child with no exit signal.
 * Then it ends as its arguments say: "exit N", "signal N", "segv", "abort".
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../common/report.h"

#define NO_SIGNAL_CHILD_MS 50   /* the child's nap: its parent is asleep in waitpid by then */

static void do_exit(void *arg)
{
	exit((int)(long)arg);
}

/*
 * Die of the signal.  Its action is reset first: a test run under nohup,
 * or from a shell that ignores SIGINT for background jobs, inherits
 * SIG_IGN, and the child would pause for ever.
 */
static void do_kill(void *arg)
{
	signal((int)(long)arg, SIG_DFL);
	kill(getpid(), (int)(long)arg);
	pause();
}

static void do_segv(void *arg)
{
	*(volatile int *)arg = 1;
}

static void do_abort(void *arg)
{
	abort();
}

static void do_divide(void *arg)
{
	volatile int hundred = 100, zero = 0;

	exit(hundred / zero);
}

static void do_sigpipe(void *arg)
{
	int p[2];

	pipe(p);
	close(p[0]);
	write(p[1], "x", 1);
}

static void do_pause(void *arg)
{
	for (;;)
		pause();
}

static void statuses(void)
{
	static const int codes[] = { 0, 1, 2, 127, 128, 255, 256, 257, -1 };
	static const int sigs[] = { SIGHUP, SIGINT, SIGKILL, SIGUSR1, SIGTERM, SIGALRM };
	char what[64];
	int status;

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		status = run_in_child(do_exit, (void *)(long)codes[i]);
		printf("exit(%d): status 0x%04x, WIFEXITED %d, WEXITSTATUS %d, WIFSIGNALED %d\n",
		       codes[i], status, WIFEXITED(status), WEXITSTATUS(status), WIFSIGNALED(status));
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		status = run_in_child(do_kill, (void *)(long)sigs[i]);
		snprintf(what, sizeof(what), "killed by %s", signal_name(sigs[i]));
		printf("%s: status 0x%04x, WIFSIGNALED %d, WTERMSIG %d, WIFEXITED %d\n", what, status,
		       WIFSIGNALED(status), WTERMSIG(status), WIFEXITED(status));
	}
	show_child("write to NULL", do_segv, NULL);
	show_child("write to 0xc0000000", do_segv, KERNEL_ADDR);
	show_child("abort()", do_abort, NULL);
	show_child("1 / 0", do_divide, NULL);
	show_child("write to a pipe with no reader", do_sigpipe, NULL);
}

static void stops(void)
{
	pid_t pid = spawn(do_pause, NULL);
	int status;

	show_bool("WNOHANG on a running child returns 0", waitpid(pid, &status, WNOHANG) == 0);
	kill(pid, SIGSTOP);
	status = wait_status(pid, WUNTRACED);
	printf("stopped: status 0x%04x, WIFSTOPPED %d, WSTOPSIG %d\n", status, WIFSTOPPED(status),
	       WSTOPSIG(status));
	show_bool("no second report of the stop", wait_status(pid, WUNTRACED | WNOHANG) == -2);
	kill(pid, SIGCONT);
	status = wait_status(pid, WCONTINUED);
	printf("continued: status 0x%04x, WIFCONTINUED %d\n", status, WIFCONTINUED(status));
	kill(pid, SIGSTOP);
	wait_status(pid, WUNTRACED);
	kill(pid, SIGTERM);                        /* pending while stopped */
	show_bool("a stopped child does not die of SIGTERM yet", wait_status(pid, WNOHANG) == -2);
	kill(pid, SIGCONT);
	show_status("after SIGCONT", wait_status(pid, 0));
}

static void waiting(void)
{
	struct rusage ru;
	pid_t a, b, pid;
	int status;

	show("wait with no children", wait(&status));
	a = spawn(do_exit, (void *)3L);
	b = spawn(do_exit, (void *)4L);
	pid = waitpid(b, &status, 0);
	show_bool("waitpid(b) returns b", pid == b);
	show_status("  its status", status);
	msleep(50);
	show_bool("kill(zombie a, 0) works", kill(a, 0) == 0);
	pid = waitpid(0, &status, 0);               /* any child in our process group */
	show_bool("waitpid(0) returns a", pid == a);
	show_status("  its status", status);
	show("kill of a reaped child", kill(a, 0));
	show("waitpid of a reaped child", waitpid(a, &status, 0));
	a = spawn(do_pause, NULL);
	show("setpgid(child, child)", setpgid(a, a));              /* a group of its own */
	show("waitpid(-getpgrp()) for a child in another group", waitpid(-getpgrp(), &status, WNOHANG));
	kill(a, SIGTERM);
	pid = waitpid(-a, &status, 0);
	show_bool("waitpid(-its group) returns it", pid == a);
	show_status("  its status", status);
	show("waitpid with an unknown option", waitpid(-1, &status, 0x40));
	b = spawn(do_exit, (void *)6L);
	pid = wait4(b, &status, 0, &ru);
	show_bool("wait4 with a rusage", pid == b && WEXITSTATUS(status) == 6);
	a = syscall(__NR_clone, 0, 0, 0, 0, 0);    /* a child with no exit signal */
	if (a == 0) {
		msleep(NO_SIGNAL_CHILD_MS);
		_exit(9);
	}
	pid = waitpid(a, &status, __WALL);
	show_bool("waitpid(__WALL) wakes for a child that exits with no exit signal", pid == a);
	show_status("  its status", status);
}

int main(int argc, char **argv)
{
	statuses();
	stops();
	waiting();
	fflush(stdout);
	if (argc > 2 && !strcmp(argv[1], "exit"))
		exit(atoi(argv[2]));
	if (argc > 2 && !strcmp(argv[1], "signal"))
		do_kill((void *)(long)atoi(argv[2]));
	if (argc > 1 && !strcmp(argv[1], "segv"))
		do_segv(NULL);
	if (argc > 1 && !strcmp(argv[1], "abort"))
		abort();
	return 0;
}
