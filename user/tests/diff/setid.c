/*
 * Real, effective, saved and fs ids: setuid, setreuid, setresuid,
 * setfsuid and their gid twins, with Linux's rules for a privileged
 * caller (euid 0: any id) and an unprivileged one (only ids it already
 * has), -1 for "unchanged", EINVAL for the invalid id -1 and EPERM;
 * supplementary groups (setgroups sorts them, getgroups' size rules,
 * EFAULT, EPERM without privilege); the ids inherited across fork;
 * /proc/self/status's Uid:, Gid: and Groups: lines; a process whose ids
 * changed is not "dumpable", and its /proc files (not its /proc/<pid>
 * directory) are root's until PR_SET_DUMPABLE; and the sender's real uid
 * in a signal's siginfo (kill's and SIGCHLD's).  Each scenario runs in
 * its own child, which starts as root.
 */
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define NONE ((unsigned int)-1)
#define LINE 256

static void *volatile bad_ptr = (void *)16;     /* never mapped (volatile: no compile-time warning) */
#define BAD_PTR bad_ptr

static void setuid_rules(void *arg)
{
	show("root: setuid(1000)", setuid(1000));
	show_ids("  ");
	show("setuid(0)", setuid(0));
	show("setuid(1000)", setuid(1000));
	show("setuid(-1)", setuid(-1));
}

static void setuid_saved(void *arg)
{
	show("root: setresuid(1000, 2000, 3000)", setresuid(1000, 2000, 3000));
	show_ids("  ");
	show("setuid(3000) (the saved uid)", setuid(3000));
	show_ids("  ");
	show("setuid(1000) (the real uid)", setuid(1000));
	show_ids("  ");
	show("setuid(2000) (gone)", setuid(2000));
	show("seteuid(3000)", seteuid(3000));
	show_ids("  ");
}

static void setreuid_rules(void *arg)
{
	show("root: setreuid(-1, 1000)", setreuid(-1, 1000));
	show_ids("  ");
	show("setreuid(-1, 0)", setreuid(-1, 0));
	show_ids("  ");
	show("setreuid(1000, 2000)", setreuid(1000, 2000));
	show_ids("  ");
	show("setreuid(2000, 1000) (swap)", setreuid(2000, 1000));
	show_ids("  ");
	show("setreuid(3000, -1)", setreuid(3000, -1));
	show("setreuid(-1, 2000)", setreuid(-1, 2000));
	show_ids("  ");
	show("setreuid(-1, -1)", setreuid(-1, -1));
	show("setreuid(-1, 3000)", setreuid(-1, 3000));
	show_ids("  ");
}

static void setresuid_rules(void *arg)
{
	show("root: setresuid(-1, -1, -1)", setresuid(-1, -1, -1));
	show("setresuid(1, 2, 3)", setresuid(1, 2, 3));
	show_ids("  ");
	show("setresuid(3, 1, 2) (a permutation)", setresuid(3, 1, 2));
	show_ids("  ");
	show("setresuid(-1, 3, -1)", setresuid(-1, 3, -1));
	show_ids("  ");
	show("setresuid(4, -1, -1)", setresuid(4, -1, -1));
	show("setresuid(-1, -1, 0)", setresuid(-1, -1, 0));
	show_ids("  ");
}

static void setfsuid_rules(void *arg)
{
	show("root: setfsuid(5)", setfsuid(5));
	show("setfsuid(6)", setfsuid(6));
	show_ids("  ");
	show("setresuid(-1, -1, -1) keeps it", setresuid(-1, -1, -1));
	show_ids("  ");
	show("seteuid(0) resets it", seteuid(0));
	show_ids("  ");
	show("setresuid(100, 200, 300)", setresuid(100, 200, 300));
	show("setfsuid(400)", setfsuid(400));
	show("setfsuid(300)", setfsuid(300));
	show("setfsuid(-1)", setfsuid(-1));
	show("setfsuid(100)", setfsuid(100));
	show_ids("  ");
}

static void setgid_rules(void *arg)
{
	show("root: setgid(50)", setgid(50));
	show_ids("  ");
	show("setresgid(10, 20, 30)", setresgid(10, 20, 30));
	show("setuid(1000)", setuid(1000));
	show("setgid(30) (the saved gid)", setgid(30));
	show_ids("  ");
	show("setgid(20) (gone)", setgid(20));
	show("setgid(10)", setgid(10));
	show("setregid(-1, 30)", setregid(-1, 30));
	show_ids("  ");
	show("setregid(30, 10)", setregid(30, 10));
	show_ids("  ");
	show("setregid(40, -1)", setregid(40, -1));
	show("setresgid(-1, 40, -1)", setresgid(-1, 40, -1));
	show("setresgid(10, 30, 10)", setresgid(10, 30, 10));
	show_ids("  ");
	show("setfsgid(30)", setfsgid(30));
	show("setfsgid(99)", setfsgid(99));
	show("setgid(-1)", setgid(-1));
	show("setresgid(-2, -1, -1)", setresgid(-2, -1, -1));
	show_ids("  ");
}

