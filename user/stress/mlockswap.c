/*
 * mlockswap: locked memory under memory pressure, with swap on and RAM
 * small (tools/swaptests.py, under every rmap scheme).
 *
 *  1. A process locks everything it has (mlockall), part of it pages it
 *     shares with its unlocked parent (the rmap walk meets the parent's
 *     PTE and the locked one); memory pressure swaps out the parent's
 *     memory, never a locked page: the locker has no swap entry
 *     and takes no major fault reading it all back, and reclaim culled
 *     the pages off the LRU (unevictable_pgs_culled, nr_mlock), which
 *     /proc/kpageflags shows as MLOCKED and UNEVICTABLE.
 *  2. munlockall gives them back to reclaim (nr_mlock 0): the next
 *     pressure swaps them out, and they come back intact.
 *  3. mincore on swapped-out memory: 0 for a page on swap, 1 again once
 *     MADV_WILLNEED has read it into the swap cache (its PTE still a swap
 *     entry); MADV_PAGEOUT swaps out exactly the pages asked for.
 * rmap_verify after each step.  Prints "mlockswap: ok" and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <abi/unistd.h>
#include <abi/anvil.h>
#include <abi/kernel-page-flags.h>
#include "../tests/common/testlib.h"

#define MB (1024 * 1024)
#define PAGE 4096
#define KB_PER_PAGE (PAGE / 1024)
#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define SHARED_MB 4             /* the parent's, shared with the locker after fork */
#define PRIVATE_MB 4            /* the parent's own, unlocked */
#define LOCKED_MB 2             /* the locker's own, mapped after mlockall(MCL_FUTURE) */
#define PRESSURE_MB 40          /* touched by a child: well over the RAM the suite gives */
#define PRESSURE_TRIES 4
#define MIN_PRESSURE 2          /* rounds, whatever went to swap in the first */
#define SWAPPED_KB ((SHARED_MB + PRIVATE_MB) * 1024 / 2)   /* of the parent's, to call it pressure */
#define PAGEOUT_PAGES 64
#define WAIT_MS 5000            /* for reads from swap to arrive */
#define MINFLT_FIELD 10         /* of /proc/<pid>/stat */
#define MAJFLT_FIELD 12

static int failed(const char *what)
{
	printf("mlockswap: %s (errno %d)\n", what, errno);
	return 1;
}

/* Do the pages still hold fill_pages' pattern for seed? */
static int intact(const char *p, size_t pages, unsigned seed)
{
	return check_pages(p, pages, seed) < 0;
}

