/*
 * What only root may do, tried by other users: mount and umount
 * (CAP_SYS_ADMIN, checked once the path is found), swapon and swapoff
 * (CAP_SYS_ADMIN, first), reboot (CAP_SYS_BOOT, before the magic
 * numbers), raising a hard resource limit and prlimit on another user's
 * process (CAP_SYS_RESOURCE); and signals: a sender's real or effective
 * uid must be the target's real or saved uid (its effective uid does not
 * count), SIGCONT goes anywhere in the session, kill(-1) skips what it
 * may not signal, and a process group answers EPERM only if no member
 * could be signalled.
 */
#include <grp.h>
#include <signal.h>
#include <unistd.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define USER 1000
#define BAD_MAGIC 0x12345678

static void root_only_calls(void *arg)
{
	struct rlimit rl;
	struct abi_rlimit64 rl64;

	become(USER, USER, 0, NULL);
	show("mount tmpfs on /tmp", syscall(__NR_mount, "none", "/tmp", "tmpfs", 0, NULL));
	show("mount tmpfs on a missing directory",
	     syscall(__NR_mount, "none", "/nonexistent-dir", "tmpfs", 0, NULL));
	show("umount2(/tmp)", syscall(__NR_umount2, "/tmp", 0));
	show("umount2 of a missing directory", syscall(__NR_umount2, "/nonexistent-dir", 0));
	show("swapon", syscall(__NR_swapon, "/nonexistent-file", 0));
	show("swapoff", syscall(__NR_swapoff, "/nonexistent-file"));
	show("reboot with a bad magic", syscall(__NR_reboot, BAD_MAGIC, BAD_MAGIC, 0, NULL));
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max / 2;
	rl.rlim_max /= 2;
	show("setrlimit lowering NOFILE's hard limit", setrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_max++;
	show("setrlimit raising it back", setrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_max--;
	show("setrlimit to the same", setrlimit(RLIMIT_NOFILE, &rl));
	show("prlimit of init", prlimit(1, RLIMIT_NOFILE, NULL, &rl64));
	show("prlimit of itself by pid", prlimit(getpid(), RLIMIT_NOFILE, NULL, &rl64));
	show("prlimit of its parent (root)", prlimit(getppid(), RLIMIT_NOFILE, NULL, &rl64));
}

struct sender {
	const char *what;
	uid_t r, e, s;
	pid_t victim;
	int sig;
};

static void send(void *arg)
{
	const struct sender *s = arg;

	setgroups(0, NULL);
	setresgid(USER, USER, USER);
	setresuid(s->r, s->e, s->s);
	show(s->what, kill(s->victim, s->sig));
	show("  tkill", syscall(__NR_tkill, s->victim, s->sig));
}

static int ready[2];        /* the victim writes a byte here once it has its ids */

static void victim(void *arg)
{
	const uid_t *ids = arg;

	setpgid(0, 0);
	setresuid(ids[0], ids[1], ids[2]);
	write(ready[1], "", 1);
	for (;;)
		pause();
}

static void group_kill(void *arg)
{
	pid_t pgrp = *(pid_t *)arg;

	become(USER, USER, 0, NULL);
	show("kill of another user's process group", kill(-pgrp, 0));
	show("kill(-1, 0) (others exist, none may be signalled by us)", kill(-1, 0));
	show("kill(0, 0) (our own group)", kill(0, 0));
	show("SIGCONT to root's process in the session", kill(getppid(), SIGCONT));
	show("signal 0 to root's process", kill(getppid(), 0));
}

static void senders(pid_t v)
{
	struct sender senders[] = {
		{ "uid 1000 signals (5000 6000 7000)", USER, USER, USER, v, 0 },
		{ "real uid 5000 (its real uid)", 5000, USER, USER, v, 0 },
		{ "real uid 7000 (its saved uid)", 7000, USER, USER, v, 0 },
		{ "effective uid 5000", USER, 5000, USER, v, 0 },
		{ "effective uid 7000", USER, 7000, USER, v, 0 },
		{ "effective uid 6000 (its effective uid)", USER, 6000, USER, v, 0 },
		{ "real uid 6000", 6000, USER, USER, v, 0 },
		{ "saved uid 5000 only", USER, USER, 5000, v, 0 },
		{ "uid 1000 sends SIGKILL", USER, USER, USER, v, SIGKILL },
		{ "uid 1000 sends SIGCONT (in the same session)", USER, USER, USER, v, SIGCONT },
		{ "signal 64", USER, USER, USER, v, 64 },
		{ "signal 65", USER, USER, USER, v, 65 },
		{ "a missing process", USER, USER, USER, 999999, 0 },
	};

	for (size_t i = 0; i < sizeof(senders) / sizeof(senders[0]); i++)
		in_child(senders[i].what, send, &senders[i]);
}

static void signals(void)
{
	const uid_t ids[3] = { 5000, 6000, 7000 };
	char c;
	pid_t v;

	pipe(ready);
	v = spawn(victim, (void *)ids);
	read(ready[0], &c, 1);
	senders(v);
	in_child("group", group_kill, &v);
	kill(v, SIGKILL);
	show_status("the victim", wait_status(v, 0));
}

int main(void)
{
	setgroups(0, NULL);
	in_child("root only", root_only_calls, NULL);
	signals();
	return 0;
}
