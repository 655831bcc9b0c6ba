/*
 * Signal delivery: handlers run (with the signal masked meanwhile and
 * siginfo from kill), SA_RESTART against EINTR, sigprocmask blocking then
 * delivery on unblock, SIGCHLD, kill to a process group, SIGSTOP/SIGCONT
 * seen by WUNTRACED/WCONTINUED, alarm, and a nanosleep stopped and
 * continued, which must sleep only what was left; a sigreturn to a bogus
 * %gs (an LDT selector: anvil has no LDT) resumes with %gs null.
 */
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "ut.h"

static volatile int got, got_sig, got_code, got_pid, blocked_inside, got_status;

static void on_signal(int sig, siginfo_t *info, void *uc)
{
	sigset_t now;

	got++;
	got_sig = sig;
	got_code = info->si_code;
	got_pid = info->_sifields.kill.si_pid;
	got_status = info->_sifields.chld.si_status;
	sigprocmask(SIG_BLOCK, NULL, &now);
	blocked_inside = sigismember(&now, sig);
}

static void handle(int sig, unsigned long flags)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | flags };

	CHECK_OK(sigaction(sig, &sa, NULL));
}

static void t_signal_handler(void)
{
	sigset_t now;

	handle(SIGUSR1, 0);
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK(got == 1 && got_sig == SIGUSR1, "handler ran %d times (signal %d)", got, got_sig);
	CHECK(got_code == SI_USER && got_pid == getpid(), "siginfo: si_code %d, si_pid %d",
	      got_code, got_pid);
	CHECK(blocked_inside, "the signal was not blocked while its handler ran");
	CHECK_OK(sigprocmask(SIG_BLOCK, NULL, &now));
	CHECK(!sigismember(&now, SIGUSR1), "the signal stayed blocked after the handler");
	/* SA_RESETHAND: one delivery, then the default action (termination) */
	handle(SIGUSR2, SA_RESETHAND | SA_NODEFER);
	CHECK_OK(raise(SIGUSR2));
	CHECK(got == 2 && !blocked_inside, "SA_RESETHAND|SA_NODEFER handler: ran %d, blocked %d",
	      got, blocked_inside);
	{
		struct sigaction old;

		CHECK_OK(sigaction(SIGUSR2, NULL, &old));
		CHECK(old.sa_handler == SIG_DFL, "SA_RESETHAND did not reset the handler");
	}
	/* ignored and default-ignored signals do nothing */
	CHECK(signal(SIGUSR1, SIG_IGN) != SIG_ERR, "signal");
	CHECK_OK(raise(SIGUSR1));
	CHECK_OK(raise(SIGCHLD));
	CHECK_OK(raise(SIGWINCH));
	CHECK_ERR(kill(getpid(), 65), EINVAL);
	CHECK_ERR(sigaction(SIGKILL, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL), EINVAL);
	CHECK_ERR(sigaction(SIGSTOP, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL), EINVAL);
}

/* Send SIGUSR1 to the parent while it is blocked in read, later write one byte. */
static void interrupter(void *arg)
{
	int *fds = arg;

	close(fds[0]);
	msleep(100);
	kill(getppid(), SIGUSR1);
	msleep(100);
	write(fds[1], "z", 1);
}

static void t_sa_restart(void)
{
	for (int restart = 0; restart < 2; restart++) {
		int fds[2];
		char c = 0;
		ssize_t r;
		pid_t pid;

		got = 0;
		handle(SIGUSR1, restart ? SA_RESTART : 0);
		CHECK_OK(pipe(fds));
		pid = CHECK_OK(spawn(interrupter, fds));
		close(fds[1]);
		r = read(fds[0], &c, 1);
		CHECK(got == 1, "the handler ran %d times", got);
		if (restart)
			CHECK(r == 1 && c == 'z', "SA_RESTART: read returned %zd (%s)", r,
			      errno_name(errno));
		else
			CHECK(r == -1 && errno == EINTR, "without SA_RESTART: read returned %zd, not EINTR", r);
		check_child_ok(wait_status(pid, 0), "interrupter");
		close(fds[0]);
	}
}

