/*
 * usertests: anvil's system calls checked against Linux semantics, as many
 * small subtests, each in a forked child so one crash cannot stop the rest.
 * Prints "PASS name" or "FAIL name: why" per subtest, then the leak check
 * and "usertests: N passed, N failed"; exits 0 only if everything passed.
 *
 *   usertests [NAME-PREFIX...]    run all subtests, or those named so
 *   usertests --HELPER ARGS...    a helper mode, run by a subtest's execve
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "ut.h"

#define SUBTEST_TIMEOUT 60          /* seconds */
#define HUNG_FRAMES 5               /* kernel functions shown for each thread of a hung subtest */

const char *self_path;

static const struct subtest *const tables[] = {
	proc_tests, exec_tests, pipe_tests, poll_tests, fs_tests, symlink_tests, sendfile_tests,
	efault_tests, fault_tests, brk_tests, signal_tests, mmap_tests, mremap_tests, cow_tests,
	lowmap_tests, pgoff_tests, mount_tests, core_tests, procfs_tests, rusage_tests,
	users_tests, mlock_tests, threads_tests,
};

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	alarmed = 1;
}

/* Kill what is left of process group pgid and wait until init has reaped it. */
static void wait_group_gone(pid_t pgid)
{
	kill(-pgid, SIGKILL);
	for (int ms = 0; ms < SETTLE_MS; ms += 5) {
		if (kill(-pgid, 0) < 0 && errno == ESRCH)
			return;
		msleep(5);
	}
}

struct hung_report {
	pid_t pgid;
	int fd;
};

/* A /proc .../stat's state letter and process group ("pid (comm) S ppid pgrp ..."); 0, or -1. */
static int read_stat(const char *path, char *state, long *pgrp)
{
	char text[512], *at;

	if (read_proc_text(path, text, sizeof(text)) < 0 || !(at = strrchr(text, ')')) || !at[1])
		return -1;
	*state = at[2];
	strtol(at + 3, &at, 10);                 /* ppid */
	*pgrp = strtol(at, NULL, 10);
	return 0;
}

/* The innermost HUNG_FRAMES functions of a /proc/.../stack text, "f<g<h", past the switch. */
static void add_frames(int fd, const char *stack)
{
	int shown = 0;

	for (const char *at = stack; (at = strstr(at, "] ")) && shown < HUNG_FRAMES; at++) {
		size_t len = strcspn(at + 2, "+\n");

		if ((len == 14 && !strncmp(at + 2, "arch_switch_to", len)) ||
		    (len == 8 && !strncmp(at + 2, "schedule", len)))
			continue;
		dprintf(fd, "%s%.*s", shown++ ? "<" : "", (int)len, at + 2);
	}
}

/*
 * In a child (opendir allocates): for each thread of process group
 * h->pgid, "; tid state:f<g<h" -- its state and where in the kernel it
 * sleeps (/proc/<pid>/task/<tid>/stack), written to h->fd.
 */
static void describe_group(void *arg)
{
	const struct hung_report *h = arg;
	static char path[64], text[2048];
	struct dirent *p, *t;
	DIR *procs = opendir("/proc"), *tasks;

	while (procs && (p = readdir(procs))) {
		char state;
		long pgrp;

		snprintf(path, sizeof(path), "/proc/%s/stat", p->d_name);
		if (p->d_name[0] < '1' || p->d_name[0] > '9' || read_stat(path, &state, &pgrp) ||
		    pgrp != h->pgid)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/task", p->d_name);
		tasks = opendir(path);
		while (tasks && (t = readdir(tasks))) {
			if (t->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/task/%s/stat", p->d_name, t->d_name);
			if (read_stat(path, &state, &pgrp))
				continue;
			dprintf(h->fd, "; %s %c:", t->d_name, state);
			snprintf(path, sizeof(path), "/proc/%s/task/%s/stack", p->d_name, t->d_name);
			if (read_proc_text(path, text, sizeof(text)) >= 0)
				add_frames(h->fd, text);
		}
		if (tasks)
			closedir(tasks);
	}
	if (procs)
		closedir(procs);
}

/* describe_group's text for pgid into buf (NUL-terminated); its length. */
static size_t describe_hung(pid_t pgid, char *buf, size_t size)
{
	int fds[2];
	struct hung_report h = { pgid, -1 };
	size_t n = 0;
	ssize_t r;

	if (pipe(fds) < 0)
		return 0;
	h.fd = fds[1];
	run_in_child(describe_group, &h);
	close(fds[1]);
	while (n < size - 1 && (r = read(fds[0], buf + n, size - 1 - n)) > 0)
		n += r;
	close(fds[0]);
	buf[n] = '\0';
	return n;
}

static void remove_dir(void *path)
{
	remove_tree(path);
}

static void child_start(const struct subtest *t, int fd)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	setpgid(0, 0);
	sigaction(SIGALRM, &sa, NULL);
	report_fd = fd;
	subtest_pid = getpid();
	t->fn();
	_exit(0);
}

