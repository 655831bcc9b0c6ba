/*
 * filebench: the file rows of `make bench`, run under anvil by
 * tools/run-bench on an ext2 disk (hdc) the host made with mke2fs -d.
 * Rows are printed as vmbench's (kbench: <bench> | <what> | <value> |
 * <unit>); run-bench states them against the raw disk rows of the same
 * driver (kernel/block_bench.c) measured in the same `make bench` run.
 *
 *   filebench reclaim DEV   little RAM: a file read twice its size
 *                           (clean pages dropped by reclaim and read again)
 *                           and files written past the RAM (writeback)
 *   filebench cache DEV     enough RAM: read() against mmap of a 64 MiB
 *                           file, cold and warm; a cold exec against a warm one
 *   filebench exit          exits at once: the program the exec rows run
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <abi/mount.h>
#include "bench.h"

#define CHUNK (64 * KB)          /* read()'s and write()'s buffer */
#define MNT "/mnt"
#define BIG MNT "/big"           /* 64 MiB of data, read by both modes */
#define OLD MNT "/wb"            /* 48 MiB with its blocks: MAP_SHARED stores */
#define SPARSE MNT "/sparse"     /* made here without blocks: MAP_SHARED stores */
#define NEW MNT "/new"           /* made here by write() */
#define NEW_SIZE (48 * MB)       /* of SPARSE and NEW */
#define EXEC_PATH MNT "/filebench"
#define EXEC_ROUNDS 10

static const char *dev;

/* Every row here is a "file" row. */
static void row(const char *what, unsigned long long v, const char *unit)
{
	kbench_row("file", what, v, unit);
}

static void ratio(const char *what, unsigned long long a, unsigned long long b)
{
	kbench_ratio("file", what, a, b);
}

/* KiB/s for bytes moved in ns */
static unsigned long long kib_per_sec(unsigned long long bytes, unsigned long long ns)
{
	return ns ? bytes / KB * NSEC / ns : 0;
}

/* A /proc/vmstat counter's value. */
static unsigned long vmstat(const char *name)
{
	static char buf[8192];
	int fd = open("/proc/vmstat", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	size_t len = strlen(name);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *line = buf; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "")
		if (!strncmp(line, name, len) && line[len] == ' ')
			return strtoul(line + len + 1, NULL, 10);
	return 0;
}

static void mount_disk(int flags)
{
	if (syscall(__NR_mount, dev, MNT, "ext2", flags, NULL))
		die("filebench: mount");
}

/* umount + mount: the disk's files leave the page cache with their inodes (a cold cache). */
static void remount(int flags)
{
	if (syscall(__NR_umount, MNT))
		die("filebench: umount");
	mount_disk(flags);
}

/*
 * A sum of the first word of every page: the same work on the bytes
 * whether read() copied them or a mapping shows them, and little of it
 * (a sum of every word would measure the CPU under TCG, not the paths).
 */
static unsigned int sum_pages(const char *p, size_t len)
{
	unsigned int s = 0;

	for (size_t i = 0; i < len; i += PAGE)
		s += *(const unsigned int *)(p + i);
	return s;
}

/*
 * The file at path, open.  The benches hold it open while a warm cache
 * is wanted: anvil frees an inode and its cached pages at the last iput
 * (kernel/fs/inode.c), where Linux keeps unused inodes and their pages.
 */
static int open_file(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		die(path);
	return fd;
}

/* ns to read fd's file whole through read(); *sum gets its sum_pages. */
static unsigned long long read_file(int fd, unsigned int *sum)
{
	static char buf[CHUNK];
	unsigned long long t0 = now_ns();
	off_t pos = 0;
	ssize_t n;

	*sum = 0;
	while ((n = pread(fd, buf, sizeof(buf), pos)) > 0) {
		*sum += sum_pages(buf, n);
		pos += n;
	}
	if (n < 0)
		die("filebench: read");
	return now_ns() - t0;
}

/* ns to read fd's file (size bytes) whole through a MAP_SHARED mapping. */
static unsigned long long mmap_file(int fd, size_t size, unsigned int *sum)
{
	unsigned long long t0 = now_ns();
	void *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		die("filebench: mmap");
	*sum = sum_pages(p, size);
	munmap(p, size);
	return now_ns() - t0;
}

static size_t file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		die(path);
	return st.st_size;
}

