/*
 * Tests of the swap-out and swap-in paths (labs/reclaim): reclaim turns
 * the PTEs of an address space's idle anonymous pages into swap entries
 * and frees the pages (shrink_page_list); touching them brings the data
 * back through do_swap_page; but not a page whose swap area swapoff is
 * emptying, nor one without a slot (activated), and a reclaim that may
 * not do I/O writes nothing.  The ktest boot attaches a swap disk.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#include <anvil/sched.h>
#include <abi/mman.h>
#include "test_vm.h"

#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define RECLAIM_PAGES 32
#define RECLAIM_ROUNDS 8         /* reclaim passes before giving up on the pages */

static bool swap_pte(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = lookup_pte(mm, addr);

	return pte && !pte_none(*pte) && !pte_present(*pte);
}

/* RECLAIM_PAGES pages written with their number, then reclaimed; how many left for swap? */
static int map_and_swap_out(struct mm_struct *mm)
{
	int swapped = 0;

	if (tvm_map(B, RECLAIM_PAGES * PAGE_SIZE, RW))
		return -1;
	for (int i = 0; i < RECLAIM_PAGES; i++)
		if (tvm_poke(B + i * PAGE_SIZE, (u8)i))
			return -1;
	for (int round = 0; round < RECLAIM_ROUNDS && mm->anon_rss; round++)
		shrink_all_memory(RECLAIM_PAGES);
	while (vm_stat[NR_WRITEBACK])
		schedule_timeout(1);
	for (int i = 0; i < RECLAIM_PAGES; i++)
		swapped += swap_pte(mm, B + i * PAGE_SIZE);
	return swapped;
}

KTEST(reclaim_swaps_out_anonymous_pages)
{
	struct mm_struct *mm = tvm_create();
	unsigned long out = vm_events[PSWPOUT];
	int swapped;

	KT_ASSERT(t, mm);
	KT_ASSERT(t, swap_info[0].flags & SWP_WRITEOK);     /* the boot has swap=hdb */
	tvm_enter(mm);
	swapped = map_and_swap_out(mm);
	KT_EQ(t, swapped, RECLAIM_PAGES);
	KT_EQ(t, mm->anon_rss, 0);
	KT_EQ(t, mm->swap_ents, RECLAIM_PAGES);
	KT_ASSERT(t, vm_events[PSWPOUT] - out >= RECLAIM_PAGES);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

KTEST(reclaim_swap_in_restores_data)
{
	struct mm_struct *mm = tvm_create();
	u8 v;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, map_and_swap_out(mm), RECLAIM_PAGES);
	for (int i = 0; i < RECLAIM_PAGES; i++) {
		KT_EQ(t, tvm_peek(B + i * PAGE_SIZE, &v), 0);
		KT_EQ(t, v, (u8)i);
		KT_ASSERT(t, !swap_pte(mm, B + i * PAGE_SIZE));
	}
	KT_EQ(t, mm->anon_rss, RECLAIM_PAGES);
	KT_EQ(t, mm->swap_ents, 0);
	KT_EQ(t, tvm_poke(B, 0xee), 0);                     /* ours alone: writable, no copy */
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, v, 0xee);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();          /* the pages read back stayed in the swap cache */
}

/*
 * The swapoff row of shrink_page_list()'s table (docs/reclaim.md): a mapped
 * page in the swap cache whose area swapoff is emptying (SWP_WRITEOK off) is
 * activated, not unmapped -- swapoff is bringing that area's entries back,
 * and a new swap PTE would name a slot about to go.  The pages get their
 * slots first, then the area is closed as swapoff closes it.
 */
KTEST(reclaim_keeps_mapped_pages_of_an_area_being_swapped_off)
{
	struct mm_struct *mm = tvm_create();
	struct swap_info_struct *si = NULL;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, RECLAIM_PAGES * PAGE_SIZE, RW), 0);
	for (int i = 0; i < RECLAIM_PAGES; i++) {
		struct page *page;

		KT_EQ(t, tvm_poke(B + i * PAGE_SIZE, (u8)i), 0);
		page = tvm_page(mm, B + i * PAGE_SIZE);
		KT_ASSERT(t, page);
		lock_page(page);
		KT_ASSERT(t, add_to_swap(page));
		unlock_page(page);
		si = &swap_info[swp_type((swp_entry_t){ page->private })];
	}
	si->flags &= ~SWP_WRITEOK;                      /* as swapoff does first */
	for (int round = 0; round < RECLAIM_ROUNDS; round++)
		shrink_all_memory(RECLAIM_PAGES);
	si->flags |= SWP_WRITEOK;
	while (vm_stat[NR_WRITEBACK])
		schedule_timeout(1);
	for (int i = 0; i < RECLAIM_PAGES; i++)
		KT_ASSERT(t, !swap_pte(mm, B + i * PAGE_SIZE));
	KT_EQ(t, mm->anon_rss, RECLAIM_PAGES);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}

/* One page through shrink_page_list, its accessed bits ignored (MADV_PAGEOUT's way). */
static void reclaim_one(struct page *page)
{
	LIST_HEAD(list);

	deactivate_page(page);
	if (!isolate_lru_page(page))
		return;
	list_add(&page->lru, &list);
	reclaim_pages(&list);              /* puts the page back, and isolate's reference */
}

/*
 * The add_to_swap row of shrink_page_list()'s table: an anonymous page
 * that gets no slot (every area closed, as if full) is activated -- put
 * back on the active list, not rescanned at once -- and stays mapped.
 */
KTEST(reclaim_activates_a_page_without_a_swap_slot)
{
	struct mm_struct *mm = tvm_create();
	unsigned long activated = vm_events[PGACTIVATE];
	struct page *page;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, PAGE_SIZE, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	page = tvm_page(mm, B);
	KT_ASSERT(t, page && !PageSwapCache(page));
	swap_info[0].flags &= ~SWP_WRITEOK;              /* no slot anywhere */
	reclaim_one(page);
	swap_info[0].flags |= SWP_WRITEOK;
	KT_ASSERT(t, !PageSwapCache(page) && tvm_page(mm, B) == page);
	KT_ASSERT(t, PageActive(page));
	KT_EQ(t, vm_events[PGACTIVATE] - activated, 1);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/*
 * The pageout row's first column: a caller that may not do I/O (no
 * __GFP_IO: GFP_NOIO, a block driver's own allocation) unmaps pages but
 * writes none -- it keeps them, dirty, for a reclaim that may.
 */
KTEST(reclaim_without_gfp_io_writes_nothing)
{
	struct mm_struct *mm = tvm_create();
	unsigned long written = vm_events[NR_VMSCAN_WRITE];

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, RECLAIM_PAGES * PAGE_SIZE, RW), 0);
	for (int i = 0; i < RECLAIM_PAGES; i++)
		KT_EQ(t, tvm_poke(B + i * PAGE_SIZE, (u8)i), 0);
	for (int round = 0; round < RECLAIM_ROUNDS; round++)
		try_to_free_pages(GFP_NOIO);
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 0);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}
