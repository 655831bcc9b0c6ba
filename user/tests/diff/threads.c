/*
 * Threads and futexes through the raw system calls, against Linux: clone's
 * and clone3's flag checks, thread ids (gettid, CLONE_PARENT_SETTID,
 * CLONE_CHILD_CLEARTID and its futex wake, which is how a join works),
 * exit against exit_group and the status a waiting parent sees, tgkill
 * and tkill, a process signal taken by the thread that does not block
 * it, futex's errors, time-outs and interruption, FUTEX_CMP_REQUEUE,
 * FUTEX_WAKE_OP, a robust list walked at exit, /proc/<pid>/task.  Threads print nothing
 * (the C library here is not thread-safe); the main thread reports.
 */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <abi/futex.h>
#include <abi/misc.h>
#include <abi/unistd.h>
#include "../common/report.h"
#include "../common/uthread.h"

#define TIMEOUT_MS 30
#define SETTLE_MS 20
#define PAST_S 1                       /* an absolute time-out this far back */
#define NWAITERS 3
#define MANY 100                       /* wake or requeue "all" */
#define NS_PER_MS 1000000L
#define BAD_ADDR ((uint32_t *)0x1000)  /* never mapped (mmap_min_addr) */
#define E2BIG_PAD 8                    /* bytes past struct clone_args */
#define UNKNOWN_FLAG (1ULL << 40)

static void show_raw(const char *what, long r)
{
	if (r < 0 && r > -4096)
		printf("%s: -1 %s\n", what, errno_name((int)-r));
	else
		printf("%s: %ld\n", what, r);
}

static long gettid_raw(void)
{
	return raw_syscall(__NR_gettid, 0, 0, 0, 0, 0);
}

static long getpid_raw(void)
{
	return raw_syscall(__NR_getpid, 0, 0, 0, 0, 0);
}

/* The state letter in /proc/<id>/stat (S, Z, ...), or 0 if it is gone. */
static char proc_state(long id)
{
	char path[64], buf[256], *p, state = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", id);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		state = p[2];
	fclose(f);
	return state;
}

/* Is thread tid asleep?  Then it sits in the futex it went for. */
static int asleep(uint32_t tid)
{
	return proc_state(tid) == 'S';
}

static void wait_asleep(struct uthread *t, int n)
{
	for (int i = 0; i < n; i++)
		while (!t[i].tid || !asleep(t[i].tid))
			msleep(1);
}

/* ---- clone's and clone3's refusals --------------------------------------- */

static void clone3_show(const char *what, const struct clone_args *ca, size_t size)
{
	show_raw(what, raw_syscall(__NR_clone3, (long)ca, (long)size, 0, 0, 0));
}

static void test_clone_errors(void)
{
	struct { struct clone_args ca; unsigned char pad[E2BIG_PAD]; } big;
	struct clone_args ca;

	show_raw("clone THREAD without SIGHAND",
		 raw_syscall(__NR_clone, CLONE_VM | CLONE_THREAD, 0, 0, 0, 0));
	show_raw("clone SIGHAND without VM", raw_syscall(__NR_clone, CLONE_SIGHAND, 0, 0, 0, 0));
	memset(&ca, 0, sizeof(ca));
	clone3_show("clone3 size below VER0", &ca, CLONE_ARGS_SIZE_VER0 - 8);
	ca.flags = UNKNOWN_FLAG;
	clone3_show("clone3 unknown flag", &ca, sizeof(ca));
	ca.flags = SIGCHLD;
	clone3_show("clone3 signal in flags", &ca, sizeof(ca));
	ca.flags = 0;
	ca.exit_signal = 200;
	clone3_show("clone3 bad exit signal", &ca, sizeof(ca));
	ca.exit_signal = 0;
	ca.stack = 0x10000;
	clone3_show("clone3 stack without size", &ca, sizeof(ca));
	ca.stack = 0;
	ca.flags = CLONE_VM | CLONE_THREAD;
	clone3_show("clone3 THREAD without SIGHAND", &ca, sizeof(ca));
	memset(&big, 0, sizeof(big));
	big.pad[3] = 1;
	clone3_show("clone3 nonzero past the struct", &big.ca, sizeof(big));
}

