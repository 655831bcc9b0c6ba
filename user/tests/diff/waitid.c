/*
 * waitid(2) against Linux: every idtype (P_ALL, P_PID, P_PGID, P_PIDFD),
 * WEXITED, WSTOPPED and WCONTINUED, WNOHANG with nothing ready (the
 * zeroed fields), WNOWAIT (reported, not reaped), __WALL and __WCLONE,
 * the argument errors and their order, the siginfo fields waitid fills
 * (and those it leaves alone), the rusage of its fifth argument; and
 * wait4's edges beside it: waitpid(INT_MIN) is ESRCH, __WCLONE and
 * __WNOTHREAD are accepted, WEXITED and WNOWAIT are not.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../common/report.h"

#define FILL 0x55                /* siginfo and rusage are prefilled with it */
#define UNTOUCHED 0x55555555L    /* a word still holding the fill */
#define BAD_PTR ADDR(1)
#define CHILD_PAGES 64           /* touched by the child whose rusage is read */
#define SIGNAL_AFTER_MS 100      /* the child interrupting our waitid */
#define NOT_A_FD 1000
#define P_BAD 4

static siginfo_t info;
static struct rusage ru;
static pid_t child;              /* the pid a report should name */

static long do_waitid(int which, long id, int options)
{
	memset(&info, FILL, sizeof(info));
	return syscall(__NR_waitid, which, id, &info, options, NULL);
}

static const char *cld_name(int code)
{
	static const char *const names[] = { "0", "CLD_EXITED", "CLD_KILLED", "CLD_DUMPED",
					     "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED" };

	if (code == (int)UNTOUCHED)
		return "untouched";
	return code >= 0 && code < (int)(sizeof(names) / sizeof(names[0])) ? names[code] : "?";
}

/* The result and every field of info waitid may touch; pids as "child", "0" or "other". */
static void show_info(const char *what, long r)
{
	pid_t pid = info._sifields.chld.si_pid;
	int status = info._sifields.chld.si_status;
	char st[32];

	if (info.si_code == CLD_EXITED || status == 0 || status == (int)UNTOUCHED)
		snprintf(st, sizeof(st), "%d", status == (int)UNTOUCHED ? -1 : status);
	else
		snprintf(st, sizeof(st), "%s", signal_name(status));
	if (r == -1)
		printf("%s: -1 %s", what, errno_name(errno));
	else
		printf("%s: %ld", what, r);
	printf(", signo %s, errno %d, code %s, pid %s, uid %s, status %s, utime %s\n",
	       info.si_signo == (int)UNTOUCHED ? "untouched" :
	       info.si_signo ? signal_name(info.si_signo) : "0",
	       info.si_errno, cld_name(info.si_code),
	       pid == child && pid ? "child" : pid == 0 ? "0" :
	       pid == (pid_t)UNTOUCHED ? "untouched" : "other",
	       info._sifields.chld.si_uid == (unsigned)getuid() ? "getuid()" : "other", st,
	       info._sifields.chld.si_utime == UNTOUCHED ? "untouched" : "written");
}

static void do_exit(void *arg)
{
	_exit((int)(long)arg);
}

static void do_pause(void *arg)
{
	for (;;)
		pause();
}

static void do_touch(void *arg)
{
	_exit(touch_new_pages(CHILD_PAGES) ? 0 : 1);
}

static void do_signal_parent(void *arg)
{
	msleep(SIGNAL_AFTER_MS);
	kill(getppid(), SIGUSR1);
}

static void on_usr1(int sig)
{
}

static void argument_errors(void)
{
	child = 0;
	show_info("no children", do_waitid(P_ALL, 0, WEXITED));
	show_info("no children, WNOHANG", do_waitid(P_ALL, 0, WEXITED | WNOHANG));
	show_info("options 0", do_waitid(P_ALL, 0, 0));
	show_info("WNOHANG alone", do_waitid(P_ALL, 0, WNOHANG));
	show_info("WNOWAIT alone", do_waitid(P_ALL, 0, WNOWAIT));
	show_info("an unknown option bit", do_waitid(P_ALL, 0, WEXITED | 0x40));
	show_info("idtype 4", do_waitid(P_BAD, 0, WEXITED));
	show_info("idtype -1", do_waitid(-1, 0, WEXITED));
	show_info("P_PID 0", do_waitid(P_PID, 0, WEXITED));
	show_info("P_PID -5", do_waitid(P_PID, -5, WEXITED));
	show_info("P_PGID -1", do_waitid(P_PGID, -1, WEXITED));
	show_info("P_PIDFD -1", do_waitid(P_PIDFD, -1, WEXITED));
	show_info("P_PIDFD of stdin (not a pidfd)", do_waitid(P_PIDFD, 0, WEXITED));
	show_info("P_PIDFD of a closed fd", do_waitid(P_PIDFD, NOT_A_FD, WEXITED));
	show_info("__WALL, __WCLONE and __WNOTHREAD accepted",
		  do_waitid(P_ALL, 0, WEXITED | __WALL | __WCLONE | __WNOTHREAD));
	show("bad infop, no children",
	     syscall(__NR_waitid, P_ALL, 0, BAD_PTR, WEXITED, NULL));
	show("bad infop and options 0", syscall(__NR_waitid, P_ALL, 0, BAD_PTR, 0, NULL));
	show("kernel infop, no children",
	     syscall(__NR_waitid, P_ALL, 0, KERNEL_ADDR, WEXITED, NULL));
	show("NULL infop, no children", syscall(__NR_waitid, P_ALL, 0, NULL, WEXITED, NULL));
}

