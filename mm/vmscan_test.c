/*
 * Tests of swap-out and swap-in (labs/reclaim): reclaim turns the PTEs of
 * idle anonymous pages into swap entries and frees the pages
 * (shrink_page_list); a touch brings the data back (do_swap_page).  The
 * other tests take pages through one row each of shrink_page_list's table
 * (docs/reclaim.md).  The ktest boot attaches a swap disk.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#include <anvil/sched.h>
#include <abi/mman.h>
#include <anvil/syscalls.h>
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

/* Until every write in flight has completed (end_page_writeback). */
static void wait_for_writes(void)
{
	while (vm_stat[NR_WRITEBACK])
		schedule_timeout(1);
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
	wait_for_writes();
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
 * One page through one pass of shrink_page_list, as an allocation with gfp
 * reclaims.  Its PTEs' accessed bits count: a caller whose page is to be
 * unused reads them first (page_referenced), as the aging of the active
 * list does.
 */
static void reclaim_one(struct page *page, gfp_t gfp)
{
	LIST_HEAD(list);

	deactivate_page(page);
	if (!isolate_lru_page(page))
		return;
	list_add(&page->lru, &list);
	shrink_isolated_pages(&list, gfp);   /* puts the page back, and isolate's reference */
}

/*
 * mm entered with one page of its own at B, written once; its accessed
 * bit already read, as the list aging would have before reclaim looks.
 */
static struct page *one_used_page(struct mm_struct *mm)
{
	struct page *page;

	tvm_enter(mm);
	if (tvm_map(B, PAGE_SIZE, RW) || tvm_poke(B, 1))
		return NULL;
	page = tvm_page(mm, B);
	if (page)
		page_referenced(page);
	return page;
}

/*
 * The control of a test whose row keeps, activates or does not write a
 * page: the cause gone, the next pass writes it -- so a reclaim that never
 * writes (the lab's stub, which activates everything) cannot pass for the row.
 */
static bool next_pass_writes(struct page *page)
{
	unsigned long written = vm_events[NR_VMSCAN_WRITE];

	page_referenced(page);
	reclaim_one(page, GFP_KERNEL);
	wait_for_writes();
	return vm_events[NR_VMSCAN_WRITE] > written;
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
	wait_for_writes();
	for (int i = 0; i < RECLAIM_PAGES; i++)
		KT_ASSERT(t, !swap_pte(mm, B + i * PAGE_SIZE));
	KT_EQ(t, mm->anon_rss, RECLAIM_PAGES);
	KT_ASSERT(t, next_pass_writes(tvm_page(mm, B)));   /* the area open again */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
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
	page = one_used_page(mm);
	KT_ASSERT(t, page && !PageSwapCache(page));
	swap_info[0].flags &= ~SWP_WRITEOK;              /* no slot anywhere */
	reclaim_one(page, GFP_KERNEL);
	swap_info[0].flags |= SWP_WRITEOK;
	KT_ASSERT(t, !PageSwapCache(page) && tvm_page(mm, B) == page);
	KT_ASSERT(t, PageActive(page));
	KT_EQ(t, vm_events[PGACTIVATE] - activated, 1);
	KT_ASSERT(t, next_pass_writes(page));           /* slots again: it gets one */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}

static struct page *race_page;

/* reclaim_race_hook: a read of race_page at B, as another CPU's would, after the aging looked. */
static void touch_in_the_gap(struct page *page)
{
	u8 v;

	if (page == race_page)
		tvm_peek(B, &v);                     /* mapped: no fault, the PTE young again */
}

/*
 * The try_to_unmap row's SWAP_FAIL: a page used after page_referenced()
 * looked -- another CPU's access, staged by reclaim_race_hook -- makes the
 * unmap walk give up; the page is activated, still mapped, not written.
 */
KTEST(reclaim_activates_a_page_used_during_the_unmap)
{
	struct mm_struct *mm = tvm_create();
	unsigned long written = vm_events[NR_VMSCAN_WRITE];
	unsigned long activated = vm_events[PGACTIVATE];
	struct page *page;

	KT_ASSERT(t, mm);
	page = one_used_page(mm);
	KT_ASSERT(t, page);
	race_page = page;
	reclaim_race_hook = touch_in_the_gap;
	reclaim_one(page, GFP_KERNEL);
	reclaim_race_hook = NULL;
	wait_for_writes();
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 0);
	KT_EQ(t, vm_events[PGACTIVATE] - activated, 1);
	KT_ASSERT(t, tvm_page(mm, B) == page);
	KT_ASSERT(t, PageActive(page) && !PageLocked(page));
	KT_ASSERT(t, next_pass_writes(page));           /* untouched this time */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
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
	for (int round = 0; round < RECLAIM_ROUNDS; round++)
		try_to_free_pages(GFP_KERNEL);          /* the control: I/O allowed, it writes */
	wait_for_writes();
	KT_ASSERT(t, vm_events[NR_VMSCAN_WRITE] > written);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}