/* ---- ids, exit, join ------------------------------------------------- */

static volatile long seen_tid, seen_pid;

static int record_ids(void *arg)
{
	seen_tid = gettid_raw();
	seen_pid = getpid_raw();
	return 3;
}

static void test_ids(void)
{
	struct uthread t;
	long r = uthread_start(&t, record_ids, NULL);

	show_bool("clone returned a tid", r > 0);
	uthread_join(&t);
	show_bool("CLONE_PARENT_SETTID wrote it", seen_tid == r);
	show_bool("thread's getpid is ours", seen_pid == getpid());
	show_bool("thread's gettid differs", seen_tid != getpid());
	show_bool("our gettid is our pid", gettid_raw() == getpid());
	show_bool("CLONE_CHILD_CLEARTID cleared it", t.tid == 0);
}

static int clone3_thread_fn(void *arg)
{
	seen_tid = gettid_raw();
	return 0;
}

/* clone3 making a thread: the stack as base and size; the child starts at its top. */
static void test_clone3_thread(void)
{
	struct clone_args ca;
	struct uthread t = { .tid = 0 };
	long r;

	t.stack = mmap(NULL, UTHREAD_STACK_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(&ca, 0, sizeof(ca));
	ca.flags = UTHREAD_FLAGS;
	ca.parent_tid = ca.child_tid = (unsigned long)&t.tid;
	ca.stack = (unsigned long)t.stack;
	ca.stack_size = uthread_stack_top(t.stack + UTHREAD_STACK_SIZE, clone3_thread_fn, NULL) -
			ca.stack;
	seen_tid = 0;
	r = raw_clone_call(__NR_clone3, (long)&ca, sizeof(ca), 0, 0, 0);
	show_bool("clone3 made a thread", r > 0);
	uthread_join(&t);
	show_bool("clone3 thread ran with its own tid", seen_tid == r);
}

static int sleep_then_exit_group(void *arg)
{
	struct timespec ts = { 0, SETTLE_MS * NS_PER_MS };

	raw_syscall(__NR_nanosleep, (long)&ts, 0, 0, 0, 0);
	raw_syscall(__NR_exit_group, (long)arg, 0, 0, 0, 0);
	return 0;
}

/* A word in memory shared with the parent: a futex keyed by its page, not by our mm. */
static volatile uint32_t *release_word;
static volatile uint32_t never_woken;

/* Wait for the parent's word, then end: exit (the thread alone) or, with arg, exit_group(arg). */
static int wait_release_then_exit(void *arg)
{
	while (!*release_word)
		raw_futex(release_word, FUTEX_WAIT, 0, NULL, NULL, 0);
	if (arg)
		raw_syscall(__NR_exit_group, (long)arg, 0, 0, 0, 0);
	return 9;
}

/* A thread's exit_group ends the process, main thread asleep in a futex and all. */
static void exit_group_from_thread(void *arg)
{
	static struct uthread t;
	static volatile uint32_t never;

	uthread_start(&t, sleep_then_exit_group, (void *)7);
	for (;;)
		raw_futex(&never, FUTEX_WAIT, 0, NULL, NULL, 0);
}

/* Is process pid's leader a zombie, and its other thread asleep (in its futex)? */
static int leader_gone_thread_waiting(pid_t pid)
{
	char path[64];
	struct dirent *e;
	DIR *d;
	int waiting = 0;

	if (proc_state(pid) != 'Z')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strtol(e->d_name, NULL, 10) != pid)
			waiting = proc_state(strtol(e->d_name, NULL, 10)) == 'S';
	if (d)
		closedir(d);
	return waiting;
}

