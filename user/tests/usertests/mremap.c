/*
 * mremap: shrinking, growing in place, moving (MREMAP_MAYMOVE) with the
 * data, MREMAP_FIXED onto a chosen address, and the hard case for the
 * anon_vma design: a region shared copy-on-write by fork, then moved by
 * the child (and by the parent), checked by both and by rmap_verify; and
 * a page moved back beside a mapping that never faulted (docs/rmap.md: the
 * merged VMA must adopt the page's anon_vma, or that is freed under it);
 * and spans that move as whole page tables, run by run, or both.
 */
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "ut.h"

#define RW (PROT_READ | PROT_WRITE)

static char *map_at(void *addr, size_t pages, int flags)
{
	return (char *)CHECK_OK(mmap(addr, pages * PGSZ, RW,
				     MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0));
}

/* n pages at a free address, with a different mapping right after them, so they cannot grow. */
static char *map_blocked(size_t pages)
{
	char *p = map_at(NULL, pages + 1, 0);

	CHECK_OK(munmap(p + pages * PGSZ, PGSZ));
	CHECK_OK((long)mmap(p + pages * PGSZ, PGSZ, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			    -1, 0));
	return p;
}

static void t_mremap_shrink(void)
{
	char *p = map_at(NULL, 4, 0);

	fill_pages(p, 4, 20);
	CHECK((char *)mremap(p, 4 * PGSZ, 2 * PGSZ, 0) == p, "shrinking moved the region");
	CHECK(check_pages(p, 2, 20) < 0, "shrinking lost data");
	CHECK(touch_signal(p + 2 * PGSZ, 0) == SIGSEGV && touch_signal(p + 4 * PGSZ - 1, 0) == SIGSEGV,
	      "the pages cut off are still mapped");
	check_rmap("after shrinking");
	CHECK_OK(munmap(p, 2 * PGSZ));
}

static void t_mremap_grow_in_place(void)
{
	char *p = map_at(NULL, 8, 0);

	CHECK_OK(munmap(p + 4 * PGSZ, 4 * PGSZ));    /* free space right after */
	fill_pages(p, 4, 21);
	CHECK((char *)mremap(p, 4 * PGSZ, 8 * PGSZ, 0) == p, "could not grow in place");
	CHECK(check_pages(p, 4, 21) < 0, "growing lost data");
	CHECK(all_zero(p + 4 * PGSZ, 4 * PGSZ), "the new pages are not zeroed");
	p[8 * PGSZ - 1] = 1;
	CHECK(count_vmas((unsigned long)p, (unsigned long)p + 8 * PGSZ) == 1, "the grown region is not one VMA");
	check_rmap("after growing in place");
	CHECK_OK(munmap(p, 8 * PGSZ));
}

static void t_mremap_maymove(void)
{
	char *p = map_blocked(4), *q;

	fill_pages(p, 4, 22);
	CHECK(mremap(p, 4 * PGSZ, 16 * PGSZ, 0) == MAP_FAILED && errno == ENOMEM,
	      "grew over the next mapping without MREMAP_MAYMOVE");
	q = (char *)CHECK_OK(mremap(p, 4 * PGSZ, 16 * PGSZ, MREMAP_MAYMOVE));
	CHECK(q != p, "MREMAP_MAYMOVE grew over the next mapping");
	CHECK(check_pages(q, 4, 22) < 0, "the data did not move with the region");
	CHECK(all_zero(q + 4 * PGSZ, 12 * PGSZ), "the new pages are not zeroed");
	CHECK(touch_signal(p, 0) == SIGSEGV, "the old place is still mapped");
	CHECK(touch_signal(p + 4 * PGSZ, 0) == 0, "the blocking mapping went away");
	check_rmap("after a move");
	fill_pages(q, 16, 23);                          /* the moved pages are still writable */
	CHECK(check_pages(q, 16, 23) < 0, "writing after the move");
	CHECK_OK(munmap(q, 16 * PGSZ));
	CHECK_OK(munmap(p + 4 * PGSZ, PGSZ));
}