static void exits(void)
{
	child = spawn(do_exit, (void *)7L);
	show_info("P_PID, exit 7", do_waitid(P_PID, child, WEXITED));
	show_info("  then again", do_waitid(P_PID, child, WEXITED));

	child = spawn(do_exit, (void *)300L);
	show_info("P_ALL, exit 300", do_waitid(P_ALL, 0, WEXITED));

	child = spawn(do_pause, NULL);
	kill(child, SIGTERM);
	show_info("P_PID, killed by SIGTERM", do_waitid(P_PID, child, WEXITED));
	child = spawn(do_pause, NULL);
	kill(child, SIGKILL);
	show_info("P_PID, killed by SIGKILL", do_waitid(P_PID, child, WEXITED));
}

#define NOBODY 65534

static void exit_as_nobody(void *arg)
{
	_exit(setresuid(NOBODY, NOBODY, NOBODY) < 0 ? 1 : 0);
}

/* si_uid is the child's real uid, here not the parent's. */
static void other_uid(void)
{
	child = spawn(exit_as_nobody, NULL);
	do_waitid(P_PID, child, WEXITED);
	printf("a child that became nobody: si_uid %u\n", info._sifields.chld.si_uid);
}

static void nowait(void)
{
	child = spawn(do_exit, (void *)5L);
	show_info("WNOWAIT on a zombie", do_waitid(P_PID, child, WEXITED | WNOWAIT));
	show("  kill(child, 0) after it", kill(child, 0));
	show_info("  WNOWAIT again", do_waitid(P_ALL, 0, WEXITED | WNOWAIT));
	show_info("  WSTOPPED alone on the zombie", do_waitid(P_PID, child, WSTOPPED | WNOHANG));
	show_info("  WCONTINUED alone on the zombie",
		  do_waitid(P_PID, child, WCONTINUED | WNOHANG));
	show_info("  then reaped", do_waitid(P_PID, child, WEXITED));
	show("  kill(child, 0) after the reap", kill(child, 0));
}

static void stops(void)
{
	child = spawn(do_pause, NULL);
	show_info("WNOHANG, running child", do_waitid(P_PID, child, WEXITED | WNOHANG));
	show_info("WNOHANG, every event, running child",
		  do_waitid(P_ALL, 0, WEXITED | WSTOPPED | WCONTINUED | WNOHANG));
	kill(child, SIGSTOP);
	show_info("WSTOPPED|WNOWAIT", do_waitid(P_PID, child, WSTOPPED | WNOWAIT));
	show_info("  WSTOPPED", do_waitid(P_PID, child, WSTOPPED));
	show_info("  WSTOPPED|WNOHANG, already reported", do_waitid(P_PID, child, WSTOPPED | WNOHANG));
	show_info("  WEXITED|WNOHANG on the stopped child", do_waitid(P_PID, child, WEXITED | WNOHANG));
	kill(child, SIGCONT);
	show_info("WCONTINUED|WNOWAIT", do_waitid(P_PID, child, WCONTINUED | WNOWAIT));
	show_info("  WCONTINUED", do_waitid(P_PID, child, WCONTINUED));
	show_info("  WCONTINUED|WNOHANG, already reported",
		  do_waitid(P_PID, child, WCONTINUED | WNOHANG));
	kill(child, SIGSTOP);
	show("waitpid(WUNTRACED) sees the same stop",
	     waitpid(child, NULL, WUNTRACED) == child);
	show_info("  so waitid(WSTOPPED|WNOHANG) does not", do_waitid(P_PID, child, WSTOPPED | WNOHANG));
	kill(child, SIGKILL);
	show_info("killed while stopped", do_waitid(P_PID, child, WEXITED));
}

