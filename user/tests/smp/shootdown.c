/*
 * shootdown: a TLB shootdown, seen from user space.  A thread pinned to CPU 1
 * keeps using a page while the main thread, pinned to CPU 0, takes it away
 * (mprotect PROT_NONE under reads, PROT_READ under writes, munmap under
 * writes) or swaps it out (MADV_PAGEOUT under increments and under reads of a
 * pattern).  Every change must reach CPU 1's TLB before the call returns: once
 * the thread sees the flag the main thread raises after the call, it may not
 * complete one more forbidden access, and no increment or read may go to the
 * frame the page had before.  The same output on Linux and on anvil -smp 2 and
 * up (tools/smptests.py); with one CPU it prints "needs 2 CPUs" and fails.
 * A page-out case says on stderr how many pages went to swap meanwhile.
 * usage: shootdown [CASE]   (all cases, each in a child, if none is named)
 */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <abi/unistd.h>
#include "../common/report.h"
#include "../common/uthread.h"

#define MAIN_CPU 0
#define THREAD_CPU 1
#define WARMUP 1000                  /* loop turns the thread makes before the change */
#define LATE_LIMIT 100000            /* forbidden accesses before the thread gives up */
#define WAIT_MS 20000                /* the busiest host starts a thread within this */
#define PAGEOUT_ROUNDS 20
#define REUSE_PAGES 64               /* fresh pages that take the swapped frame back */
#define REUSE_SEED 0xf00d
#define PAGE_SEED 0x5eed
#define PROGRESS 2000                /* loop turns between two page-outs */

enum access { READS, WRITES, INCREMENTS, PATTERN_READS };

struct shared {
	volatile char *page;
	enum access access;
	volatile int pin_error;          /* -errno of the thread's own pinning */
	volatile long cpu;               /* where the thread found itself running */
	volatile unsigned long turns;    /* loop turns so far */
	volatile int changed;            /* raised by the main thread after the call returned */
	volatile int stop;
	volatile int hold, held;         /* page_out: the thread leaves the page alone meanwhile */
	volatile int faulted;            /* SIGSEGV at the page */
	volatile unsigned long late;     /* accesses completed after the thread saw `changed` */
	volatile unsigned long increments;   /* INCREMENTS: how many the thread made */
	volatile unsigned long bad_reads;    /* PATTERN_READS: passes that saw another page */
};

static struct shared s;

/* The thread's SIGSEGV at the page: note it and end the thread (not the process). */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if ((char *)si->_sifields.fault.si_addr != (char *)s.page)
		raw_syscall(__NR_exit_group, 3, 0, 0, 0, 0);
	s.faulted = 1;
	raw_syscall(__NR_exit, 0, 0, 0, 0, 0);
}

/* One pass of the thread's access; nonzero if a pattern read saw something else. */
static int access_once(unsigned long turn)
{
	switch (s.access) {
	case READS:
		(void)s.page[0];
		return 0;
	case WRITES:
		s.page[0] = (char)turn;
		return 0;
	case INCREMENTS:
		(*(volatile unsigned long *)s.page)++;
		s.increments++;
		return 0;
	case PATTERN_READS:
		return check_pattern((const void *)s.page, PGSZ, PAGE_SEED) >= 0;
	}
	return 0;
}

/*
 * The thread on CPU 1.  x86 keeps loads in order, so when `changed` was seen
 * set, the access after it began after the main thread's call returned: the
 * kernel must have flushed this CPU's TLB by then.
 */
static int user(void *arg)
{
	long r = uthread_pin(THREAD_CPU);

	(void)arg;
	if (r < 0) {
		s.pin_error = (int)-r;
		return 0;
	}
	s.cpu = uthread_cpu();
	for (unsigned long turn = 0; !s.stop; turn++) {
		int seen = s.changed;

		if (s.hold) {
			s.held = 1;
			while (s.hold && !s.stop)
				;
			s.held = 0;
		}

		s.bad_reads += access_once(turn);
		if (seen && (s.access == READS || s.access == WRITES) && ++s.late >= LATE_LIMIT)
			return 0;      /* the change never reached this CPU */
		s.turns = turn + 1;
	}
	return 0;
}

/* Spin (on CPU 0) until the thread has made `turns` turns or has ended; 0 if it did in time. */
static int wait_turns(struct uthread *t, unsigned long turns)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (s.turns < turns && t->tid && !s.pin_error)
		if (ms_since(&t0) > WAIT_MS)
			return -1;
	return 0;
}

/* Start the thread on CPU 1 and let it warm up; 0, or -1 after saying why not. */
static int start_user(struct uthread *t, enum access access)
{
	s.access = access;
	if (uthread_start(t, user, NULL) < 0) {
		printf("clone failed\n");
		return -1;
	}
	if (wait_turns(t, WARMUP) || s.pin_error) {
		printf(s.pin_error ? "thread not pinned: %s\n" : "thread never ran\n",
		       errno_name(s.pin_error));
		return -1;
	}
	show_bool("thread on CPU 1", s.cpu == THREAD_CPU);
	return 0;
}

/* The thread has ended (it exits by itself), or the process goes with a line saying so. */
static void finish_user(struct uthread *t)
{
	if (uthread_join_within(t, WAIT_MS) < 0) {
		printf("thread still running after %d s\n", WAIT_MS / 1000);
		fflush(stdout);
		raw_syscall(__NR_exit_group, 1, 0, 0, 0, 0);
	}
}

