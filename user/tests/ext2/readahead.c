/*
 * readahead: how many disk requests file reads make, for
 * tools/filecachetests.py.  Mounts the ext2 disk (hdc) read-only on /mnt
 * and reads its files cold in several patterns, printing for each the
 * requests and sectors /proc/diskstats counted on hdc and an Adler-32 of
 * the data (the host compares them with the files'): a sequential read()
 * (read-ahead: far fewer requests than pages), a MAP_SHARED mapping
 * touched in order (fault read-around; read-ahead after MADV_SEQUENTIAL,
 * nothing more than the page after MADV_RANDOM), scattered single pages (nothing
 * much beyond them), a sequential read after POSIX_FADV_RANDOM (one
 * request a page) and after POSIX_FADV_WILLNEED (none).  Then /mnt/bad,
 * on which the host made one page unreadable: every other page reads
 * back right though read-ahead's request over it failed, and only that
 * page gives EIO to read() and SIGBUS to a mapping.
 *
 *   readahead DEV BAD_PAGE
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <abi/mount.h>
#include <abi/fcntl.h>
#include "../common/testlib.h"

#define ADLER_MOD 65521
#define SCATTER_READS 64          /* single pages, far apart */
#define SCATTER_STRIDE 977        /* pages between them: never next to each other */
#define SCATTER_FIRST 13

struct disk_count {
	unsigned long reads, sectors;
};

static const char *disk;          /* "hdc" */

/* This disk's reads and sectors read so far, from /proc/diskstats. */
static struct disk_count diskstats(void)
{
	static char buf[4096];
	struct disk_count c = { 0, 0 };
	bool found = false;
	int fd = open("/proc/diskstats", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	size_t len = strlen(disk);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *line = buf; *line; ) {
		char *p = line, *end = strchr(line, '\n');

		strtoul(p, &p, 10);                    /* major */
		strtoul(p, &p, 10);                    /* minor */
		while (*p == ' ')
			p++;
		if (!strncmp(p, disk, len) && p[len] == ' ') {
			c.reads = strtoul(p + len, &p, 10);
			strtoul(p, &p, 10);            /* merged */
			c.sectors = strtoul(p, &p, 10);
			found = true;
		}
		if (!end)
			break;
		line = end + 1;
	}
	if (!found) {
		printf("no %s in /proc/diskstats\n", disk);
		exit(1);
	}
	return c;
}

static unsigned long adler_update(unsigned long adler, const unsigned char *p, size_t len)
{
	unsigned long a = adler & 0xffff, b = adler >> 16;

	while (len--) {
		a = (a + *p++) % ADLER_MOD;
		b = (b + a) % ADLER_MOD;
	}
	return (b << 16) | a;
}

static int open_file(const char *name, off_t *size)
{
	char path[64];
	struct stat st;
	int fd;

	snprintf(path, sizeof(path), "/mnt/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror(path);
		exit(1);
	}
	*size = st.st_size;
	return fd;
}

/* Print what a pattern cost the disk since before. */
static void report(const char *what, struct disk_count before, unsigned long pages,
		   unsigned long adler)
{
	struct disk_count after = diskstats();

	printf("%s pages %lu requests %lu sectors %lu adler32 %08lx\n", what, pages,
	       after.reads - before.reads, after.sectors - before.sectors, adler);
}

/* read() page by page from the start: the file's Adler-32. */
static void sequential(const char *what, const char *name, int advice)
{
	static unsigned char page[PGSZ];
	struct disk_count before;
	unsigned long adler = 1;
	off_t size, done = 0;
	int fd = open_file(name, &size);

	if (advice >= 0 && syscall(__NR_fadvise64, fd, 0, 0, 0, advice)) {
		perror("fadvise64");
		exit(1);
	}
	before = diskstats();
	while (done < size) {
		ssize_t n = read(fd, page, sizeof(page));

		if (n <= 0) {
			printf("%s: read failed at %ld\n", what, (long)done);
			exit(1);
		}
		adler = adler_update(adler, page, n);
		done += n;
	}
	report(what, before, (size + PGSZ - 1) / PGSZ, adler);
	close(fd);
}

