/*
 * fuzz -t N: one batch as N threads of one process (clone with CLONE_THREAD,
 * ../common/uthread.h) making memory and process calls at once in the same
 * arena -- mmap, munmap, mprotect, mremap, madvise (MADV_DONTNEED and
 * MADV_PAGEOUT among others), mlock, munlock, msync, mincore, page touches
 * from user mode and from the kernel, brk, fork, a file mapped shared and
 * private while its size changes, futex waits with time-outs and wakes,
 * tgkill between the threads and kill to the group, a thread's exit and a
 * new thread in its slot, rarely exit_group -- with rmap_verify every
 * RMAP_EVERY calls of a thread.  Each thread draws from a generator of its
 * own, seeded by (seed, batch, slot, generation): its calls are the same in
 * every run; how they interleave is the scheduler's.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <abi/anvil.h>
#include <abi/futex.h>
#include <abi/misc.h>
#include <abi/unistd.h>
#include <abi/wait.h>
#include "../../lib/libc.h"
#include "../common/uthread.h"
#include "fuzz.h"

#define MAX_THREADS 16
#define CLAIMED 0xFFFFFFFFu          /* a slot's tid while its thread is being started */
#define GENERATION_STRIDE 0x10000u   /* seeds of a slot's later threads: past every slot */
#define HOT_PAGES 128                /* most ranges fall here, so the threads collide */
#define MAX_RANGE_PAGES 64
#define TOUCH_USER_PAGES 16
#define RMAP_EVERY 64                /* calls of one thread between two rmap_verify */
#define BRK_PAGES 64
#define NR_FUTEX_WORDS 4
#define FUTEX_MAX_NS 2000000         /* 2 ms: a wait nobody wakes ends soon */
#define WAKE_ALL 0x7FFFFFFF
#define RT_SIG 40                    /* a real-time signal: queued, not merged */
#define LOG_LINE 160
#define FILE_FD (ZERO_FD - 1)        /* the batch's file in the scratch directory */
#define FILE_NAME "threads.file"
#define FILE_MAX_PAGES 256           /* 1 MiB: /tmp is ramfs, which nothing shrinks */

struct slot {
	volatile uint32_t tid;       /* 0: free; CLAIMED; the thread's id, which its exit clears */
	char *stack;
	unsigned generation;         /* of the slot's thread: threads the slot had before it */
	unsigned started;            /* threads this slot has had in this batch */
	uint32_t rng;
	unsigned calls;              /* calls this thread made */
	unsigned budget;             /* calls the slot's threads may make in this batch, */
	unsigned used;               /* ... and have made: the same calls each run */
	volatile int armed;          /* a user-mode touch is under way: a fault ends it */
	jmp_buf recover;
};

enum op {
	OP_MMAP, OP_MUNMAP, OP_MPROTECT, OP_MREMAP, OP_MADVISE, OP_LOCK_SYNC, OP_TOUCH_USER,
	OP_TOUCH_KERNEL,
	OP_BRK, OP_FORK, OP_FUTEX_WAIT, OP_FUTEX_WAKE, OP_TGKILL, OP_YIELD, OP_NEW_THREAD,
	OP_FTRUNCATE, OP_EXIT, OP_EXIT_GROUP, NR_OPS
};

/* Weights per mille: exit_group ends about one batch in six before its calls run out. */
static const struct { const char *name; unsigned weight; } ops[NR_OPS] = {
	[OP_MMAP] = { "mmap2", 110 },          [OP_MUNMAP] = { "munmap", 80 },
	[OP_MPROTECT] = { "mprotect", 80 },    [OP_MREMAP] = { "mremap", 80 },
	[OP_MADVISE] = { "madvise", 90 },      [OP_LOCK_SYNC] = { "mlock/msync", 30 },
	[OP_TOUCH_USER] = { "touch_user", 140 },
	[OP_TOUCH_KERNEL] = { "touch_kernel", 80 },
	[OP_BRK] = { "brk", 40 },              [OP_FORK] = { "fork", 30 },
	[OP_FUTEX_WAIT] = { "futex_wait", 60 }, [OP_FUTEX_WAKE] = { "futex_wake", 60 },
	[OP_TGKILL] = { "tgkill", 40 },        [OP_YIELD] = { "sched_yield", 9 },
	[OP_FTRUNCATE] = { "ftruncate", 20 },
	[OP_NEW_THREAD] = { "clone_thread", 30 },
	[OP_EXIT] = { "exit", 10 },            [OP_EXIT_GROUP] = { "exit_group", 1 },
};

