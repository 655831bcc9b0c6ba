/*
 * shmemswap: shared anonymous memory and tmpfs files go to swap, run with
 * RAM small and swap on (tools/swaptests.py).  /tmp is a tmpfs of half
 * of RAM.  A MAP_SHARED|MAP_ANONYMOUS region twice the
 * size of RAM, filled by the parent, is checked by a forked child and by
 * the parent after it left RAM; a tmpfs file twice RAM is written with
 * write() and read back with read() and mmap, then truncated, and swapoff
 * brings its pages and a shared region's back intact; a tmpfs at its
 * size= limit stays full with its pages on swap; a partial last page on
 * swap reads zeros past a truncation point.  Checks use rmap_verify, and
 * once an object is gone, swap use back where it started (its slots
 * free).  Prints "shmemswap: ok" and exits 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <abi/unistd.h>
#include "../tests/common/testlib.h"

#define KB 1024L
#define DISK "/dev/hdb"
#define MNT "/tmp/shmemswap"
#define FILE_PATH MNT "/big"
#define CHUNK_PAGES 16             /* pages per read()/write() */
#define LIMIT_PAGES 1024           /* size= of the full tmpfs: 4 MiB */
#define SLACK_PAGES 32             /* other processes' pages may go to swap meanwhile */
#define SEED_ANON 0x5eed
#define SEED_FILE 0xf11e
#define SEED_LIMIT 0x1137
#define TRUNC_KEEP (PGSZ * 3 + 100)  /* truncate leaves 3 pages and 100 bytes */

static int failed(const char *what)
{
	printf("shmemswap: FAIL %s (errno %d)\n", what, errno);
	return 1;
}

/*
 * Swap in use, less our own swap PTEs and the slots that only keep a
 * copy of a page already back in memory (anvil_drop_caches frees those).
 */
static long swap_used_kb(void)
{
	anvil_free_pages();
	return proc_field("/proc/meminfo", "SwapTotal:") - proc_field("/proc/meminfo", "SwapFree:") -
	       self_status_kb("VmSwap:");
}

static long pswpout(void)
{
	return proc_field("/proc/vmstat", "pswpout ");
}

static size_t ram_pages(void)
{
	return (size_t)proc_field("/proc/meminfo", "MemTotal:") * KB / PGSZ;
}

/* Swap use is back to start (give or take a few pages): the object's slots are free. */
static int swap_back(const char *what, long start_kb)
{
	long now = swap_used_kb();

	if (now > start_kb + SLACK_PAGES * (long)PGSZ / KB) {
		printf("shmemswap: FAIL %s: swap used %ld kB, %ld kB before\n", what, now, start_kb);
		return 1;
	}
	return 0;
}

static int verified(const char *when)
{
	return anvil_rmap_verify() ? failed(when) : 0;
}

/* The pages from, from + 2, from + 4 ... of npages at p hold fill_pages' pattern for seed. */
static int every_other_page_intact(const char *p, size_t npages, size_t from, unsigned seed)
{
	for (size_t i = from; i < npages; i += 2)
		if (check_pattern(p + i * PGSZ, PGSZ, seed + i) != -1)
			return 0;
	return 1;
}

/*
 * Shared anonymous memory twice RAM, filled by us: a child checks every
 * other page, we check the rest (each read back from swap once, to keep
 * the test short).
 */
