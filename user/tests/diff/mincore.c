/*
 * mincore: its errors (EINVAL for an unaligned start, ENOMEM for an
 * unmapped range -- after filling the vector for the mapped part before
 * it --, EFAULT for a vector it cannot write) and the vector's bit 0 for
 * anonymous, shared, file and locked pages: untouched, read (the zero
 * page), written, dropped by MADV_DONTNEED, shared with a forked child,
 * and file pages in the page cache that no PTE maps.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define PAGES 6
#define UNMAPPED ADDR(0x1000)       /* below the lowest address either maps */
#define UNTOUCHED 0x5a              /* what mincore must overwrite */

static unsigned char vec[PAGES * 2];

/* "what: r [v0 v1 ...]" with the vector's bytes in hex. */
static void show_vec(const char *what, int r, size_t pages)
{
	printf("%s: %d%s%s [", what, r, r < 0 ? " " : "", r < 0 ? errno_name(errno) : "");
	for (size_t i = 0; i < pages; i++)
		printf("%s%02x", i ? " " : "", vec[i]);
	printf("]\n");
}

static void probe(const char *what, void *p, size_t len)
{
	size_t pages = (len + PGSZ - 1) / PGSZ;
	int r;

	memset(vec, UNTOUCHED, sizeof(vec));
	r = mincore(p, len, vec);
	show_vec(what, r, pages > PAGES ? PAGES : pages);
}

static void errors(void)
{
	char *p = mmap(NULL, PAGES * PGSZ, RW, ANON, -1, 0);
	char *ro = mmap(NULL, PGSZ, PROT_READ, ANON, -1, 0);

	p[0] = 1;
	probe("unaligned start", p + 1, PGSZ);
	probe("length 0", p, 0);
	probe("length 0, unaligned start", p + 1, 0);
	probe("length 1", p, 1);
	probe("length of one page and a byte", p, PGSZ + 1);
	probe("an unmapped range", UNMAPPED, PGSZ);
	munmap(p + 3 * PGSZ, PGSZ);
	probe("a range with a hole in it", p, PAGES * PGSZ);
	probe("a range starting in the hole", p + 3 * PGSZ, 2 * PGSZ);
	show("vector at an unmapped address", mincore(p, PGSZ, UNMAPPED));
	show("vector in a read-only page", mincore(p, PGSZ, (unsigned char *)ro));
	show("vector at NULL", mincore(p, PGSZ, NULL));
	show("vector at NULL, range unmapped", mincore(UNMAPPED, PGSZ, NULL));
	show("vector in the kernel", mincore(p, PGSZ, KERNEL_ADDR));
	munmap(p, PAGES * PGSZ);
	munmap(ro, PGSZ);
}

static void child_touches(void *p)
{
	((char *)p)[PGSZ] = 2;
}

static void child_probes(void *p)
{
	probe("  in the child", p, PAGES * PGSZ);
	fflush(stdout);        /* the child ends in _exit */
}

static void anonymous(void)
{
	char *p = mmap(NULL, PAGES * PGSZ, RW, ANON, -1, 0);
	volatile char sink;

	probe("private anonymous, untouched", p, PAGES * PGSZ);
	sink = p[0];
	p[2 * PGSZ] = 1;
	p[3 * PGSZ] = 1;
	(void)sink;
	probe("  page 0 read, 2 and 3 written", p, PAGES * PGSZ);
	madvise(p + 3 * PGSZ, PGSZ, MADV_DONTNEED);
	probe("  after MADV_DONTNEED of page 3", p, PAGES * PGSZ);
	show_child("fork", child_probes, p);
	mprotect(p, PAGES * PGSZ, PROT_NONE);
	probe("  PROT_NONE", p, PAGES * PGSZ);
	munmap(p, PAGES * PGSZ);

	p = mmap(NULL, PAGES * PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	probe("shared anonymous, untouched", p, PAGES * PGSZ);
	show_child("a child writes page 1", child_touches, p);
	probe("  after", p, PAGES * PGSZ);
	madvise(p + PGSZ, PGSZ, MADV_DONTNEED);
	probe("  after MADV_DONTNEED of page 1 (still in the object)", p, PAGES * PGSZ);
	munmap(p, PAGES * PGSZ);

	p = mmap(NULL, PAGES * PGSZ, RW, ANON | MAP_LOCKED, -1, 0);
	probe("MAP_LOCKED", p, PAGES * PGSZ);
	munmap(p, PAGES * PGSZ);
}

static void files(void)
{
	int fd = open("file", O_CREAT | O_RDWR, 0644);
	char page[PGSZ];
	char *p;

	memset(page, 'f', sizeof(page));
	write(fd, page, sizeof(page));
	write(fd, page, sizeof(page));
	p = mmap(NULL, PAGES * PGSZ, PROT_READ, MAP_SHARED, fd, 0);
	probe("a two-page file, shared, nothing touched (in the page cache)", p, PAGES * PGSZ);
	p = mmap(p, PAGES * PGSZ, RW, MAP_PRIVATE | MAP_FIXED, fd, 0);
	p[0] = 'x';
	probe("  private, page 0 written (copied)", p, PAGES * PGSZ);
	madvise(p, PGSZ, MADV_DONTNEED);
	probe("  after MADV_DONTNEED of the copy", p, PAGES * PGSZ);
	mprotect(p, PAGES * PGSZ, PROT_NONE);
	probe("  PROT_NONE", p, PAGES * PGSZ);
	munmap(p, PAGES * PGSZ);
	close(fd);
}

int main(void)
{
	enter_scratch("mincore");
	errors();
	anonymous();
	files();
	leave_scratch();
	return 0;
}
