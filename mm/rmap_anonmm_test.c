/*
 * Tests of the anonmm scheme's own objects (mm/rmap_anonmm.c): their size,
 * a group that fork joins and exit leaves (its head outliving the mm that
 * started it), a walk that visits one VMA per mm, and mremap -- shared
 * pages copied, exclusive ones moved and re-indexed.  mm/rmap_test.c has
 * the tests every scheme passes.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <anvil/swap.h>
#include <abi/mman.h>
#include "test_vm.h"
#include "rmap_anonmm.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define MOVED (TVM_BASE + 256 * PAGE_SIZE)
#define RW (PROT_READ | PROT_WRITE)
#define MAX_LOGGED 8

KTEST(rmap_memory_figures)
{
	printk(KERN_INFO "memory figure: sizeof(struct page) = %zu bytes\n", sizeof(struct page));
	printk(KERN_INFO "memory figure: per-VMA reverse-mapping overhead = 0 bytes\n");
	printk(KERN_INFO "memory figure: sizeof(struct anonmm) = %zu bytes, one per mm\n",
	       sizeof(struct anonmm));
	KT_ASSERT(t, sizeof(struct page) <= 32);
	KT_ASSERT(t, sizeof(struct anonmm) <= 24);    /* Hugh's, on 32-bit */
}

/* The (vma, address) pairs a walk hands to its rmap_one. */
struct walk_log {
	int n;
	struct vm_area_struct *vma[MAX_LOGGED];
	unsigned long address[MAX_LOGGED];
};

static bool log_one(struct page *page, struct vm_area_struct *vma, unsigned long address,
		    void *arg)
{
	struct walk_log *log = arg;

	if (log->n < MAX_LOGGED) {
		log->vma[log->n] = vma;
		log->address[log->n] = address;
	}
	log->n++;
	return false;
}

static bool page_is_swapped_at(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = lookup_pte(mm, addr);

	return pte && !pte_none(*pte) && !pte_present(*pte);
}

/*
 * Fork joins the parent's group and exit leaves it; the head stays while
 * any member does -- after the mm that started the group is gone, its
 * pages still point at it and a later fork still joins it.
 */
KTEST(anonmm_group_join_and_leave)
{
	unsigned long base = anon_rmap_slab_bytes(), unit;
	struct mm_struct *parent = tvm_create(), *child[3], *grandchild, *fresh, *fresh_child;
	struct anonmm *head;
	struct page *page;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, 4 * P, RW), 0);
	KT_ASSERT(t, !parent->anonmm);                    /* lazily: none before a fault */
	KT_EQ(t, tvm_poke(B, 1), 0);
	head = parent->anonmm;
	KT_ASSERT(t, head && head->head == head && head->mm == parent);
	unit = anon_rmap_slab_bytes() - base;
	KT_ASSERT(t, unit >= sizeof(struct anonmm));
	for (int i = 0; i < 3; i++) {
		child[i] = dup_mm(parent);
		KT_ASSERT(t, child[i] && child[i]->anonmm && child[i]->anonmm != head);
		KT_ASSERT(t, child[i]->anonmm->head == head);
	}
	KT_EQ(t, atomic_read(&head->count), 4);
	KT_EQ(t, anon_rmap_slab_bytes(), base + 4 * unit);   /* per mm, whatever its VMAs */
	page = tvm_page(parent, B);
	KT_ASSERT(t, page && page_anonmm(page) == head);
	KT_EQ(t, page->index, B >> PAGE_SHIFT);
	KT_EQ(t, rmap_verify(), 0);

	tvm_destroy(parent);                              /* the head outlives its mm */
	KT_ASSERT(t, !head->mm);
	KT_EQ(t, atomic_read(&head->count), 3);
	KT_EQ(t, anon_rmap_slab_bytes(), base + 4 * unit);
	grandchild = dup_mm(child[0]);                    /* still joins the first group */
	KT_ASSERT(t, grandchild && grandchild->anonmm->head == head);
	KT_EQ(t, page_mapcount(page), 4);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(grandchild);
	for (int i = 0; i < 3; i++)
		tvm_destroy(child[i]);
	KT_EQ(t, anon_rmap_slab_bytes(), base);            /* the last member freed the head */

	/* an mm that never had an anonymous page never joins, and exit has nothing to leave */
	fresh = tvm_create();
	KT_ASSERT(t, fresh);
	tvm_enter(fresh);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	fresh_child = dup_mm(fresh);
	KT_ASSERT(t, fresh_child && !fresh->anonmm && !fresh_child->anonmm);
	tvm_destroy(fresh_child);
	tvm_destroy(fresh);
	KT_EQ(t, anon_rmap_slab_bytes(), base);
}