/*
 * The leader exits first (exit, one thread): the process lives on in its
 * other thread, and the parent's wait sees it only when that one ends --
 * with the leader's status if it merely exits, the group's if exit_group.
 */
static void leader_exits_first(const char *what, long group_code)
{
	pid_t pid;
	int status;

	*release_word = 0;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		static struct uthread t;

		uthread_start(&t, wait_release_then_exit, (void *)group_code);
		raw_syscall(__NR_exit, 5, 0, 0, 0, 0);
	}
	while (!leader_gone_thread_waiting(pid))
		msleep(1);
	printf("%s:\n", what);
	show("  the leader is gone: wait WNOHANG", waitpid(pid, &status, WNOHANG));
	*release_word = 1;
	show("  wake the thread (a shared futex)", raw_futex(release_word, FUTEX_WAKE, 1, NULL, NULL, 0));
	waitpid(pid, &status, 0);
	show_status("  then the process", status);
}

static void test_exit(void)
{
	release_word = mmap(NULL, sizeof(*release_word), PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show_child("exit_group from a thread", exit_group_from_thread, NULL);
	leader_exits_first("leader exit 5, then the thread exit 9", 0);
	leader_exits_first("leader exit 5, then the thread exit_group 11", 11);
}

/* ---- signals ---------------------------------------------------------- */

static volatile long handler_tid;
static volatile uint32_t signalled;

static void on_signal(int sig)
{
	handler_tid = gettid_raw();
	signalled = 1;
	raw_futex(&signalled, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static int wait_for_signal(void *arg)
{
	while (!signalled)
		raw_futex(&signalled, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

static void test_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct uthread t;
	sigset_t set, old;

	sigaction(SIGUSR1, &sa, NULL);
	signalled = 0;
	uthread_start(&t, wait_for_signal, NULL);
	wait_asleep(&t, 1);
	show("tgkill the thread", raw_syscall(__NR_tgkill, getpid(), t.tid, SIGUSR1, 0, 0));
	uthread_join(&t);
	show_bool("its handler ran in that thread", handler_tid && handler_tid != getpid());
	show_raw("tgkill with the wrong tgid", raw_syscall(__NR_tgkill, getpid() + 1, getpid(), 0, 0, 0));
	show_raw("tgkill tid 0", raw_syscall(__NR_tgkill, getpid(), 0, SIGUSR1, 0, 0));

	/* to the process: taken by the thread that does not block it */
	signalled = 0;
	handler_tid = 0;
	uthread_start(&t, wait_for_signal, NULL);
	wait_asleep(&t, 1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	show("kill the process", kill(getpid(), SIGUSR1));
	uthread_join(&t);
	show_bool("the unblocking thread took it", handler_tid && handler_tid != getpid());
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* A thread that counts in memory shared with the parent, for ever. */
static int count_forever(void *arg)
{
	for (;;)
		(*release_word)++;
	return 0;
}

static void counting_process(void *arg)
{
	static struct uthread t;

	uthread_start(&t, count_forever, NULL);
	for (;;)
		raw_futex(&never_woken, FUTEX_WAIT, 0, NULL, NULL, 0);
}

/* Has the counting thread counted in the last SETTLE_MS? */
static int counting(void)
{
	uint32_t before = *release_word;

	msleep(SETTLE_MS);
	return *release_word != before;
}

/* SIGSTOP to a process stops every thread of it; SIGCONT resumes them all. */
static void test_group_stop(void)
{
	int status;
	pid_t pid;

	*release_word = 0;
	pid = spawn(counting_process, NULL);
	while (!*release_word)
		msleep(1);
	kill(pid, SIGSTOP);
	show("SIGSTOP: wait WUNTRACED", waitpid(pid, &status, WUNTRACED) == pid);
	show_status("  status", status);
	counting();                       /* the other thread stops at its next tick */
	show_bool("  the other thread stopped too", !counting());
	kill(pid, SIGCONT);
	show("SIGCONT: wait WCONTINUED", waitpid(pid, &status, WCONTINUED) == pid);
	show_bool("  the other thread counts again", counting());
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	show_status("SIGKILL", status);
}

/* ---- futex ------------------------------------------------------------ */

static void on_alarm(int sig)
{
}

static void test_futex_errors(void)
{
	static volatile uint32_t word = 1;
	struct timespec ts = { 0, TIMEOUT_MS * NS_PER_MS }, bad = { 0, 1000000000L }, now;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval it = { { 0, 0 }, { 0, TIMEOUT_MS * 1000 } };
	struct timespec t0;
	long r;

	show_raw("WAIT, value differs", raw_futex(&word, FUTEX_WAIT, 0, NULL, NULL, 0));
	show_raw("WAIT on an unmapped address", raw_futex(BAD_ADDR, FUTEX_WAIT, 0, NULL, NULL, 0));
	show_raw("WAIT unaligned", raw_futex((uint32_t *)((char *)&word + 1), FUTEX_WAIT, 1, NULL,
					 NULL, 0));
	show_raw("WAIT with a bad timespec", raw_futex(&word, FUTEX_WAIT, 1, &bad, NULL, 0));
	show_raw("WAKE with nobody waiting", raw_futex(&word, FUTEX_WAKE, 1, NULL, NULL, 0));
	show_raw("WAIT_BITSET with bitset 0", raw_futex(&word, FUTEX_WAIT_BITSET, 1, NULL, NULL, 0));
	show_raw("WAKE_BITSET with bitset 0", raw_futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
	show_raw("WAIT with CLOCK_REALTIME", raw_futex(&word, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 1,
						   &ts, NULL, 0));
	show_raw("unknown op", raw_futex(&word, 99, 0, NULL, NULL, 0));

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = raw_futex(&word, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, 1, &ts, NULL, 0);
	show_raw("WAIT private, relative time-out", r);
	show_bool("... after the time-out", ms_since(&t0) >= TIMEOUT_MS);
	/* the first nanosecond after boot: past (anvil may have been up for less than PAST_S) */
	now.tv_sec = 0;
	now.tv_nsec = 1;
	show_raw("WAIT_BITSET, monotonic deadline passed",
		 raw_futex(&word, FUTEX_WAIT_BITSET, 1, &now, NULL, FUTEX_BITSET_MATCH_ANY));
	clock_gettime(CLOCK_REALTIME, &now);
	now.tv_sec -= PAST_S;
	show_raw("WAIT_BITSET, realtime deadline passed",
		 raw_futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 1, &now, NULL,
		       FUTEX_BITSET_MATCH_ANY));
	clock_gettime(CLOCK_MONOTONIC, &now);
	now.tv_nsec += TIMEOUT_MS * NS_PER_MS;
	if (now.tv_nsec >= 1000000000L) {
		now.tv_sec++;
		now.tv_nsec -= 1000000000L;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show_raw("WAIT_BITSET, monotonic deadline ahead",
		 raw_futex(&word, FUTEX_WAIT_BITSET, 1, &now, NULL, FUTEX_BITSET_MATCH_ANY));
	show_bool("... after the deadline", ms_since(&t0) >= TIMEOUT_MS);

	/* a signal whose handler has no SA_RESTART interrupts the wait */
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	show_raw("WAIT interrupted by a handled signal", raw_futex(&word, FUTEX_WAIT, 1, NULL, NULL, 0));
}

static volatile uint32_t f1, f2, go;

static int wait_on_f1(void *arg)
{
	while (!go)
		raw_futex(&f1, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

static int wait_on_f2(void *arg)
{
	while (!go)
		raw_futex(&f2, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

/* A broadcast's way: wake one waiter of f1, move the others onto f2 unwoken. */
static void test_requeue(void)
{
	struct uthread t[NWAITERS];

	go = 0;
	f1 = f2 = 0;
	for (int i = 0; i < NWAITERS; i++)
		uthread_start(&t[i], wait_on_f1, NULL);
	wait_asleep(t, NWAITERS);
	show_raw("CMP_REQUEUE, value differs",
		 raw_futex(&f1, FUTEX_CMP_REQUEUE, 1, (void *)MANY, &f2, 1));
	go = 1;
	show_raw("CMP_REQUEUE: woken + requeued",
		 raw_futex(&f1, FUTEX_CMP_REQUEUE, 1, (void *)MANY, &f2, 0));
	show_raw("WAKE f1 (all moved)", raw_futex(&f1, FUTEX_WAKE, MANY, NULL, NULL, 0));
	show_raw("WAKE f2", raw_futex(&f2, FUTEX_WAKE, MANY, NULL, NULL, 0));
	for (int i = 0; i < NWAITERS; i++)
		uthread_join(&t[i]);

	go = 0;
	for (int i = 0; i < NWAITERS; i++)
		uthread_start(&t[i], wait_on_f1, NULL);
	wait_asleep(t, NWAITERS);
	go = 1;
	show_raw("REQUEUE 0 woken, 2 moved", raw_futex(&f1, FUTEX_REQUEUE, 0, (void *)2, &f2, 0));
	show_raw("WAKE f1", raw_futex(&f1, FUTEX_WAKE, MANY, NULL, NULL, 0));
	show_raw("WAKE f2", raw_futex(&f2, FUTEX_WAKE, MANY, NULL, NULL, 0));
	for (int i = 0; i < NWAITERS; i++)
		uthread_join(&t[i]);
}

/* FUTEX_WAKE_OP: f2 = 5; wake one on f1; and one on f2 since f2 was 0. */
static void test_wake_op(void)
{
	struct uthread t[3];

	go = 0;
	f1 = f2 = 0;
	uthread_start(&t[0], wait_on_f1, NULL);
	uthread_start(&t[1], wait_on_f1, NULL);
	uthread_start(&t[2], wait_on_f2, NULL);
	wait_asleep(t, 3);
	go = 1;
	show_raw("WAKE_OP set 5, if old == 0",
		 raw_futex(&f1, FUTEX_WAKE_OP, 1, (void *)1, &f2,
		       FUTEX_OP(FUTEX_OP_SET, 5, FUTEX_OP_CMP_EQ, 0)));
	printf("f2 after: %u\n", f2);
	show_raw("WAKE_OP add 1, if old > 100 (no)",
		 raw_futex(&f1, FUTEX_WAKE_OP, 0, (void *)1, &f2,
		       FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 100)));
	printf("f2 after: %u\n", f2);
	show_raw("WAKE_OP unknown comparison",
		 raw_futex(&f1, FUTEX_WAKE_OP, 0, (void *)1, &f2, FUTEX_OP(FUTEX_OP_ADD, 1, 9, 0)));
	show_raw("WAKE f1", raw_futex(&f1, FUTEX_WAKE, MANY, NULL, NULL, 0));
	for (int i = 0; i < 3; i++)
		uthread_join(&t[i]);
}

/* ---- robust list ------------------------------------------------------- */

struct robust_lock {
	struct robust_list list;
	volatile uint32_t word;
};

static struct robust_list_head robust_head;
static struct robust_lock robust_lock;

/* Take the lock as glibc would (our tid, a waiter is known), then exit holding it. */
static int die_holding(void *arg)
{
	robust_head.list.next = &robust_lock.list;
	robust_head.futex_offset = offsetof(struct robust_lock, word);
	robust_head.list_op_pending = NULL;
	robust_lock.list.next = &robust_head.list;
	robust_lock.word = (uint32_t)gettid_raw() | FUTEX_WAITERS;
	raw_syscall(__NR_set_robust_list, (long)&robust_head, sizeof(robust_head), 0, 0, 0);
	while (!go)
		raw_futex(&f1, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

static void test_robust(void)
{
	struct robust_list_head *head = NULL;
	size_t len = 0;
	struct uthread t;
	uint32_t v;

	show_raw("set_robust_list, wrong size",
		 raw_syscall(__NR_set_robust_list, (long)&robust_head, 4, 0, 0, 0));
	show_raw("get_robust_list",
		 raw_syscall(__NR_get_robust_list, 0, (long)&head, (long)&len, 0, 0));
	printf("get_robust_list: len %zu\n", len);
	go = 0;
	uthread_start(&t, die_holding, NULL);
	wait_asleep(&t, 1);
	go = 1;
	raw_futex(&f1, FUTEX_WAKE, 1, NULL, NULL, 0);
	v = robust_lock.word;
	/* the owner's exit marks the lock and wakes us */
	while ((v = robust_lock.word) != (FUTEX_OWNER_DIED | FUTEX_WAITERS) && v & FUTEX_TID_MASK)
		raw_futex(&robust_lock.word, FUTEX_WAIT, v, NULL, NULL, 0);
	uthread_join(&t);
	printf("robust lock word after its owner died: %#x\n", robust_lock.word);
}

/* ---- /proc ---------------------------------------------------------------- */

/* How many entries of directory path are threads in t (or our own tid), and how many others. */
static void count_threads(const char *path, const struct uthread *t, int n, int *ours,
			  int *others)
{
	DIR *d = opendir(path);
	struct dirent *e;

	*ours = *others = 0;
	while (d && (e = readdir(d))) {
		long id = strtol(e->d_name, NULL, 10);
		int mine = id == gettid_raw();

		for (int i = 0; i < n; i++)
			mine |= id == (long)t[i].tid;
		if (mine)
			(*ours)++;
		else if (e->d_name[0] != '.')
			(*others)++;
	}
	if (d)
		closedir(d);
}

/* What /proc/self names for a thread: its process. */
static char self_from_thread[16];

static int read_self_link(void *arg)
{
	raw_syscall(__NR_readlink, (long)"/proc/self", (long)self_from_thread,
		    sizeof(self_from_thread) - 1, 0, 0);
	return 0;
}

static void test_proc_task(void)
{
	struct uthread t[2];
	char path[64];
	int ours, others;

	uthread_start(&t[0], read_self_link, NULL);
	uthread_join(&t[0]);
	show_bool("/proc/self from a thread is the process", atoi(self_from_thread) == getpid());
	go = 0;
	f1 = 0;
	for (int i = 0; i < 2; i++)
		uthread_start(&t[i], wait_on_f1, NULL);
	wait_asleep(t, 2);
	printf("/proc/self/status Threads: %ld\n", proc_field("/proc/self/status", "Threads:"));
	count_threads("/proc/self/task", t, 2, &ours, &others);
	printf("/proc/self/task: %d of our threads, %d others\n", ours, others);
	count_threads("/proc", t, 2, &ours, &others);
	printf("/proc lists of our threads only the leader: %s\n", ours == 1 ? "yes" : "no");
	snprintf(path, sizeof(path), "/proc/self/task/%u/stat", t[0].tid);
	show_bool("a thread's task/<tid>/stat opens", access(path, R_OK) == 0);
	snprintf(path, sizeof(path), "/proc/self/task/%u/task", t[0].tid);
	show_bool("a thread's directory has no task/", access(path, F_OK) != 0);
	go = 1;
	raw_futex(&f1, FUTEX_WAKE, MANY, NULL, NULL, 0);
	for (int i = 0; i < 2; i++)
		uthread_join(&t[i]);
}

int main(void)
{
	test_clone_errors();
	test_ids();
	test_clone3_thread();
	test_exit();
	test_signals();
	test_group_stop();
	test_futex_errors();
	test_requeue();
	test_wake_op();
	test_robust();
	test_proc_task();
	return 0;
}
