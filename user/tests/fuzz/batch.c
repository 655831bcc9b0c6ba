/*
 * One batch of the fuzzer, in its own child process: a fresh arena, the
 * standard descriptors on /dev/null, a fatal alarm as the watchdog, then
 * `calls` random system calls drawn from (seed, batch) alone -- and from
 * the segment calls too with -s, the disk's file calls with -d.
 */
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/mman.h>
#include <abi/unistd.h>
#include <abi/anvil.h>
#include <abi/misc.h>
#include "../../lib/libc.h"
#include "fuzz.h"

#define LAST_FD 255                  /* the highest descriptor anvil gives (NR_OPEN_DEFAULT - 1) */
#define BATCH_ALARM_S 2              /* a stuck batch dies of SIGALRM */
#define SPAWN_NAP_NS 5000000     /* 5 ms */
#define TOUCH_MAX_PAGES 256        /* 1 MiB: a batch of touches fills the suite's RAM */
/* UNKNOWN numbers: past Linux i386's last call, or past anvil's own */
#define UNKNOWN_LO 500
#define UNKNOWN_SPAN 500
#define ANVIL_UNKNOWN_LO (__NR_anvil_base + NR_ANVIL_SYSCALLS)

/* How long a spawned process lives: meanwhile its mm shares our pages (rmap, COW, swap). */
static const struct timespec spawn_nap = { 0, SPAWN_NAP_NS };

volatile struct fuzz_shared *fuzz_shared;
uint32_t cur_seed, cur_batch;
unsigned cur_call;
int fuzz_verbose;
static int segments_on;
static int files_on;

/*
 * fork, vfork and clone: the new process sleeps a moment and exits
 * without touching memory but the (read-only) nap -- after vfork, or a
 * clone on the same stack, it would otherwise scribble over ours.
 */
static long spawn(long nr, const long *a)
{
	long r;

	__asm__ __volatile__("int $0x80\n\t"
			     "test %%eax, %%eax\n\t"
			     "jnz 1f\n\t"
			     "mov %[nanosleep_nr], %%eax\n\t"
			     "mov %[nap], %%ebx\n\t"
			     "xor %%ecx, %%ecx\n\t"
			     "int $0x80\n\t"
			     "mov %[exit_nr], %%eax\n\t"
			     "xor %%ebx, %%ebx\n\t"
			     "int $0x80\n"
			     "1:"
			     : "=a"(r)
			     : "0"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4]),
			       [exit_nr] "i"(__NR_exit), [nanosleep_nr] "i"(__NR_nanosleep),
			       [nap] "i"(&spawn_nap)
			     : "memory");
	return r;
}

static long unknown_nr(void)
{
	switch (rnd_below(4)) {
	case 0:
		return -1 - (long)rnd_below(UNKNOWN_SPAN);
	case 1:
		return ANVIL_UNKNOWN_LO + rnd_below(UNKNOWN_SPAN);
	default:
		return UNKNOWN_LO + rnd_below(UNKNOWN_SPAN);
	}
}

/* Entry i of the table: fuzz_calls, then (-s) seg_calls and abi_calls, then (-d) file_calls. */
static const struct fuzz_call *table_entry(unsigned i)
{
	if (i < nr_fuzz_calls)
		return &fuzz_calls[i];
	i -= nr_fuzz_calls;
	if (segments_on && i < nr_seg_calls + nr_abi_calls)
		return i < nr_seg_calls ? &seg_calls[i] : &abi_calls[i - nr_seg_calls];
	if (segments_on)
		i -= nr_seg_calls + nr_abi_calls;
	return &file_calls[i];
}

static unsigned table_size(void)
{
	return nr_fuzz_calls + (segments_on ? nr_seg_calls + nr_abi_calls : 0) +
	       (files_on ? nr_file_calls : 0);
}

static const struct fuzz_call *pick(unsigned total)
{
	unsigned w = rnd_below(total);
	unsigned i = 0;

	while (w >= table_entry(i)->weight)
		w -= table_entry(i++)->weight;
	return table_entry(i);
}

static void ignore(int sig)
{
	if (segments_on)
		check_handler_flags();
}

/*
 * Signals run a handler that returns, so a random kill exercises delivery
 * and sigreturn instead of ending the batch; faults keep their default
 * action (returning would retry the fault forever), and so does SIGALRM,
 * the batch's watchdog.
 */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = ignore };

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGSEGV && sig != SIGBUS && sig != SIGILL && sig != SIGFPE &&
		    sig != SIGTRAP && sig != SIGALRM)
			sigaction(sig, &sa, NULL);
	if (segments_on)
		seg_setup();
}

void batch_setup(int verbose)
{
	int null = open("/dev/null", O_RDWR);
	int zero = open("/dev/zero", O_RDWR);

	if (verbose)
		dup2(1, LOG_FD);
	dup2(zero, ZERO_FD);
	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	for (int fd = 3; fd <= LAST_FD; fd++)
		if (fd != LOG_FD && fd != ZERO_FD)
			close(fd);
	self_pid = getpid();
	mmap((void *)ARENA_BASE, ARENA_PAGES * PAGE, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	catch_signals();
	alarm(BATCH_ALARM_S);
}

static long call(const struct fuzz_call *c, long nr, long *a)
{
	unsigned long addr;

	switch (c->how) {
	case SPAWN:
		/* a CLONE_PARENT child would be the harness's, which reaps its batches alone */
		if (nr == __NR_clone)
			a[0] &= ~CLONE_PARENT;
		return spawn(nr, a);
	case TOUCH:
		addr = arena_addr();
		return __syscall3(__NR_read, ZERO_FD, (long)addr,
				  (long)((1 + rnd_below(TOUCH_MAX_PAGES)) * PAGE));
	case OWN:
		return guarded_call(c, a);
	default:
		return __syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}

void run_batch(uint32_t seed, uint32_t batch, unsigned calls, int verbose, int segments,
	       int files)
{
	unsigned total = 0;

	segments_on = segments;
	files_on = files;
	fuzz_verbose = verbose;
	cur_seed = seed;
	cur_batch = batch;
	batch_setup(verbose);
	for (unsigned i = 0; i < table_size(); i++)
		total += table_entry(i)->weight;
	rng_seed(seed, batch);
	for (unsigned n = 0; n < calls; n++) {
		const struct fuzz_call *c = pick(total);
		long nr = c->how == UNKNOWN ? unknown_nr() : c->nr;
		long a[6], r;

		for (int i = 0; i < 6; i++)
			a[i] = gen_arg(c->arg[i]);
		if (c->sanitise)
			c->sanitise(a);
		if (verbose)
			dprintf(LOG_FD, "fuzz: %u.%u.%u %s %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
				seed, batch, n, c->name, nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		cur_call = n;
		fuzz_shared->done = n + 1;   /* before the call: a call that kills us counts */
		r = call(c, nr, a);
		if (c->how == SPAWN && r > 0)
			last_child = r;
	}
	_exit(0);
}