/*
 * The walk looks up one VMA per mm of the group, at the page's address:
 * not the parent's other VMAs, not a member that unmapped the range, not
 * a shared mapping a member put in its place.
 */
KTEST(anonmm_walk_visits_one_vma_per_mm)
{
	struct mm_struct *parent = tvm_create(), *child[3];
	unsigned long addr = B + 4 * P, walked;
	struct walk_log log = { 0 };
	struct page *page;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	for (int i = 0; i < 4; i++)                       /* separate VMAs, holes between */
		KT_EQ(t, tvm_map(B + 2 * i * P, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	KT_EQ(t, tvm_poke(addr, 2), 0);
	for (int i = 0; i < 3; i++) {
		child[i] = dup_mm(parent);
		KT_ASSERT(t, child[i]);
	}
	KT_EQ(t, do_munmap(child[1], addr, P), 0);
	KT_EQ(t, do_munmap(child[2], addr, P), 0);
	tvm_enter(child[2]);
	KT_EQ(t, tvm_mmap(addr, P, RW, MAP_SHARED), 0);
	page = tvm_page(parent, addr);
	KT_ASSERT(t, page);
	KT_EQ(t, page_mapcount(page), 2);
	KT_ASSERT(t, !rmap_walk(page, log_one, &log));
	KT_EQ(t, log.n, 2);                               /* the head's mm, then child 0 */
	KT_ASSERT(t, log.vma[0] == tvm_vma(parent, addr) && log.vma[1] == tvm_vma(child[0], addr));
	KT_EQ(t, log.address[0], addr);
	KT_EQ(t, log.address[1], addr);
	walked = vm_events[RMAP_WALK_VMAS];
	page_referenced(page);
	KT_EQ(t, vm_events[RMAP_WALK_VMAS] - walked, 2);
	KT_EQ(t, rmap_verify(), 0);
	for (int i = 0; i < 3; i++)
		tvm_destroy(child[i]);
	tvm_destroy(parent);
}

/*
 * The hard case of the 2004 threads (docs/rmap.md), anonmm's way: parent
 * and two children share four pages; child a has written page 1 (its own
 * copy) and page 3 is swapped out everywhere.  When a moves the region,
 * pages 0 and 2 (shared) and 3 (a shared swap slot) must be copied -- three
 * copies -- and page 1 only re-indexed.  The originals stay where the
 * others map them.
 */
KTEST(anonmm_fork_then_mremap_copies_shared_pages)
{
	struct mm_struct *parent = tvm_create(), *a, *b;
	struct page *shared0, *shared2, *own1, *page3;
	unsigned long copies, walked;
	struct walk_log log = { 0 };
	u8 v;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, 4 * P, RW), 0);
	for (int i = 0; i < 4; i++)
		KT_EQ(t, tvm_poke(B + i * P, 0x40 + i), 0);
	a = dup_mm(parent);
	b = dup_mm(parent);
	KT_ASSERT(t, a && b);
	tvm_enter(a);
	KT_EQ(t, tvm_poke(B + P, 0x51), 0);
	page3 = tvm_page(parent, B + 3 * P);
	KT_ASSERT(t, page3);
	page_referenced(page3);
	KT_EQ(t, tvm_unmap_page(page3), SWAP_SUCCESS);
	shared0 = tvm_page(parent, B);
	shared2 = tvm_page(parent, B + 2 * P);
	own1 = tvm_page(a, B + P);
	KT_ASSERT(t, shared0 && shared2 && own1 && own1 != tvm_page(parent, B + P));

	copies = vm_events[ANONMM_MREMAP_COPIES];
	KT_EQ(t, sys_mremap(B, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, MOVED), MOVED);
	KT_EQ(t, vm_events[ANONMM_MREMAP_COPIES] - copies, 3);
	KT_ASSERT(t, tvm_page(a, MOVED + P) == own1);              /* moved, not copied */
	KT_EQ(t, own1->index, (MOVED + P) >> PAGE_SHIFT);
	KT_ASSERT(t, tvm_page(a, MOVED) && tvm_page(a, MOVED) != shared0);
	KT_ASSERT(t, tvm_page(a, MOVED + 2 * P) && tvm_page(a, MOVED + 2 * P) != shared2);
	KT_ASSERT(t, tvm_page(a, MOVED + 3 * P));                 /* swapped in and copied */
	for (int i = 0; i < 4; i++) {
		KT_EQ(t, page_mapcount(tvm_page(a, MOVED + i * P)), 1);
		KT_EQ(t, tvm_peek(MOVED + i * P, &v), 0);
		KT_EQ(t, v, i == 1 ? 0x51 : 0x40 + i);
	}
	KT_EQ(t, rmap_verify(), 0);

	/* the originals: still at B, where the parent and b map them, and found there */
	KT_EQ(t, page_mapcount(shared0), 2);
	KT_EQ(t, shared0->index, B >> PAGE_SHIFT);
	KT_ASSERT(t, !rmap_walk(shared0, log_one, &log));
	KT_EQ(t, log.n, 2);
	KT_ASSERT(t, log.vma[0] == tvm_vma(parent, B) && log.vma[1] == tvm_vma(b, B));
	KT_ASSERT(t, page_is_swapped_at(parent, B + 3 * P) && page_is_swapped_at(b, B + 3 * P));
	get_page(shared0);
	page_referenced(shared0);
	walked = vm_events[RMAP_WALK_VMAS];
	KT_EQ(t, tvm_unmap_page(shared0), SWAP_SUCCESS);
	KT_EQ(t, vm_events[RMAP_WALK_VMAS] - walked, 2);
	KT_ASSERT(t, page_is_swapped_at(parent, B) && page_is_swapped_at(b, B));
	put_page(shared0);
	tvm_enter(b);
	for (int i = 0; i < 4; i++) {
		KT_EQ(t, tvm_peek(B + i * P, &v), 0);
		KT_EQ(t, v, 0x40 + i);
	}
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(a);
	tvm_destroy(b);
	tvm_destroy(parent);
}

