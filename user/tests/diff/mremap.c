/*
 * mremap: EINVAL cases, ENOMEM when it may not move but cannot grow,
 * EFAULT for ranges that are not (all) mapped, shrinking, growing in
 * place, MREMAP_MAYMOVE and MREMAP_FIXED with the data, and a shared file
 * mapping grown past the end of its file.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)

static char *map(size_t pages, char fill)
{
	char *p = mmap(NULL, pages * PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	memset(p, fill, pages * PGSZ);
	return p;
}

/* The result of an mremap: the error, or where it went relative to old and target. */
static void show_remap(const char *what, void *r, void *old, void *target)
{
	if (r == MAP_FAILED)
		printf("%s: MAP_FAILED %s\n", what, errno_name(errno));
	else
		printf("%s: %s\n", what, r == old ? "in place" : r == target ? "at the target" : "moved");
}

static void errors(void)
{
	char *p = map(4, 'e'), *q = map(1, 'q');

	show_remap("unaligned old address", mremap(p + 1, PGSZ, 2 * PGSZ, MREMAP_MAYMOVE), p, NULL);
	show_remap("new length 0", mremap(p, PGSZ, 0, MREMAP_MAYMOVE), p, NULL);
	show_remap("unknown flag 0x10", mremap(p, PGSZ, PGSZ, 0x10), p, NULL);
	show_remap("MREMAP_FIXED without MREMAP_MAYMOVE", mremap(p, PGSZ, PGSZ, MREMAP_FIXED, q), p, q);
	show_remap("MREMAP_FIXED, unaligned target",
		   mremap(p, PGSZ, PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, q + 1), p, q);
	show_remap("MREMAP_FIXED, target overlapping the source",
		   mremap(p, 2 * PGSZ, 2 * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, p + PGSZ), p, p + PGSZ);
	show_remap("old length 0 of a private mapping", mremap(p, 0, PGSZ, MREMAP_MAYMOVE), p, NULL);
	munmap(q, PGSZ);
	show_remap("unmapped old address", mremap(q, PGSZ, PGSZ, 0), q, NULL);
	show_remap("unmapped old address, may move", mremap(q, PGSZ, 2 * PGSZ, MREMAP_MAYMOVE), q, NULL);
	show_remap("old range past the end of the mapping", mremap(p + 2 * PGSZ, 4 * PGSZ, 5 * PGSZ, 0),
		   p, NULL);
	mprotect(p + 2 * PGSZ, 2 * PGSZ, PROT_READ);      /* now two VMAs */
	show_remap("growing into the next mapping", mremap(p, 2 * PGSZ, 3 * PGSZ, 0), p, NULL);
	show_remap("old range over two mappings", mremap(p, 4 * PGSZ, 5 * PGSZ, 0), p, NULL);
	show_bool("the failed calls left the data", p[0] == 'e' && p[4 * PGSZ - 1] == 'e');
	munmap(p, 4 * PGSZ);
}

static void moves(void)
{
	char *p = map(8, 'g'), *r, *t;

	munmap(p + 4 * PGSZ, 4 * PGSZ);
	r = mremap(p, 4 * PGSZ, 2 * PGSZ, 0);
	show_remap("shrinking", r, p, NULL);
	show_touch("  the page cut off", p + 3 * PGSZ, 0);
	r = mremap(p, 2 * PGSZ, 6 * PGSZ, 0);
	show_remap("growing into free space", r, p, NULL);
	show("  old data", p[2 * PGSZ - 1]);
	show("  new page", p[5 * PGSZ]);
	t = map(2, 'b');            /* the target of the MREMAP_FIXED below, wholly ours */
	p[6 * PGSZ - 1] = 'z';
	r = mremap(p, 6 * PGSZ, 64 * PGSZ, MREMAP_MAYMOVE);
	show_remap("growing by 58 pages, may move", r, p, NULL);
	if (r != MAP_FAILED) {
		show("  old data", r[0] + r[6 * PGSZ - 1]);
		show("  new page", r[63 * PGSZ]);
		p = r;
	}
	r = mremap(p, 64 * PGSZ, 2 * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, t);
	show_remap("MREMAP_FIXED onto another mapping, shrinking", r, p, t);
	show("  data at the target", t[0] + t[2 * PGSZ - 1]);
	show_touch("  the old place", p, 0);
	show_touch("  the old place's tail", p + 63 * PGSZ, 0);
	munmap(t, 2 * PGSZ);
}

static void file_grow(void)
{
	int fd;
	char *p, *r;

	enter_scratch("mremap");
	fd = open("f", O_CREAT | O_RDWR, 0644);
	ftruncate(fd, PGSZ + 10);
	p = mmap(NULL, 2 * PGSZ, RW, MAP_SHARED, fd, 0);
	r = mremap(p, 2 * PGSZ, 4 * PGSZ, MREMAP_MAYMOVE);
	show_map("a shared file mapping grown past the file's end", r);   /* in place or not */
	if (r != MAP_FAILED) {
		show_touch("  page 1 (holds the end)", r + PGSZ, 1);
		show_touch("  page 2 (past the end)", r + 2 * PGSZ, 0);
		show_touch("  page 3", r + 3 * PGSZ, 1);
		munmap(r, 4 * PGSZ);
	}
	close(fd);
	leave_scratch();
}

int main(void)
{
	errors();
	moves();
	file_grow();
	return 0;
}