static void groups(void)
{
	pid_t other = spawn(do_pause, NULL);

	setpgid(other, other);
	child = spawn(do_exit, (void *)3L);
	show_info("P_PGID 0: our group", do_waitid(P_PGID, 0, WEXITED));
	child = 0;
	show_info("P_PGID 0 again: only another group's child left",
		  do_waitid(P_PGID, 0, WEXITED | WNOHANG));
	show_info("P_PGID of a group with no children", do_waitid(P_PGID, getpid(), WEXITED | WNOHANG));
	child = other;
	kill(other, SIGTERM);
	show_info("P_PGID of the child's own group", do_waitid(P_PGID, other, WEXITED));
}

static void usage(void)
{
	long r;

	child = spawn(do_touch, NULL);
	memset(&ru, FILL, sizeof(ru));
	r = syscall(__NR_waitid, P_PID, child, &info, WEXITED, &ru);
	show_info("with a rusage", r);
	show_bool("  its ru_minflt counts the child's pages", ru.ru_minflt >= CHILD_PAGES);
	show_bool("  its ru_maxrss (KiB) holds them", ru.ru_maxrss >= CHILD_PAGES * 4);
	show_bool("  ru_ixrss zeroed", ru.ru_ixrss == 0);
	child = spawn(do_pause, NULL);
	memset(&ru, FILL, sizeof(ru));
	r = syscall(__NR_waitid, P_PID, child, &info, WEXITED | WNOHANG, &ru);
	show_info("with a rusage, nothing ready", r);
	show_bool("  the rusage left alone", ru.ru_minflt == UNTOUCHED);
	show("  with a bad rusage, nothing ready",
	     syscall(__NR_waitid, P_PID, child, &info, WEXITED | WNOHANG, BAD_PTR));
	kill(child, SIGKILL);
	show("  with a bad rusage, a zombie",
	     syscall(__NR_waitid, P_PID, child, &info, WEXITED, BAD_PTR));
	show_info("  was reaped all the same", do_waitid(P_PID, child, WEXITED | WNOHANG));
	child = spawn(do_exit, (void *)1L);
	show("bad infop, a zombie", syscall(__NR_waitid, P_PID, child, BAD_PTR, WEXITED, NULL));
	show_info("  was reaped all the same", do_waitid(P_PID, child, WEXITED | WNOHANG));
	child = spawn(do_exit, (void *)2L);
	show("NULL infop, a zombie", syscall(__NR_waitid, P_PID, child, NULL, WEXITED, NULL));
	show_info("  was reaped", do_waitid(P_PID, child, WEXITED | WNOHANG));
}

static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };   /* no SA_RESTART */
	pid_t signaller;

	sigaction(SIGUSR1, &sa, NULL);
	child = spawn(do_pause, NULL);
	signaller = spawn(do_signal_parent, NULL);
	show_info("a signal handler interrupts it", do_waitid(P_PID, child, WEXITED));
	kill(child, SIGKILL);
	do_waitid(P_PID, child, WEXITED);
	do_waitid(P_PID, signaller, WEXITED);
}

/* Children with no exit signal are "clone" children: only __WCLONE or __WALL see them. */
static void clone_children(void)
{
	int status;
	pid_t plain;

	child = syscall(__NR_clone, 0, 0, 0, 0, 0);
	if (child == 0) {
		pause();
		_exit(4);
	}
	if (child < 0) {        /* never kill(-1): as root that signals every process */
		show("clone with no exit signal", child);
		return;
	}
	show_info("P_PID of a clone child", do_waitid(P_PID, child, WEXITED | WNOHANG));
	show("waitpid of a clone child", waitpid(child, &status, WNOHANG));
	show_info("  with __WCLONE", do_waitid(P_PID, child, WEXITED | WNOHANG | __WCLONE));
	kill(child, SIGKILL);
	show_info("  with __WCLONE, killed", do_waitid(P_PID, child, WEXITED | __WCLONE));
	plain = spawn(do_exit, (void *)8L);
	show("waitpid(__WCLONE) of a plain child", waitpid(plain, &status, __WCLONE));
	show_bool("waitpid(__WNOTHREAD) of it", waitpid(plain, &status, __WNOTHREAD) == plain &&
		  WEXITSTATUS(status) == 8);
}

static void wait4_edges(void)
{
	int status;

	show("waitpid(INT_MIN)", waitpid(INT32_MIN, &status, 0));
	show("waitpid(INT_MIN) with an unknown option", waitpid(INT32_MIN, &status, 0x40));
	show("waitpid(INT_MIN + 1)", waitpid(INT32_MIN + 1, &status, 0));
	show("waitpid with WEXITED", waitpid(-1, &status, WEXITED));
	show("waitpid with WNOWAIT", waitpid(-1, &status, WNOWAIT));
}

int main(void)
{
	argument_errors();
	exits();
	other_uid();
	nowait();
	stops();
	groups();
	usage();
	interrupted();
	clone_children();
	wait4_edges();
	return 0;
}
