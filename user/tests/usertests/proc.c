/*
 * Processes: exit statuses 0..255 and deaths by signal as wait sees them,
 * WNOHANG, ECHILD, orphans reparented to init and reaped (even one cloned
 * with no exit signal), 200 processes alive at once, clone's pid-storing
 * flags, and vfork's borrowed memory.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <bits/abi_misc.h>
#include "ut.h"

static void exit_with(void *arg)
{
	_exit((int)(long)arg);
}

static void t_exit_codes(void)
{
	for (long code = 0; code <= 256; code++) {
		int status = run_in_child(exit_with, (void *)code);

		CHECK(status >= 0 && WIFEXITED(status) && !WIFSIGNALED(status) &&
		      WEXITSTATUS(status) == (code & 0xff) && status == (int)((code & 0xff) << 8),
		      "_exit(%ld): status %#x (%s)", code, status, status_str(status));
	}
}

static void kill_self(void *arg)
{
	kill(getpid(), (int)(long)arg);
	for (;;)
		pause();
}

static void t_wait_signaled(void)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGUSR1, SIGHUP, SIGALRM, SIGSEGV };

	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		int status = run_in_child(kill_self, (void *)(long)sigs[i]);

		CHECK(status >= 0 && WIFSIGNALED(status) && !WIFEXITED(status) &&
		      WTERMSIG(status) == sigs[i] && (status & 0x7f) == sigs[i],
		      "kill(self, %s): %s (%#x)", signal_name(sigs[i]), status_str(status), status);
	}
}

/* arg: a pipe; wait for EOF on it, then exit 7. */
static void read_then_exit(void *arg)
{
	int *fds = arg;
	char c;

	close(fds[1]);
	_exit(read(fds[0], &c, 1) == 0 ? 7 : 99);
}

static void t_waitpid_wnohang(void)
{
	int fds[2], status;
	pid_t pid;

	CHECK_OK(pipe(fds));
	pid = spawn(read_then_exit, fds);
	CHECK_OK(pid);
	CHECK(waitpid(pid, &status, WNOHANG) == 0, "WNOHANG on a running child did not return 0");
	CHECK(waitpid(-1, &status, WNOHANG) == 0, "waitpid(-1, WNOHANG) did not return 0");
	close(fds[1]);          /* the child reads EOF and exits 7 */
	status = wait_status(pid, 0);
	CHECK(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 7,
	      "child: %s, want exit 7", status_str(status));
	CHECK_ERR(waitpid(pid, &status, WNOHANG), ECHILD);
}

static void t_wait_echild(void)
{
	int status;

	CHECK_ERR(wait(&status), ECHILD);
	CHECK_ERR(waitpid(-1, &status, WNOHANG), ECHILD);
	CHECK_ERR(waitpid(1, &status, 0), ECHILD);               /* init is not our child */
	CHECK_ERR(waitpid(getpid(), &status, 0), ECHILD);
	CHECK_ERR(waitpid(-getpgrp(), &status, 0), ECHILD);
	CHECK_ERR(waitpid(-1, &status, 0x40), EINVAL);           /* unknown option bit */
}

struct orphan_pipes {
	int up[2], down[2];
};

/* The grandchild: report its pid, wait to be orphaned, report getppid(), wait for EOF. */
static void orphan(void *arg)
{
	struct orphan_pipes *p = arg;
	pid_t me = getpid(), ppid;
	char c;

	close(p->up[0]);
	close(p->down[1]);
	write(p->up[1], &me, sizeof(me));
	for (int ms = 0; (ppid = getppid()) != 1 && ms < 5000; ms += 5)
		msleep(5);
	write(p->up[1], &ppid, sizeof(ppid));
	close(p->up[1]);
	read(p->down[0], &c, 1);
}

static void orphan_parent(void *arg)
{
	spawn(orphan, arg);
	_exit(0);          /* without waiting: the grandchild becomes an orphan */
}

/* The same with a grandchild cloned with no exit signal: init must still hear of its exit. */
static void orphan_parent_no_signal(void *arg)
{
	if (syscall(__NR_clone, 0, 0, 0, 0, 0) == 0) {
		orphan(arg);
		_exit(0);
	}
	_exit(0);
}

static void check_orphan_reaped(void (*parent)(void *))
{
	struct orphan_pipes p;
	pid_t gpid = 0, ppid = 0;
	int ms, status;

	CHECK_OK(pipe(p.up));
	CHECK_OK(pipe(p.down));
	status = run_in_child(parent, &p);
	check_child_ok(status, "the orphan's parent");
	close(p.up[1]);
	close(p.down[0]);
	CHECK(read(p.up[0], &gpid, sizeof(gpid)) == sizeof(gpid), "no pid from the grandchild");
	CHECK(read(p.up[0], &ppid, sizeof(ppid)) == sizeof(ppid), "no getppid from the grandchild");
	CHECK(ppid == 1, "the orphan's getppid() is %d, want 1 (init)", (int)ppid);
	CHECK_ERR(waitpid(gpid, &status, WNOHANG), ECHILD);   /* not ours */
	close(p.down[1]);     /* the orphan exits now; init must reap it */
	for (ms = 0; ms < 5000; ms += 5) {
		if (kill(gpid, 0) < 0 && errno == ESRCH)
			break;
		msleep(5);
	}
	CHECK(ms < 5000, "the exited orphan %d was never reaped", (int)gpid);
}

