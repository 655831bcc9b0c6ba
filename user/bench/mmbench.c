/*
 * mmbench: the workloads of `make bench-linux` (tools/bench-linux), one
 * static binary run as it is under anvil and under Linux 6.1, so the two
 * kernels do the same work.  Times come from CLOCK_MONOTONIC.  Rows are
 * printed as vmbench's; the groups named on the command line run in order:
 *
 *   proc         fork/exit/wait, fork of 16 MiB, a COW write storm, first
 *                touch of 64 MiB, mremap moves of 64 MiB (needs ~200 MiB RAM)
 *   vmas         the cost of the n-th mmap and munmap and of the other walks
 *                a process with n mappings meets, n = 1000, 10000, 65000
 *   swap         an 80 MiB working set written, then checksummed (run it
 *                with less RAM and a swap disk; exit 1 if a byte is wrong)
 *   file DEV     DEV (ext2, holding the 64 MiB file "big") mounted on /mnt:
 *                a cold read, a write + fsync, an mmap read-through
 *   quick        small versions of proc and vmas (the test suite's smoke run)
 *
 * The first line, "kbench: start", marks the end of the boot for the runner.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "bench.h"

#define MNT "/mnt"
#define BIG_FILE MNT "/big"          /* 64 MiB of "anvil filebench\n" lines (tools/bench-linux) */
#define BIG_FILE_SIZE (64 * MB)
#define BIG_FILE_WORD 0x69766e61     /* "anvi": the first word of every page of it */
#define NEW_FILE MNT "/new"
#define NEW_FILE_SIZE (32 * MB)
#define IO_CHUNK (64 * KB)           /* read()'s and write()'s buffer */
#define SWAP_SET (80 * MB)
#define MOVE_ALIGN (4 * MB)          /* what one i386 page table maps */
#define VMA_OPS 256                  /* mmaps and munmaps timed at each n */
#define VMA_FAULTS 4096              /* pages read, spread over the n mappings */
#define VMA_STRIDE 7919              /* a prime: the faulted pages visit mappings far apart */
#define VMA_FORKS 3
#define FIX_SHIFT 16                 /* the fixed-point log2's fraction bits */
#define FAILED (~0ULL)               /* a cost the kernel could not be asked: row says "failed" */

/* The sizes of one run: the full rows or the smoke test's. */
struct sizes {
	int forks;                   /* fork + _exit + wait rounds */
	size_t touched;              /* the forked process's memory; the COW storm's */
	int big_forks;
	size_t first_touch;
	size_t move;                 /* mremap's */
	int vma_counts[3];
};

static const struct sizes full = { 1000, 16 * MB, 20, 64 * MB, 64 * MB, { 1000, 10000, 65000 } };
static const struct sizes quick = { 50, 2 * MB, 3, 4 * MB, 8 * MB, { 100, 400, 1000 } };

static unsigned long long us_since(unsigned long long t0)
{
	return (now_ns() - t0) / 1000;
}

static void wait_ok(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		die("mmbench: fork/wait");
}

/* ns for one fork + child _exit + wait, the mean of rounds */
static unsigned long long fork_exit_wait_ns(int rounds)
{
	unsigned long long t0 = now_ns();

	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		wait_ok(pid);
	}
	return (now_ns() - t0) / rounds;
}

/* A child that lives until the parent closes *hold's write end; *hold is its pipe. */
static pid_t held_child(int hold[2])
{
	char c;
	pid_t pid;

	if (pipe(hold))
		die("mmbench: pipe");
	pid = fork();
	if (pid == 0) {
		close(hold[1]);
		_exit(read(hold[0], &c, 1) == 0 ? 0 : 1);
	}
	close(hold[0]);
	return pid;
}

