/*
 * swapregress: regression tests run with swap on and RAM small
 * (tools/swaptests.py).  Two use-after-frees anvil once had: `swapregress
 * mremap` swaps out pages that mremap then merges into a never-faulted VMA;
 * `swapregress swapoff` runs swapoff while the processes it walks exit.
 * And the /proc and getrusage view: `swapregress pagemap` reads
 * /proc/self/pagemap of pages on swap; `swapregress faults` counts the
 * faults that read pages back from swap (a fault that read the disk is
 * major, getrusage says) and that a child of fork takes writing them (one a
 * page).  `swapregress readahead`: the block layer's merging and swap-in
 * read-ahead, as /proc/diskstats, pagemap and mincore show them.
 * Prints "swapregress: ok" and exits 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "../tests/common/testlib.h"
#include <sys/syscall.h>
#include <abi/unistd.h>
#include <abi/anvil.h>
#include <abi/kernel-page-flags.h>

#define MB (1024 * 1024)
#define PAGE 4096
#define DISK "/dev/hdb"
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define PRESSURE_MB 40          /* touched by a child: well over the RAM the suite gives */
#define PRESSURE_TRIES 4
#define MOVED_PAGES 64          /* the region swapped out and moved back */
#define OTHER_ANON_PAGES 14     /* at most this many of our other pages could be on swap */
#define EXITERS 6               /* processes exiting during swapoff */
#define EXITER_MB 2
#define EXIT_STAGGER_MS 15      /* exiter i exits i * this after swapoff starts */
#define SWAPOFF_ROUNDS 3
#define SWAP_TYPE_MASK ((1ULL << PM_SWAP_TYPE_BITS) - 1)
#define FAULT_PAGES 256         /* the region whose faults are counted */
#define STRAY_FAULTS 8          /* stack and text pages reclaim took may fault besides */
#define RA_PAGES 64             /* the region read-ahead is watched on */
#define RA_BLOCK 8              /* 2^page_cluster slots: the default page_cluster 3 */
#define RA_PROBE 3              /* the page touched: inside its block, not at its start */
#define WRITEBACK_WAIT_MS 5000

static int failed(const char *what)
{
	printf("swapregress: %s (errno %d)\n", what, errno);
	return 1;
}

static void fill(char *p, size_t pages, unsigned seed)
{
	for (size_t i = 0; i < pages; i++)
		for (size_t w = 0; w < PAGE / sizeof(unsigned); w += 64)
			((unsigned *)(p + i * PAGE))[w] = seed * 2654435761u + i * 40503u + w;
}

static int intact(const char *p, size_t pages, unsigned seed)
{
	for (size_t i = 0; i < pages; i++)
		for (size_t w = 0; w < PAGE / sizeof(unsigned); w += 64)
			if (((const unsigned *)(p + i * PAGE))[w] != seed * 2654435761u + i * 40503u + w)
				return 0;
	return 1;
}

/* A child touches more memory than RAM and exits: cold pages elsewhere go to swap. */
static void pressure(void)
{
	memory_pressure((size_t)PRESSURE_MB * MB / PAGE);
}

/*
 * The mremap merge bug (docs/rmap.md) with the pages on swap: fault a
 * region at x, move it to y, push it out to swap, map one fresh page right
 * after x, move the region back.  The merged VMA must adopt the region's
 * anon_vma: else the swap PTEs sit in a VMA without one, and the first
 * touch hit a BUG in do_swap_page.
 */
static int test_mremap(void)
{
	size_t len = MOVED_PAGES * PAGE;
	char *r = mmap(NULL, len + 2 * PAGE, RW, ANON, -1, 0), *y = mmap(NULL, len, RW, ANON, -1, 0);
	char *x = r;
	int tries;

	if (r == MAP_FAILED || y == MAP_FAILED)
		return failed("mmap");
	munmap(r, len + 2 * PAGE);
	munmap(y, len);
	if (mmap(x, len, RW, ANON | MAP_FIXED, -1, 0) != x)
		return failed("mmap at x");
	fill(x, MOVED_PAGES, 1);
	if (mremap(x, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, y) != y)
		return failed("mremap away");
	for (tries = 0; tries < PRESSURE_TRIES &&
	     proc_field("/proc/self/status", "VmSwap:") < (MOVED_PAGES - OTHER_ANON_PAGES) * 4; tries++)
		pressure();
	if (tries == PRESSURE_TRIES)
		return failed("the moved pages never went to swap");
	if (mmap(x + len, PAGE, RW, ANON | MAP_FIXED, -1, 0) != x + len)
		return failed("mmap of the fresh page");
	if (mremap(y, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, x) != x)
		return failed("mremap back");
	if (syscall(__NR_anvil_rmap_verify))
		return failed("rmap_verify after the move back");
	if (!intact(x, MOVED_PAGES, 1))
		return failed("the moved pages lost their data");
	fill(x + len, 1, 2);
	if (syscall(__NR_anvil_rmap_verify) || !intact(x, MOVED_PAGES, 1) || !intact(x + len, 1, 2))
		return failed("after the fresh page faulted");
	return munmap(x, len + PAGE) ? failed("munmap") : 0;
}

