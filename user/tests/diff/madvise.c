/*
 * madvise: which advice values Linux knows and the order of its argument
 * checks; the advice that changes a VMA's flags (RANDOM, SEQUENTIAL,
 * DONTFORK, WIPEONFORK, DONTDUMP, HUGEPAGE, MERGEABLE ...) splitting and
 * merging VMAs; what a forked child gets of a DONTFORK or WIPEONFORK
 * range; the advice that drops pages (DONTNEED, DONTNEED_LOCKED, FREE,
 * REMOVE) on private, shared, file and locked mappings; POPULATE_READ
 * and POPULATE_WRITE; and ENOMEM for a hole, after the mapped parts were
 * advised.  What MADV_FREE leaves behind and what MADV_PAGEOUT pages out
 * depend on memory pressure and swap, so only their answers are shown.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define PAGES 4
#define UNMAPPED ADDR(0x1000)       /* below the lowest address either maps */

static char *anon(size_t pages, int flags)
{
	char *p = mmap(NULL, pages * PGSZ, RW, flags, -1, 0);

	if (p != MAP_FAILED)
		memset(p, 'A', pages * PGSZ);
	return p;
}

static long resident(const void *p, size_t pages)
{
	unsigned char vec[16];
	long n = 0;

	if (mincore((void *)p, pages * PGSZ, vec) < 0)
		return -errno;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static void show_vmas(const char *what, const void *p, size_t pages)
{
	printf("%s: %d VMAs\n", what, count_vmas((unsigned long)p, (unsigned long)p + pages * PGSZ));
}

static const int advice[] = {
	MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, 5, 6, 7,
	MADV_FREE, MADV_REMOVE, MADV_DONTFORK, MADV_DOFORK, MADV_MERGEABLE, MADV_UNMERGEABLE,
	MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK,
	MADV_KEEPONFORK, MADV_COLD, MADV_PAGEOUT, MADV_POPULATE_READ, MADV_POPULATE_WRITE,
	MADV_DONTNEED_LOCKED, MADV_COLLAPSE, 26, 27, 99, 1000, -1,
};

static void values(void)
{
	char *p = anon(PAGES, ANON);
	char what[64];

	for (size_t i = 0; i < sizeof(advice) / sizeof(advice[0]); i++) {
		snprintf(what, sizeof(what), "advice %d on private anonymous memory", advice[i]);
		show(what, madvise(p, PAGES * PGSZ, advice[i]));
		snprintf(what, sizeof(what), "  over a hole");
		show(what, madvise(UNMAPPED, PGSZ, advice[i]));
	}
	show_vmas("after all that, the mapping is", p, PAGES);
	show("an unknown advice, length 0", madvise(p, 0, 26));
	show("an unknown advice, unaligned", madvise(p + 1, PGSZ, 26));
	show("MADV_NORMAL, length 0", madvise(p, 0, MADV_NORMAL));
	show("MADV_NORMAL, length 0, unaligned", madvise(p + 1, 0, MADV_NORMAL));
	show("MADV_NORMAL, unaligned", madvise(p + 1, PGSZ, MADV_NORMAL));
	show("MADV_NORMAL, length 1", madvise(p, 1, MADV_NORMAL));
	munmap(p, PAGES * PGSZ);
}

/* Advice that only sets a flag: the VMA splits where it applies, and joins back. */
static void flag_advice(void)
{
	static const struct { int on, off; const char *name; } pairs[] = {
		{ MADV_RANDOM, MADV_NORMAL, "MADV_RANDOM / MADV_NORMAL" },
		{ MADV_SEQUENTIAL, MADV_NORMAL, "MADV_SEQUENTIAL / MADV_NORMAL" },
		{ MADV_DONTFORK, MADV_DOFORK, "MADV_DONTFORK / MADV_DOFORK" },
		{ MADV_WIPEONFORK, MADV_KEEPONFORK, "MADV_WIPEONFORK / MADV_KEEPONFORK" },
		{ MADV_DONTDUMP, MADV_DODUMP, "MADV_DONTDUMP / MADV_DODUMP" },
		{ MADV_MERGEABLE, MADV_UNMERGEABLE, "MADV_MERGEABLE / MADV_UNMERGEABLE" },
		{ MADV_HUGEPAGE, MADV_NOHUGEPAGE, "MADV_HUGEPAGE / MADV_NOHUGEPAGE (a flag too)" },
	};
	char *p = anon(PAGES, ANON);

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		printf("%s:\n", pairs[i].name);
		show("  on page 1", madvise(p + PGSZ, PGSZ, pairs[i].on));
		show_vmas("  the mapping is", p, PAGES);
		show("  the other way", madvise(p + PGSZ, PGSZ, pairs[i].off));
		show_vmas("  the mapping is", p, PAGES);
	}
	show("MADV_SEQUENTIAL then MADV_RANDOM on page 1", madvise(p + PGSZ, PGSZ, MADV_SEQUENTIAL) |
	     madvise(p + PGSZ, PGSZ, MADV_RANDOM));
	show_vmas("  the mapping is", p, PAGES);
	show("MADV_RANDOM on all of it", madvise(p, PAGES * PGSZ, MADV_RANDOM));
	show_vmas("  the mapping is", p, PAGES);
	madvise(p, PAGES * PGSZ, MADV_NORMAL);
	munmap(p, PAGES * PGSZ);
}