static int test_shared_anon(size_t pages)
{
	long used = swap_used_kb(), out = pswpout(), shmem_kb;
	char *p = mmap(NULL, pages * PGSZ, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	int bad = 0;
	pid_t pid;

	if (p == MAP_FAILED)
		return failed("mmap shared anonymous");
	fill_pages(p, pages, SEED_ANON);
	shmem_kb = proc_field("/proc/meminfo", "Shmem:");
	if (pswpout() - out < (long)pages / 2)
		bad += failed("shared anonymous pages did not go to swap (pswpout)");
	if (shmem_kb < 0 || shmem_kb * KB > (long)(pages * PGSZ / 2))
		bad += failed("Shmem in /proc/meminfo did not drop");
	pid = fork();
	if (pid == 0)
		_exit(every_other_page_intact(p, pages, 0, SEED_ANON) ? 0 : 1);
	if (wait_status(pid, 0) != 0)
		bad += failed("the child read the shared pages back wrong");
	if (!every_other_page_intact(p, pages, 1, SEED_ANON))
		bad += failed("the parent read the shared pages back wrong");
	bad += verified("rmap_verify with shared anonymous pages on swap");
	munmap(p, pages * PGSZ);
	return bad + swap_back("the last unmap of shared anonymous memory", used);
}

/*
 * Write pages [from, from + n) of fd with fill_pages' pattern for seed
 * with write(), or check them with read(); step 2 chunks: every other one.
 */
static int file_chunks(int fd, size_t from, size_t n, size_t step, unsigned seed, int write_them)
{
	static char buf[CHUNK_PAGES * PGSZ];

	for (size_t i = from; i < from + n; i += CHUNK_PAGES * step) {
		size_t k = from + n - i < CHUNK_PAGES ? from + n - i : CHUNK_PAGES;

		if (write_them) {
			fill_pages(buf, k, seed + i);
			if (pwrite(fd, buf, k * PGSZ, (off_t)(i * PGSZ)) != (ssize_t)(k * PGSZ))
				return -1;
		} else if (pread(fd, buf, k * PGSZ, (off_t)(i * PGSZ)) != (ssize_t)(k * PGSZ) ||
			   check_pages(buf, k, seed + i) != -1) {
			return -1;
		}
	}
	return 0;
}

static int mount_tmpfs(const char *options)
{
	mkdir(MNT, 0755);
	return syscall(__NR_mount, "tmpfs", MNT, "tmpfs", 0, options) ? failed("mount") : 0;
}

/*
 * swapoff with shmem pages on swap: the tmpfs file's first `kept` pages
 * and a shared anonymous region as large, all written long ago, come back
 * intact.  The rest of the file is gone first, so that they fit in RAM.
 */
static int test_swapoff(int fd, const char *shared, size_t kept)
{
	int bad = 0;

	if (swap_used_kb() < (long)(kept * PGSZ / KB))
		bad += failed("too little on swap to test swapoff");
	if (syscall(__NR_swapoff, DISK))
		bad += failed("swapoff with shmem pages on swap");
	if (proc_field("/proc/meminfo", "SwapTotal:") != 0)
		bad += failed("swap still on after swapoff");
	if (check_pages(shared, kept, SEED_ANON) != -1)
		bad += failed("shared anonymous pages came back from swapoff wrong");
	if (file_chunks(fd, 0, kept, 1, SEED_FILE, 0))
		bad += failed("tmpfs pages came back from swapoff wrong");
	bad += verified("rmap_verify after swapoff");
	if (syscall(__NR_swapon, DISK, 0))
		bad += failed("swapon again");
	return bad;
}

/*
 * A tmpfs file twice RAM: write() (pushing out the shared region too),
 * then read() back (every other chunk) and through mmap (the rest); then
 * truncate to `kept` pages, swapoff, and unlink frees the slots.
 */
static int test_tmpfs_file(size_t pages, size_t kept)
{
	long used = swap_used_kb(), out = pswpout();
	char *shared = mmap(NULL, kept * PGSZ, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
			    -1, 0);
	char options[32];
	int bad, fd;
	char *p;

	if (shared == MAP_FAILED)
		return failed("mmap shared anonymous for swapoff");
	fill_pages(shared, kept, SEED_ANON);
	snprintf(options, sizeof(options), "size=%luk", (unsigned long)(pages * 2 * PGSZ / KB));
	bad = mount_tmpfs(options);
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (bad || fd < 0)
		return bad + failed("open a tmpfs file");
	if (file_chunks(fd, 0, pages, 1, SEED_FILE, 1))
		bad += failed("write() a tmpfs file twice RAM");
	if (pswpout() - out < (long)pages / 2)
		bad += failed("tmpfs pages did not go to swap (pswpout)");
	if (file_chunks(fd, 0, pages, 2, SEED_FILE, 0))
		bad += failed("read() the tmpfs file back");
	p = mmap(NULL, pages * PGSZ, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		bad += failed("mmap the tmpfs file");
	else {
		for (size_t i = CHUNK_PAGES; i < pages; i += 2 * CHUNK_PAGES)
			for (size_t j = i; j < i + CHUNK_PAGES && j < pages; j++)
				if (check_pattern(p + j * PGSZ, PGSZ, SEED_FILE + j) != -1) {
					bad += failed("a mapped tmpfs page read back wrong");
					i = pages;
					break;
				}
		bad += verified("rmap_verify with a mapped tmpfs file on swap");
		munmap(p, pages * PGSZ);
	}
	if (ftruncate(fd, (off_t)(kept * PGSZ)))
		bad += failed("ftruncate before swapoff");
	bad += test_swapoff(fd, shared, kept);
	munmap(shared, kept * PGSZ);
	close(fd);
	if (unlink(FILE_PATH))
		bad += failed("unlink");
	bad += swap_back("unlink of a tmpfs file on swap", used);
	if (syscall(__NR_umount2, MNT, 0))
		bad += failed("umount");
	return bad;
}

static long bfree(void)
{
	struct statfs64 s;

	return statfs64(MNT, &s) ? -1 : (long)s.f_bfree;
}

/*
 * size= counts pages on swap: a full tmpfs stays full when its pages go
 * out, and gives ENOSPC, but its pages on swap can be written again;
 * truncate to a partial page frees the slots of the rest, and the partial
 * page (on swap) reads zeros past the new end.
 */
static int test_limit_and_truncate(size_t pages)
{
	long used = swap_used_kb(), out;
	char options[32], c = 1;
	static char want[PGSZ], got[PGSZ];
	int bad, fd;

	snprintf(options, sizeof(options), "size=%ldk", LIMIT_PAGES * (long)PGSZ / KB);
	bad = mount_tmpfs(options);
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (bad || fd < 0)
		return bad + failed("open a file on the small tmpfs");
	if (file_chunks(fd, 0, LIMIT_PAGES, 1, SEED_LIMIT, 1))
		bad += failed("fill the tmpfs to its limit");
	out = pswpout();
	memory_pressure(pages / 2);
	if (pswpout() - out < LIMIT_PAGES / 2)
		bad += failed("the full tmpfs's pages did not go to swap");
	if (bfree() != 0)
		bad += failed("statfs: a full tmpfs has free blocks once its pages are on swap");
	errno = 0;
	if (pwrite(fd, &c, 1, LIMIT_PAGES * PGSZ) != -1 || errno != ENOSPC)
		bad += failed("a write past size= with the pages on swap was not ENOSPC");
	if (file_chunks(fd, 0, CHUNK_PAGES, 1, SEED_LIMIT, 1))
		bad += failed("rewriting pages on swap of a full tmpfs failed");
	if (file_chunks(fd, 0, LIMIT_PAGES, 1, SEED_LIMIT, 0))
		bad += failed("read the full tmpfs back");
	memory_pressure(pages / 2);
	if (ftruncate(fd, TRUNC_KEEP) || ftruncate(fd, LIMIT_PAGES * PGSZ))
		bad += failed("ftruncate");
	if (file_chunks(fd, 0, 3, 1, SEED_LIMIT, 0))
		bad += failed("the pages before the truncation point changed");
	fill_pattern(want, PGSZ, SEED_LIMIT + 3);
	memset(want + TRUNC_KEEP % PGSZ, 0, PGSZ - TRUNC_KEEP % PGSZ);
	if (pread(fd, got, PGSZ, 3 * PGSZ) != PGSZ || memcmp(got, want, PGSZ))
		bad += failed("the partial page (on swap) does not read zeros past the old end");
	if (pread(fd, got, PGSZ, 4 * PGSZ) != PGSZ || !all_zero(got, PGSZ))
		bad += failed("a page past the truncation point does not read zeros");
	if (ftruncate(fd, 0))
		bad += failed("ftruncate to 0");
	if (bfree() != LIMIT_PAGES)
		bad += failed("statfs: truncate to 0 did not give back every block");
	bad += swap_back("truncate of a tmpfs file on swap", used);
	close(fd);
	unlink(FILE_PATH);
	if (syscall(__NR_umount2, MNT, 0))
		bad += failed("umount");
	return bad;
}

/* /tmp is a tmpfs, as on a Linux system, whose size is half of RAM by default. */
static int test_tmp_is_tmpfs(size_t ram)
{
	struct statfs64 s;

	if (statfs64("/tmp", &s))
		return failed("statfs /tmp");
	if (s.f_type != TMPFS_MAGIC || s.f_blocks != ram / 2) {
		printf("shmemswap: FAIL /tmp: f_type %#lx, %llu blocks of %zu pages of RAM\n",
		       (unsigned long)s.f_type, (unsigned long long)s.f_blocks, ram);
		return 1;
	}
	return 0;
}

int main(void)
{
	size_t ram = ram_pages();
	int bad = test_tmp_is_tmpfs(ram);

	bad += test_shared_anon(ram * 2);
	bad += test_tmpfs_file(ram * 2, ram / 8);
	bad += test_limit_and_truncate(ram * 2);
	if (bad)
		return 1;
	printf("shmemswap: ok\n");
	return 0;
}
