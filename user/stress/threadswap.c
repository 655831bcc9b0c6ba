/*
 * threadswap: several threads of one process -- one mm, several tasks --
 * work on one region larger than RAM while the kernel swaps it: each
 * faults its slice in and checks it, one forks children that share the
 * region copy-on-write and write their own copies, one munmaps and maps
 * back part of its slice (splitting the one VMA), one drops pages with
 * MADV_DONTNEED.  Every page carries a checksum; at the end rmap_verify
 * must find nothing wrong and the process's pages must all be as written.
 * Run under anvil by tools/run-tests (e.g. -m 24 with a 128 MiB swap disk).
 * Output: "threadswap: ok" and the swap counters, or what was wrong and a
 * non-zero status.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <abi/unistd.h>
#include "../tests/common/testlib.h"
#include "../tests/common/uthread.h"

#define MB (1024 * 1024)
#define PAGE 4096
#define NTHREADS 4
#define SLICE_MB 8            /* per thread: 32 MiB in all, on 24 MiB of RAM */
#define SLICE_PAGES (SLICE_MB * MB / PAGE)
#define ROUNDS 2
#define CUT_PAGES 64          /* what the munmapping thread cuts out and maps back */
#define CHILD_SEED 0x5eed     /* the forked child's own generation */

enum role { FAULTER, FORKER, UNMAPPER, DROPPER };

struct worker {
	struct uthread t;
	enum role role;
	char *slice;
	volatile long failures;       /* corrupt pages seen (threads must not print) */
};

static char *region;
static struct worker workers[NTHREADS];

static unsigned seed(const struct worker *w, int round)
{
	return (unsigned)((w - workers) * 1000 + round);
}

/* The child of a fork from a thread: it sees the slice as it was, then writes its own copy. */
static void child_of_thread(struct worker *w, int round)
{
	int bad = check_pages(w->slice, SLICE_PAGES, seed(w, round)) >= 0;

	fill_pages(w->slice, SLICE_PAGES, CHILD_SEED);
	bad |= check_pages(w->slice, SLICE_PAGES, CHILD_SEED) >= 0;
	raw_syscall(__NR_exit_group, bad, 0, 0, 0, 0);
}

/* One round's extra work, by role, after the slice was written with round's pattern. */
static void role_work(struct worker *w, int round)
{
	char *cut = w->slice + SLICE_PAGES / 2 * PAGE;
	int status = 0;
	long pid;

	switch (w->role) {
	case FORKER:
		pid = raw_syscall(__NR_fork, 0, 0, 0, 0, 0);
		if (pid == 0)
			child_of_thread(w, round);
		if (pid < 0 || raw_syscall(__NR_wait4, pid, (long)&status, 0, 0, 0) != pid ||
		    status != 0)
			w->failures++;
		break;
	case UNMAPPER:
		if (raw_syscall(__NR_munmap, (long)cut, CUT_PAGES * PAGE, 0, 0, 0) ||
		    mmap(cut, CUT_PAGES * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != cut ||
		    !all_zero(cut, CUT_PAGES * PAGE))
			w->failures++;
		fill_pages(w->slice, SLICE_PAGES, seed(w, round));
		break;
	case DROPPER:
		if (raw_syscall(__NR_madvise, (long)cut, CUT_PAGES * PAGE, MADV_DONTNEED, 0, 0) ||
		    !all_zero(cut, CUT_PAGES * PAGE))
			w->failures++;
		fill_pages(w->slice, SLICE_PAGES, seed(w, round));
		break;
	case FAULTER:
		break;
	}
}

static int work(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < ROUNDS; round++) {
		fill_pages(w->slice, SLICE_PAGES, seed(w, round));
		role_work(w, round);
		if (check_pages(w->slice, SLICE_PAGES, seed(w, round)) >= 0)
			w->failures++;
	}
	return 0;
}

int main(void)
{
	long failures = 0, violations;

	region = mmap(NULL, NTHREADS * SLICE_MB * MB, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED) {
		printf("threadswap: mmap failed\n");
		return 1;
	}
	for (int i = 0; i < NTHREADS; i++) {
		workers[i].role = (enum role)i;
		workers[i].slice = region + (size_t)i * SLICE_MB * MB;
		if (uthread_start(&workers[i].t, work, &workers[i]) < 0) {
			printf("threadswap: clone failed\n");
			return 1;
		}
	}
	for (int i = 0; i < NTHREADS; i++) {
		uthread_join(&workers[i].t);
		if (workers[i].failures)
			printf("threadswap: thread %d (role %d): %ld failures\n", i, i,
			       workers[i].failures);
		failures += workers[i].failures;
		/* the slices stay as their threads left them, after all the others did */
		if (check_pages(workers[i].slice, SLICE_PAGES, seed(&workers[i], ROUNDS - 1)) >= 0) {
			printf("threadswap: slice %d corrupt after the threads ended\n", i);
			failures++;
		}
	}
	violations = anvil_rmap_verify();
	if (violations) {
		printf("threadswap: rmap_verify: %ld violations\n", violations);
		failures++;
	}
	printf("threadswap: pswpout %ld\nthreadswap: pswpin %ld\n",
	       proc_field("/proc/vmstat", "pswpout "), proc_field("/proc/vmstat", "pswpin "));
	printf(failures ? "threadswap: FAILED\n" : "threadswap: ok\n");
	return failures ? 1 : 0;
}