/* len bytes at a 4 MiB boundary: mmap 4 MiB more, keep the aligned middle */
static char *map_aligned(size_t len, int prot)
{
	char *p = mmap(NULL, len + MOVE_ALIGN, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		die("mmbench: mmap");
	a = (char *)(((unsigned long)p + MOVE_ALIGN - 1) & ~(unsigned long)(MOVE_ALIGN - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + len, p + MOVE_ALIGN - a);
	return a;
}

/*
 * mremap(MREMAP_FIXED) of len touched bytes from a 4 MiB-aligned source to
 * a destination shifted by dst_shift from a 4 MiB boundary; us.
 */
static unsigned long long mremap_move_us(size_t len, size_t dst_shift)
{
	char *src = map_aligned(len, PROT_READ | PROT_WRITE);
	char *dst = map_aligned(len + MOVE_ALIGN, PROT_NONE) + dst_shift;
	unsigned long long t0;
	char *moved;

	touch(src, len);
	munmap(dst - dst_shift, len + MOVE_ALIGN);     /* a hole to move into */
	t0 = now_ns();
	moved = mremap(src, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	t0 = us_since(t0);
	if (moved != dst || moved[PAGE] != (char)PAGE || moved[len - PAGE] != (char)(len - PAGE)) {
		fprintf(stderr, "mmbench: mremap did not move the area\n");
		exit(1);
	}
	munmap(moved, len);
	return t0;
}

static void bench_proc(const struct sizes *s)
{
	char what[96];
	char *p = map_anon(s->touched);
	unsigned long long t;
	int hold[2];
	pid_t pid;

	snprintf(what, sizeof(what), "%d x fork+_exit+wait", s->forks);
	kbench_row("process", what, fork_exit_wait_ns(s->forks) * s->forks / 1000, "us");

	touch(p, s->touched);
	snprintf(what, sizeof(what), "fork+_exit+wait, %zu MiB touched", s->touched / MB);
	kbench_row("fork", what, fork_exit_wait_ns(s->big_forks) / 1000, "us");

	/* the parent writes every page while the child still maps them all */
	pid = held_child(hold);
	t = now_ns();
	touch(p, s->touched);
	t = us_since(t);
	close(hold[1]);
	wait_ok(pid);
	snprintf(what, sizeof(what), "COW write storm after fork, %zu MiB", s->touched / MB);
	kbench_row("cow", what, t, "us");
	munmap(p, s->touched);

	p = mmap(NULL, s->first_touch, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmbench: mmap");
	t = now_ns();
	touch(p, s->first_touch);
	t = now_ns() - t;
	snprintf(what, sizeof(what), "first touch of %zu MiB anonymous", s->first_touch / MB);
	kbench_row("fault", what, t / 1000, "us");
	kbench_row("fault", what, t ? s->first_touch / PAGE * NSEC / t : 0, "pages/s");
	munmap(p, s->first_touch);

	snprintf(what, sizeof(what), "move %zu MiB, 4 MiB-aligned source and destination",
		 s->move / MB);
	kbench_row("mremap", what, mremap_move_us(s->move, 0), "us");
	snprintf(what, sizeof(what), "move %zu MiB, destination not 4 MiB-aligned", s->move / MB);
	kbench_row("mremap", what, mremap_move_us(s->move, PAGE), "us");
}

/* log2(x) in fixed point (FIX_SHIFT fraction bits), x >= 1: the bits by squaring */
static long long log2_fixed(unsigned long long x)
{
	long long ip = 0;
	unsigned long long y;

	if (x == 0)
		x = 1;
	while (x >> (ip + 1))
		ip++;
	/* y = x / 2^ip in Q30, in [1, 2) */
	y = ip > 30 ? x >> (ip - 30) : x << (30 - ip);
	ip <<= FIX_SHIFT;
	for (int bit = FIX_SHIFT - 1; bit >= 0; bit--) {
		y = (y * y) >> 30;
		if (y >= 2ULL << 30) {
			y >>= 1;
			ip |= 1LL << bit;
		}
	}
	return ip;
}

/*
 * How a per-operation cost grows with n: c(n) ~ n^e, e from the first and
 * the last n (0: constant, 1: linear, 2: quadratic).  Printed in hundredths.
 */
static void growth_row(const char *what, const int *n, const unsigned long long *c, int k)
{
	long long e = (log2_fixed(c[k - 1]) - log2_fixed(c[0])) * 100 /
		      (log2_fixed(n[k - 1]) - log2_fixed(n[0]));
	long long m = e < 0 ? -e : e;

	if (c[0] == FAILED || c[k - 1] == FAILED)
		printf("kbench: vma | %s, growth exponent n = %d..%d | failed | exponent\n",
		       what, n[0], n[k - 1]);
	else
		printf("kbench: vma | %s, growth exponent n = %d..%d | %s%lld.%02lld | exponent\n",
		       what, n[0], n[k - 1], e < 0 ? "-" : "", m / 100, m % 100);
	fflush(stdout);
}

/*
 * us to read /proc/self/maps whole; FAILED if the kernel has no memory for
 * the text (a kernel that makes it whole at open, not a page at a time).
 */
static unsigned long long read_maps_us(void)
{
	static char buf[IO_CHUNK];
	unsigned long long t0 = now_ns();
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t got;

	if (fd < 0 && errno == ENOMEM) {
		perror("mmbench: open /proc/self/maps");
		return FAILED;
	}
	if (fd < 0)
		die("mmbench: /proc/self/maps");
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		;
	if (got < 0)
		die("mmbench: read /proc/self/maps");
	close(fd);
	return us_since(t0);
}

enum vma_row { VMA_MMAP, VMA_MUNMAP, VMA_MAPS, VMA_FAULT, VMA_FORK, VMA_EXIT, VMA_ROWS };

static const char *const vma_what[VMA_ROWS] = {
	[VMA_MMAP] = "one-page mmap",
	[VMA_MUNMAP] = "one-page munmap",
	[VMA_MAPS] = "read /proc/self/maps",
	[VMA_FAULT] = "read fault on a page of one of them (find_vma)",
	[VMA_FORK] = "fork+_exit+wait",
	[VMA_EXIT] = "exit+wait of a child",
};

static const char *const vma_unit[VMA_ROWS] = {
	[VMA_MMAP] = "ns", [VMA_MUNMAP] = "ns", [VMA_MAPS] = "us", [VMA_FAULT] = "ns",
	[VMA_FORK] = "us", [VMA_EXIT] = "us",
};

/* Costs at n mappings: block holds them, one page each, neighbours of other PROT. */
static void vma_costs(char *block, int n, unsigned long long cost[VMA_ROWS])
{
	static void *pages[VMA_OPS];
	int faults = n < VMA_FAULTS ? n : VMA_FAULTS;
	unsigned long long t;
	int hold[2];
	pid_t pid;

	/* PROT_EXEC: the new pages merge neither with the block nor with each other */
	t = now_ns();
	for (int i = 0; i < VMA_OPS; i++) {
		pages[i] = mmap(NULL, PAGE, PROT_EXEC | (i & 1 ? PROT_READ : 0),
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (pages[i] == MAP_FAILED)
			die("mmbench: mmap at n mappings");
	}
	cost[VMA_MMAP] = (now_ns() - t) / VMA_OPS;
	t = now_ns();
	for (int i = 0; i < VMA_OPS; i++)
		if (munmap(pages[i], PAGE))
			die("mmbench: munmap at n mappings");
	cost[VMA_MUNMAP] = (now_ns() - t) / VMA_OPS;

	cost[VMA_MAPS] = read_maps_us();

	t = now_ns();
	for (int i = 0; i < faults; i++)
		(void)*(volatile char *)(block + (size_t)((unsigned long long)i * VMA_STRIDE % n) * PAGE);
	cost[VMA_FAULT] = (now_ns() - t) / faults;
	if (madvise(block, (size_t)n * PAGE, MADV_DONTNEED))    /* the next n faults again */
		die("mmbench: madvise");

	cost[VMA_FORK] = fork_exit_wait_ns(VMA_FORKS) / 1000;

	pid = held_child(hold);
	t = now_ns();
	close(hold[1]);
	wait_ok(pid);
	cost[VMA_EXIT] = us_since(t);
}

/*
 * The block: n one-page mappings, PROT_READ and PROT_READ|PROT_WRITE in
 * turn so neighbours do not merge, built downwards from the top of a free
 * range with MAP_FIXED (no address search, no mapping replaced: building
 * costs neither kernel a walk).  A search for room for a new mapping must
 * get past all of them before it reaches the free part below.
 */
static void bench_vmas(const struct sizes *s)
{
	const int *n = s->vma_counts;
	int k = sizeof(s->vma_counts) / sizeof(s->vma_counts[0]), built = 0;
	size_t span = (size_t)n[k - 1] * PAGE;
	char *top = mmap(NULL, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	unsigned long long cost[3][VMA_ROWS];
	char what[96];

	if (top == MAP_FAILED || munmap(top, span))     /* a free range that big */
		die("mmbench: mmap block");
	top += span;
	for (int j = 0; j < k; j++) {
		for (; built < n[j]; built++)
			if (mmap(top - (size_t)(built + 1) * PAGE, PAGE,
				 PROT_READ | (built & 1 ? PROT_WRITE : 0),
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
				die("mmbench: mmap MAP_FIXED");
		vma_costs(top - (size_t)n[j] * PAGE, n[j], cost[j]);
		for (int r = 0; r < VMA_ROWS; r++) {
			snprintf(what, sizeof(what), "%s, n = %d mappings", vma_what[r], n[j]);
			if (cost[j][r] == FAILED)
				printf("kbench: vma | %s | failed | %s\n", what, vma_unit[r]);
			else
				kbench_row("vma", what, cost[j][r], vma_unit[r]);
		}
	}
	for (int r = 0; r < VMA_ROWS; r++) {
		unsigned long long c[3];

		for (int j = 0; j < k; j++)
			c[j] = cost[j][r];
		growth_row(vma_what[r], n, c, k);
	}
	munmap(top - span, span);
}

/* The word the swap pass writes at word i: differs per word and per page. */
static unsigned int swap_word(size_t i)
{
	return (unsigned int)(i * 2654435761u) ^ (unsigned int)(i >> 10);
}

/*
 * Every word of SWAP_SET written, then read back and summed: with less
 * RAM than that, the write pass swaps out and the sum pass swaps in.
 */
static void bench_swap(void)
{
	size_t words = SWAP_SET / sizeof(unsigned int);
	unsigned int *p = map_anon(SWAP_SET), want = 0, got = 0;
	unsigned long long t;
	size_t bad = 0;

	t = now_ns();
	for (size_t i = 0; i < words; i++) {
		p[i] = swap_word(i);
		want += p[i];
	}
	kbench_row("swap", "write pass, 80 MiB working set", us_since(t), "us");
	t = now_ns();
	for (size_t i = 0; i < words; i++) {
		got += p[i];
		bad += p[i] != swap_word(i);
	}
	kbench_row("swap", "checksum pass, 80 MiB working set", us_since(t), "us");
	if (got != want || bad) {
		fprintf(stderr, "mmbench: swap checksum wrong: %zu words differ\n", bad);
		exit(1);
	}
	kbench_row("swap", "checksum ok", 1, "bool");
	munmap(p, SWAP_SET);
}

static void mount_ext2(const char *dev)
{
	mkdir(MNT, 0755);
	if (mount(dev, MNT, "ext2", 0, NULL))
		die("mmbench: mount");
}

/* umount and mount again: the files' pages leave the page cache on both kernels */
static void remount_ext2(const char *dev)
{
	if (umount(MNT))
		die("mmbench: umount");
	mount_ext2(dev);
}

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags, 0644);

	if (fd < 0)
		die(path);
	return fd;
}

static void check_word(unsigned int w, const char *what)
{
	if (w != BIG_FILE_WORD) {
		fprintf(stderr, "mmbench: %s: %s read %#x\n", BIG_FILE, what, w);
		exit(1);
	}
}

static void bench_file(const char *dev)
{
	static char buf[IO_CHUNK];
	unsigned long long t;
	size_t total = 0;
	ssize_t got;
	char *map;
	int fd;

	mount_ext2(dev);
	fd = open_or_die(BIG_FILE, O_RDONLY);
	t = now_ns();
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		check_word(*(unsigned int *)buf, "read()");
		total += got;
	}
	t = us_since(t);
	close(fd);
	if (total != BIG_FILE_SIZE)
		die("mmbench: read of " BIG_FILE);
	kbench_row("file", "sequential read() of a 64 MiB file, cold cache", t, "us");

	memset(buf, 'w', sizeof(buf));
	fd = open_or_die(NEW_FILE, O_WRONLY | O_CREAT | O_TRUNC);
	t = now_ns();
	for (total = 0; total < NEW_FILE_SIZE; total += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			die("mmbench: write");
	if (fsync(fd))
		die("mmbench: fsync");
	t = us_since(t);
	close(fd);
	unlink(NEW_FILE);
	kbench_row("file", "write() of a new 32 MiB file + fsync", t, "us");

	remount_ext2(dev);
	fd = open_or_die(BIG_FILE, O_RDONLY);
	map = mmap(NULL, BIG_FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmbench: mmap " BIG_FILE);
	t = now_ns();
	for (size_t off = 0; off < BIG_FILE_SIZE; off += PAGE)
		check_word(*(unsigned int *)(map + off), "mmap");
	t = us_since(t);
	kbench_row("file", "mmap of a 64 MiB file read through, cold cache", t, "us");
	munmap(map, BIG_FILE_SIZE);
	close(fd);
	if (umount(MNT))
		die("mmbench: umount");
}

static void usage(void)
{
	fprintf(stderr, "usage: mmbench {proc | vmas | swap | file DEV | quick}...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	kbench_row("mmbench", "start", 0, "-");
	if (argc < 2)
		usage();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "proc")) {
			bench_proc(&full);
		} else if (!strcmp(argv[i], "vmas")) {
			bench_vmas(&full);
		} else if (!strcmp(argv[i], "swap")) {
			bench_swap();
		} else if (!strcmp(argv[i], "file") && i + 1 < argc) {
			bench_file(argv[++i]);
		} else if (!strcmp(argv[i], "quick")) {
			bench_proc(&quick);
			bench_vmas(&quick);
		} else {
			usage();
		}
	}
	printf("kbench: done\n");
	return 0;
}