/*
 * A swap PTE whose slot is this PTE's alone, but whose page another
 * member has swapped back in and maps at the old address: swapping it in
 * after the move would map that page at two addresses, so it is copied.
 */
KTEST(anonmm_mremap_copies_a_swap_pte_whose_page_is_mapped_elsewhere)
{
	struct mm_struct *parent = tvm_create(), *child;
	unsigned long copies;
	struct page *page;
	u8 v;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 0x61), 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	page = tvm_page(parent, B);
	get_page(page);
	page_referenced(page);
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	KT_EQ(t, tvm_peek(B, &v), 0);                      /* the parent maps it again */
	KT_ASSERT(t, tvm_page(parent, B) == page && page_swapcount(page) == 1);
	tvm_enter(child);
	copies = vm_events[ANONMM_MREMAP_COPIES];
	KT_EQ(t, sys_mremap(B, P, P, MREMAP_MAYMOVE | MREMAP_FIXED, MOVED), MOVED);
	KT_EQ(t, vm_events[ANONMM_MREMAP_COPIES] - copies, 1);
	KT_ASSERT(t, tvm_page(child, MOVED) && tvm_page(child, MOVED) != page);
	KT_EQ(t, page_mapcount(page), 1);
	KT_EQ(t, page->index, B >> PAGE_SHIFT);
	KT_EQ(t, tvm_peek(MOVED, &v), 0);
	KT_EQ(t, v, 0x61);
	KT_EQ(t, rmap_verify(), 0);
	put_page(page);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/*
 * Pages no other mm maps -- the child that shared them has exited -- move
 * with their PTEs and are only re-indexed; an exclusive swap PTE moves as
 * it is, and its page takes the new index when it is mapped again.
 */