/* An exiter: fill memory, say so, wait for the go, then exit after its delay. */
static void exiter(int index, int ready, int go)
{
	size_t len = (size_t)EXITER_MB * MB;
	char *p = mmap(NULL, len, RW, ANON, -1, 0);
	struct timespec delay = { 0, (long)index * EXIT_STAGGER_MS * 1000000L };
	char c;

	if (p == MAP_FAILED)
		_exit(2);
	fill(p, len / PAGE, 10 + index);
	write(ready, "r", 1);
	read(go, &c, 1);                 /* returns 0 when the parent closes it */
	nanosleep(&delay, NULL);
	_exit(intact(p, len / PAGE, 10 + index) ? 0 : 3);
}

/*
 * swapoff (docs/swap-cache.md) walks every mm and sleeps reading pages; the
 * processes it walks exit meanwhile.  It must hold a reference on each mm
 * it visits, or it walks a freed one.
 */
static int swapoff_round(void)
{
	int ready[2], go[2], bad = 0, status;
	pid_t pids[EXITERS];
	char c;

	if (pipe(ready) || pipe(go))
		return failed("pipe");
	for (int i = 0; i < EXITERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			exiter(i, ready[1], go[0]);
		}
		if (pids[i] < 0)
			return failed("fork");
	}
	close(ready[1]);
	close(go[0]);
	for (int i = 0; i < EXITERS; i++)
		if (read(ready[0], &c, 1) != 1)
			return failed("an exiter died before filling its memory");
	close(ready[0]);
	pressure();
	if (proc_field("/proc/meminfo", "SwapTotal:") - proc_field("/proc/meminfo", "SwapFree:") <
	    EXITER_MB * 1024)
		return failed("too little on swap to test swapoff");
	close(go[1]);                    /* the exiters start their countdowns */
	if (syscall(__NR_swapoff, DISK))
		bad += failed("swapoff while processes exit");
	for (int i = 0; i < EXITERS; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status) || WEXITSTATUS(status))
			bad += failed("an exiter lost its data");
	if (syscall(__NR_anvil_rmap_verify))
		bad += failed("rmap_verify after swapoff");
	if (syscall(__NR_swapon, DISK, 0))
		bad += failed("swapon again");
	return bad;
}

static int test_swapoff(void)
{
	int bad = 0;

	for (int round = 0; round < SWAPOFF_ROUNDS && !bad; round++)
		bad += swapoff_round();
	return bad;
}

/* The pagemap words of n pages at p into w; 0, or -1. */
static int read_pagemap(int fd, const char *p, unsigned long long *w, size_t n)
{
	off_t at = (unsigned long)p / PAGE * sizeof(*w);

	return pread(fd, w, n * sizeof(*w), at) == (ssize_t)(n * sizeof(*w)) ? 0 : -1;
}

/*
 * A page on swap has, in /proc/self/pagemap, the swapped bit
 * and not the present one, and its slot where the frame would be: type 0
 * (the only area), an offset past slot 0 (the header).  No more pages
 * than VmSwap counts; touched again, each is present with its data.
 */