static void t_sigprocmask(void)
{
	sigset_t set, old, pending;

	handle(SIGUSR1, 0);
	got = 0;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	CHECK_OK(sigprocmask(SIG_BLOCK, &set, &old));
	CHECK(!sigismember(&old, SIGUSR1), "SIGUSR1 was blocked before");
	CHECK_OK(kill(getpid(), SIGUSR1));
	CHECK_OK(kill(getpid(), SIGUSR1));       /* standard signals do not queue */
	CHECK(got == 0, "a blocked signal was delivered");
	CHECK_OK(syscall(__NR_rt_sigpending, &pending, 8));
	CHECK(sigismember(&pending, SIGUSR1) && !sigismember(&pending, SIGUSR2),
	      "sigpending does not show exactly the blocked signal");
	CHECK_OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
	CHECK(got == 1, "unblocking delivered %d signals, want 1 (before sigprocmask returned)", got);
	CHECK_OK(syscall(__NR_rt_sigpending, &pending, 8));
	CHECK(!sigismember(&pending, SIGUSR1), "still pending after delivery");
	/* SIGKILL and SIGSTOP cannot be blocked */
	sigfillset(&set);
	CHECK_OK(sigprocmask(SIG_SETMASK, &set, NULL));
	CHECK_OK(sigprocmask(SIG_SETMASK, NULL, &old));
	CHECK(!sigismember(&old, SIGKILL) && !sigismember(&old, SIGSTOP) && sigismember(&old, SIGTERM),
	      "SIG_SETMASK of a full set");
	CHECK_ERR(sigprocmask(7, &set, NULL), EINVAL);
}

static void exit_with(void *arg)
{
	_exit((int)(long)arg);
}

static void t_sigchld(void)
{
	sigset_t block, none;
	pid_t pid;

	handle(SIGCHLD, 0);
	got = 0;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	CHECK_OK(sigprocmask(SIG_BLOCK, &block, NULL));
	pid = CHECK_OK(spawn(exit_with, (void *)5L));
	sigemptyset(&none);
	while (!got)
		sigsuspend(&none);             /* atomically unblock and wait */
	CHECK(got_sig == SIGCHLD && got_code == CLD_EXITED && got_pid == pid && got_status == 5,
	      "SIGCHLD siginfo: code %d, pid %d (want %d), status %d", got_code, got_pid,
	      (int)pid, got_status);
	CHECK(WEXITSTATUS(wait_status(pid, 0)) == 5, "wait after SIGCHLD");

	/* SIGCHLD ignored: children are reaped at once, wait finds none */
	CHECK(signal(SIGCHLD, SIG_IGN) != SIG_ERR, "signal");
	pid = CHECK_OK(spawn(exit_with, (void *)6L));
	CHECK(wait_status(pid, 0) == -1 && errno == ECHILD,
	      "with SIGCHLD ignored, wait did not end with ECHILD");
}

static void sleeper(void *arg)
{
	for (;;)
		pause();
}

static void group_member(void *arg)
{
	setpgid(0, (pid_t)(long)arg);
	for (;;)
		pause();
}

static void t_kill_pgrp(void)
{
	pid_t leader, pids[3];
	int status;

	leader = CHECK_OK(spawn(group_member, (void *)0L));
	CHECK_OK(setpgid(leader, leader));
	pids[0] = leader;
	for (int i = 1; i < 3; i++) {
		pids[i] = CHECK_OK(spawn(group_member, (void *)(long)leader));
		setpgid(pids[i], leader);     /* either side may win the race; both set the same */
	}
	for (int i = 0; i < 3; i++)
		CHECK(getpgid(pids[i]) == leader, "child %d is in group %d, want %d", i,
		      (int)getpgid(pids[i]), (int)leader);
	CHECK_OK(kill(-leader, SIGTERM));
	for (int i = 0; i < 3; i++) {
		status = wait_status(pids[i], 0);
		CHECK(killed_by(status) == SIGTERM, "group member %d: %s", i, status_str(status));
	}
	CHECK_ERR(kill(-leader, SIGTERM), ESRCH);
	CHECK(getpgrp() != leader, "the sender was in the group");
}

static void t_stop_cont(void)
{
	pid_t pid = CHECK_OK(spawn(sleeper, NULL));
	int status;

	CHECK_OK(kill(pid, SIGSTOP));
	status = wait_status(pid, WUNTRACED);
	CHECK(status >= 0 && WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP &&
	      status == 0x137f, "after SIGSTOP: %s (%#x)", status_str(status), status);
	CHECK(wait_status(pid, WNOHANG | WUNTRACED) == -2, "a stop was reported twice");
	CHECK_OK(kill(pid, SIGCONT));
	status = wait_status(pid, WCONTINUED);
	CHECK(status >= 0 && WIFCONTINUED(status) && status == 0xffff,
	      "after SIGCONT: %s (%#x)", status_str(status), status);
	CHECK_OK(kill(pid, SIGKILL));
	status = wait_status(pid, WUNTRACED | WCONTINUED);
	CHECK(killed_by(status) == SIGKILL, "after SIGKILL: %s", status_str(status));
	/* a stopped process still dies of SIGKILL */
	pid = CHECK_OK(spawn(sleeper, NULL));
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK(WIFSTOPPED(wait_status(pid, WUNTRACED)), "not stopped");
	CHECK_OK(kill(pid, SIGKILL));
	CHECK(killed_by(wait_status(pid, 0)) == SIGKILL, "a stopped process survived SIGKILL");
}

