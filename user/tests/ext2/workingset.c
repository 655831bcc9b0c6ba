/*
 * workingset: file pages under memory pressure, for tools/filecachetests.py.
 * Mounts the ext2 disk (hdc) read-only on /mnt and, on a machine with
 * less RAM than /mnt/big holds, reads the file through read() and through
 * a MAP_SHARED mapping, printing an Adler-32 of each pass
 * (the host compares them with the file's) -- reclaim must drop file
 * pages and unmap mapped ones through i_mmap to make room.  Then a
 * MAP_PRIVATE mapping of the file is written in part (COW: anonymous
 * pages in a file VMA), forked, moved by mremap, and pushed to swap by
 * memory pressure; both processes check every page (written pattern or
 * the file's data) and rmap_verify.  Prints /proc/vmstat's changes.
 *
 * First of all, a copy of this program on the disk runs ("text"): its own
 * text pages are file pages of the disk, and reading the big file makes
 * reclaim drop those not in use (mincore shows them gone); touching them
 * reads them again.
 *
 * With "write", the disk is mounted read-write instead: every page of
 * /mnt/big is written through a MAP_SHARED mapping larger than RAM --
 * reclaim must write dirty pages back through ext2's writepage to free
 * them -- and /mnt/new is written by write(), throttled by
 * balance_dirty_pages; then fsync and umount.  The host reads both back.
 *
 *   workingset [write] DEV | workingset text
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <abi/mount.h>
#include "../common/testlib.h"

#define ADLER_MOD 65521
#define ADLER_NMAX 5552              /* bytes summed before the sums could overflow */
#define CHUNK (256 * 1024)           /* read()'s buffer */
#define COW_PAGES 1024               /* the MAP_PRIVATE part: 4 MiB */
#define COW_SEED 7000
#define PRESSURE_PAGES 3072          /* 12 MiB touched by a child: the COW pages go to swap */
#define MOVED ADDR(0x60000000)
#define PAGE 4096
#define MAX_TEXT_PAGES 256

static const char *const counters[] = {
	"pgsteal_file", "rmap_unmapped_file_ptes", "pgpgin", "pswpout", "nr_vmscan_write",
	"balance_dirty_throttled", "pgrotated",
};
#define NR_COUNTERS (sizeof(counters) / sizeof(counters[0]))

static unsigned long adler_update(unsigned long adler, const unsigned char *p, size_t len)
{
	unsigned long a = adler & 0xffff, b = adler >> 16;

	while (len) {
		size_t n = len < ADLER_NMAX ? len : ADLER_NMAX;

		len -= n;
		while (n--) {
			a += *p++;
			b += a;
		}
		a %= ADLER_MOD;
		b %= ADLER_MOD;
	}
	return (b << 16) | a;
}

static void vmstat(unsigned long *values)
{
	static char buf[8192];
	int fd = open("/proc/vmstat", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (size_t i = 0; i < NR_COUNTERS; i++) {
		char *at = strstr(buf, counters[i]);
		size_t len = strlen(counters[i]);

		while (at && (at[len] != ' ' || (at != buf && at[-1] != '\n')))
			at = strstr(at + 1, counters[i]);
		values[i] = at ? strtoul(at + len + 1, NULL, 10) : 0;
	}
}

static void read_pass(int fd, off_t size)
{
	static unsigned char buf[CHUNK];
	unsigned long adler = 1;
	off_t done = 0;

	while (done < size) {
		ssize_t n = pread(fd, buf, sizeof(buf), done);

		if (n <= 0) {
			printf("read: failed at %ld\n", (long)done);
			exit(1);
		}
		adler = adler_update(adler, buf, n);
		done += n;
	}
	printf("read adler32 %08lx\n", adler);
}

static void mmap_pass(int fd, off_t size)
{
	unsigned char *p = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED) {
		printf("mmap: failed\n");
		exit(1);
	}
	printf("mmap adler32 %08lx\n", adler_update(1, p, size));
	munmap(p, size);
}

extern char __executable_start[], etext[], _edata[];   /* the linker's: text, file data end */