KTEST(anonmm_exclusive_mremap_moves_without_copy)
{
	struct mm_struct *mm = tvm_create(), *child;
	struct page *pages[4];
	unsigned long copies;
	u8 v;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, 4 * P, RW), 0);
	for (int i = 0; i < 4; i++) {
		KT_EQ(t, tvm_poke(B + i * P, 0x70 + i), 0);
		pages[i] = tvm_page(mm, B + i * P);
	}
	child = dup_mm(mm);
	KT_ASSERT(t, child);
	tvm_destroy(child);                                /* the group remains, the sharing not */
	get_page(pages[2]);
	page_referenced(pages[2]);
	KT_EQ(t, tvm_unmap_page(pages[2]), SWAP_SUCCESS);
	copies = vm_events[ANONMM_MREMAP_COPIES];
	KT_EQ(t, sys_mremap(B, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, MOVED), MOVED);
	KT_EQ(t, vm_events[ANONMM_MREMAP_COPIES] - copies, 0);
	KT_ASSERT(t, page_is_swapped_at(mm, MOVED + 2 * P));
	KT_EQ(t, rmap_verify(), 0);
	for (int i = 0; i < 4; i++) {
		/* page 2 comes back from the cache */
		KT_EQ(t, tvm_peek(MOVED + i * P, &v), 0);
		KT_EQ(t, v, 0x70 + i);
		KT_ASSERT(t, tvm_page(mm, MOVED + i * P) == pages[i]);
		KT_EQ(t, pages[i]->index, (MOVED + i * P) >> PAGE_SHIFT);
	}
	KT_EQ(t, rmap_verify(), 0);
	put_page(pages[2]);
	tvm_destroy(mm);
}

#define RECLAIM_PAGES 64
#define RECLAIM_ROUNDS 4

/* Does each page of [addr, addr + RECLAIM_PAGES pages) in the current mm read back want(i)? */
static bool pages_read_back(unsigned long addr, int cowed_by)
{
	for (int i = 0; i < RECLAIM_PAGES; i++) {
		u8 v, want = cowed_by && i % 3 == 0 ? (u8)(0x80 + i) : (u8)i;

		if (tvm_peek(addr + i * P, &v) || v != want)
			return false;
	}
	return true;
}

/*
 * The same under reclaim: shared pages swapped out, some back in for
 * the parent only, some for the child only, some written by the child
 * (its own copies then), when the child moves the region.  Its data and
 * the parent's survive; after the child's copies nothing is shared any
 * more, so the parent's own move copies none.
 */
KTEST(anonmm_fork_then_mremap_under_reclaim)
{
	struct mm_struct *parent = tvm_create(), *child;
	unsigned long copies;
	int swapped = 0;
	u8 v;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, RECLAIM_PAGES * P, RW), 0);
	for (int i = 0; i < RECLAIM_PAGES; i++)
		KT_EQ(t, tvm_poke(B + i * P, (u8)i), 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	for (int round = 0; round < RECLAIM_ROUNDS; round++)
		shrink_all_memory(RECLAIM_PAGES);
	while (vm_stat[NR_WRITEBACK])
		schedule_timeout(1);
	for (int i = 0; i < RECLAIM_PAGES; i++)
		swapped += page_is_swapped_at(parent, B + i * P);
	KT_ASSERT(t, swapped > 0);
	/* back in, for the parent only */
	for (int i = 0; i < RECLAIM_PAGES; i += 2)
		KT_EQ(t, tvm_peek(B + i * P, &v), 0);
	tvm_enter(child);
	/* in for the child, the slot still shared */
	for (int i = 1; i < RECLAIM_PAGES; i += 4)
		KT_EQ(t, tvm_peek(B + i * P, &v), 0);
	for (int i = 0; i < RECLAIM_PAGES; i += 3)
		KT_EQ(t, tvm_poke(B + i * P, 0x80 + i), 0);
	KT_EQ(t, rmap_verify(), 0);

	copies = vm_events[ANONMM_MREMAP_COPIES];
	KT_EQ(t, sys_mremap(B, RECLAIM_PAGES * P, RECLAIM_PAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			    MOVED), MOVED);
	copies = vm_events[ANONMM_MREMAP_COPIES] - copies;
	printk(KERN_INFO "anonmm: the child's move under reclaim copied %lu of %d pages "
	       "(%d had been swapped out)\n", copies, RECLAIM_PAGES, swapped);
	KT_ASSERT(t, copies > 0 && copies <= RECLAIM_PAGES - RECLAIM_PAGES / 3);
	KT_EQ(t, rmap_verify(), 0);
	KT_ASSERT(t, pages_read_back(MOVED, 1));
	tvm_enter(parent);
	KT_ASSERT(t, pages_read_back(B, 0));

	copies = vm_events[ANONMM_MREMAP_COPIES];
	KT_EQ(t, sys_mremap(B, RECLAIM_PAGES * P, RECLAIM_PAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED,
			    MOVED), MOVED);
	KT_EQ(t, vm_events[ANONMM_MREMAP_COPIES] - copies, 0);
	KT_EQ(t, rmap_verify(), 0);
	KT_ASSERT(t, pages_read_back(MOVED, 0));
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
	free_unused_swap_cache();
}