static struct slot slots[MAX_THREADS];
static unsigned nthreads;
static uint32_t batch_seed;                  /* rng_mix(seed, batch) */
static unsigned long brk0;
static volatile uint32_t futex_words[NR_FUTEX_WORDS];

static uint32_t below(struct slot *t, uint32_t n)
{
	return n ? xorshift(&t->rng) % n : 0;
}

#define PICK(t, arr) ((arr)[below(t, sizeof(arr) / sizeof((arr)[0]))])

static long self_tid(void)
{
	return raw_syscall(__NR_gettid, 0, 0, 0, 0, 0);
}

/* -v: the call about to be made, written at once (stdio is not the threads'). */
static void log_call(struct slot *t, const char *name, long a, long b, long c, long d, long e)
{
	char line[LOG_LINE];
	int n;

	if (!fuzz_verbose)
		return;
	n = snprintf(line, sizeof(line),
		     "fuzz: %u.%u.t%ld.%u.%u %s(%#lx, %#lx, %#lx, %#lx, %#lx)\n", cur_seed,
		     cur_batch, (long)(t - slots), t->generation, t->calls, name, a, b, c, d, e);
	raw_syscall(__NR_write, LOG_FD, (long)line, n, 0, 0);
}

static long sys(struct slot *t, const char *name, long nr, long a, long b, long c, long d,
		long e)
{
	log_call(t, name, a, b, c, d, e);
	return __syscall6(nr, a, b, c, d, e, 0);
}

/* A page of the arena: mostly of its first HOT_PAGES, where the threads' ranges meet. */
static unsigned long arena_page(struct slot *t)
{
	return ARENA_BASE + below(t, below(t, 4) ? HOT_PAGES : ARENA_PAGES) * PAGE;
}

/* A range from an arena page: 1 .. max pages, not past the arena's end. */
static unsigned long range_len(struct slot *t, unsigned long addr, unsigned max)
{
	unsigned long len = (1 + below(t, max)) * PAGE;

	return addr + len > ARENA_END ? ARENA_END - addr : len;
}

static long gen_prot(struct slot *t)
{
	static const long prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
				      PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE | PROT_EXEC };

	return PICK(t, prots);
}

static void do_mmap(struct slot *t)
{
	static const long flags[] = {
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, MAP_PRIVATE | MAP_FIXED,   /* a file */
		MAP_SHARED | MAP_FIXED, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE,
		MAP_PRIVATE | MAP_ANONYMOUS,       /* a hint: may land outside the arena */
	};
	unsigned long addr = arena_page(t);
	long f = PICK(t, flags);
	long fd = f & MAP_ANONYMOUS ? -1 : below(t, 4) ? FILE_FD : ZERO_FD;

	/* mmap2's offset (in pages) is the sixth argument: sys() gives 0, the file's start */
	sys(t, ops[OP_MMAP].name, __NR_mmap2, addr, range_len(t, addr, MAX_RANGE_PAGES),
	    gen_prot(t), f, fd);
}

static void do_range(struct slot *t, enum op op, long nr, long arg)
{
	unsigned long addr = arena_page(t);

	sys(t, ops[op].name, nr, addr, range_len(t, addr, MAX_RANGE_PAGES), arg, 0, 0);
}

static void do_mremap(struct slot *t)
{
	static const long flags[] = { 0, MREMAP_MAYMOVE, MREMAP_MAYMOVE | MREMAP_FIXED };
	unsigned long addr = arena_page(t), to = arena_page(t);
	long f = PICK(t, flags);

	sys(t, ops[OP_MREMAP].name, __NR_mremap, addr, range_len(t, addr, MAX_RANGE_PAGES),
	    range_len(t, to, MAX_RANGE_PAGES), f, to);
}