static size_t resident(unsigned long start, size_t pages)
{
	unsigned char vec[MAX_TEXT_PAGES];
	size_t n = 0;

	if (mincore((void *)start, pages * PAGE, vec))
		return 0;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

/* Run from the disk: how many of this program's text pages survive a read of /mnt/big. */
static int text_pages(void)
{
	unsigned long start = (unsigned long)__executable_start & ~(PAGE - 1UL);
	size_t pages = ((unsigned long)etext - start + PAGE - 1) / PAGE, before, pressed;
	struct stat st;
	int fd = open("/mnt/big", O_RDONLY);

	if (fd < 0 || fstat(fd, &st) || pages > MAX_TEXT_PAGES)
		return 1;
	/*
	 * No fault read-around in any of the program's file mappings: the
	 * first page of it faulted in again (rodata, data) would bring the
	 * unused text back with it.
	 */
	if (madvise((void *)start, ((unsigned long)_edata - start + PAGE - 1) & ~(PAGE - 1UL),
		    MADV_RANDOM))
		return 1;
	for (size_t i = 0; i < pages; i++)          /* all in, to begin with */
		(void)*(volatile char *)(start + i * PAGE);
	before = resident(start, pages);
	read_pass(fd, st.st_size);
	pressed = resident(start, pages);
	for (size_t i = 0; i < pages; i++)
		(void)*(volatile char *)(start + i * PAGE);
	printf("text %zu pages: %zu resident, %zu after pressure, %zu after touching\n", pages,
	       before, pressed, resident(start, pages));
	close(fd);
	return 0;
}

/* Every page of the private mapping: even pages hold the written pattern, odd the file's. */
static long check_cow(int fd, const unsigned char *p, unsigned seed_shift)
{
	static unsigned char page[PGSZ];

	for (long i = 0; i < COW_PAGES; i++) {
		const unsigned char *at = p + i * PGSZ;

		if (i % 2 == 0) {
			if (check_pattern(at, PGSZ, COW_SEED + seed_shift + i) >= 0)
				return i;
		} else if (pread(fd, page, PGSZ, i * PGSZ) != PGSZ || memcmp(page, at, PGSZ)) {
			return i;
		}
	}
	return -1;
}

static void cow_child(void *arg)
{
	int fd = *(int *)arg;

	/* the child rewrites its even pages: its own COW copies, the parent's stay */
	for (long i = 0; i < COW_PAGES; i += 2)
		fill_pattern((char *)MOVED + i * PGSZ, PGSZ, COW_SEED + 1 + i);
	memory_pressure(PRESSURE_PAGES);
	printf("child: bad page %ld, rmap_verify %ld\n", check_cow(fd, MOVED, 1),
	       anvil_rmap_verify());
	fflush(stdout);
}

static void private_cow(int fd)
{
	char *p = mmap(NULL, COW_PAGES * PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), *q;
	int status;

	if (p == MAP_FAILED) {
		printf("private mmap: failed\n");
		exit(1);
	}
	for (long i = 0; i < COW_PAGES; i += 2)
		fill_pattern(p + i * PGSZ, PGSZ, COW_SEED + i);
	q = mremap(p, COW_PAGES * PGSZ, COW_PAGES * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, MOVED);
	if (q != MOVED) {
		printf("mremap: failed\n");
		exit(1);
	}
	fflush(stdout);
	status = run_in_child(cow_child, &fd);
	memory_pressure(PRESSURE_PAGES);
	printf("parent: bad page %ld, rmap_verify %ld, child %s\n", check_cow(fd, (unsigned char *)q, 0),
	       anvil_rmap_verify(), status_str(status));
	munmap(q, COW_PAGES * PGSZ);
}

/* Page i of a written file: "<tag> page <i>" in 16-byte lines (the host makes the same). */
static void fill_page_text(char *p, char tag, unsigned long i)
{
	char line[17];

	snprintf(line, sizeof(line), "%c page %08lx\n", tag, i);
	for (unsigned long off = 0; off < PGSZ; off += 16)
		memcpy(p + off, line, 16);
}

static int write_files(const char *dev)
{
	static char page[PGSZ];
	unsigned long before[NR_COUNTERS], after[NR_COUNTERS];
	struct stat st;
	char *p;
	int fd;

	if (syscall(__NR_mount, dev, "/mnt", "ext2", 0, NULL)) {
		perror("mount");
		return 1;
	}
	vmstat(before);
	fd = open("/mnt/big", O_RDWR);
	if (fd < 0 || fstat(fd, &st))
		return 1;
	p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return 1;
	for (unsigned long i = 0; i < st.st_size / PGSZ; i++)
		fill_page_text(p + i * PGSZ, 'm', i);
	printf("msync %d\n", msync(p, st.st_size, MS_SYNC));
	munmap(p, st.st_size);
	printf("fsync big %d\n", fsync(fd));
	close(fd);
	fd = open("/mnt/new", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	for (unsigned long i = 0; i < st.st_size / 2 / PGSZ; i++) {
		fill_page_text(page, 'w', i);
		if (write(fd, page, PGSZ) != PGSZ) {
			perror("write");
			return 1;
		}
	}
	printf("fsync new %d\n", fsync(fd));
	close(fd);
	vmstat(after);
	for (size_t i = 0; i < NR_COUNTERS; i++)
		printf("%s +%lu\n", counters[i], after[i] - before[i]);
	printf("umount %ld\n", syscall(__NR_umount, "/mnt"));
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long before[NR_COUNTERS], after[NR_COUNTERS];
	struct stat st;
	int fd;

	if (argc == 2 && !strcmp(argv[1], "text"))
		return text_pages();
	if (argc == 3 && !strcmp(argv[1], "write")) {
		mkdir("/mnt", 0755);
		return write_files(argv[2]);
	}
	if (argc != 2)
		return 2;
	mkdir("/mnt", 0755);
	if (syscall(__NR_mount, argv[1], "/mnt", "ext2", MS_RDONLY, NULL)) {
		perror("mount");
		return 1;
	}
	fd = open("/mnt/big", O_RDONLY);
	if (fd < 0 || fstat(fd, &st)) {
		perror("/mnt/big");
		return 1;
	}
	vmstat(before);
	fflush(stdout);
	if (fork() == 0) {
		char *text_argv[] = { "workingset", "text", NULL };

		execv("/mnt/workingset", text_argv);
		perror("exec /mnt/workingset");
		_exit(1);
	}
	wait(NULL);
	read_pass(fd, st.st_size);
	mmap_pass(fd, st.st_size);
	private_cow(fd);
	vmstat(after);
	for (size_t i = 0; i < NR_COUNTERS; i++)
		printf("%s +%lu\n", counters[i], after[i] - before[i]);
	printf("rmap_verify %ld\n", anvil_rmap_verify());
	close(fd);
	return 0;
}