static void t_mremap_fixed(void)
{
	char *p = map_at(NULL, 4, 0), *target = map_at(NULL, 6, 0), *dst = map_at(NULL, 8, 0);

	fill_pages(p, 4, 24);
	memset(target, 0x77, 6 * PGSZ);
	/* onto the middle of another mapping: what was there is replaced */
	CHECK((char *)mremap(p, 4 * PGSZ, 4 * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, target + PGSZ) ==
	      target + PGSZ, "MREMAP_FIXED did not move to the address asked");
	CHECK(check_pages(target + PGSZ, 4, 24) < 0, "the data did not move");
	CHECK(target[0] == 0x77 && target[6 * PGSZ - 1] == 0x77, "the rest of the target changed");
	CHECK(touch_signal(p, 0) == SIGSEGV, "the old place is still mapped");
	check_rmap("after MREMAP_FIXED");
	/* on again, growing on the way, onto the start of a third mapping */
	CHECK((char *)mremap(target + PGSZ, 4 * PGSZ, 5 * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, dst) ==
	      dst, "moving and growing with MREMAP_FIXED: %s", errno_name(errno));
	CHECK(check_pages(dst, 4, 24) < 0 && all_zero(dst + 4 * PGSZ, PGSZ), "data after the second move");
	CHECK(touch_signal(target + PGSZ, 0) == SIGSEGV, "no hole left behind");
	CHECK(touch_signal(dst + 7 * PGSZ, 1) == 0, "the rest of the third mapping went away");
	check_rmap("after the second move");
	CHECK_OK(munmap(dst, 8 * PGSZ));
	CHECK_OK(munmap(target, 6 * PGSZ));
}

/* ---- fork, then mremap ---- */

#define FM_PAGES 32

struct fork_move {
	char *p;
	int up[2], down[2];
};