static void t_alarm(void)
{
	handle(SIGALRM, 0);
	got = 0;
	CHECK(alarm(5) == 0, "no alarm was pending");
	CHECK(alarm(1) == 5, "alarm did not return the seconds left (5)");
	CHECK(pause() == -1 && errno == EINTR, "pause did not return EINTR");
	CHECK(got == 1 && got_sig == SIGALRM, "SIGALRM handler ran %d times", got);
	CHECK(alarm(0) == 0, "an alarm was still pending after it fired");
	/* alarm(0) cancels */
	alarm(1);
	CHECK(alarm(0) == 1, "alarm(0) did not return the seconds left");
	msleep(1300);
	CHECK(got == 1, "a cancelled alarm fired");
}

#define SLEEP_MS 1000
#define STOPPED_MS 400
#define RESTART_SLACK_MS 700    /* between the right end (<= SIGCONT + 400) and the wrong one */

/* Where the sleeper and the test meet: the sleeper writes when its nanosleep ended. */
struct sleep_report {
	struct timespec start;          /* the test's clock when it spawned the sleeper */
	long end_ms;                    /* when nanosleep returned, ms after start; -1 if it failed */
};

static void sleep_one_second(void *arg)
{
	struct sleep_report *r = arg;
	struct timespec req = { SLEEP_MS / 1000, 0 };

	r->end_ms = nanosleep(&req, NULL) ? -1 : ms_since(&r->start);
	_exit(0);
}

/*
 * SIGSTOP then SIGCONT run no handler, so the interrupted nanosleep is
 * restarted -- through restart_syscall, for the time left only: it ends
 * a second after it began, or at once if that passed while stopped.
 * Made again with its arguments, it would end a second after SIGCONT.
 * Both ends are measured against the moment SIGCONT was sent, so a
 * test process slowed by a loaded host cannot make the answer wrong.
 */
static void t_nanosleep_restart(void)
{
	struct sleep_report *r = (struct sleep_report *)CHECK_OK(mmap(NULL, sizeof(*r),
		PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	pid_t pid;
	long cont_ms;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &r->start);
	pid = CHECK_OK(spawn(sleep_one_second, r));
	msleep(200);
	CHECK_OK(kill(pid, SIGSTOP));
	CHECK(waitpid(pid, &status, WUNTRACED) == pid && WIFSTOPPED(status), "the sleeper did not stop");
	msleep(STOPPED_MS);
	cont_ms = ms_since(&r->start);
	CHECK_OK(kill(pid, SIGCONT));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status), "waitpid");
	CHECK(r->end_ms >= 0, "nanosleep failed after SIGCONT");
	CHECK(r->end_ms < cont_ms + RESTART_SLACK_MS,
	      "the restarted nanosleep slept the whole second again (ended %ld ms after SIGCONT)",
	      r->end_ms - cont_ms);
}

#define LDT_SELECTOR 0x77     /* index 14, TI = 1 (the LDT), RPL 3 */

static void set_bogus_gs(int sig, siginfo_t *info, void *uc)
{
	((struct abi_ucontext *)uc)->uc_mcontext.gs = LDT_SELECTOR;
}

/* Found by the fuzzer: the kernel's "pop %gs" read a descriptor at linear 0x70 and oopsed. */
static void t_sigreturn_bad_gs(void)
{
	struct sigaction sa = { .sa_sigaction = set_bogus_gs, .sa_flags = SA_SIGINFO };
	unsigned short gs;

	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	CHECK_OK(raise(SIGUSR1));
	__asm__ __volatile__("mov %%gs, %0" : "=r"(gs));
	CHECK(gs == 0, "%%gs is %#x after sigreturn to the LDT selector %#x", gs, LDT_SELECTOR);
}

const struct subtest signal_tests[] = {
	{ "signal_handler", t_signal_handler, 0 },
	{ "sa_restart", t_sa_restart, 0 },
	{ "sigprocmask", t_sigprocmask, 0 },
	{ "sigchld", t_sigchld, 0 },
	{ "kill_pgrp", t_kill_pgrp, 0 },
	{ "stop_cont", t_stop_cont, 0 },
	{ "alarm", t_alarm, 0 },
	{ "nanosleep_restart", t_nanosleep_restart, 0 },
	{ "sigreturn_bad_gs", t_sigreturn_bad_gs, 0 },
	{ NULL },
};