/* What each of the four pages at p holds in a child: a letter, 0, or the signal reading it gives. */
static void child_reads(void *p)
{
	char *c = p;

	printf("  child's pages hold:");
	for (int i = 0; i < PAGES; i++) {
		int sig = touch_signal(c + i * PGSZ, 0);

		printf(" %s", sig ? signal_name(sig) : c[i * PGSZ] ? (char[]){ c[i * PGSZ], 0 } : "0");
	}
	printf("\n");
	if (!touch_signal(c + PGSZ, 1))
		c[PGSZ] = 'C';
	fflush(stdout);        /* the child ends in _exit */
}

static void fork_advice(void)
{
	char *p = anon(PAGES, ANON), *s = anon(PAGES, MAP_SHARED | MAP_ANONYMOUS);

	show("MADV_DONTFORK of all", madvise(p, PAGES * PGSZ, MADV_DONTFORK));
	show_child("fork", child_reads, p);
	show("MADV_DOFORK of all", madvise(p, PAGES * PGSZ, MADV_DOFORK));
	show_child("fork", child_reads, p);
	show("MADV_WIPEONFORK of pages 1 and 2", madvise(p + PGSZ, 2 * PGSZ, MADV_WIPEONFORK));
	show_vmas("  the mapping is", p, PAGES);
	show_child("fork", child_reads, p);
	printf("  parent's pages hold: %c %c %c %c\n", p[0], p[PGSZ], p[2 * PGSZ], p[3 * PGSZ]);
	show("MADV_KEEPONFORK of all", madvise(p, PAGES * PGSZ, MADV_KEEPONFORK));
	show_vmas("  the mapping is", p, PAGES);
	show_child("fork", child_reads, p);
	show("MADV_WIPEONFORK of shared memory", madvise(s, PAGES * PGSZ, MADV_WIPEONFORK));
	show("MADV_KEEPONFORK of shared memory", madvise(s, PAGES * PGSZ, MADV_KEEPONFORK));
	show("MADV_DONTFORK of shared memory", madvise(s, PAGES * PGSZ, MADV_DONTFORK));
	show_child("fork", child_reads, s);
	munmap(p + 2 * PGSZ, PGSZ);
	show("MADV_WIPEONFORK over a hole", madvise(p, PAGES * PGSZ, MADV_WIPEONFORK));
	show_vmas("  the mapping is", p, PAGES);
	show_child("fork", child_reads, p);
	munmap(p, PAGES * PGSZ);
	munmap(s, PAGES * PGSZ);
}