/*
 * The try_to_unmap row's SWAP_AGAIN: a PTE the walk did not reach (in
 * 2.6.11, a nonlinear VMA's, or a walk that found the anon_vma going)
 * means try again later -- the page is kept, on the inactive list, neither
 * activated nor written while a PTE still maps it.  No rmap scheme of
 * anvil leaves a PTE out of its walk, so the test hides the page's rmap
 * object (page->mapping) for the one pass: try_to_unmap() then walks
 * nothing and answers SWAP_AGAIN, the page still mapped.  The page has its
 * slot already, as one an earlier pass met.
 */
KTEST(reclaim_keeps_a_page_the_unmap_walk_did_not_reach)
{
	struct mm_struct *mm = tvm_create();
	unsigned long written = vm_events[NR_VMSCAN_WRITE];
	unsigned long activated = vm_events[PGACTIVATE];
	struct address_space *mapping;
	struct page *page;

	KT_ASSERT(t, mm);
	page = one_used_page(mm);
	KT_ASSERT(t, page);
	lock_page(page);
	KT_ASSERT(t, add_to_swap(page));
	unlock_page(page);
	mapping = page->mapping;
	page->mapping = NULL;
	reclaim_one(page, GFP_KERNEL);
	page->mapping = mapping;
	wait_for_writes();
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 0);
	KT_EQ(t, vm_events[PGACTIVATE] - activated, 0);
	KT_ASSERT(t, tvm_page(mm, B) == page);
	KT_ASSERT(t, PageSwapCache(page) && PageDirty(page));
	KT_ASSERT(t, PageLRU(page) && !PageActive(page) && !PageLocked(page));
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}

/*
 * The pageout row's "referenced": a dirty page used since the last look
 * is kept, not written -- its second chance -- even when no PTE maps it
 * (mapped, it would have been activated).  The page was unmapped by an
 * earlier pass and then used without a PTE (mark_page_accessed: a read,
 * a fault on its way); the next pass, finding it unused, writes it.
 */
KTEST(reclaim_keeps_a_referenced_dirty_page_unwritten)
{
	struct mm_struct *mm = tvm_create();
	unsigned long written = vm_events[NR_VMSCAN_WRITE];
	unsigned long activated = vm_events[PGACTIVATE];
	struct page *page;

	KT_ASSERT(t, mm);
	page = one_used_page(mm);
	KT_ASSERT(t, page);
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	mark_page_accessed(page);
	KT_ASSERT(t, PageDirty(page) && PageReferenced(page) && !page_mapped(page));
	reclaim_one(page, GFP_KERNEL);
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 0);
	KT_EQ(t, vm_events[PGACTIVATE] - activated, 0);
	KT_ASSERT(t, PageSwapCache(page) && PageDirty(page) && !PageWriteback(page));
	KT_ASSERT(t, PageLRU(page) && !PageActive(page) && !PageLocked(page));
	reclaim_one(page, GFP_KERNEL);   /* its chance used: written now */
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 1);
	wait_for_writes();
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}