/* How a case takes the page from the thread; NULL: it pages the page out instead. */
typedef int (*take_fn)(char *page);

static int take_prot_none(char *page)
{
	return mprotect(page, PGSZ, PROT_NONE);
}

static int take_write(char *page)
{
	return mprotect(page, PGSZ, PROT_READ);
}

static int take_unmap(char *page)
{
	return munmap(page, PGSZ);
}

/* Take the page away under the thread: it must fault, and at once. */
static int take_away(take_fn take, enum access access)
{
	struct uthread t;

	memset((char *)s.page, 1, PGSZ);
	if (start_user(&t, access) < 0)
		return 1;
	show("the call", take((char *)s.page));
	s.changed = 1;
	finish_user(&t);
	show_bool("SIGSEGV in the thread", s.faulted);
	printf("accesses after the call returned: %lu\n", s.late);
	return !s.faulted || s.late;
}

/*
 * Page the page out under the thread, again and again; each time fresh pages
 * of ours take frames (the swapped one among them, the allocator being LIFO)
 * and must keep what we wrote, while the thread's increments or pattern reads
 * must find the page, not a frame it no longer has.  The thread holds still
 * for each page-out, its TLB still holding the page: a page in use while the
 * kernel unmaps it is found referenced and kept (anvil, as Linux 2.6.11's
 * try_to_unmap_one), so it would seldom go at all.
 */
static int page_out(enum access access)
{
	char *page = (char *)s.page, *reuse;
	long madvise_failed = 0, stray = 0, swapped = proc_field("/proc/vmstat", "pswpout ");
	unsigned long count;
	struct uthread t;

	fill_pattern(page, PGSZ, PAGE_SEED);
	if (access == INCREMENTS)
		*(unsigned long *)page = 0;
	if (start_user(&t, access) < 0)
		return 1;
	for (int round = 0; round < PAGEOUT_ROUNDS; round++) {
		unsigned long before;

		s.hold = 1;
		while (!s.held && t.tid)
			;
		before = s.turns;
		madvise_failed += madvise(page, PGSZ, MADV_PAGEOUT) != 0;
		reuse = mmap(NULL, REUSE_PAGES * PGSZ, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		s.hold = 0;
		if (reuse == MAP_FAILED)
			break;
		fill_pages(reuse, REUSE_PAGES, REUSE_SEED);
		wait_turns(&t, before + PROGRESS);
		stray += check_pages(reuse, REUSE_PAGES, REUSE_SEED) >= 0;
		munmap(reuse, REUSE_PAGES * PGSZ);
	}
	s.stop = 1;
	finish_user(&t);
	/* how often the page really went (none on a host without swap): stderr, not compared */
	fprintf(stderr, "pswpout +%ld\n", proc_field("/proc/vmstat", "pswpout ") - swapped);
	count = *(unsigned long *)page;
	printf("madvise failures: %ld\n", madvise_failed);
	printf("fresh pages written by the thread: %ld\n", stray);
	if (access == INCREMENTS)
		printf("increments lost: %ld\n", (long)(s.increments - count));
	else
		printf("pattern reads that saw another page: %lu\n", s.bad_reads);
	return reuse == MAP_FAILED || madvise_failed || stray || s.bad_reads ||
	       (access == INCREMENTS && s.increments != count);
}

static const struct shootdown_case {
	const char *name;
	enum access access;
	take_fn take;
} cases[] = {
	{ "mprotect_none_under_reads", READS, take_prot_none },
	{ "mprotect_read_under_writes", WRITES, take_write },
	{ "munmap_under_writes", WRITES, take_unmap },
	{ "pageout_under_increments", INCREMENTS, NULL },
	{ "pageout_under_pattern_reads", PATTERN_READS, NULL },
};

#define NCASES (int)(sizeof(cases) / sizeof(cases[0]))

/* One case, in a child of its own (a fresh mm): exits 0 if it held. */
static void run_case(void *arg)
{
	const struct shootdown_case *c = arg;
	char *page = mmap(NULL, PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int bad;

	if (page == MAP_FAILED) {
		printf("mmap: %s\n", errno_name(errno));
		bad = 1;
	} else {
		s.page = page;
		bad = c->take ? take_away(c->take, c->access) : page_out(c->access);
	}
	fflush(stdout);
	_exit(bad);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int failed = 0, ran = 0;
	long r;

	/* both CPUs must exist: a run on one CPU says so and fails, never passes */
	r = uthread_pin(THREAD_CPU);
	if (r == 0)
		r = uthread_pin(MAIN_CPU);
	if (r < 0) {
		printf("shootdown: needs 2 CPUs (sched_setaffinity: %s)\n", errno_name((int)-r));
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	for (int i = 0; i < NCASES; i++) {
		int status;

		if (argc > 1 && strcmp(argv[1], cases[i].name))
			continue;
		printf("%s:\n", cases[i].name);
		status = run_in_child(run_case, (void *)&cases[i]);
		ran++;
		if (status != 0) {
			show_status("failed", status);
			failed++;
		}
	}
	if (!ran) {
		printf("shootdown: no case %s\n", argv[1]);
		return 2;
	}
	printf(failed ? "shootdown: %d of %d failed\n" : "shootdown: ok (%d cases)\n",
	       failed ? failed : ran, ran);
	return failed ? 1 : 0;
}