static int test_pagemap(void)
{
	char *p = mmap(NULL, MOVED_PAGES * PAGE, RW, ANON, -1, 0);
	int fd = open("/proc/self/pagemap", O_RDONLY), swapped = 0;
	unsigned long long w[MOVED_PAGES];

	if (p == MAP_FAILED || fd < 0)
		return failed("mmap, or open /proc/self/pagemap");
	fill(p, MOVED_PAGES, 3);
	for (int tries = 0; tries < PRESSURE_TRIES && !swapped; tries++) {
		pressure();
		if (read_pagemap(fd, p, w, MOVED_PAGES))
			return failed("read pagemap");
		for (int i = 0; i < MOVED_PAGES; i++)
			swapped += !!(w[i] & PM_SWAP);
	}
	if (!swapped)
		return failed("no page went to swap");
	if (swapped > proc_field("/proc/self/status", "VmSwap:") / (PAGE / 1024))
		return failed("more swapped words than VmSwap counts");
	for (int i = 0; i < MOVED_PAGES; i++) {
		unsigned long long offset = (w[i] & PM_PFRAME_MASK) >> PM_SWAP_TYPE_BITS;

		if (!(w[i] & (PM_SWAP | PM_PRESENT)))
			return failed("a filled page neither present nor swapped");
		if ((w[i] & PM_SWAP) && ((w[i] & PM_PRESENT) || (w[i] & SWAP_TYPE_MASK) || !offset))
			return failed("a swapped word without its slot");
	}
	if (!intact(p, MOVED_PAGES, 3))
		return failed("the pages lost their data");
	if (read_pagemap(fd, p, w, MOVED_PAGES))
		return failed("read pagemap again");
	for (int i = 0; i < MOVED_PAGES; i++)
		if (!(w[i] & PM_PRESENT) || (w[i] & PM_SWAP))
			return failed("a page read back is not present");
	close(fd);
	return munmap(p, MOVED_PAGES * PAGE) ? failed("munmap") : 0;
}

/* Push the region out to swap; its pages on swap, in KiB (VmSwap), or -1. */
static long swap_out(void)
{
	for (int tries = 0; tries < PRESSURE_TRIES; tries++) {
		long swapped = proc_field("/proc/self/status", "VmSwap:");

		if (swapped >= (FAULT_PAGES - OTHER_ANON_PAGES) * 4)
			return swapped;
		pressure();
	}
	return -1;
}

/*
 * A child of fork writes every page of the region, which is on swap:
 * each write is one fault, whether it reads the page back (and copies
 * it: the parent still maps it) or finds it in the swap cache, or the
 * page is still in memory, shared copy-on-write.
 */
static void write_from_child(char *p)
{
	static struct rusage before, after;
	long faults;

	getrusage(RUSAGE_SELF, &before);
	fill(p, FAULT_PAGES, 4);
	getrusage(RUSAGE_SELF, &after);
	faults = after.ru_minflt - before.ru_minflt + after.ru_majflt - before.ru_majflt;
	if (faults < FAULT_PAGES || faults > FAULT_PAGES + STRAY_FAULTS) {
		printf("swapregress: the child's %d writes took %ld faults\n", FAULT_PAGES, faults);
		_exit(1);
	}
	_exit(0);
}

static int test_faults(void)
{
	char *p = mmap(NULL, FAULT_PAGES * PAGE, RW, ANON, -1, 0);
	struct rusage before, after;
	long peak, swapped, pswpin, majors, faults;
	int status;
	pid_t pid;

	if (p == MAP_FAILED)
		return failed("mmap");
	fill(p, FAULT_PAGES, 3);
	getrusage(RUSAGE_SELF, &before);
	peak = before.ru_maxrss;
	swapped = swap_out();
	if (swapped < 0)
		return failed("the region never went to swap");
	getrusage(RUSAGE_SELF, &before);
	if (before.ru_maxrss < peak)
		return failed("ru_maxrss fell when reclaim took the pages");
	pswpin = proc_field("/proc/vmstat", "pswpin ");
	if (!intact(p, FAULT_PAGES, 3))
		return failed("the region lost its data");
	getrusage(RUSAGE_SELF, &after);
	majors = after.ru_majflt - before.ru_majflt;
	faults = majors + after.ru_minflt - before.ru_minflt;
	swapped -= proc_field("/proc/self/status", "VmSwap:");     /* now: KiB read back */
	printf("swapregress: %ld KiB read back from swap in %ld faults, %ld major, %ld pages read\n",
	       swapped, faults, majors, proc_field("/proc/vmstat", "pswpin ") - pswpin);
	if (majors < 1 || faults < swapped / 4)
		return failed("a swap-in was not a major fault, or a fault went uncounted");
	if (proc_field("/proc/vmstat", "pswpin ") - pswpin < majors)
		return failed("more major faults than pages read from swap");

	if (swap_out() < 0)
		return failed("the region never went to swap again");
	pid = fork();
	if (pid == 0)
		write_from_child(p);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return failed("the child writing the region");
	return intact(p, FAULT_PAGES, 3) ? 0 : failed("the child's writes reached the parent");
}

