/*
 * Tests of mremap's two ways of moving page-table entries (mm/mremap.c):
 * a whole page table moved by its directory entry when both ends cover
 * aligned 4 MiB spans, and the per-table run otherwise.  Each checks that
 * every PTE arrives unchanged (frame, accessed and dirty bits, swap
 * entry), the contents, the page-table accounting, and rmap_verify -- the
 * table's recorded base address and each rmap scheme's own records.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/swap.h>
#include <anvil/syscalls.h>
#include <abi/mman.h>
#include "test_vm.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define TABLE_PAGES PTRS_PER_PTE
#define MOVED_PAGES (2 * TABLE_PAGES + 3)     /* two whole tables and a bit of a third */
#define POKE_STRIDE 3                          /* leaves empty PTEs between the written ones */
#define FAR (B + 4 * PGDIR_SIZE)               /* an aligned destination clear of the source */
#define FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)

static pte_t saved[MOVED_PAGES];

/* Write every POKE_STRIDE-th page of [addr, addr + pages) with a value of its own. */
static int poke_pages(unsigned long addr, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i += POKE_STRIDE)
		if (tvm_poke(addr + i * P, (u8)(i / POKE_STRIDE + 1)))
			return -EFAULT;
	return 0;
}

/* Every PTE of [addr, addr + pages), 0 where there is no table. */
static void save_ptes(struct mm_struct *mm, unsigned long addr, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++) {
		pte_t *pte = lookup_pte(mm, addr + i * P);

		saved[i] = pte ? *pte : __pte(0);
	}
}

/* Is each PTE at addr the one save_ptes saw, and is nothing left at from? */
static bool ptes_moved(struct mm_struct *mm, unsigned long from, unsigned long addr,
		       unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++) {
		pte_t *pte = lookup_pte(mm, addr + i * P), *old = lookup_pte(mm, from + i * P);

		if (pte_val(saved[i]) != (pte ? pte_val(*pte) : 0) || (old && !pte_none(*old)))
			return false;
	}
	return true;
}

/* Does each written page read back what poke_pages wrote (swapping it in if need be)? */
static bool contents_intact(unsigned long addr, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i += POKE_STRIDE) {
		u8 val;

		if (tvm_peek(addr + i * P, &val) || val != (u8)(i / POKE_STRIDE + 1))
			return false;
	}
	return true;
}

/* The page at addr swapped out: its PTE becomes a swap entry, the page stays in swap cache. */
static int swap_out(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = tvm_page(mm, addr);
	int ret;

	get_page(page);
	page_referenced(page);           /* old, as reclaim would find it */
	ret = tvm_unmap_page(page);
	put_page(page);
	return ret == SWAP_SUCCESS ? 0 : -EAGAIN;
}

/* The page at addr, swapped back in, drops its swap-cache copy: the test leaves no page behind. */
static void drop_swap_copy(struct mm_struct *mm, unsigned long addr)
{
	struct page *page = tvm_page(mm, addr);

	lock_page(page);
	try_to_free_swap(page);
	unlock_page(page);
}

/*
 * The fast path: both ends 4 MiB aligned, so the first two runs are whole
 * tables and move by their directory entries -- the destination's entries
 * point at the very tables the source had, the source's are empty, the
 * tables name their new base address, and no table is allocated for them
 * (the third, partial run moves its PTEs into one new table, and munmap
 * frees the source's).  A swap entry and the CPU's accessed and dirty
 * bits travel inside the tables.
 */
KTEST(mremap_moves_whole_page_tables)
{
	struct mm_struct *mm = tvm_create();
	pte_t *tables[2];
	unsigned long nr_ptes;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, MOVED_PAGES * P, RW), 0);
	KT_EQ(t, poke_pages(B, MOVED_PAGES), 0);
	KT_EQ(t, swap_out(mm, B + (TABLE_PAGES + 2) * P), 0);   /* a page of the second table */
	tables[0] = lookup_pte(mm, B);
	tables[1] = lookup_pte(mm, B + PGDIR_SIZE);
	save_ptes(mm, B, MOVED_PAGES);
	nr_ptes = mm->nr_ptes;
	KT_EQ(t, sys_mremap(B, MOVED_PAGES * P, MOVED_PAGES * P, FIXED, FAR), FAR);
	KT_ASSERT(t, lookup_pte(mm, FAR) == tables[0]);
	KT_ASSERT(t, lookup_pte(mm, FAR + PGDIR_SIZE) == tables[1]);
	KT_ASSERT(t, pgd_none(mm->pgd[pgd_index(B)]));
	KT_ASSERT(t, pgd_none(mm->pgd[pgd_index(B + PGDIR_SIZE)]));
	KT_EQ(t, virt_to_page(tables[1])->index, FAR + PGDIR_SIZE);
	KT_EQ(t, mm->nr_ptes, nr_ptes);
	KT_ASSERT(t, ptes_moved(mm, B, FAR, MOVED_PAGES));
	KT_EQ(t, rmap_verify(), 0);
	KT_ASSERT(t, contents_intact(FAR, MOVED_PAGES));
	drop_swap_copy(mm, FAR + (TABLE_PAGES + 2) * P);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/*
 * No whole table when either end is unaligned: runs end at the next table
 * boundary of either side, each run's PTEs move as they were, and a run
 * whose source PTEs are all empty allocates no table at the destination.
 */