/*
 * ns to store into every page of path (opened with flags, made size
 * bytes long) through MAP_SHARED and msync it; *written: the pages
 * reclaim wrote meanwhile.  A page of a file with blocks is read before
 * the store; one of a hole starts zeroed, its block allocated by
 * writepage.
 */
static unsigned long long store_shared(const char *path, int flags, size_t size,
				       unsigned long *written)
{
	unsigned long long ns = now_ns();
	unsigned long before = vmstat("nr_vmscan_write");
	int fd = open(path, O_RDWR | flags, 0644);
	char *p;

	if (fd < 0 || ftruncate(fd, size))
		die(path);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die(path);
	for (size_t i = 0; i < size; i += PAGE)
		memset(p + i, (int)(i / PAGE), PAGE);
	if (msync(p, size, MS_SYNC))
		die("filebench: msync");
	munmap(p, size);
	close(fd);
	*written = vmstat("nr_vmscan_write") - before;
	return now_ns() - ns;
}

/*
 * Little RAM.  The file is read twice: the second pass finds none of its
 * pages (the first pass's later pages pushed out its earlier ones), so
 * each page read needs reclaim to drop a clean one.  Then the writeback
 * rows: stores into every page of an existing file and of a sparse one
 * through MAP_SHARED (reclaim unmaps and writes the dirty pages through
 * ext2_writepage; msync the rest), and a new file by write() (block
 * allocation, balance_dirty_pages, pdflush; fsync the rest).
 */