/* hdb's reads, reads merged, writes, writes merged (/proc/diskstats); 0, or -1. */
static int swap_disk_stats(unsigned long v[4])
{
	static char buf[1024];
	int fd = open("/proc/diskstats", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	unsigned long field[6];          /* reads merged sectors ms writes merged */
	char *at;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	at = strstr(buf, " hdb ");
	if (!at)
		return -1;
	at += strlen(" hdb ");
	for (int i = 0; i < 6; i++)
		field[i] = strtoul(at, &at, 10);
	v[0] = field[0];
	v[1] = field[1];
	v[2] = field[4];
	v[3] = field[5];
	return 0;
}

/* The swap slot of each of n pages at p (0: not on swap); 0, or -1. */
static int swap_slots(const char *p, unsigned long *slot, size_t n)
{
	unsigned long long w[RA_PAGES];
	int fd = open("/proc/self/pagemap", O_RDONLY);
	int err = fd < 0 || read_pagemap(fd, p, w, n) ? -1 : 0;

	for (size_t i = 0; i < n; i++)
		slot[i] = (w[i] & PM_SWAP) ? (w[i] & PM_PFRAME_MASK) >> PM_SWAP_TYPE_BITS : 0;
	if (fd >= 0)
		close(fd);
	return err;
}

/* How many of n pages at p mincore calls resident. */
static int resident(char *p, size_t n)
{
	unsigned char vec[RA_PAGES];
	int count = 0;

	if (mincore(p, n * PAGE, vec))
		return -1;
	for (size_t i = 0; i < n; i++)
		count += vec[i] & 1;
	return count;
}

/*
 * The first page at or after `from` of RA_BLOCK neighbours out of memory
 * whose slots are exactly an aligned block of RA_BLOCK slots, in either
 * order (reclaim gives neighbours consecutive slots; MADV_PAGEOUT takes
 * them last first); -1 if none.  in_core is mincore's vector: a page of
 * the region's edge may be back in the swap cache, read ahead with a
 * neighbouring slot that is not the region's.
 */
static int aligned_run(const unsigned long *slot, const unsigned char *in_core, int from)
{
	for (int i = from; i + RA_BLOCK <= RA_PAGES; i++) {
		long step = slot[i + 1] > slot[i] ? 1 : -1;
		int k = 1;

		while (k < RA_BLOCK && slot[i + k] && slot[i + k] == slot[i] + step * k &&
		       !(in_core[i + k] & 1))
			k++;
		if (slot[i] && !(in_core[i] & 1) && k == RA_BLOCK &&
		    (step > 0 ? slot[i] : slot[i + k - 1]) % RA_BLOCK == 0)
			return i;
	}
	return -1;
}

/* One 64-bit word of a /proc/kpage* file at frame pfn, or ~0 if it cannot be read. */
static unsigned long long kpage_word(const char *file, unsigned long long pfn)
{
	unsigned long long w = ~0ULL;
	int fd = open(file, O_RDONLY);

	if (fd >= 0 && pread(fd, &w, sizeof(w), pfn * sizeof(w)) != sizeof(w))
		w = ~0ULL;
	if (fd >= 0)
		close(fd);
	return w;
}

/*
 * Why the pages mincore calls resident are: each one's slot if it is in
 * the swap cache, or its frame's use count and flags if it is still
 * mapped -- the test's failure message, not its verdict.
 */
static void explain_resident(const char *p, const unsigned char *in_core,
			     const unsigned long *slot)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);

	printf("swapregress: nr_writeback %ld, resident:", proc_field("/proc/vmstat", "nr_writeback "));
	for (size_t i = 0; i < RA_PAGES; i++) {
		unsigned long long w, pfn;

		if (!(in_core[i] & 1))
			continue;
		if (slot[i] || fd < 0 || read_pagemap(fd, p + i * PAGE, &w, 1)) {
			printf(" %zu:swap cache,slot %lu", i, slot[i]);
			continue;
		}
		pfn = w & PM_PFRAME_MASK;
		printf(" %zu:mapped,count %llu,flags %#llx", i, kpage_word("/proc/kpagecount", pfn),
		       kpage_word("/proc/kpageflags", pfn));
	}
	printf("\n");
	if (fd >= 0)
		close(fd);
}