KTEST(mremap_unaligned_moves_ptes_by_runs)
{
	struct mm_struct *mm = tvm_create();
	unsigned long dst = FAR + 5 * P, empty_run = FAR + 2 * PGDIR_SIZE;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, MOVED_PAGES * P, RW), 0);
	/* write only the source pages that land below empty_run */
	KT_EQ(t, poke_pages(B, TABLE_PAGES), 0);
	KT_EQ(t, poke_pages(B + PGDIR_SIZE, TABLE_PAGES - 5), 0);
	KT_EQ(t, swap_out(mm, B + 3 * P), 0);
	save_ptes(mm, B, MOVED_PAGES);
	KT_EQ(t, sys_mremap(B, MOVED_PAGES * P, MOVED_PAGES * P, FIXED, dst), dst);
	KT_ASSERT(t, ptes_moved(mm, B, dst, MOVED_PAGES));
	KT_ASSERT(t, lookup_pte(mm, empty_run) == NULL);       /* only empty PTEs landed there */
	KT_EQ(t, mm->nr_ptes, 2);                               /* the source's went with munmap */
	KT_EQ(t, rmap_verify(), 0);
	KT_ASSERT(t, contents_intact(dst, TABLE_PAGES));
	KT_ASSERT(t, contents_intact(dst + PGDIR_SIZE, TABLE_PAGES - 5));
	drop_swap_copy(mm, dst + 3 * P);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/*
 * An aligned move onto a span that still has a (empty) page table: the
 * fast path is refused and the PTEs go into that table one run at a time.
 */
KTEST(mremap_whole_table_refused_onto_a_table)
{
	struct mm_struct *mm = tvm_create();
	pte_t *there;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, TABLE_PAGES * P, RW), 0);
	KT_EQ(t, poke_pages(B, TABLE_PAGES), 0);
	there = pte_alloc(mm, FAR);
	KT_ASSERT(t, there);
	save_ptes(mm, B, TABLE_PAGES);
	KT_EQ(t, sys_mremap(B, TABLE_PAGES * P, TABLE_PAGES * P, FIXED, FAR), FAR);
	KT_ASSERT(t, lookup_pte(mm, FAR) == there);
	KT_ASSERT(t, ptes_moved(mm, B, FAR, TABLE_PAGES));
	KT_EQ(t, rmap_verify(), 0);
	KT_ASSERT(t, contents_intact(FAR, TABLE_PAGES));
	tvm_destroy(mm);
}

/*
 * A forked child moves a whole table of pages it shares with its parent:
 * each scheme must still find both mappings (pte_chain through the
 * table's new base address; anonmm moved private copies), and reclaim's
 * try_to_unmap of a shared page clears both PTEs.
 */
KTEST(mremap_whole_table_after_fork)
{
	struct mm_struct *parent = tvm_create(), *child;
	struct page *page, *moved;
	pte_t *table;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, TABLE_PAGES * P, RW), 0);
	KT_EQ(t, poke_pages(B, TABLE_PAGES), 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	tvm_enter(child);
	table = lookup_pte(child, B);
	KT_EQ(t, sys_mremap(B, TABLE_PAGES * P, TABLE_PAGES * P, FIXED, FAR), FAR);
	KT_ASSERT(t, lookup_pte(child, FAR) == table);
	KT_EQ(t, rmap_verify(), 0);
	KT_ASSERT(t, contents_intact(FAR, TABLE_PAGES));
	page = tvm_page(parent, B + 6 * P);
	moved = tvm_page(child, FAR + 6 * P);
	KT_ASSERT(t, page && moved);
	KT_EQ(t, moved == page, !RMAP_MREMAP_COPIES_SHARED);   /* anonmm: the child moved a copy */
	KT_ASSERT(t, rmap_walk_reaches(moved, child, FAR + 6 * P));
	if (!RMAP_MREMAP_COPIES_SHARED) {
		KT_EQ(t, swap_out(parent, B + 6 * P), 0);
		KT_ASSERT(t, !pte_present(*lookup_pte(child, FAR + 6 * P)));
	}
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/* Locked and shared (shmem) mappings move whole tables too, their accounting intact. */
KTEST(mremap_whole_table_locked_and_shared)
{
	struct mm_struct *mm = tvm_create();
	pte_t *locked, *shared;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_mmap(B, TABLE_PAGES * P, RW, MAP_PRIVATE | MAP_LOCKED), 0);
	KT_EQ(t, tvm_mmap(B + PGDIR_SIZE, TABLE_PAGES * P, RW, MAP_SHARED), 0);
	KT_EQ(t, poke_pages(B, 2 * TABLE_PAGES), 0);
	locked = lookup_pte(mm, B);
	shared = lookup_pte(mm, B + PGDIR_SIZE);
	KT_EQ(t, sys_mremap(B, TABLE_PAGES * P, TABLE_PAGES * P, FIXED, FAR), FAR);
	KT_EQ(t, sys_mremap(B + PGDIR_SIZE, TABLE_PAGES * P, TABLE_PAGES * P, FIXED,
			    FAR + PGDIR_SIZE), FAR + PGDIR_SIZE);
	KT_ASSERT(t, lookup_pte(mm, FAR) == locked && lookup_pte(mm, FAR + PGDIR_SIZE) == shared);
	KT_EQ(t, mm->locked_vm, TABLE_PAGES);
	KT_ASSERT(t, rmap_walk_reaches(tvm_page(mm, FAR + PGDIR_SIZE + 2 * P), mm,
				       FAR + PGDIR_SIZE + 2 * P));
	KT_EQ(t, rmap_verify(), 0);
	KT_ASSERT(t, contents_intact(FAR, 2 * TABLE_PAGES));
	tvm_destroy(mm);
}