/* Run one subtest; 1 if it passed, else 0 with why filled in. */
static int run_subtest(const struct subtest *t, char *why, size_t size)
{
	static char hung[512];
	int fds[2], status = -1, timed_out = 0;
	size_t n = 0;
	ssize_t r;
	pid_t pid;
	long violations;
	char dir[64];

	why[0] = '\0';
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		snprintf(why, size, "runner: pipe/fork: %s", errno_name(errno));
		return 0;
	}
	if (pid == 0) {
		close(fds[0]);
		child_start(t, fds[1]);
	}
	setpgid(pid, pid);
	close(fds[1]);
	alarmed = 0;
	alarm(SUBTEST_TIMEOUT);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR || alarmed) {
			timed_out = alarmed;
			if (timed_out)
				describe_hung(pid, hung, sizeof(hung));
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			wait_status(pid, 0);
			break;
		}
	alarm(0);
	wait_group_gone(pid);
	while (n < size - 1 && (r = read(fds[0], why + n, size - 1 - n)) > 0)
		n += r;
	close(fds[0]);
	while (n > 0 && why[n - 1] == '\n')
		n--;
	why[n] = '\0';
	for (char *c = why; *c; c++)
		if (*c == '\n')
			*c = ';';
	/* in a child: opendir's malloc must not grow our heap between the leak check's readings */
	snprintf(dir, sizeof(dir), "/tmp/anvil-ut-%d", (int)pid);
	run_in_child(remove_dir, dir);
	if (timed_out) {
		snprintf(why + n, size - n, "%stimed out after %d s%s", n ? "; " : "", SUBTEST_TIMEOUT,
			 hung);
		return 0;
	}
	violations = anvil_rmap_verify();
	if (violations > 0) {
		n = strlen(why);
		snprintf(why + n, size - n, "%srmap_verify after the subtest: %ld violations",
			 n ? "; " : "", violations);
		return 0;
	}
	if (!why[0] && (!WIFEXITED(status) || WEXITSTATUS(status) != 0))
		snprintf(why, size, "%s", status_str(status));
	return why[0] == '\0';
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strncmp(name, argv[i], strlen(argv[i])))
			return 1;
	return 0;
}

static void noop(void)
{
}

static int passed, failed;

/*
 * Run the selected subtests, printing a line each; into leakers, for each
 * subtest after which the leak check's state changed, " name: +-N pages"
 * and the caches whose objects in use changed.
 */
static void run_all(int argc, char **argv, char *leakers, size_t size)
{
	static char why[1024], slabs[256];
	static struct leak_state prev, now;
	size_t n = 0;

	leak_snapshot(&prev);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		for (const struct subtest *t = tables[i]; t->name; t++) {
			if (!selected(t->name, argc, argv))
				continue;
			if (run_subtest(t, why, sizeof(why))) {
				dprintf(1, "PASS %s\n", t->name);
				passed++;
			} else {
				dprintf(1, "FAIL %s: %s\n", t->name, why);
				failed++;
			}
			leak_snapshot(&now);
			slab_changes(&prev, &now, slabs, sizeof(slabs));
			if ((now.free_pages != prev.free_pages || slabs[0]) && n < size - 1)
				n += snprintf(leakers + n, size - n, " %s: %+ld pages%s;", t->name,
					      now.free_pages - prev.free_pages, slabs);
			prev = now;
		}
}

int main(int argc, char **argv)
{
	static const struct subtest warmup = { "warmup", noop, 0 };
	static char why[1024], leakers[2048], slabs[512];
	static struct leak_state before, after;
	struct sigaction sa = { .sa_handler = on_alarm };   /* no SA_RESTART: waitpid must return */

	self_path = argv[0];
	if (argc > 2 && !strncmp(argv[1], "--", 2))
		return run_helper(argc, argv);
	sigaction(SIGALRM, &sa, NULL);
	/* One run through the runner's own paths (a leak reading too), so its memory use is steady. */
	wait_for_init_to_wait();
	leak_snapshot(&before);
	run_subtest(&warmup, why, sizeof(why));
	leak_snapshot(&before);
	if (before.free_pages < 0)
		dprintf(1, "usertests: not running on anvil: rmap_verify and the leak check are off\n");
	run_all(argc, argv, leakers, sizeof(leakers));
	if (before.free_pages >= 0 && settled_leak_state(&after, &before)) {
		dprintf(1, "PASS leak_check\n");
		passed++;
	} else if (before.free_pages >= 0) {
		slab_changes(&before, &after, slabs, sizeof(slabs));
		dprintf(1, "FAIL leak_check: %ld free pages before the subtests, %ld after "
			"(changes per subtest:%s slab objects in use:%s)\n",
			before.free_pages, after.free_pages, leakers,
			slabs[0] ? slabs : " no change");
		failed++;
	}
	dprintf(1, "usertests: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