/* The child: move the shared region, check it, write half of it, tell the parent, wait. */
static void fork_move_child(void *arg)
{
	struct fork_move *f = arg;
	char *q, c;

	close(f->up[0]);
	close(f->down[1]);
	/* a blocker after the region forces a real move */
	CHECK_OK((long)mmap(f->p + FM_PAGES * PGSZ, PGSZ, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	q = (char *)CHECK_OK(mremap(f->p, FM_PAGES * PGSZ, 2 * FM_PAGES * PGSZ, MREMAP_MAYMOVE));
	CHECK(q != f->p, "the child's region did not move");
	CHECK(check_pages(q, FM_PAGES, 30) < 0, "the child's moved region lost the parent's data");
	check_rmap("after the child moved a COW-shared region");
	fill_pages(q, FM_PAGES / 2, 31);                 /* COW breaks on the moved region */
	fill_pages(q + FM_PAGES * PGSZ, FM_PAGES, 32);   /* and new pages in the grown part */
	check_rmap("after the child wrote to its moved region");
	write(f->up[1], "m", 1);
	read(f->down[0], &c, 1);
	CHECK(check_pages(q, FM_PAGES / 2, 31) < 0 &&
	      check_pages(q + FM_PAGES / 2 * PGSZ, FM_PAGES / 2, 30 + FM_PAGES / 2) < 0 &&
	      check_pages(q + FM_PAGES * PGSZ, FM_PAGES, 32) < 0,
	      "the child's data changed while the parent moved and wrote its own");
	/* move once more, back over the old place, and exit holding it */
	CHECK((char *)mremap(q, 2 * FM_PAGES * PGSZ, FM_PAGES * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED,
			     f->p) == f->p, "the child's second move");
	CHECK(check_pages(f->p, FM_PAGES / 2, 31) < 0, "data after the second move");
	check_rmap("after the child's second move");
}

static void t_fork_then_mremap(void)
{
	struct fork_move f;
	char c, *q;
	pid_t pid;

	f.p = map_at(NULL, FM_PAGES + 1, 0);
	CHECK_OK(munmap(f.p + FM_PAGES * PGSZ, PGSZ));
	fill_pages(f.p, FM_PAGES, 30);
	CHECK_OK(pipe(f.up));
	CHECK_OK(pipe(f.down));
	pid = CHECK_OK(spawn(fork_move_child, &f));
	close(f.up[1]);
	close(f.down[0]);
	CHECK(read(f.up[0], &c, 1) == 1, "the child died before moving (see its message)");
	CHECK(check_pages(f.p, FM_PAGES, 30) < 0, "the parent's data changed when the child moved and wrote");
	/* the parent moves its copy too, then writes the other half */
	CHECK_OK((long)mmap(f.p + FM_PAGES * PGSZ, PGSZ, PROT_READ,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	q = (char *)CHECK_OK(mremap(f.p, FM_PAGES * PGSZ, 3 * FM_PAGES * PGSZ, MREMAP_MAYMOVE));
	CHECK(q != f.p && check_pages(q, FM_PAGES, 30) < 0, "the parent's moved region");
	check_rmap("with both copies moved");
	fill_pages(q + FM_PAGES / 2 * PGSZ, FM_PAGES / 2, 33);
	check_rmap("after the parent wrote to its moved region");
	close(f.down[1]);
	check_child_ok(wait_status(pid, 0), "child");
	CHECK(check_pages(q, FM_PAGES / 2, 30) < 0 &&
	      check_pages(q + FM_PAGES / 2 * PGSZ, FM_PAGES / 2, 33) < 0,
	      "the parent's data after the child exited");
	fill_pages(q, 3 * FM_PAGES, 34);                 /* now the only user of every page */
	CHECK(check_pages(q, 3 * FM_PAGES, 34) < 0, "writing after the child exited");
	check_rmap("after the child exited");
	CHECK_OK(munmap(q, 3 * FM_PAGES * PGSZ));
	CHECK_OK(munmap(f.p + FM_PAGES * PGSZ, PGSZ));
}

/*
 * Fault a page at x, move it away, map a fresh page right beside x
 * (after it, or before it), move the page back: mremap merges it into
 * the fresh VMA (vma_merge case 3, or 2), which has no anon_vma yet and
 * must take the page's -- else munmap of the old VMA frees the anon_vma
 * while its page is mapped.
 */
static void move_back_beside_fresh(long side)
{
	char *r = map_at(NULL, 4, 0), *x = r + PGSZ, *y = map_at(NULL, 1, 0), *fresh = x + side * PGSZ;
	char *lo = side < 0 ? fresh : x;

	CHECK_OK(munmap(r, 4 * PGSZ));
	CHECK_OK(munmap(y, PGSZ));
	map_at(x, 1, MAP_FIXED);
	fill_pages(x, 1, 40);
	CHECK((char *)mremap(x, PGSZ, PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, y) == y, "the move away");
	map_at(fresh, 1, MAP_FIXED);                      /* never touched: no anon_vma */
	CHECK((char *)mremap(y, PGSZ, PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, x) == x, "the move back");
	CHECK(count_vmas((unsigned long)lo, (unsigned long)lo + 2 * PGSZ) == 1,
	      "the page did not merge with the fresh mapping beside it");
	check_rmap("after moving a page back beside a mapping that never faulted");
	CHECK(check_pages(x, 1, 40) < 0, "the moved page lost its data");
	fill_pages(fresh, 1, 41);                         /* the fresh page faults into the same VMA */
	check_rmap("after the fresh neighbour faulted");
	CHECK(check_pages(x, 1, 40) < 0 && check_pages(fresh, 1, 41) < 0, "data after both faulted");
	CHECK_OK(munmap(lo, 2 * PGSZ));
}

static void t_mremap_back_before_fresh(void)
{
	move_back_beside_fresh(1);
}

static void t_mremap_back_after_fresh(void)
{
	move_back_beside_fresh(-1);
}

/* ---- whole page tables and runs of PTEs (mm/mremap.c's two paths) ---- */

#define TABLE (4UL << 20)                 /* what one i386 page table maps */
#define SPAN_PAGES (2 * TABLE / PGSZ + 3) /* two whole tables and a bit of a third */
#define SPAN (SPAN_PAGES * PGSZ)
#define SLOT (4 * TABLE)                  /* room for a span at any offset, in a reservation */
#define SLOTS 4
#define MISALIGN (5 * PGSZ)
#define PAGEOUT_RUN 64                    /* every other run of this many pages is paged out */

/*
 * Four moves of a span starting at slot 0 of a reservation, each checked
 * (contents and rmap_verify): aligned at both ends (two tables move whole,
 * the three pages after them as a run), unaligned (every PTE, run by run),
 * misaligned alike at both ends (a run, a whole table, a run), and back
 * home (unaligned again).
 */
static void move_spans(char *slots, unsigned seed, const char *who)
{
	char *to[] = { slots + SLOT, slots + 2 * SLOT + MISALIGN, slots + 3 * SLOT + MISALIGN, slots };
	char *from = slots;

	for (unsigned i = 0; i < sizeof(to) / sizeof(to[0]); i++) {
		CHECK((char *)mremap(from, SPAN, SPAN, MREMAP_MAYMOVE | MREMAP_FIXED, to[i]) == to[i],
		      "%s: move %u: %s", who, i, errno_name(errno));
		CHECK(check_pages(to[i], SPAN_PAGES, seed) < 0, "%s: move %u lost data", who, i);
		check_rmap("after a move of a span");
		from = to[i];
	}
}

/* The child moves the span it shares copy-on-write with its parent, then writes half of it. */
static void spans_child(void *slots)
{
	move_spans(slots, 50, "child");
	fill_pages(slots, SPAN_PAGES / 2, 51);
	CHECK(check_pages(slots, SPAN_PAGES / 2, 51) < 0 &&
	      check_pages((char *)slots + SPAN_PAGES / 2 * PGSZ, SPAN_PAGES - SPAN_PAGES / 2,
			  50 + SPAN_PAGES / 2) < 0, "child: data after writing the moved span");
}

/*
 * Spans moved whole-table and run by run, shared copy-on-write after fork
 * and, where there is swap (the swapregress suite runs this subtest with
 * it), partly on swap: the child moves the shared pages and swap entries,
 * then the parent, whose copy must not have changed, moves its own.
 */
static void t_mremap_table_spans(void)
{
	char *res = (char *)CHECK_OK(mmap(NULL, (SLOTS + 1) * SLOT, PROT_NONE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char *slots = (char *)(((unsigned long)res + TABLE - 1) & ~(TABLE - 1));

	map_at(slots, SPAN_PAGES, MAP_FIXED);
	fill_pages(slots, SPAN_PAGES, 50);
	for (size_t i = 0; i < SPAN_PAGES; i += 2 * PAGEOUT_RUN)
		CHECK_OK(madvise(slots + i * PGSZ, PAGEOUT_RUN * PGSZ, MADV_PAGEOUT));
	CHECK(proc_field("/proc/meminfo", "SwapTotal:") <= 0 ||
	      proc_field("/proc/self/status", "VmSwap:") >= (long)(SPAN_PAGES / 4 * (PGSZ / 1024)),
	      "there is swap, but MADV_PAGEOUT put too little of the span there");
	check_child_ok(wait_status(CHECK_OK(spawn(spans_child, slots)), 0), "child");
	CHECK(check_pages(slots, SPAN_PAGES, 50) < 0, "parent: the child's moves changed its data");
	move_spans(slots, 50, "parent");
	CHECK_OK(munmap(res, (SLOTS + 1) * SLOT));
}

const struct subtest mremap_tests[] = {
	{ "mremap_shrink", t_mremap_shrink, T_VM },
	{ "mremap_grow_in_place", t_mremap_grow_in_place, T_VM },
	{ "mremap_maymove", t_mremap_maymove, T_VM },
	{ "mremap_fixed", t_mremap_fixed, T_VM },
	{ "fork_then_mremap", t_fork_then_mremap, T_VM },
	{ "mremap_back_before_fresh", t_mremap_back_before_fresh, T_VM },
	{ "mremap_back_after_fresh", t_mremap_back_after_fresh, T_VM },
	{ "mremap_table_spans", t_mremap_table_spans, T_VM },
	{ NULL },
};