static long gen_advice(struct slot *t)
{
	static const long advice[] = {
		MADV_DONTNEED, MADV_DONTNEED, MADV_PAGEOUT, MADV_PAGEOUT, MADV_COLD, MADV_FREE,
		MADV_WILLNEED, MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_DONTFORK,
		MADV_DOFORK, MADV_POPULATE_READ, MADV_POPULATE_WRITE,
	};

	return PICK(t, advice);
}

/* mlock faults a range in (and may sleep on swap-in) as munmap and reclaim go on beside it. */
static void do_lock_sync(struct slot *t)
{
	static const long msync_flags[] = { MS_ASYNC, MS_SYNC, MS_SYNC | MS_INVALIDATE };
	static unsigned char vec[MAX_RANGE_PAGES];
	unsigned long addr = arena_page(t);
	unsigned long len = range_len(t, addr, MAX_RANGE_PAGES);

	switch (below(t, 4)) {
	case 0:
		sys(t, "mlock", __NR_mlock, addr, len, 0, 0, 0);
		return;
	case 1:
		sys(t, "munlock", __NR_munlock, addr, len, 0, 0, 0);
		return;
	case 2:
		sys(t, "msync", __NR_msync, addr, len, PICK(t, msync_flags), 0, 0);
		return;
	default:        /* the threads share vec: only the kernel's writes to it matter */
		sys(t, "mincore", __NR_mincore, addr, len, (long)vec, 0, 0);
		return;
	}
}

/* Faults from user mode: a page another thread unmaps or protects meanwhile ends the touch. */
static void touch_fault(int sig)
{
	long tid = self_tid();

	for (unsigned i = 0; i < nthreads; i++)
		if (slots[i].tid == (uint32_t)tid && slots[i].armed) {
			slots[i].armed = 0;
			longjmp(slots[i].recover, sig);
		}
	signal(sig, SIG_DFL);            /* not a guarded touch: die of it */
}

static void __attribute__((noinline)) touch_pages(unsigned long addr, unsigned long len, int write)
{
	for (unsigned long p = addr; p < addr + len; p += PAGE) {
		if (write)
			*(volatile uint32_t *)p += 1;
		else
			(void)*(volatile uint32_t *)p;
	}
}

/* The touch under the fault guard; volatile: what setjmp returns to is kept in memory. */
static void __attribute__((noinline)) guarded_touch(struct slot *t, volatile unsigned long addr,
						     volatile unsigned long len, volatile int write)
{
	if (setjmp(t->recover))
		return;
	t->armed = 1;
	touch_pages(addr, len, write);
	t->armed = 0;
}

static void do_touch_user(struct slot *t)
{
	unsigned long addr = arena_page(t);
	unsigned long len = range_len(t, addr, TOUCH_USER_PAGES);
	int write = below(t, 3) != 0;

	log_call(t, ops[OP_TOUCH_USER].name, addr, len, write, 0, 0);
	guarded_touch(t, addr, len, write);
}

/* The kernel writes the pages (read from /dev/zero): holes give EFAULT, not a signal. */
static void touch_kernel(struct slot *t, unsigned long addr, unsigned long len)
{
	sys(t, ops[OP_TOUCH_KERNEL].name, __NR_read, ZERO_FD, addr, len, 0, 0);
}

static void do_brk(struct slot *t)
{
	unsigned long to = brk0 + below(t, BRK_PAGES + 1) * PAGE;

	if (sys(t, ops[OP_BRK].name, __NR_brk, to, 0, 0, 0, 0) == (long)to && to > brk0)
		touch_kernel(t, brk0, to - brk0);
}

/* The child shares the arena's pages copy-on-write, writes some and exits; we reap it. */
static void do_fork(struct slot *t)
{
	unsigned long addr = arena_page(t);
	long pid = sys(t, ops[OP_FORK].name, __NR_fork, 0, 0, 0, 0, 0);

	if (pid == 0) {
		touch_kernel(t, addr, range_len(t, addr, MAX_RANGE_PAGES));
		raw_syscall(__NR_exit_group, 0, 0, 0, 0, 0);
	}
	if (pid > 0)
		sys(t, "wait4", __NR_wait4, pid, 0, __WALL, 0, 0);
}

/* One of the shared words, or an arena page that may be gone or swapped out. */
static volatile uint32_t *futex_word(struct slot *t)
{
	if (below(t, 8) == 0)
		return (volatile uint32_t *)arena_page(t);
	return &futex_words[below(t, NR_FUTEX_WORDS)];
}

