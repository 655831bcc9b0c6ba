/*
 * fuzz: the system-call fuzzer's campaign.  For each seed, batches of
 * random calls run in forked children (so a signal or a kill ends one
 * batch, not the run) until CALLS calls were made; afterwards the kernel
 * must be as it was: rmap_verify holds, free pages are back to their
 * start value, no swap slot is held by no page table, every slab cache
 * (the rmap scheme's objects, VMAs, mms, inodes, ...) has as many objects
 * in use as before, and no oracle of seg.c found the kernel misbehaving.
 *
 * usage: fuzz [-v] [-l] [-s] [-d DEV] [-t N] [-b BATCH] SEED[,SEED...] CALLS
 *   CALLS per seed; -b runs that one batch of each seed only (its first
 *   CALLS calls, at most a batch: bisects a batch), -v logs every call
 *   before it is made (reproduce a seed's batch with both); -l checks the
 *   kernel state after every batch and names each batch that changed it
 *   (a leak hunt); -s adds the calls newer than the replays: the segment
 *   and TLS calls (seg.c) and the Linux ABI calls (abicalls.c), which
 *   draws other calls from the same seed.  -d mounts the ext2 disk DEV on
 *   /mnt for each seed and plays in a directory there instead of /tmp, with
 *   the file calls of abicalls.c (file_calls) drawn too; the disk is
 *   unmounted before each reading of the kernel state (its metadata cache
 *   goes with it), so that the host's e2fsck can check it afterwards.
 *   -t N runs each batch as N threads of one process making memory and
 *   process calls at once (threads.c) instead of the call table.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "../common/testlib.h"
#include "fuzz.h"

#define BATCH_CALLS 200
#define WATCHDOG_S 5             /* a batch its own alarm did not end is killed */
#define SETTLE_MS 3000           /* how long exiting processes may take to vanish */
#define SETTLE_STEP_MS 10
#define TMP_SCRATCH "/tmp/fuzz"
#define DISK_MNT "/mnt"
#define DISK_SCRATCH DISK_MNT "/fuzz"
#define UMOUNT_TRIES 100         /* a batch's spawned children may still sit in the directory */
#define MAX_SEEDS 64
#define STACK_RESERVE (16 * 1024)

/*
 * What must be as before the campaign.  Pages of this process and of init
 * may sit in swap afterwards, so swap cannot simply be 0; instead every
 * slot in use must belong to a live process's page table (orphan_swap_kb)
 * or the swap cache, and "free + swap cache - swap in use" pages must come
 * back (a page swapped out frees a frame and uses a slot), counting this
 * process's own anonymous pages, swap and page tables as free: its heap
 * and stack may grow during the campaign.  Slab pages are not free: once
 * anvil_drop_caches has given the empty slabs back, a slab page more is a
 * page leaked; and each cache's objects in use must come back, since one
 * leaked object rarely takes a slab page of its own.
 */
struct kstate {
	long balance_pages;
	long orphan_swap_kb;
	long swap_used_kb;       /* reported only */
	int nr_slabs;
	struct slab_count slabs[MAX_SLAB_CACHES];
};

struct tally {
	unsigned long calls, batches, exited, signalled, watchdog;
};

static pid_t batch_pid;
static volatile int watchdog_fired;
static int segments;             /* -s */
static unsigned threads;         /* -t */
static const char *disk;         /* -d */
static const char *scratch_dir = TMP_SCRATCH;

static void watchdog(int sig)
{
	watchdog_fired = 1;
	if (batch_pid > 0)
		kill(batch_pid, SIGKILL);
}

/* Swap entries in every live process's page tables (VmSwap summed), in kB. */
static long swap_ptes_kb(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long kb = 0;

	while (d && (e = readdir(d))) {
		char path[64];
		long v;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		v = proc_field(path, "VmSwap:");
		kb += v > 0 ? v : 0;
	}
	if (d)
		closedir(d);
	return kb;
}

static void read_kstate(struct kstate *k)
{
	long free_pages = anvil_free_pages();
	long cached = proc_field("/proc/meminfo", "SwapCached:");

	k->swap_used_kb = proc_field("/proc/meminfo", "SwapTotal:") -
			  proc_field("/proc/meminfo", "SwapFree:");
	k->orphan_swap_kb = k->swap_used_kb - swap_ptes_kb() - cached;
	k->balance_pages = free_pages + (cached - k->swap_used_kb) / (long)(PAGE / 1024) +
			   self_mm_pages();
	k->nr_slabs = read_slab_counts(k->slabs, MAX_SLAB_CACHES);
}

/* The caches whose objects in use differ, into why (" name N -> M" each); how many. */
static int slab_changes(const struct kstate *a, const struct kstate *b, char *why, size_t size)
{
	return slab_count_changes(a->slabs, a->nr_slabs, b->slabs, b->nr_slabs, why, size);
}

