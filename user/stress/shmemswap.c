/*
 * shmemswap: shared anonymous memory and tmpfs files go to swap (issue 21
 * item 7), run with RAM small and swap on (tools/swaptests.py).  A
 * MAP_SHARED|MAP_ANONYMOUS region twice the size of RAM, filled by the
 * parent, is checked by a forked child and by the parent after it left
 * RAM; a tmpfs file twice RAM is written with write() and read back with
 * read() and mmap; a tmpfs at its size= limit stays full with its pages
 * on swap; a file truncated with its pages on swap frees their slots and
 * a partial last page reads zeros past the new end; swapoff brings shmem
 * pages back intact.  Every step ends with rmap_verify and, once the
 * object is gone, with swap use back where it started.  Prints
 * "shmemswap: ok" and exits 0 on success.
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
#include <time.h>
#include <sys/syscall.h>
#include <abi/unistd.h>
#include "../tests/common/testlib.h"

#define KB 1024L
#define DISK "/dev/hdb"
#define MNT "/tmp/shmemswap"
#define FILE_PATH MNT "/big"
#define CHUNK_PAGES 16             /* pages per read()/write() */
#define LIMIT_PAGES 1024           /* size= of the full tmpfs: 4 MiB */
#define SLACK_PAGES 32             /* our own stack and buffers may be on swap too */
#define SEED_ANON 0x5eed
#define SEED_FILE 0xf11e
#define SEED_LIMIT 0x1137
#define TRUNC_KEEP (PGSZ * 3 + 100)  /* truncate leaves 3 pages and 100 bytes */

static int failed(const char *what)
{
	printf("shmemswap: FAIL %s (errno %d)\n", what, errno);
	return 1;
}

/* A number from a "Name value" line of a /proc file, or -1. */
static long proc_field(const char *path, const char *name)
{
	static char buf[8192];
	char *at;
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	at = strstr(buf, name);
	return at ? strtol(at + strlen(name), NULL, 10) : -1;
}

static long swap_used_kb(void)
{
	return proc_field("/proc/meminfo", "SwapTotal:") - proc_field("/proc/meminfo", "SwapFree:");
}

static long pswpout(void)
{
	return proc_field("/proc/vmstat", "pswpout ");
}

static size_t ram_pages(void)
{
	return (size_t)proc_field("/proc/meminfo", "MemTotal:") * KB / PGSZ;
}

/* Swap use is back to start (give or take our own few pages): the object's slots are free. */
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

/* Shared anonymous memory: filled by us, checked by a child and by us after swap-out. */
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
		_exit(check_pages(p, pages, SEED_ANON) == -1 ? 0 : 1);
	if (wait_status(pid, 0) != 0)
		bad += failed("the child read the shared pages back wrong");
	if (check_pages(p, pages, SEED_ANON) != -1)
		bad += failed("the parent read the shared pages back wrong");
	bad += verified("rmap_verify with shared anonymous pages on swap");
	munmap(p, pages * PGSZ);
	return bad + swap_back("the last unmap of shared anonymous memory", used);
}