static long futex_op(struct slot *t, long op)
{
	return below(t, 2) ? op | FUTEX_PRIVATE_FLAG : op;
}

static void do_futex_wait(struct slot *t)
{
	volatile uint32_t *w = futex_word(t);
	long op = futex_op(t, FUTEX_WAIT);
	int stale = below(t, 4) == 0;           /* a value already changed: EAGAIN */
	struct timespec ts = { 0, below(t, FUTEX_MAX_NS) };
	uint32_t val = (w >= futex_words && w < futex_words + NR_FUTEX_WORDS) ? *w : below(t, 2);

	sys(t, ops[OP_FUTEX_WAIT].name, __NR_futex, (long)w, op, val + stale, (long)&ts, 0);
}

static void do_futex_wake(struct slot *t)
{
	volatile uint32_t *w = futex_word(t);
	long op = futex_op(t, FUTEX_WAKE);
	long n = below(t, 2) ? 1 : WAKE_ALL;

	if (w >= futex_words && w < futex_words + NR_FUTEX_WORDS)
		__sync_fetch_and_add(w, 1);
	sys(t, ops[OP_FUTEX_WAKE].name, __NR_futex, (long)w, op, n, 0, 0);
}

static void do_tgkill(struct slot *t)
{
	static const long sigs[] = { SIGUSR1, SIGUSR2, SIGCHLD, SIGWINCH, RT_SIG };
	uint32_t tid = slots[below(t, nthreads)].tid;

	if (below(t, 4) == 0) {          /* to the group: any thread not blocking it takes it */
		sys(t, "kill", __NR_kill, self_pid, PICK(t, sigs), 0, 0, 0);
		return;
	}
	if (tid == 0 || tid == CLAIMED)
		tid = (uint32_t)self_tid();
	sys(t, ops[OP_TGKILL].name, __NR_tgkill, self_pid, tid, PICK(t, sigs), 0, 0);
}

static int thread_main(void *arg);

/* Start a thread in slot s with its own generator; 0, or -errno (the slot stays free). */
static long start_thread(struct slot *s)
{
	long r;

	s->generation = s->started++;
	s->rng = rng_mix(batch_seed, (uint32_t)(s - slots) + s->generation * GENERATION_STRIDE);
	s->calls = 0;
	s->armed = 0;
	r = raw_clone_call(__NR_clone, UTHREAD_FLAGS,
			   (long)uthread_stack_top(s->stack + UTHREAD_STACK_SIZE, thread_main, s),
			   (long)&s->tid, 0, (long)&s->tid);
	if (r < 0)
		s->tid = 0;
	return r;
}

/* A new thread in the first free slot from a random one, if a thread has exited. */
static void do_new_thread(struct slot *t)
{
	unsigned first = 1 + below(t, nthreads - 1);

	for (unsigned i = 0; i < nthreads - 1; i++) {
		struct slot *s = &slots[1 + (first - 1 + i) % (nthreads - 1)];

		if (__sync_bool_compare_and_swap(&s->tid, 0, CLAIMED)) {
			log_call(t, ops[OP_NEW_THREAD].name, (long)(s - slots), s->started, 0, 0,
				 0);
			start_thread(s);
			return;
		}
	}
}

