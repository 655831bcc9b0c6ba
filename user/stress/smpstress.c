/*
 * smpstress: N threads of one process (argv[1], default 4) on as many CPUs
 * as there are, in one region larger than RAM while reclaim swaps it.  Each
 * thread owns a slice of the one VMA and, round after round, rewrites it and
 * does one of four things to it -- the roles rotate, so all four run at once:
 * drops and refaults part of it, forks a child that checks its copy-on-write
 * snapshot while the parent writes on, mremaps part of it away (moved and
 * grown) and back, or munmaps part and maps it again -- splitting and merging
 * the VMA the other threads are faulting in.  Every page carries its own
 * pattern, checked after each step and by the main thread at the end; then
 * rmap_verify must be clean.  Deterministic seeds; the last line is
 * "smpstress: PASS" or "smpstress: FAIL"; before it the swap counters and
 * how many CPUs the threads were seen on (getcpu), which a run that asked
 * for several CPUs checks.
 * Run under anvil by tools/smptests.py (-m 24, a swap disk, -smp 2 and 4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <abi/unistd.h>
#include "../tests/common/testlib.h"
#include "../tests/common/uthread.h"

#define MB (1024 * 1024)
#define REGION_MB 32              /* on 24 MiB of RAM: reclaim must swap */
#define MAX_THREADS 8
#define DEFAULT_THREADS 4
#define ROUNDS 4
#define CUT_PAGES 32              /* the part a role drops, moves or unmaps */
#define GROW_PAGES 16             /* what the mremap role adds to the moved part */
#define SETTLE_MS 20              /* the forked child looks again after the parent wrote */

enum role { REFAULT, COW, MREMAP, UNMAP, NROLES };

static const char *const role_names[NROLES] = { "refault", "cow", "mremap", "unmap" };

struct worker {
	struct uthread t;
	int index;
	char *slice;
	size_t pages;
	volatile unsigned seed;       /* the pattern the slice holds now */
	volatile unsigned long cpus;  /* a bit for each CPU getcpu found this thread on */
	volatile long failures[NROLES];  /* threads must not print: counted here */
};

static struct worker workers[MAX_THREADS];

static unsigned round_seed(const struct worker *w, int round, int step)
{
	return (unsigned)(w->index * 100000 + round * 100 + step);
}

/* Write the slice with seed's pattern (faults, swap-ins) and read it back. */
static int rewrite(struct worker *w, unsigned seed)
{
	fill_pages(w->slice, w->pages, seed);
	w->seed = seed;
	return check_pages(w->slice, w->pages, seed) >= 0;
}

/* The cut: CUT_PAGES in the middle of the slice, a hole in the VMA when unmapped or moved. */
static char *cut(const struct worker *w)
{
	return w->slice + w->pages / 2 * PGSZ;
}

/* The cut's pattern, page by page, as rewrite() made it. */
static long check_cut(const struct worker *w, const char *at)
{
	return check_pages(at, CUT_PAGES, w->seed + (unsigned)w->pages / 2);
}

static int refault(struct worker *w)
{
	int bad = raw_syscall(__NR_madvise, (long)cut(w), CUT_PAGES * PGSZ, MADV_DONTNEED, 0, 0) ||
		  !all_zero(cut(w), CUT_PAGES * PGSZ);

	return bad | rewrite(w, w->seed + 1);
}

/*
 * fork from a thread while the others write: the child sees the slice as it
 * was, still after the parent rewrote it; then its own writes stay its own.
 */
static int cow(struct worker *w)
{
	unsigned before = w->seed;
	int status = 0, bad;
	long pid = raw_syscall(__NR_fork, 0, 0, 0, 0, 0);

	if (pid == 0) {
		bad = check_pages(w->slice, w->pages, before) >= 0;
		msleep(SETTLE_MS);
		bad |= check_pages(w->slice, w->pages, before) >= 0;
		fill_pages(w->slice, w->pages, ~before);
		bad |= check_pages(w->slice, w->pages, ~before) >= 0;
		raw_syscall(__NR_exit_group, bad, 0, 0, 0, 0);
	}
	bad = pid < 0 || rewrite(w, before + 1);
	if (pid > 0 && (raw_syscall(__NR_wait4, pid, (long)&status, 0, 0, 0) != pid || status))
		bad = 1;
	return bad;
}