static int same_kstate(const struct kstate *a, const struct kstate *b)
{
	return a->balance_pages == b->balance_pages && a->orphan_swap_kb == b->orphan_swap_kb &&
	       !slab_changes(a, b, NULL, 0);
}

/* The kernel state once exiting processes are gone: equal to want, or after SETTLE_MS. */
static void settled_kstate(struct kstate *k, const struct kstate *want)
{
	for (int ms = 0;; ms += SETTLE_STEP_MS) {
		read_kstate(k);
		if (same_kstate(k, want) || ms >= SETTLE_MS)
			return;
		msleep(SETTLE_STEP_MS);
	}
}

/* Fault in the stack the campaign will use, so that its growth is not counted as a leak. */
static void reserve_stack(void)
{
	volatile char pad[STACK_RESERVE];

	for (unsigned long i = 0; i < sizeof(pad); i += PAGE)
		pad[i] = 0;
}

/* The state before: read until two readings a step apart agree (start-up settles). */
static void start_kstate(struct kstate *k)
{
	struct kstate prev;

	read_kstate(k);
	do {
		prev = *k;
		msleep(SETTLE_STEP_MS);
		read_kstate(k);
	} while (!same_kstate(&prev, k));
}

static void run_one_batch(uint32_t seed, uint32_t batch, unsigned calls, int verbose,
			  struct tally *t)
{
	int status;

	remove_tree(scratch_dir);
	mkdir(scratch_dir, 0755);
	fuzz_shared->done = 0;
	if (calls)
		printf("fuzz: batch %u.%u\n", seed, batch);   /* the last one names a crash's batch */
	fflush(stdout);
	batch_pid = fork();
	if (batch_pid == 0) {
		if (chdir(scratch_dir) < 0)
			_exit(1);
		if (threads)
			run_thread_batch(seed, batch, calls, verbose, threads);
		run_batch(seed, batch, calls, verbose, segments, disk != NULL);
	}
	watchdog_fired = 0;
	alarm(WATCHDOG_S);
	while (waitpid(batch_pid, &status, 0) < 0 && errno == EINTR)
		;
	alarm(0);
	t->batches++;
	t->calls += fuzz_shared->done;
	if (watchdog_fired)
		t->watchdog++;
	else if (WIFSIGNALED(status))
		t->signalled++;
	else
		t->exited++;
	if (verbose)
		printf("fuzz: batch %u.%u ended: %u calls, %s\n", seed, batch, fuzz_shared->done,
		       status_str(status));
}

/* -l: the kernel state after every batch, to name the batch that changed it. */
static void hunt_leak(uint32_t seed, uint32_t batch, struct kstate *prev)
{
	static struct kstate now;
	char slabs[256];

	remove_tree(scratch_dir);
	settled_kstate(&now, prev);
	if (!same_kstate(&now, prev)) {
		slab_changes(prev, &now, slabs, sizeof(slabs));
		printf("fuzz: batch %u.%u changed free pages %ld -> %ld, orphan swap %ld -> %ld kB, "
		       "slab objects in use:%s\n", seed, batch, prev->balance_pages,
		       now.balance_pages, prev->orphan_swap_kb, now.orphan_swap_kb,
		       slabs[0] ? slabs : " as before");
	}
	*prev = now;
}

/* -d: the disk mounted read-write on DISK_MNT, or unmounted once a batch's children left. */
static int disk_mount(int on)
{
	int r = -1;

	if (on)
		return mount(disk, DISK_MNT, "ext2", 0, NULL);
	for (int i = 0; i < UMOUNT_TRIES && (r = umount(DISK_MNT)) < 0 && errno == EBUSY; i++)
		msleep(SETTLE_STEP_MS);
	return r;
}

/* "1,2,3" into seeds; how many, or 0 when s is not such a list. */
static int parse_seeds(const char *s, uint32_t *seeds)
{
	int n = 0;
	char *end;

	do {
		seeds[n++] = strtoul(s, &end, 0);
		if (end == s || (*end && *end != ','))
			return 0;
		s = end + 1;
	} while (*end && n < MAX_SEEDS);
	return n;
}