static void t_orphan_reparented(void)
{
	check_orphan_reaped(orphan_parent);
}

static void t_orphan_without_exit_signal_reaped(void)
{
	check_orphan_reaped(orphan_parent_no_signal);
}

#define MANY 200

static void t_many_processes(void)
{
	static pid_t pids[MANY];
	int fds[2], n, status;

	CHECK_OK(pipe(fds));
	for (n = 0; n < MANY; n++) {
		pids[n] = spawn(read_then_exit, fds);
		if (pids[n] < 0)
			break;
	}
	close(fds[1]);      /* all alive until now: each is blocked reading the pipe */
	for (int i = 0; i < n; i++) {
		status = wait_status(pids[i], 0);
		CHECK(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 7,
		      "child %d of %d: %s, want exit 7", i, n, status_str(status));
	}
	CHECK(n == MANY, "only %d processes could be alive at once: fork: %s", n,
	      errno_name(errno));
	check_rmap("after 200 processes");
}

/* wait(-1) returns the children in some order, each exactly once. */
static void t_wait_any(void)
{
	pid_t pids[5];
	int seen = 0, status;

	for (int i = 0; i < 5; i++)
		pids[i] = CHECK_OK(spawn(exit_with, (void *)(long)(10 + i)));
	for (int k = 0; k < 5; k++) {
		pid_t p = wait(&status);
		int i;

		for (i = 0; i < 5 && pids[i] != p; i++)
			;
		CHECK(i < 5 && !(seen & (1 << i)), "wait returned %d, not a new child", (int)p);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 10 + i,
		      "child %d: %s, want exit %d", i, status_str(status), 10 + i);
		seen |= 1 << i;
	}
	CHECK_ERR(wait(&status), ECHILD);
}

/*
 * clone(SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID): the parent's
 * copy of ptid and the child's copy of ctid both get the child's pid
 * (the i386 argument order: flags, stack, ptid, tls, ctid).
 */
static void t_clone_settid(void)
{
	static volatile int ptid, ctid;
	int status;
	long pid = CHECK_OK(syscall(__NR_clone, SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID,
				    0, &ptid, 0, &ctid));

	if (pid == 0)
		_exit(ctid == getpid() ? 0 : 1);
	CHECK(ptid == pid, "CLONE_PARENT_SETTID stored %d, not %ld", ptid, pid);
	CHECK(ctid == 0, "CLONE_CHILD_SETTID wrote into the parent's memory");
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "the child's ctid did not hold its pid (%s)", status_str(status));
}

#define VFORK_CHILD_MS 50      /* the vfork child's nap: its parent must still be waiting */

/* vfork by int $0x80 itself: a C wrapper's return would pop the frame the parent still needs. */
#define RAW_VFORK() ({                                                                  \
	long __r;                                                                       \
	asm volatile("int $0x80" : "=a"(__r) : "0"(__NR_vfork) : "memory");             \
	__r;                                                                            \
})

/* The child writes the parent's memory (static and stack); the parent waits for its exit or exec. */
static void t_vfork(void)
{
	static volatile int shared;
	static char *const argv[] = { "true", NULL }, *const envp[] = { NULL };
	volatile int on_stack = 0;
	int status;
	long pid;

	shared = 0;
	pid = RAW_VFORK();
	if (pid == 0) {
		on_stack = 1;
		msleep(VFORK_CHILD_MS);
		shared = 2;
		_exit(3);
	}
	CHECK(pid > 0, "vfork: %s", errno_name(-pid));
	CHECK(shared == 2 && on_stack == 1, "after vfork the parent sees %d %d, not 2 1 (not shared, "
	      "or it ran before the child exited)", shared, on_stack);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 3,
	      "vfork child: %s", status_str(status));
	pid = RAW_VFORK();
	if (pid == 0) {
		execve("/bin/true", argv, envp);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "vfork + exec /bin/true: %s", status_str(status));
	check_rmap("after vfork");
}

const struct subtest proc_tests[] = {
	{ "exit_codes", t_exit_codes, 0 },
	{ "wait_signaled", t_wait_signaled, 0 },
	{ "waitpid_wnohang", t_waitpid_wnohang, 0 },
	{ "wait_echild", t_wait_echild, 0 },
	{ "wait_any", t_wait_any, 0 },
	{ "clone_settid", t_clone_settid, 0 },
	{ "vfork", t_vfork, T_VM },
	{ "orphan_reparented", t_orphan_reparented, 0 },
	{ "orphan_without_exit_signal_reaped", t_orphan_without_exit_signal_reaped, 0 },
	{ "many_processes", t_many_processes, T_VM },
	{ NULL },
};
