/*
 * Tests of locked memory against reclaim (mm/mlock.c), run under every
 * rmap scheme: reclaim swaps out an address space's unlocked pages and
 * culls its locked ones off the LRU (PG_mlocked), whose PTEs stay; a
 * culled page goes back to the LRU when it is unlocked or a PTE stops
 * mapping it -- a forked child's copy-on-write, munmap -- and rmap_verify
 * holds at each step.  The ktest boot attaches a swap disk.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <abi/mman.h>
#include "test_vm.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define PAGES 8
#define LOCKED (B + 2 * PAGES * P)    /* the locked range, after the unlocked one and a gap */
#define RECLAIM_ROUNDS 8

static bool swap_pte(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = lookup_pte(mm, addr);

	return pte && !pte_none(*pte) && !pte_present(*pte);
}

/* How many of the PAGES pages at addr in mm are culled: present, PG_mlocked, off the LRU. */
static int culled(struct mm_struct *mm, unsigned long addr)
{
	int n = 0;

	for (int i = 0; i < PAGES; i++) {
		struct page *page = tvm_page(mm, addr + i * P);

		n += page && PageMlocked(page) && !PageLRU(page);
	}
	return n;
}

/*
 * PAGES unlocked pages at B and PAGES locked ones at LOCKED, all written,
 * then reclaim until the unlocked ones are on swap.  How many are.
 */
static int map_and_reclaim(struct mm_struct *mm)
{
	int swapped = 0;

	if (tvm_map(B, PAGES * P, RW) || tvm_mmap(LOCKED, PAGES * P, RW, MAP_PRIVATE | MAP_LOCKED))
		return -1;
	for (int i = 0; i < PAGES; i++)
		if (tvm_poke(B + i * P, 1) || tvm_poke(LOCKED + i * P, 2))
			return -1;
	for (int round = 0; round < RECLAIM_ROUNDS && swapped < PAGES; round++) {
		shrink_all_memory(2 * PAGES);
		swapped = 0;
		for (int i = 0; i < PAGES; i++)
			swapped += swap_pte(mm, B + i * P);
	}
	while (vm_stat[NR_WRITEBACK])
		schedule_timeout(1);
	return swapped;
}

KTEST(mlock_reclaim_culls_locked_pages)
{
	struct mm_struct *mm = tvm_create();
	unsigned long culled_before = vm_events[UNEVICTABLE_PGCULLED];
	long mlocked = vm_stat[NR_MLOCK];

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, mm->locked_vm, 0);
	KT_EQ(t, map_and_reclaim(mm), PAGES);
	KT_EQ(t, mm->locked_vm, PAGES);
	KT_EQ(t, culled(mm, LOCKED), PAGES);             /* in RAM, off the LRU */
	KT_EQ(t, vm_stat[NR_MLOCK] - mlocked, PAGES);
	KT_ASSERT(t, vm_events[UNEVICTABLE_PGCULLED] - culled_before >= PAGES);
	KT_EQ(t, mm->swap_ents, PAGES);
	KT_EQ(t, rmap_verify(), 0);
	shrink_all_memory(2 * PAGES);                    /* culled: reclaim never looks again */
	KT_EQ(t, culled(mm, LOCKED), PAGES);
	KT_EQ(t, sys_munlock(LOCKED + 2 * P, 2 * P), 0);
	KT_EQ(t, culled(mm, LOCKED), PAGES - 2);         /* unlocked: back on the LRU */
	KT_ASSERT(t, PageLRU(tvm_page(mm, LOCKED + 2 * P)));
	KT_EQ(t, mm->locked_vm, PAGES - 2);
	KT_EQ(t, mm->map_count, 4);                      /* split in three */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	KT_EQ(t, vm_stat[NR_MLOCK], mlocked);            /* exit gave the rest back */
	free_unused_swap_cache();
}

/*
 * A culled page shared with a forked child (who does not inherit the
 * lock) goes back to the LRU when the child copies it, and when the
 * parent's locked VMA goes; rmap_verify checks that every culled page is
 * mapped by some locked VMA all along.
 */
KTEST(mlock_culled_page_rescued_by_cow_and_munmap)
{
	struct mm_struct *mm = tvm_create(), *child;
	long mlocked = vm_stat[NR_MLOCK];
	struct page *page;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, map_and_reclaim(mm), PAGES);
	KT_EQ(t, culled(mm, LOCKED), PAGES);
	child = dup_mm(mm);
	KT_ASSERT(t, child);
	KT_EQ(t, child->locked_vm, 0);
	KT_ASSERT(t, !(tvm_vma(child, LOCKED)->vm_flags & VM_LOCKED));
	KT_ASSERT(t, tvm_page(child, LOCKED) == tvm_page(mm, LOCKED));
	KT_EQ(t, rmap_verify(), 0);
	tvm_enter(child);
	KT_EQ(t, tvm_poke(LOCKED, 3), 0);                /* the child's copy-on-write */
	page = tvm_page(mm, LOCKED);
	KT_ASSERT(t, page != tvm_page(child, LOCKED));
	KT_ASSERT(t, !PageMlocked(page) && PageLRU(page));    /* reclaim may cull it again */
	KT_EQ(t, rmap_verify(), 0);
	tvm_enter(mm);
	KT_EQ(t, sys_munmap(LOCKED, PAGES * P), 0);       /* the child still maps the rest */
	KT_EQ(t, mm->locked_vm, 0);
	KT_EQ(t, vm_stat[NR_MLOCK], mlocked);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(mm);
	free_unused_swap_cache();
}