int main(int argc, char **argv)
{
	uint32_t seeds[MAX_SEEDS];
	int verbose = 0, hunt = 0, nseeds, arg = 1, ok;
	long violations;
	long only_batch = -1;
	unsigned long calls;
	static struct kstate before, after, seen;
	static char slabs[1024];
	int slabs_changed;
	struct tally total = { 0 };
	struct timespec t0, t1;
	struct sigaction sa = { .sa_handler = watchdog };

	for (; arg < argc && argv[arg][0] == '-'; arg++) {
		if (!strcmp(argv[arg], "-v"))
			verbose = 1;
		else if (!strcmp(argv[arg], "-l"))
			hunt = 1;
		else if (!strcmp(argv[arg], "-s"))
			segments = 1;
		else if (!strcmp(argv[arg], "-t") && arg + 1 < argc)
			threads = strtoul(argv[++arg], NULL, 0);
		else if (!strcmp(argv[arg], "-d") && arg + 1 < argc)
			disk = argv[++arg];
		else if (!strcmp(argv[arg], "-b") && arg + 1 < argc)
			only_batch = strtol(argv[++arg], NULL, 0);
	}
	if (argc - arg != 2 || !(nseeds = parse_seeds(argv[arg], seeds))) {
		fprintf(stderr, "usage: fuzz [-v] [-l] [-s] [-d DEV] [-t N] [-b BATCH] SEED[,SEED...] "
				"CALLS\n");
		return 2;
	}
	calls = strtoul(argv[arg + 1], NULL, 0);
	if (anvil_free_pages() < 0) {
		printf("fuzz: not running on anvil\n");
		return 2;
	}
	sigaction(SIGALRM, &sa, NULL);
	fuzz_shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	/*
	 * Kept in RAM: shared memory goes to swap, and this page coming back
	 * would get new radix-tree nodes, whose slab page -- half used after --
	 * the free-page count would call a leak.
	 */
	mlock((void *)fuzz_shared, PAGE);
	printf("fuzz: seeds %s, %lu calls each, batches of %d%s%s%s", argv[arg], calls,
	       BATCH_CALLS, segments ? ", with the segment calls" : "", disk ? ", on " : "",
	       disk ? disk : "");
	printf(threads ? ", %u threads each\n" : "\n", threads);
	if (disk) {
		mkdir(DISK_MNT, 0755);
		scratch_dir = DISK_SCRATCH;
	}
	/* everything this process will touch exists before the snapshot: stdout's buffer, ... */
	fflush(stdout);
	reserve_stack();
	run_one_batch(0, 0, 0, 0, &total);         /* a batch of no calls: this process's pages */
	total.batches = total.exited = 0;
	remove_tree(scratch_dir);                      /* as at every later reading */
	start_kstate(&before);
	seen = before;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int s = 0; s < nseeds; s++) {
		struct tally t = { 0 };

		if (disk && disk_mount(1) < 0) {
			printf("fuzz: mount %s: %s\n", disk, errno_name(errno));
			return 1;
		}
		if (only_batch >= 0)
			run_one_batch(seeds[s], only_batch, calls < BATCH_CALLS ? calls : BATCH_CALLS,
				      verbose, &t);
		for (uint32_t b = 0; only_batch < 0 && t.calls < calls; b++) {
			unsigned left = calls - t.calls;

			run_one_batch(seeds[s], b, left < BATCH_CALLS ? left : BATCH_CALLS, verbose,
				      &t);
			if (hunt)
				hunt_leak(seeds[s], b, &seen);
		}
		remove_tree(scratch_dir);
		if (disk && disk_mount(0) < 0)
			printf("fuzz: umount %s: %s\n", disk, errno_name(errno));
		settled_kstate(&after, &before);        /* which seed leaked, if one did */
		printf("fuzz: seed %u: %lu calls in %lu batches (%lu exited, %lu killed by a "
		       "signal, %lu by the watchdog); free pages %ld\n", seeds[s], t.calls,
		       t.batches, t.exited, t.signalled, t.watchdog, after.balance_pages);
		total.calls += t.calls;
		total.batches += t.batches;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	remove_tree(scratch_dir);
	settled_kstate(&after, &before);
	printf("fuzz: %lu calls in %lu batches, %ld ms; pswpout %ld pswpin %ld\n", total.calls,
	       total.batches, (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000,
	       proc_field("/proc/vmstat", "pswpout "), proc_field("/proc/vmstat", "pswpin "));
	violations = anvil_rmap_verify();
	printf("fuzz: rmap_verify: %ld violations\n", violations);
	printf("fuzz: free pages (free+swapcache-swap) %ld -> %ld\n", before.balance_pages,
	       after.balance_pages);
	printf("fuzz: swap in use %ld kB -> %ld kB, held by no page table %ld kB -> %ld kB\n",
	       before.swap_used_kb, after.swap_used_kb, before.orphan_swap_kb, after.orphan_swap_kb);
	slabs_changed = slab_changes(&before, &after, slabs, sizeof(slabs));
	printf("fuzz: slab caches with objects in use changed: %d of %d%s%s\n", slabs_changed,
	       before.nr_slabs, slabs_changed ? ":" : "", slabs);
	printf("fuzz: findings: %u%s%s\n", fuzz_shared->findings,
	       fuzz_shared->findings ? "; the first: " : "", (const char *)fuzz_shared->first_finding);
	ok = violations == 0 && same_kstate(&before, &after) && after.orphan_swap_kb == 0 &&
	     before.nr_slabs > 0 && fuzz_shared->findings == 0;
	printf("fuzz: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