static void do_op(struct slot *t, enum op op)
{
	unsigned long addr;

	switch (op) {
	case OP_MMAP:
		return do_mmap(t);
	case OP_MUNMAP:
		return do_range(t, op, __NR_munmap, 0);
	case OP_MPROTECT:
		return do_range(t, op, __NR_mprotect, gen_prot(t));
	case OP_MREMAP:
		return do_mremap(t);
	case OP_MADVISE:
		return do_range(t, op, __NR_madvise, gen_advice(t));
	case OP_LOCK_SYNC:
		return do_lock_sync(t);
	case OP_TOUCH_USER:
		return do_touch_user(t);
	case OP_TOUCH_KERNEL:
		addr = arena_page(t);
		return touch_kernel(t, addr, range_len(t, addr, ARENA_PAGES));
	case OP_BRK:
		return do_brk(t);
	case OP_FORK:
		return do_fork(t);
	case OP_FUTEX_WAIT:
		return do_futex_wait(t);
	case OP_FUTEX_WAKE:
		return do_futex_wake(t);
	case OP_TGKILL:
		return do_tgkill(t);
	case OP_YIELD:
		sys(t, ops[op].name, __NR_sched_yield, 0, 0, 0, 0, 0);
		return;
	case OP_NEW_THREAD:
		return do_new_thread(t);
	case OP_FTRUNCATE:
		/* a shrink races the other threads' faults in the file's mappings */
		sys(t, ops[op].name, __NR_ftruncate, FILE_FD,
		    below(t, FILE_MAX_PAGES + 1) * PAGE, 0, 0, 0);
		return;
	case OP_EXIT:
		sys(t, ops[op].name, __NR_exit, 0, 0, 0, 0, 0);
		return;
	default:
		sys(t, ops[op].name, __NR_exit_group, 0, 0, 0, 0, 0);
		return;
	}
}

static enum op pick_op(struct slot *t)
{
	unsigned total = 0, w, i = 0;

	for (unsigned k = 0; k < NR_OPS; k++)
		total += ops[k].weight;
	w = below(t, total);
	while (w >= ops[i].weight)
		w -= ops[i++].weight;
	return (enum op)i;
}

/* rmap_verify with the other threads mid-call: the locks must keep the walk consistent. */
static void check_rmap(struct slot *t)
{
	long v = sys(t, "anvil_rmap_verify", __NR_anvil_rmap_verify, 0, 0, 0, 0, 0);

	if (v)
		note_finding("thread t%ld.%u, call %u: rmap_verify: %ld", (long)(t - slots),
			     t->generation, t->calls, v);
}

/*
 * The slot's share of the batch's calls: a thread's calls are then the same in
 * every run, whichever thread runs faster (a slot left empty leaves its share).
 */
static void run_calls(struct slot *t)
{
	while (t->used < t->budget) {
		t->used++;
		__sync_fetch_and_add(&fuzz_shared->done, 1);   /* first: a call that kills counts */
		do_op(t, pick_op(t));
		if (++t->calls % RMAP_EVERY == 0)
			check_rmap(t);
	}
}

static int thread_main(void *arg)
{
	run_calls(arg);
	return 0;
}

void run_thread_batch(uint32_t seed, uint32_t batch, unsigned calls, int verbose,
		      unsigned threads)
{
	struct sigaction sa = { .sa_handler = touch_fault, .sa_flags = SA_NODEFER };

	nthreads = threads < 2 ? 2 : threads > MAX_THREADS ? MAX_THREADS : threads;
	fuzz_verbose = verbose;
	cur_seed = seed;
	cur_batch = batch;
	batch_seed = rng_mix(seed, batch);
	batch_setup(verbose);
	dup2(open(FILE_NAME, O_RDWR | O_CREAT, 0600), FILE_FD);
	ftruncate(FILE_FD, FILE_MAX_PAGES * PAGE);
	/* the stacks while the arena is whole: mmap cannot place them where its calls play */
	for (unsigned i = 1; i < nthreads; i++)
		slots[i].stack = mmap(NULL, UTHREAD_STACK_SIZE, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	brk0 = (unsigned long)raw_syscall(__NR_brk, 0, 0, 0, 0, 0);
	for (unsigned i = 0; i < nthreads; i++)
		slots[i].budget = calls / nthreads + (i == 0 ? calls % nthreads : 0);
	slots[0].tid = (uint32_t)self_tid();
	slots[0].rng = rng_mix(batch_seed, 0);
	for (unsigned i = 1; i < nthreads; i++) {
		slots[i].tid = CLAIMED;
		start_thread(&slots[i]);
	}
	run_calls(&slots[0]);
	/* the others finish their last calls; threads started meanwhile are ended by our exit */
	for (unsigned i = 1; i < nthreads; i++) {
		uint32_t v;

		while ((v = slots[i].tid) != 0 && v != CLAIMED)
			raw_futex(&slots[i].tid, FUTEX_WAIT, v, NULL, NULL, 0);
	}
	raw_syscall(__NR_exit_group, 0, 0, 0, 0, 0);
	__builtin_unreachable();
}