/*
 * A page of MAP_SHARED anonymous memory at addr -- a shmem file's page,
 * born dirty -- that no PTE maps any more (MADV_DONTNEED), so that
 * reclaim needs no file rmap for it: that is the filemap lab's, a later one.
 */
static struct page *shmem_page(struct mm_struct *mm, unsigned long addr)
{
	struct page *page;

	if (tvm_mmap(addr, PAGE_SIZE, RW, MAP_SHARED) || tvm_poke(addr, 1))
		return NULL;
	page = tvm_page(mm, addr);
	if (sys_madvise(addr, PAGE_SIZE, MADV_DONTNEED))
		return NULL;
	return page;                         /* the file's page cache holds it */
}

/*
 * The pageout row's __GFP_FS: a caller that may do I/O but not enter a
 * file system (GFP_NOFS: a file system's own allocation, which its
 * writepage could deadlock on) keeps a dirty file page, unwritten; a
 * swap-cache page it writes, swap_writepage enters no file system.  A
 * shmem page is the file page: its writepage would move it to the swap
 * cache.
 */
KTEST(reclaim_without_gfp_fs_writes_swap_but_not_file_pages)
{
	struct mm_struct *mm = tvm_create();
	unsigned long written = vm_events[NR_VMSCAN_WRITE];
	unsigned long activated = vm_events[PGACTIVATE];
	struct address_space *mapping;
	struct page *anon, *file;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, PAGE_SIZE, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	anon = tvm_page(mm, B);
	file = shmem_page(mm, B + PAGE_SIZE);
	KT_ASSERT(t, anon && file && !PageAnon(file) && PageDirty(file));
	mapping = file->mapping;
	page_referenced(anon);               /* the poke's accessed bit, as aging reads it */
	page_referenced(file);               /* PG_referenced, from the unmap of a young PTE */
	reclaim_one(anon, GFP_NOFS);
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 1);
	reclaim_one(file, GFP_NOFS);
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 1);
	KT_EQ(t, vm_events[PGACTIVATE] - activated, 0);
	KT_ASSERT(t, !page_mapped(file));
	KT_ASSERT(t, file->mapping == mapping && !PageSwapCache(file) && PageDirty(file));
	KT_ASSERT(t, PageLRU(file) && !PageActive(file) && !PageLocked(file));
	wait_for_writes();
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}

/*
 * The pageout row's PAGE_ACTIVATE: a dirty page its writepage cannot take
 * -- a shmem page when no swap slot is left (AOP_WRITEPAGE_ACTIVATE, the
 * page still locked) -- is activated, unlocked, and stays in its file,
 * dirty, without PG_reclaim.
 */
KTEST(reclaim_activates_a_page_its_writepage_cannot_take)
{
	struct mm_struct *mm = tvm_create();
	unsigned long written = vm_events[NR_VMSCAN_WRITE];
	unsigned long activated = vm_events[PGACTIVATE];
	struct address_space *mapping;
	struct page *page;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	page = shmem_page(mm, B);
	KT_ASSERT(t, page && !PageAnon(page) && PageDirty(page));
	mapping = page->mapping;
	page_referenced(page);               /* PG_referenced, from the unmap of a young PTE */
	swap_info[0].flags &= ~SWP_WRITEOK;              /* no slot anywhere */
	reclaim_one(page, GFP_KERNEL);
	swap_info[0].flags |= SWP_WRITEOK;
	KT_EQ(t, vm_events[NR_VMSCAN_WRITE] - written, 0);
	KT_EQ(t, vm_events[PGACTIVATE] - activated, 1);
	KT_ASSERT(t, page->mapping == mapping && !PageSwapCache(page) && PageDirty(page));
	KT_ASSERT(t, PageLRU(page) && PageActive(page) && !PageLocked(page) && !PageReclaim(page));
	KT_ASSERT(t, next_pass_writes(page));           /* a slot for it now */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
	free_unused_swap_cache();
}