/* Move the cut away growing it, check it, shrink it and move it back into its hole. */
static int move_and_grow(struct worker *w)
{
	long moved = raw_syscall(__NR_mremap, (long)cut(w), CUT_PAGES * PGSZ,
				 (CUT_PAGES + GROW_PAGES) * PGSZ, MREMAP_MAYMOVE, 0);
	int bad;

	if (moved < 0 && moved > -4096)
		return 1;
	bad = check_cut(w, (char *)moved) >= 0 ||
	      !all_zero((char *)moved + CUT_PAGES * PGSZ, GROW_PAGES * PGSZ);
	fill_pattern((char *)moved + CUT_PAGES * PGSZ, GROW_PAGES * PGSZ, w->seed);
	if (raw_syscall(__NR_mremap, moved, (CUT_PAGES + GROW_PAGES) * PGSZ, CUT_PAGES * PGSZ,
			0, 0) != moved ||
	    raw_syscall(__NR_mremap, moved, CUT_PAGES * PGSZ, CUT_PAGES * PGSZ,
			MREMAP_MAYMOVE | MREMAP_FIXED, (long)cut(w)) != (long)cut(w))
		return 1;
	return bad | (check_pages(w->slice, w->pages, w->seed) >= 0) | rewrite(w, w->seed + 1);
}

static int unmap_and_map(struct worker *w)
{
	int bad = raw_syscall(__NR_munmap, (long)cut(w), CUT_PAGES * PGSZ, 0, 0, 0) ||
		  mmap(cut(w), CUT_PAGES * PGSZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != cut(w) ||
		  !all_zero(cut(w), CUT_PAGES * PGSZ);

	return bad | rewrite(w, w->seed + 1);
}

static int (*const role_work[NROLES])(struct worker *) = { refault, cow, move_and_grow,
							  unmap_and_map };

static int work(void *arg)
{
	struct worker *w = arg;

	for (int round = 0; round < ROUNDS; round++) {
		enum role role = (enum role)((w->index + round) % NROLES);
		long cpu = uthread_cpu();

		if (cpu >= 0 && cpu < (long)(8 * sizeof(w->cpus)))
			w->cpus |= 1UL << cpu;

		if (rewrite(w, round_seed(w, round, 0)) || role_work[role](w) ||
		    check_pages(w->slice, w->pages, w->seed) >= 0)
			w->failures[role]++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int nthreads = argc > 1 ? atoi(argv[1]) : DEFAULT_THREADS;
	long failures = 0, violations;
	unsigned long cpus = 0;
	size_t slice_pages;
	char *region;

	if (nthreads < 1 || nthreads > MAX_THREADS) {
		printf("smpstress: 1 to %d threads, not %s\nsmpstress: FAIL\n", MAX_THREADS,
		       argv[1]);
		return 2;
	}
	slice_pages = (size_t)REGION_MB * MB / PGSZ / nthreads;
	region = mmap(NULL, REGION_MB * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (region == MAP_FAILED) {
		printf("smpstress: mmap failed\nsmpstress: FAIL\n");
		return 1;
	}
	printf("smpstress: %d threads, %d MiB, %d rounds\n", nthreads, REGION_MB, ROUNDS);
	fflush(stdout);
	for (int i = 0; i < nthreads; i++) {
		workers[i].index = i;
		workers[i].pages = slice_pages;
		workers[i].slice = region + i * slice_pages * PGSZ;
		if (uthread_start(&workers[i].t, work, &workers[i]) < 0) {
			printf("smpstress: clone failed\nsmpstress: FAIL\n");
			return 1;
		}
	}
	for (int i = 0; i < nthreads; i++) {
		uthread_join(&workers[i].t);
		cpus |= workers[i].cpus;
		for (int r = 0; r < NROLES; r++) {
			if (workers[i].failures[r])
				printf("smpstress: thread %d: %s failed %ld times\n", i,
				       role_names[r], workers[i].failures[r]);
			failures += workers[i].failures[r];
		}
	}
	/* after all the threads: each slice as its thread last wrote it */
	for (int i = 0; i < nthreads; i++) {
		long page = check_pages(workers[i].slice, slice_pages, workers[i].seed);

		if (page >= 0) {
			printf("smpstress: slice %d page %ld corrupt after the threads ended\n", i, page);
			failures++;
		}
	}
	violations = anvil_rmap_verify();
	if (violations > 0) {
		printf("smpstress: rmap_verify: %ld violations\n", violations);
		failures++;
	}
	printf("smpstress: threads ran on %d CPUs\n", __builtin_popcountl(cpus));
	printf("smpstress: rmap_verify %s\n", violations < 0 ? "not on anvil" : "ran");
	printf("smpstress: pswpout %ld\nsmpstress: pswpin %ld\n",
	       proc_field("/proc/vmstat", "pswpout "), proc_field("/proc/vmstat", "pswpin "));
	printf(failures ? "smpstress: FAIL\n" : "smpstress: PASS\n");
	return failures ? 1 : 0;
}