static int set_page_cluster(const char *value)
{
	int fd = open("/proc/sys/vm/page-cluster", O_WRONLY);
	int ok = fd >= 0 && write(fd, value, strlen(value)) == (ssize_t)strlen(value);

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* Touch page `probe` of the block at first; the block's pages mincore calls resident after. */
static int touch_block(char *p, int first, int probe)
{
	volatile char c = p[(first + probe) * PAGE];

	(void)c;
	return resident(p + first * PAGE, RA_BLOCK);
}

/*
 * MADV_PAGEOUT writes RA_PAGES neighbours: the writes are consecutive
 * slots, most of them merged into a request already queued.  Once the
 * pages have left memory, touching one reads its aligned block of
 * 2^page_cluster slots -- all RA_BLOCK pages resident after, read by one
 * request, the other bios merged into it; with
 * page-cluster 0, only the page touched.
 */
static int test_readahead(void)
{
	char *p = mmap(NULL, RA_PAGES * PAGE, RW, ANON, -1, 0);
	unsigned long before[4], after[4], slot[RA_PAGES];
	unsigned char in_core[RA_PAGES];
	struct rusage ru0, ru1;
	int first, second, got, tries = 0;

	if (p == MAP_FAILED)
		return failed("mmap");
	fill(p, RA_PAGES, 5);
	if (swap_disk_stats(before) || madvise(p, RA_PAGES * PAGE, MADV_PAGEOUT))
		return failed("/proc/diskstats, or MADV_PAGEOUT");
	for (int ms = 0; proc_field("/proc/vmstat", "nr_writeback ") && ms < WRITEBACK_WAIT_MS;
	     ms += 10)
		usleep(10000);
	swap_disk_stats(after);
	printf("swapregress: %d pages paged out in %lu write requests, %lu bios merged\n",
	       RA_PAGES, after[2] - before[2], after[3] - before[3]);
	if (after[3] - before[3] < RA_PAGES / 2)
		return failed("reclaim's consecutive writes were not merged");
	/* pressure until two aligned blocks have left memory, swap cache and all */
	for (;;) {
		if (swap_slots(p, slot, RA_PAGES) || mincore(p, RA_PAGES * PAGE, in_core))
			return failed("pagemap, or mincore");
		first = aligned_run(slot, in_core, 0);
		second = first < 0 ? -1 : aligned_run(slot, in_core, first + RA_BLOCK);
		if (second >= 0)
			break;
		if (tries++ == PRESSURE_TRIES) {
			explain_resident(p, in_core, slot);
			return failed("no two aligned blocks of neighbours left memory for swap");
		}
		pressure();
	}
	for (int i = 0; i < RA_PAGES; i++)
		if (!slot[i])
			return failed("a page of the region never left its PTE for swap");
	swap_disk_stats(before);
	getrusage(RUSAGE_SELF, &ru0);
	if (touch_block(p, first, RA_PROBE) != RA_BLOCK)
		return failed("a swap-in did not read its aligned block of slots ahead");
	getrusage(RUSAGE_SELF, &ru1);
	swap_disk_stats(after);
	printf("swapregress: a swap-in read %d pages in %lu requests, %lu merged, %ld major faults\n",
	       RA_BLOCK, after[0] - before[0], after[1] - before[1],
	       ru1.ru_majflt - ru0.ru_majflt);
	/* a stray swap-in (a stack page reclaim took) may add a request of its own */
	if (after[1] - before[1] < RA_BLOCK - 1)
		return failed("the read-ahead's reads were not merged into one request");

	if (proc_field("/proc/sys/vm/page-cluster", "") != 3)
		return failed("page-cluster is not 3 by default");
	if (set_page_cluster("0\n"))
		return failed("writing page-cluster");
	got = touch_block(p, second, RA_PROBE);
	set_page_cluster("3\n");
	if (got != 1)
		return failed("with page-cluster 0, a swap-in read more than its page");
	return intact(p, RA_PAGES, 5) ? 0 : failed("the region lost its data");
}

int main(int argc, char **argv)
{
	int bad;
	const char *mode = argc == 2 ? argv[1] : "";

	if (!strcmp(mode, "mremap")) {
		bad = test_mremap();
	} else if (!strcmp(mode, "swapoff")) {
		bad = test_swapoff();
	} else if (!strcmp(mode, "pagemap")) {
		bad = test_pagemap();
	} else if (!strcmp(mode, "faults")) {
		bad = test_faults();
	} else if (!strcmp(mode, "readahead")) {
		bad = test_readahead();
	} else {
		printf("usage: swapregress mremap|swapoff|pagemap|faults|readahead\n");
		return 2;
	}
	if (!bad)
		printf("swapregress: ok\n");
	return bad ? 1 : 0;
}