static int bench_reclaim(void)
{
	static char buf[CHUNK];
	size_t big = file_size(BIG), old = file_size(OLD);
	unsigned long steal, written, pgpgin;
	unsigned long long ns;
	unsigned int sum, again;
	int fd = open_file(BIG);

	read_file(fd, &sum);
	steal = vmstat("pgsteal_file");
	pgpgin = vmstat("pgpgin");
	ns = read_file(fd, &again);
	close(fd);
	if (again != sum) {
		fprintf(stderr, "filebench: the second read differs\n");
		return 1;
	}
	row("read() of a 64 MiB file, 2nd pass, clean pages reclaimed", kib_per_sec(big, ns),
	    "KiB/s");
	row("  file pages reclaimed (pgsteal_file) in that pass", vmstat("pgsteal_file") - steal,
	    "pages");
	row("  read from the disk (pgpgin) in that pass", vmstat("pgpgin") - pgpgin, "KiB");

	ns = store_shared(OLD, 0, old, &written);
	row("MAP_SHARED stores to a 48 MiB file (read in first) + msync", kib_per_sec(old, ns),
	    "KiB/s");
	row("  written by reclaim (nr_vmscan_write)", written, "pages");
	ns = store_shared(SPARSE, O_CREAT | O_TRUNC, NEW_SIZE, &written);
	row("MAP_SHARED stores to a sparse 48 MiB file + msync (writeback)",
	    kib_per_sec(NEW_SIZE, ns), "KiB/s");
	row("  written by reclaim (nr_vmscan_write)", written, "pages");

	memset(buf, 'w', sizeof(buf));
	ns = now_ns();
	fd = open(NEW, O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		die(NEW);
	for (size_t done = 0; done < NEW_SIZE; done += CHUNK)
		if (write(fd, buf, CHUNK) != CHUNK)
			die("filebench: write");
	if (fsync(fd))
		die("filebench: fsync");
	close(fd);
	ns = now_ns() - ns;
	row("write() of a new 48 MiB file + fsync (allocation + writeback)",
	    kib_per_sec(NEW_SIZE, ns), "KiB/s");
	return 0;
}

/*
 * Mean ns of fork + exec(EXEC_PATH) + exit + wait; with remount, a umount
 * + mount before each (not timed).  *kib: what the disk gave per round
 * (pgpgin).
 */
static unsigned long long exec_ns(int remount_first, unsigned long *kib)
{
	unsigned long long total = 0;
	unsigned long in = 0;

	for (int i = 0; i < EXEC_ROUNDS; i++) {
		unsigned long long t0;
		pid_t pid;
		int st;

		if (remount_first)
			remount(MS_RDONLY);
		in -= vmstat("pgpgin");
		t0 = now_ns();
		pid = fork();
		if (pid == 0) {
			char *argv[] = { EXEC_PATH, "exit", NULL };

			execv(argv[0], argv);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
			die("filebench: exec");
		total += now_ns() - t0;
		in += vmstat("pgpgin");
	}
	*kib = in / EXEC_ROUNDS;
	return total / EXEC_ROUNDS;
}

/*
 * Enough RAM to cache the file.  Cold: the first use after a mount (the
 * disk is read); warm: every page cached, the file held open between the
 * passes (see open_file).  read() copies each page into the buffer; the
 * mapping faults each page in once (no fault-around).
 */
static void bench_read_mmap(void)
{
	size_t big = file_size(BIG);
	unsigned long long read_cold, read_warm, mmap_cold, mmap_warm;
	unsigned long warm_in;
	unsigned int s1, s2, s3, s4;
	int fd = open_file(BIG);

	read_cold = read_file(fd, &s1);
	warm_in = vmstat("pgpgin");
	read_warm = read_file(fd, &s2);
	mmap_warm = mmap_file(fd, big, &s3);
	warm_in = vmstat("pgpgin") - warm_in;
	close(fd);
	remount(MS_RDONLY);
	fd = open_file(BIG);
	mmap_cold = mmap_file(fd, big, &s4);
	close(fd);
	if (s1 != s2 || s2 != s3 || s3 != s4) {
		fprintf(stderr, "filebench: read() and mmap see different bytes\n");
		exit(1);
	}
	row("read() of a 64 MiB file, cold cache", kib_per_sec(big, read_cold), "KiB/s");
	row("mmap read of a 64 MiB file, cold cache", kib_per_sec(big, mmap_cold), "KiB/s");
	ratio("mmap / read() throughput, cold cache", read_cold, mmap_cold);
	row("read() of a 64 MiB file, warm cache", kib_per_sec(big, read_warm), "KiB/s");
	row("mmap read of a 64 MiB file, warm cache", kib_per_sec(big, mmap_warm), "KiB/s");
	row("  read from the disk (pgpgin) in the two warm passes", warm_in, "KiB");
	ratio("mmap / read() throughput, warm cache", read_warm, mmap_warm);
}

/*
 * Warm: the program's pages cached, held by an open file of ours; cold:
 * a remount before each exec.  Then exec as every exec on anvil goes
 * today, nothing holding the program between runs.
 */
static void bench_exec(void)
{
	unsigned long long cold, warm, unheld;
	unsigned long cold_kib, warm_kib, unheld_kib;
	int fd = open_file(EXEC_PATH);
	char what[96];

	exec_ns(0, &warm_kib);                       /* its pages cached */
	warm = exec_ns(0, &warm_kib);
	close(fd);
	unheld = exec_ns(0, &unheld_kib);
	cold = exec_ns(1, &cold_kib);
	snprintf(what, sizeof(what), "fork+exec+exit+wait, %zu KiB program on ext2, warm",
		 file_size(EXEC_PATH) / KB);
	row(what, warm / 1000, "us");
	row("  read from the disk (pgpgin) per warm exec", warm_kib, "KiB");
	row("fork+exec+exit+wait, same, cold (umount + mount before)", cold / 1000, "us");
	row("  read from the disk (pgpgin) per cold exec", cold_kib, "KiB");
	ratio("cold exec / warm exec", cold, warm);
	row("fork+exec+exit+wait, same, nothing holding it open", unheld / 1000, "us");
	row("  read from the disk (pgpgin) per such exec", unheld_kib, "KiB");
}

int main(int argc, char **argv)
{
	int err;

	if (argc == 2 && !strcmp(argv[1], "exit"))
		return 0;
	if (argc != 3 || (strcmp(argv[1], "reclaim") && strcmp(argv[1], "cache"))) {
		fprintf(stderr, "usage: filebench reclaim|cache DEV | filebench exit\n");
		return 2;
	}
	dev = argv[2];
	mkdir(MNT, 0755);
	mount_disk(strcmp(argv[1], "cache") ? 0 : MS_RDONLY);
	if (strcmp(argv[1], "cache")) {
		err = bench_reclaim();
	} else {
		bench_read_mmap();
		bench_exec();
		err = 0;
	}
	if (!err && syscall(__NR_umount, MNT))
		die("filebench: umount");
	if (!err)
		printf("kbench: done\n");
	return err;
}