static void dropping(void)
{
	char *p = anon(PAGES, ANON), *s = anon(PAGES, MAP_SHARED | MAP_ANONYMOUS), *f;
	int fd = open("file", O_CREAT | O_RDWR, 0644), ro;

	show("MADV_DONTNEED of private pages 1-2", madvise(p + PGSZ, 2 * PGSZ, MADV_DONTNEED));
	printf("  they read: %d %d, the others %c %c\n", p[PGSZ], p[2 * PGSZ], p[0], p[3 * PGSZ]);
	show("MADV_DONTNEED of shared memory", madvise(s, PAGES * PGSZ, MADV_DONTNEED));
	printf("  it reads: %c\n", s[0]);
	show("MADV_REMOVE of private memory", madvise(p, PGSZ, MADV_REMOVE));
	show_child("a child writes shared page 1", child_reads, s);
	show("MADV_REMOVE of shared pages 1-2", madvise(s + PGSZ, 2 * PGSZ, MADV_REMOVE));
	printf("  they read: %d %d, the others %c %c\n", s[PGSZ], s[2 * PGSZ], s[0], s[3 * PGSZ]);
	show("  resident", resident(s, PAGES));
	show("MADV_FREE of private memory", madvise(p, PAGES * PGSZ, MADV_FREE));
	show("MADV_FREE of shared memory", madvise(s, PAGES * PGSZ, MADV_FREE));
	munmap(p + 2 * PGSZ, PGSZ);
	memset(p, 'A', PGSZ);
	show("MADV_DONTNEED over a hole", madvise(p, PAGES * PGSZ, MADV_DONTNEED));
	printf("  page 0 reads %d\n", p[0]);
	show("MADV_FREE over a hole", madvise(p, PAGES * PGSZ, MADV_FREE));
	munmap(p, PAGES * PGSZ);

	write(fd, "0123456789", 10);
	f = mmap(NULL, 2 * PGSZ, RW, MAP_PRIVATE, fd, 0);
	f[0] = 'X';
	show("MADV_DONTNEED of a written private file page", madvise(f, PGSZ, MADV_DONTNEED));
	printf("  it reads: %c\n", f[0]);
	show("MADV_FREE of a private file mapping", madvise(f, PGSZ, MADV_FREE));
	show("MADV_REMOVE of a private file mapping", madvise(f, PGSZ, MADV_REMOVE));
	show("MADV_WIPEONFORK of a private file mapping", madvise(f, PGSZ, MADV_WIPEONFORK));
	munmap(f, 2 * PGSZ);
	ro = open("file", O_RDONLY);
	f = mmap(NULL, PGSZ, PROT_READ, MAP_SHARED, ro, 0);
	show("MADV_REMOVE of a read-only shared file mapping", madvise(f, PGSZ, MADV_REMOVE));
	munmap(f, PGSZ);
	close(ro);
	close(fd);

	p = anon(PAGES, ANON | MAP_LOCKED);
	show("MADV_DONTNEED of locked memory", madvise(p, PGSZ, MADV_DONTNEED));
	show("MADV_FREE of locked memory", madvise(p, PGSZ, MADV_FREE));
	show("MADV_COLD of locked memory", madvise(p, PGSZ, MADV_COLD));
	show("MADV_PAGEOUT of locked memory", madvise(p, PGSZ, MADV_PAGEOUT));
	show("MADV_RANDOM of locked memory", madvise(p, PGSZ, MADV_RANDOM));
	show_vmas("  the mapping is", p, PAGES);
	show("MADV_DONTNEED_LOCKED of locked page 0", madvise(p, PGSZ, MADV_DONTNEED_LOCKED));
	show("  resident", resident(p, PAGES));
	printf("  it reads %d; locked %ld kB\n", p[0], self_status_kb("VmLck"));
	munmap(p, PAGES * PGSZ);
	s = mmap(s, PAGES * PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_LOCKED | MAP_FIXED, -1, 0);
	show("MADV_REMOVE of locked shared memory", madvise(s, PGSZ, MADV_REMOVE));
	munmap(s, PAGES * PGSZ);
}

static void populating(void)
{
	char *p = mmap(NULL, PAGES * PGSZ, RW, ANON, -1, 0), *r;
	int fd = open("file", O_RDWR);

	show("MADV_POPULATE_READ of pages 0-1", madvise(p, 2 * PGSZ, MADV_POPULATE_READ));
	show("  resident", resident(p, PAGES));
	show("MADV_POPULATE_WRITE of pages 2-3", madvise(p + 2 * PGSZ, 2 * PGSZ, MADV_POPULATE_WRITE));
	show("  resident", resident(p, PAGES));
	mprotect(p, PGSZ, PROT_NONE);
	mprotect(p + PGSZ, PGSZ, PROT_READ);
	show("MADV_POPULATE_READ of PROT_NONE", madvise(p, PGSZ, MADV_POPULATE_READ));
	show("MADV_POPULATE_WRITE of read-only", madvise(p + PGSZ, PGSZ, MADV_POPULATE_WRITE));
	show("MADV_POPULATE_READ of read-only", madvise(p + PGSZ, PGSZ, MADV_POPULATE_READ));
	munmap(p + 2 * PGSZ, PGSZ);
	show("MADV_POPULATE_READ over a hole", madvise(p + PGSZ, 3 * PGSZ, MADV_POPULATE_READ));
	munmap(p, PAGES * PGSZ);
	r = mmap(NULL, 3 * PGSZ, PROT_READ, MAP_SHARED, fd, 0);
	show("MADV_POPULATE_READ of a file mapping past its end", madvise(r, 3 * PGSZ,
									 MADV_POPULATE_READ));
	show("MADV_WILLNEED of a file mapping", madvise(r, 3 * PGSZ, MADV_WILLNEED));
	munmap(r, 3 * PGSZ);
	close(fd);
}

int main(void)
{
	enter_scratch("madvise");
	values();
	flag_advice();
	fork_advice();
	dropping();
	populating();
	leave_scratch();
	return 0;
}