static char *read_file(const char *path)
{
	static char buf[8192];
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static long vmswap_kb(void)
{
	return proc_field("/proc/self/status", "VmSwap:");
}

static long vmstat(const char *name)
{
	char key[64];

	snprintf(key, sizeof(key), "%s ", name);
	return proc_field("/proc/vmstat", key);
}

/* Field n of /proc/self/stat (the fault counts), or -1. */
static long stat_field(int n)
{
	char *p = strrchr(read_file("/proc/self/stat"), ')');

	for (int field = 2; p && field < n; field++)
		p = strchr(p + 1, ' ');
	return p ? strtol(p + 1, NULL, 10) : -1;
}

static long major_faults(void)
{
	return stat_field(MAJFLT_FIELD);
}

/* Pages of [p, p + pages) mincore calls resident, or -1. */
static long resident(const char *p, size_t pages)
{
	static unsigned char vec[SHARED_MB * MB / PAGE];
	long n = 0;

	if (pages > sizeof(vec) || mincore((void *)p, pages * PAGE, vec))
		return -1;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A child touches more memory than RAM and exits: cold pages elsewhere go to swap. */
static void pressure(void)
{
	memory_pressure((size_t)PRESSURE_MB * MB / PAGE);
}

static int rmap_ok(const char *when)
{
	return syscall(__NR_anvil_rmap_verify) ? failed(when) : 0;
}

/*
 * How many pages of [p, p + pages) /proc/kpageflags shows as culled by
 * reclaim for a lock: MLOCKED and UNEVICTABLE (the frame from our
 * pagemap, which shows frames to root only).  -1 if the files fail.
 */
static long culled_pages(const char *p, size_t pages)
{
	const unsigned long long want = 1ULL << KPF_MLOCKED | 1ULL << KPF_UNEVICTABLE;
	int map = open("/proc/self/pagemap", O_RDONLY), kpf = open("/proc/kpageflags", O_RDONLY);
	long n = 0;

	for (size_t i = 0; i < pages && n >= 0; i++) {
		unsigned long long entry, flags;
		off_t at = ((unsigned long)p / PAGE + i) * PM_ENTRY_BYTES;

		if (pread(map, &entry, sizeof(entry), at) != sizeof(entry) || !(entry & PM_PRESENT) ||
		    pread(kpf, &flags, sizeof(flags), (entry & PM_PFRAME_MASK) * PM_ENTRY_BYTES) !=
		    sizeof(flags))
			n = -1;
		else if ((flags & want) == want)
			n++;
	}
	close(map);
	close(kpf);
	return n;
}

/* The locker's checks after pressure: nothing of it on swap, nothing read back from disk. */
static int locker_check(const char *shared, const char *own)
{
	size_t shared_pages = SHARED_MB * MB / PAGE, own_pages = LOCKED_MB * MB / PAGE;
	long faults = major_faults(), culled_shared, culled_own;

	if (vmswap_kb() != 0)
		return failed("a locked page went to swap");
	if (resident(shared, shared_pages) != (long)shared_pages ||
	    resident(own, own_pages) != (long)own_pages)
		return failed("a locked page is not resident");
	if (!intact(shared, shared_pages, 1) || !intact(own, own_pages, 3))
		return failed("locked memory lost its data");
	if (major_faults() != faults)
		return failed("reading locked memory took a major fault");
	culled_shared = culled_pages(shared, shared_pages);
	culled_own = culled_pages(own, own_pages);
	if (culled_shared < 0 || culled_own < 0)
		return failed("reading pagemap and kpageflags");
	if (culled_shared + culled_own == 0)
		return failed("kpageflags shows no locked page MLOCKED and UNEVICTABLE");
	return 0;
}

/*
 * The child: lock everything (the shared pages too, which the parent
 * keeps unlocked), map more under MCL_FUTURE, then answer each command
 * byte on cmd with a result byte on res: 'c' check while locked, 'u'
 * munlockall, 's' check after the pages could go to swap.
 */
static void locker(char *shared, int cmd, int res)
{
	size_t own_pages = LOCKED_MB * MB / PAGE;
	char *own, c, r;

	/* read-only, the lock faults the shared pages in for reading: they stay shared, not copied */
	if (mprotect(shared, SHARED_MB * MB, PROT_READ) || mlockall(MCL_CURRENT | MCL_FUTURE))
		_exit(failed("mlockall"));
	own = mmap(NULL, own_pages * PAGE, RW, ANON, -1, 0);
	if (own == MAP_FAILED || resident(own, own_pages) != (long)own_pages)
		_exit(failed("MCL_FUTURE did not fault in a new mapping"));
	fill_pages(own, own_pages, 3);
	write(res, "r", 1);
	while (read(cmd, &c, 1) == 1) {
		r = '0';
		if (c == 'c')
			r += locker_check(shared, own);
		else if (c == 'u')
			r += munlockall() != 0;
		else if (c == 's')
			r += vmswap_kb() <= 0 || !intact(shared, SHARED_MB * MB / PAGE, 1) ||
			     !intact(own, own_pages, 3);
		write(res, &r, 1);
	}
	_exit(0);
}

static int ask(int cmd, int res, char what)
{
	char r = '?';

	return write(cmd, &what, 1) != 1 || read(res, &r, 1) != 1 || r != '0';
}

/* Steps 1 and 2. */
static int locked_under_pressure(char *shared, char *private)
{
	int to[2], from[2], bad = 0, tries;
	long culled = vmstat("unevictable_pgs_culled");
	pid_t pid;
	char c;

	if (pipe(to) || pipe(from))
		return failed("pipe");
	pid = fork();
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		locker(shared, to[0], from[1]);
	}
	close(to[0]);
	close(from[1]);
	if (pid < 0 || read(from[0], &c, 1) != 1)
		return failed("the locker did not start");
	for (tries = 0; tries < PRESSURE_TRIES && (tries < MIN_PRESSURE || vmswap_kb() < SWAPPED_KB);
	     tries++)
		pressure();
	if (vmswap_kb() < SWAPPED_KB)
		bad += failed("the unlocked memory never went to swap");
	if (ask(to[1], from[0], 'c'))
		bad += failed("the locker's memory did not stay in RAM");
	if (vmstat("unevictable_pgs_culled") <= culled || vmstat("nr_mlock") <= 0)
		bad += failed("reclaim did not cull the locked pages off the LRU");
	bad += rmap_ok("rmap_verify with locked pages culled");
	if (ask(to[1], from[0], 'u'))
		bad += failed("munlockall");
	if (vmstat("nr_mlock") != 0)
		bad += failed("munlockall left pages culled");
	for (tries = 0; tries < MIN_PRESSURE; tries++)
		pressure();
	if (ask(to[1], from[0], 's'))
		bad += failed("unlocked, the locker's memory never went to swap, or lost its data");
	bad += rmap_ok("rmap_verify after munlockall and pressure");
	close(to[1]);
	waitpid(pid, NULL, 0);
	return bad;
}

/* Poll until all pages of [p, p + pages) are resident; 1 if they became so. */
static int wait_resident(const char *p, size_t pages)
{
	for (long ms = 0; ms < WAIT_MS; ms += 10) {
		if (resident(p, pages) == (long)pages)
			return 1;
		sleep_ms(10);
	}
	return 0;
}

/* Step 3, on the parent's own pages, much of which is on swap after step 2. */
static int mincore_and_swap(char *private)
{
	size_t pages = PRIVATE_MB * MB / PAGE;
	long missing = (long)pages - resident(private, pages), minor, major, before;
	char *p;
	int bad = 0;

	if (missing <= 0)
		bad += failed("mincore calls every page resident, some are on swap");
	if (madvise(private, pages * PAGE, MADV_WILLNEED))
		bad += failed("madvise(MADV_WILLNEED)");
	if (!wait_resident(private, pages))
		bad += failed("after MADV_WILLNEED, mincore never called the pages resident");
	/* in the swap cache, but their PTEs still swap entries: a minor fault each, no I/O */
	minor = stat_field(MINFLT_FIELD);
	major = major_faults();
	if (!intact(private, pages, 2))
		bad += failed("the parent's memory lost its data");
	if (major_faults() != major || stat_field(MINFLT_FIELD) - minor < missing)
		bad += failed("MADV_WILLNEED did not leave the pages in the swap cache, unmapped");
	bad += rmap_ok("rmap_verify after MADV_WILLNEED");

	p = mmap(NULL, PAGEOUT_PAGES * PAGE, RW, ANON, -1, 0);
	if (p == MAP_FAILED)
		return bad + failed("mmap");
	fill_pages(p, PAGEOUT_PAGES, 4);
	before = vmswap_kb();
	if (madvise(p, PAGEOUT_PAGES * PAGE, MADV_PAGEOUT))
		bad += failed("madvise(MADV_PAGEOUT)");
	if (vmswap_kb() - before != PAGEOUT_PAGES * KB_PER_PAGE)
		bad += failed("MADV_PAGEOUT did not swap out exactly its pages");
	for (long ms = 0; ms < WAIT_MS && resident(p, PAGEOUT_PAGES); ms += 10) {
		syscall(__NR_anvil_drop_caches);      /* frees swap-cache pages once written */
		sleep_ms(10);
	}
	if (resident(p, PAGEOUT_PAGES) != 0)
		bad += failed("pages on swap and out of the swap cache are not 0 in mincore");
	if (!intact(p, PAGEOUT_PAGES, 4) || resident(p, PAGEOUT_PAGES) != PAGEOUT_PAGES)
		bad += failed("paged-out memory did not come back");
	bad += rmap_ok("rmap_verify after MADV_PAGEOUT");
	return bad;
}

int main(void)
{
	char *shared = mmap(NULL, SHARED_MB * MB, RW, ANON, -1, 0);
	char *private = mmap(NULL, PRIVATE_MB * MB, RW, ANON, -1, 0);
	int bad;

	if (shared == MAP_FAILED || private == MAP_FAILED)
		return failed("mmap");
	fill_pages(shared, SHARED_MB * MB / PAGE, 1);
	fill_pages(private, PRIVATE_MB * MB / PAGE, 2);
	bad = locked_under_pressure(shared, private);
	if (!intact(shared, SHARED_MB * MB / PAGE, 1))
		bad += failed("the parent's copy of the shared pages lost its data");
	bad += mincore_and_swap(private);
	if (!bad)
		printf("mlockswap: ok\n");
	return bad ? 1 : 0;
}
