/*
 * oomtest: one process asks for more memory than RAM and swap hold; the
 * OOM killer must pick it (the largest) and SIGKILL it, while a small
 * bystander keeps running with its data intact and the parent is untouched.
 * Prints "oomtest: ok" and exits 0 when that is what happened.
 *
 * `oomtest write`: the hog fills a file on the root ramfs (never swapped) with
 * one write() larger than RAM instead.  Its file pages are nobody's RSS,
 * so the bystander may be killed first; but once killed the hog must stop
 * writing, so that the parent lives on to remove the file (found by the
 * fuzzer: the dying writer took the last reserve pages into the file, and
 * the OOM killer took the parent too).
 *
 * `oomtest vfork`: a vfork child touches more memory than RAM (run without
 * swap) while its parent sleeps in vfork.  The two share one mm, so the
 * OOM killer must kill both, and the parent's vfork wait must let it die
 * (anvil once let the parent, chosen first, sleep on unkillably: every later
 * OOM waited for it while the child's faults retried for ever).
 * `oomtest vfork-kill`: the same, but we SIGKILL the vfork parent as soon
 * as its child starts allocating: it must die at once, not when the child
 * leaves the mm.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/syscall.h>

#define MB (1024 * 1024)
#define PAGE 4096
#define HOG_MB 1024               /* far more than any test machine has */
#define BYSTANDER_MB 1
#define WRITE_MB 256              /* one write(), more than RAM and swap */
#define BIG_FILE "/oomtest-big"   /* not /tmp: a tmpfs, whose size= would stop the hog */
#define VFORK_CHILD_MB 64         /* more than the RAM the suite gives, which has no swap */
#define VFORK_BOUND_S 60          /* both vfork tasks are gone by then, even on a loaded host */
#define REAP_POLL_US 10000

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

/* Keep touching a small region and check it; exit 0 if it stayed intact. */
static void bystander(void)
{
	unsigned char *p = mmap(NULL, BYSTANDER_MB * MB, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	signal(SIGTERM, on_term);
	for (size_t i = 0; i < BYSTANDER_MB * MB; i++)
		p[i] = (unsigned char)(i * 7);
	while (!stop) {
		for (size_t i = 0; i < BYSTANDER_MB * MB; i += PAGE / 4)
			if (p[i] != (unsigned char)(i * 7))
				_exit(3);
		usleep(10000);
	}
	_exit(0);
}

static void hog(void)
{
	char *p = mmap(NULL, (size_t)HOG_MB * MB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		_exit(4);
	for (size_t i = 0;; i = (i + PAGE) % ((size_t)HOG_MB * MB))
		p[i] = 1;
}

/* vfork by int $0x80 itself: a C wrapper's return would pop the frame the parent still needs. */
#define RAW_VFORK() ({                                                                  \
	long __r;                                                                       \
	asm volatile("int $0x80" : "=a"(__r) : "0"(__NR_vfork) : "memory");             \
	__r;                                                                            \
})

/*
 * Runs in a child of main: vfork a child that publishes its pid and then
 * touches more memory than there is.  Neither may come back: the OOM kill
 * (or main's SIGKILL) ends this task inside vfork.
 */
static void vfork_parent(volatile pid_t *child_pid)
{
	long pid = RAW_VFORK();

	if (pid == 0) {
		char *p;

		*child_pid = getpid();
		p = mmap(NULL, (size_t)VFORK_CHILD_MB * MB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			_exit(4);
		for (size_t i = 0; i < (size_t)VFORK_CHILD_MB * MB; i += PAGE)
			p[i] = 1;
		_exit(5);                /* every page was had: not out of memory */
	}
	_exit(pid < 0 ? 6 : 7);          /* 7: the parent outlived the OOM kill of its mm */
}

static void on_alarm(int sig)
{
}

/* Wait for pid up to VFORK_BOUND_S seconds: its status, or -1 on time-out. */
static int wait_bounded(pid_t pid)
{
	struct sigaction sa = { .sa_handler = on_alarm };     /* no SA_RESTART: waitpid gives EINTR */
	int st;

	sigaction(SIGALRM, &sa, NULL);
	alarm(VFORK_BOUND_S);
	if (waitpid(pid, &st, 0) != pid)
		st = -1;
	alarm(0);
	return st;
}

static int vfork_oom(int kill_parent)
{
	volatile pid_t *child = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				     -1, 0);
	pid_t parent;
	int st;

	if (child == MAP_FAILED)
		return 2;
	parent = fork();
	if (parent == 0)
		vfork_parent(child);
	while (!*child)
		usleep(1000);
	printf("oomtest: vfork parent %d, child %d\n", parent, *child);
	if (kill_parent)
		kill(parent, SIGKILL);
	st = wait_bounded(parent);
	if (st == -1) {
		printf("oomtest: the vfork parent still lives after %d s\n", VFORK_BOUND_S);
		return 1;
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
		printf("oomtest: the vfork parent was not killed by SIGKILL (status %#x)\n", st);
		return 1;
	}
	/* the child is init's now: wait until it has been killed and reaped */
	for (int polls = 0; kill(*child, 0) == 0; polls++) {
		if (polls == VFORK_BOUND_S * 1000000 / REAP_POLL_US) {
			printf("oomtest: the vfork child still lives after %d s\n", VFORK_BOUND_S);
			return 1;
		}
		usleep(REAP_POLL_US);
	}
	printf("oomtest: ok: the vfork parent and its child are both gone\n");
	return 0;
}

static void write_hog(void)
{
	char *p = mmap(NULL, (size_t)WRITE_MB * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_NORESERVE, -1, 0);
	int fd = open(BIG_FILE, O_CREAT | O_TRUNC | O_WRONLY, 0600);

	if (p == MAP_FAILED || fd < 0)
		_exit(4);
	for (;;)
		write(fd, p, (size_t)WRITE_MB * MB);
}

int main(int argc, char **argv)
{
	int by_writing = argc > 1 && !strcmp(argv[1], "write");
	pid_t by, h;
	int st;

	if (argc > 1 && !strcmp(argv[1], "vfork"))
		return vfork_oom(0);
	if (argc > 1 && !strcmp(argv[1], "vfork-kill"))
		return vfork_oom(1);
	by = fork();
	if (by == 0)
		bystander();
	usleep(200000);              /* let it fill its region first */
	h = fork();
	if (h == 0) {
		if (by_writing)
			write_hog();
		hog();
	}
	if (waitpid(h, &st, 0) != h) {
		perror("oomtest: waitpid");
		return 2;
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
		printf("oomtest: the hog was not killed by SIGKILL (status %#x)\n", st);
		return 1;
	}
	if (by_writing) {
		unlink(BIG_FILE);
		kill(by, SIGKILL);
		waitpid(by, &st, 0);
		printf("oomtest: ok: the writer got SIGKILL and stopped; its file is gone\n");
		return 0;
	}
	if (kill(by, 0)) {
		printf("oomtest: the bystander died too\n");
		return 1;
	}
	kill(by, SIGTERM);
	if (waitpid(by, &st, 0) != by || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("oomtest: the bystander's memory was damaged (status %#x)\n", st);
		return 1;
	}
	printf("oomtest: ok: the hog got SIGKILL, the bystander's data is intact\n");
	return 0;
}