/* Write pages [from, from + n) of path's pattern with write(), or check them with read(). */
static int file_pages(int fd, size_t from, size_t n, unsigned seed, int write_them)
{
	static char buf[CHUNK_PAGES * PGSZ];

	for (size_t i = from; i < from + n; i += CHUNK_PAGES) {
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

/* A tmpfs file twice RAM: write(), then read() and mmap, then unlink frees the slots. */
static int test_tmpfs_file(size_t pages)
{
	long used = swap_used_kb(), out = pswpout();
	char options[32];
	int bad, fd;
	char *p;

	snprintf(options, sizeof(options), "size=%luk", (unsigned long)(pages * 2 * PGSZ / KB));
	bad = mount_tmpfs(options);
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (bad || fd < 0)
		return bad + failed("open a tmpfs file");
	if (file_pages(fd, 0, pages, SEED_FILE, 1))
		bad += failed("write() a tmpfs file twice RAM");
	if (pswpout() - out < (long)pages / 2)
		bad += failed("tmpfs pages did not go to swap (pswpout)");
	if (file_pages(fd, 0, pages, SEED_FILE, 0))
		bad += failed("read() the tmpfs file back");
	p = mmap(NULL, pages * PGSZ, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		bad += failed("mmap the tmpfs file");
	else {
		for (size_t i = 0; i < pages; i += CHUNK_PAGES) {
			size_t k = pages - i < CHUNK_PAGES ? pages - i : CHUNK_PAGES;

			for (size_t j = 0; j < k; j++)
				if (check_pattern(p + (i + j) * PGSZ, PGSZ, SEED_FILE + i + j) != -1) {
					bad += failed("a mapped tmpfs page read back wrong");
					i = pages;
					break;
				}
		}
		bad += verified("rmap_verify with a mapped tmpfs file on swap");
		munmap(p, pages * PGSZ);
	}
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
 * out, and gives ENOSPC; truncate to a partial page frees the slots of
 * the rest, and the partial page (on swap) reads zeros past the new end.
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
	if (file_pages(fd, 0, LIMIT_PAGES, SEED_LIMIT, 1))
		bad += failed("fill the tmpfs to its limit");
	out = pswpout();
	memory_pressure(pages);
	if (pswpout() - out < LIMIT_PAGES / 2)
		bad += failed("the full tmpfs's pages did not go to swap");
	if (bfree() != 0)
		bad += failed("statfs: a full tmpfs has free blocks once its pages are on swap");
	errno = 0;
	if (pwrite(fd, &c, 1, LIMIT_PAGES * PGSZ) != -1 || errno != ENOSPC)
		bad += failed("a write past size= with the pages on swap was not ENOSPC");
	if (file_pages(fd, 0, LIMIT_PAGES, SEED_LIMIT, 0))
		bad += failed("read the full tmpfs back");
	memory_pressure(pages);
	if (ftruncate(fd, TRUNC_KEEP) || ftruncate(fd, LIMIT_PAGES * PGSZ))
		bad += failed("ftruncate");
	if (file_pages(fd, 0, 3, SEED_LIMIT, 0))
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

/*
 * swapoff with shared anonymous and tmpfs pages on swap (half of RAM
 * each, pushed out by a child's pressure): each comes back intact.  Most
 * of it goes first, so that the rest fits in RAM and swapoff may succeed.
 */
static int test_swapoff(size_t ram)
{
	size_t half = ram / 2, kept = ram / 8;
	char *p = mmap(NULL, half * PGSZ, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	char options[32];
	int bad, fd;

	snprintf(options, sizeof(options), "size=%luk", (unsigned long)(ram * PGSZ / KB));
	bad = mount_tmpfs(options);
	fd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (bad || fd < 0 || p == MAP_FAILED)
		return bad + failed("set up for swapoff");
	fill_pages(p, half, SEED_ANON);
	if (file_pages(fd, 0, half, SEED_FILE, 1))
		bad += failed("write the tmpfs file for swapoff");
	memory_pressure(ram);
	munmap(p + kept * PGSZ, (half - kept) * PGSZ);
	if (ftruncate(fd, (off_t)(kept * PGSZ)))
		bad += failed("ftruncate before swapoff");
	if (swap_used_kb() < (long)(kept * PGSZ / KB))
		bad += failed("too little on swap to test swapoff");
	if (syscall(__NR_swapoff, DISK))
		bad += failed("swapoff with shmem pages on swap");
	if (swap_used_kb() != 0)
		bad += failed("swap still in use after swapoff");
	if (check_pages(p, kept, SEED_ANON) != -1)
		bad += failed("shared anonymous pages came back from swapoff wrong");
	if (file_pages(fd, 0, kept, SEED_FILE, 0))
		bad += failed("tmpfs pages came back from swapoff wrong");
	bad += verified("rmap_verify after swapoff");
	if (syscall(__NR_swapon, DISK, 0))
		bad += failed("swapon again");
	munmap(p, kept * PGSZ);
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
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	bad += test_shared_anon(ram * 2);
	printf("T anon %ld\n", ms_since(&t0));
	bad += test_tmpfs_file(ram * 2);
	printf("T file %ld\n", ms_since(&t0));
	bad += test_limit_and_truncate(ram * 2);
	printf("T limit %ld\n", ms_since(&t0));
	bad += test_swapoff(ram);
	printf("T swapoff %ld\n", ms_since(&t0));
	if (bad)
		return 1;
	printf("shmemswap: ok\n");
	return 0;
}