/* A MAP_SHARED mapping touched in order, after madvise(advice) unless -1. */
static void mapped(const char *what, const char *name, int advice)
{
	struct disk_count before;
	unsigned long adler;
	off_t size;
	int fd = open_file(name, &size);
	unsigned char *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED || (advice >= 0 && madvise(p, size, advice))) {
		perror("mmap");
		exit(1);
	}
	before = diskstats();
	adler = adler_update(1, p, size);          /* the faults */
	report(what, before, (size + PGSZ - 1) / PGSZ, adler);
	munmap(p, size);
	close(fd);
}

/* Single pages SCATTER_STRIDE apart: the Adler-32 of them one after the other. */
static void scattered(const char *name)
{
	static unsigned char page[PGSZ];
	struct disk_count before;
	unsigned long adler = 1;
	off_t size;
	int fd = open_file(name, &size);
	unsigned long pages = size / PGSZ;

	before = diskstats();
	for (unsigned long i = 0; i < SCATTER_READS; i++) {
		off_t at = (off_t)((SCATTER_FIRST + i * SCATTER_STRIDE) % pages) * PGSZ;

		if (pread(fd, page, PGSZ, at) != (ssize_t)PGSZ) {
			printf("scattered: read failed at %ld\n", (long)at);
			exit(1);
		}
		adler = adler_update(adler, page, PGSZ);
	}
	report("scattered", before, SCATTER_READS, adler);
	close(fd);
}

/* POSIX_FADV_WILLNEED on the whole file, then read it: no request while reading. */
static void willneed(const char *name)
{
	static unsigned char page[PGSZ];
	struct disk_count before;
	unsigned long adler = 1;
	off_t size, done;
	int fd = open_file(name, &size);

	if (syscall(__NR_fadvise64, fd, 0, 0, 0, POSIX_FADV_WILLNEED)) {
		perror("fadvise64");
		exit(1);
	}
	sleep(1);                                  /* the reads end */
	before = diskstats();
	for (done = 0; done < size; done += PGSZ) {
		ssize_t n = read(fd, page, sizeof(page));

		if (n <= 0)
			exit(1);
		adler = adler_update(adler, page, n);
	}
	report("willneed", before, (size + PGSZ - 1) / PGSZ, adler);
	close(fd);
}

/*
 * /mnt/bad with page bad unreadable: each page by read() in order, then
 * by a mapping; one line per pattern naming the pages that failed and
 * the Adler-32 of all the others.
 */
static void bad_page(long bad)
{
	static unsigned char page[PGSZ];
	unsigned long adler = 1;
	off_t size;
	int fd = open_file("bad", &size);
	long pages = size / PGSZ;
	unsigned char *p;

	printf("bad read:");
	for (long i = 0; i < pages; i++) {
		ssize_t n = pread(fd, page, PGSZ, i * PGSZ);

		if (n == (ssize_t)PGSZ)
			adler = adler_update(adler, page, PGSZ);
		else
			printf(" %ld %s", i, n < 0 ? errno_name(errno) : "short");
	}
	printf(" adler32 %08lx\n", adler);
	close(fd);

	fd = open_file("bad", &size);             /* a new file: a new read-ahead state */
	p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	adler = 1;
	printf("bad mmap:");
	for (long i = 0; i < pages; i++) {
		int sig = touch_signal(p + i * PGSZ, 0);

		if (sig)
			printf(" %ld %s", i, signal_name(sig));
		else
			adler = adler_update(adler, p + i * PGSZ, PGSZ);
	}
	printf(" adler32 %08lx (page %ld was to fail)\n", adler, bad);
	munmap(p, size);
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: readahead DEV BAD_PAGE\n");
		return 2;
	}
	disk = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
	mkdir("/mnt", 0755);
	if (syscall(__NR_mount, argv[1], "/mnt", "ext2", MS_RDONLY, NULL)) {
		perror("mount");
		return 1;
	}
	sequential("read", "seq", -1);
	mapped("mmap", "map", -1);
	mapped("mmap_sequential", "mseq", MADV_SEQUENTIAL);
	mapped("mmap_random", "mrnd", MADV_RANDOM);
	scattered("scatter");
	sequential("random_advice", "rnd", POSIX_FADV_RANDOM);
	willneed("need");
	bad_page(atol(argv[2]));
	printf("umount %ld\n", syscall(__NR_umount, "/mnt"));
	return 0;
}