static void groups_rules(void *arg)
{
	static gid_t many[NGROUPS_MAX + 1];
	gid_t list[] = { 30, 10, 20, 10, 4000000000u }, got[8];
	int n;

	show("root: setgroups(5, [30 10 20 10 4000000000])", setgroups(5, list));
	show_ids("  ");
	show("getgroups(0, NULL)", getgroups(0, NULL));
	show("getgroups(4, buf)", getgroups(4, got));
	show("getgroups(-1, buf)", getgroups(-1, got));
	show("getgroups(5, bad pointer)", getgroups(5, BAD_PTR));
	show("setgroups(-1, list)", syscall(__NR_setgroups32, -1, list));
	show("setgroups(1, bad pointer)", setgroups(1, BAD_PTR));
	list[0] = -1;
	show("setgroups(1, [-1])", setgroups(1, list));
	show_ids("  after the failures");
	for (n = 0; n <= NGROUPS_MAX; n++)
		many[n] = NGROUPS_MAX - n;
	show("setgroups(NGROUPS_MAX + 1, ...)", setgroups(NGROUPS_MAX + 1, many));
	show("setgroups(NGROUPS_MAX, ...)", setgroups(NGROUPS_MAX, many));
	show("getgroups(NGROUPS_MAX, ...)", getgroups(NGROUPS_MAX, many));
	printf("  sorted: %u %u ... %u\n", many[0], many[1], many[NGROUPS_MAX - 1]);
	show("setgroups(0, NULL)", setgroups(0, NULL));
	show_ids("  ");
	list[0] = 7;
	show("setgroups(1, [7])", setgroups(1, list));
	show("setuid(1000)", setuid(1000));
	show("setgroups(1, [7]) unprivileged", setgroups(1, list));
	show("setgroups(-1, list) unprivileged", syscall(__NR_setgroups32, -1, list));
	show("getgroups(1, buf)", getgroups(1, got));
	show_ids("  ");
}

static void efaults(void *arg)
{
	uid_t u;

	show("getresuid(bad, ...)", getresuid(BAD_PTR, &u, &u));
	show("getresuid(..., bad)", getresuid(&u, &u, BAD_PTR));
	show("getresgid(..., bad, ...)", getresgid(&u, BAD_PTR, &u));
}

static void show_status_ids(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[LINE];

	if (!f) {
		printf("  /proc/self/status: %s\n", errno_name(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) ||
		    !strncmp(line, "Groups:", 7))
			printf("  %s", line);
	fclose(f);
}

/* /proc/<pid> and its files belong to the process (its effective ids). */
static void show_proc_owner(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		printf("  %s: %s\n", path, errno_name(errno));
	else
		printf("  %s: uid %u gid %u\n", path, (unsigned)st.st_uid, (unsigned)st.st_gid);
}

static void forked(void *arg)
{
	gid_t groups[] = { 9, 8 };

	setgroups(2, groups);
	setresgid(11, 12, 13);
	setresuid(21, 22, 23);
	setfsuid(23);
	show_status_ids();
	show("  PR_GET_DUMPABLE", syscall(__NR_prctl, PR_GET_DUMPABLE));
	show_proc_owner("/proc/self");
	show_proc_owner("/proc/self/status");
	show("  PR_SET_DUMPABLE 1", syscall(__NR_prctl, PR_SET_DUMPABLE, 1));
	show("  PR_SET_DUMPABLE 2", syscall(__NR_prctl, PR_SET_DUMPABLE, 2));
	show_proc_owner("/proc/self/status");
	in_child("the child", (child_fn)show_ids, "a child inherits them");
}

static volatile int got_uid[2] = { -1, -1 };    /* SIGUSR1's si_uid, SIGCHLD's */

static void record_uid(int sig, siginfo_t *info, void *ctx)
{
	got_uid[sig == SIGCHLD] = info->_sifields.kill.si_uid;
}

static void signal_uids(void *arg)
{
	struct sigaction sa = { .sa_sigaction = record_uid, .sa_flags = SA_SIGINFO };
	sigset_t block, old;
	pid_t pid;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	setresuid(1234, 0, 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		setresuid(1234, 1234, 1234);
		_exit(kill(getppid(), SIGUSR1) ? 1 : 0);
	}
	show_status("the child, uid 1234, signalled its parent", wait_status(pid, 0));
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("SIGUSR1's si_uid %d, SIGCHLD's si_uid %d\n", got_uid[0], got_uid[1]);
}

static void from_root(const char *what, child_fn fn)
{
	printf("-- %s\n", what);
	in_child(what, fn, NULL);
}

int main(void)
{
	setgroups(0, NULL);       /* the host may have started us with some */
	show_ids("start");
	show_status_ids();
	from_root("setuid", setuid_rules);
	from_root("setuid and the saved uid", setuid_saved);
	from_root("setreuid", setreuid_rules);
	from_root("setresuid", setresuid_rules);
	from_root("setfsuid", setfsuid_rules);
	from_root("the gid calls", setgid_rules);
	from_root("supplementary groups", groups_rules);
	from_root("bad pointers", efaults);
	from_root("fork and /proc/self/status", forked);
	from_root("siginfo's si_uid", signal_uids);
	show_ids("the parent is still");
	return 0;
}
