/*
 * Tests of reverse mapping (mm/rmap.c and the build's scheme) on real
 * page tables, for every scheme: try_to_unmap of a page shared by 1, 2 and 50 address
 * spaces (every PTE cleared, _mapcount back to -1, nothing else touched,
 * exactly one VMA and one PTE looked at per sharer), a locked VMA that maps
 * a copy passed over, page_referenced against the CPU's
 * own accessed bits, the fork-then-mremap case the 2004 debate turned on,
 * file pages through i_mmap, and rmap_verify catching a broken count.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <anvil/swap.h>
#include <abi/mman.h>
#include "test_vm.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define MAX_SHARERS 50

static void unmap_shared_by(struct ktest *t, int k)
{
	struct mm_struct *mm[MAX_SHARERS];
	struct page *page, *other;
	unsigned long vmas, ptes;

	mm[0] = tvm_create();
	KT_ASSERT(t, mm[0]);
	tvm_enter(mm[0]);
	KT_EQ(t, tvm_map(B, 2 * P, RW), 0);
	KT_EQ(t, tvm_poke(B, 0x5a), 0);
	KT_EQ(t, tvm_poke(B + P, 0xa5), 0);
	for (int i = 1; i < k; i++) {
		mm[i] = dup_mm(mm[0]);
		KT_ASSERT(t, mm[i]);
	}
	page = tvm_page(mm[0], B);
	other = tvm_page(mm[0], B + P);
	KT_ASSERT(t, page && other);
	KT_EQ(t, page_mapcount(page), k);
	get_page(page);                  /* keep it to look at after its last PTE goes */
	page_referenced(page);           /* clear the accessed bits: a young PTE is not unmapped */
	vmas = vm_events[RMAP_WALK_VMAS];
	ptes = vm_events[RMAP_WALK_PTES];
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	KT_EQ(t, vm_events[RMAP_WALK_VMAS] - vmas, k);  /* one VMA per sharer, nothing more */
	KT_EQ(t, vm_events[RMAP_WALK_PTES] - ptes, k);  /* and one PTE looked at in each */
	KT_EQ(t, atomic_read(&page->_mapcount), -1);
	KT_EQ(t, page_count(page), 2);                    /* ours and the swap cache's */
	for (int i = 0; i < k; i++) {
		pte_t *pte = lookup_pte(mm[i], B);

		KT_ASSERT(t, pte && pte_val(*pte) ==
			     pte_val(swp_entry_to_pte((swp_entry_t){ page->private })));
		KT_ASSERT(t, tvm_page(mm[i], B + P) == other);   /* the neighbour is untouched */
		KT_EQ(t, mm[i]->anon_rss, 1);
	}
	KT_EQ(t, page_mapcount(other), k);
	KT_EQ(t, rmap_verify(), 0);
	put_page(page);
	for (int i = 0; i < k; i++)
		tvm_destroy(mm[i]);
}

KTEST(try_to_unmap_shared_by_1)
{
	unmap_shared_by(t, 1);
}

KTEST(try_to_unmap_shared_by_2)
{
	unmap_shared_by(t, 2);
}

KTEST(try_to_unmap_shared_by_50)
{
	unmap_shared_by(t, MAX_SHARERS);
}

/*
 * A locked VMA that does not map the page does not keep it: try_to_unmap_one()
 * asks VM_LOCKED only of a VMA whose PTE maps the page.  Of two forked
 * children the first locks its copy of the range and writes to it; its VMA
 * stays on the walk of the parent's page (the same anon_vma, the same mm
 * list), between the parent's and the second child's, which share the page.
 */
KTEST(try_to_unmap_passes_a_locked_vma_that_maps_a_copy)
{
	struct mm_struct *parent = tvm_create(), *locker, *sharer;
	struct page *page;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	locker = dup_mm(parent);
	KT_ASSERT(t, locker);
	sharer = dup_mm(parent);
	KT_ASSERT(t, sharer);
	tvm_enter(locker);
	KT_EQ(t, sys_mlock(B, P), 0);
	KT_EQ(t, tvm_poke(B, 2), 0);             /* copy-on-write: the locker's own page */
	tvm_enter(parent);
	page = tvm_page(parent, B);
	KT_ASSERT(t, page && tvm_page(locker, B) && page != tvm_page(locker, B));
	KT_ASSERT(t, tvm_vma(locker, B)->vm_flags & VM_LOCKED);
	KT_ASSERT(t, tvm_page(sharer, B) == page);
	KT_EQ(t, page_mapcount(page), 2);
	get_page(page);
	page_referenced(page);
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	KT_ASSERT(t, !page_mapped(page));
	KT_EQ(t, parent->swap_ents + sharer->swap_ents, 2);
	KT_EQ(t, rmap_verify(), 0);
	put_page(page);
	tvm_destroy(sharer);
	tvm_destroy(locker);
	tvm_destroy(parent);
}

/* The accessed bit the CPU sets on a real access is what page_referenced reports. */
KTEST(page_referenced_reads_accessed_bits)
{
	struct mm_struct *a = tvm_create(), *b;
	struct page *page;
	u8 v;

	KT_ASSERT(t, a);
	tvm_enter(a);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 7), 0);
	page = tvm_page(a, B);
	KT_ASSERT(t, page);
	KT_EQ(t, page_referenced(page), 1);      /* the write set the bit */
	KT_EQ(t, page_referenced(page), 0);      /* and it was cleared */
	KT_ASSERT(t, !pte_young(*lookup_pte(a, B)));
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, v, 7);
	KT_ASSERT(t, pte_young(*lookup_pte(a, B)));   /* set by the CPU, not by us */
	KT_EQ(t, page_referenced(page), 1);
	b = dup_mm(a);                           /* fork: the child's PTE starts old */
	KT_ASSERT(t, b);
	KT_EQ(t, page_referenced(page), 0);
	tvm_enter(b);
	KT_EQ(t, tvm_peek(B, &v), 0);
	tvm_enter(a);
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, page_referenced(page), 2);      /* one per address space that touched it */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(b);
	tvm_destroy(a);
}

/*
 * The hard case of the 2004 threads (docs/rmap.md, "The hard case"): a
 * process fills memory and forks; the child mremaps the region
 * elsewhere; a page still shared by both is mapped at two different
 * addresses.  One walk of its anon_vma finds both -- except
 * under anonmm, whose page records one address for every mm: there the
 * child moves a copy (RMAP_MREMAP_COPIES_SHARED), the cost Linus proposed
 * paying (docs/mremap.md).
 */
KTEST(rmap_fork_then_mremap)
{
	struct mm_struct *parent = tvm_create(), *child;
	unsigned long moved = B + 256 * P, walked;
	struct page *page;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, 4 * P, RW), 0);
	for (int i = 0; i < 4; i++)
		KT_EQ(t, tvm_poke(B + i * P, 0x10 + i), 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	tvm_enter(child);
	KT_EQ(t, sys_mremap(B, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, moved), moved);
	page = tvm_page(parent, B + 2 * P);
	KT_ASSERT(t, page);
	if (RMAP_MREMAP_COPIES_SHARED) {           /* anonmm: the child moved a copy */
		struct page *copy = tvm_page(child, moved + 2 * P);

		KT_ASSERT(t, copy && copy != page);
		KT_EQ(t, *(u8 *)page_address(copy), 0x12);
		KT_EQ(t, page_mapcount(page), 1);
		KT_ASSERT(t, rmap_walk_reaches(copy, child, moved + 2 * P));
		KT_ASSERT(t, rmap_walk_reaches(page, parent, B + 2 * P));
		KT_EQ(t, rmap_verify(), 0);
		tvm_destroy(child);
		tvm_destroy(parent);
		return;
	}
	KT_ASSERT(t, tvm_page(child, moved + 2 * P) == page);   /* still shared */
	KT_EQ(t, page_mapcount(page), 2);
	KT_ASSERT(t, rmap_walk_reaches(page, parent, B + 2 * P));
	KT_ASSERT(t, rmap_walk_reaches(page, child, moved + 2 * P));
	KT_EQ(t, rmap_verify(), 0);
	get_page(page);
	page_referenced(page);
	walked = vm_events[RMAP_WALK_VMAS];
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	KT_EQ(t, vm_events[RMAP_WALK_VMAS] - walked, 2);
	KT_ASSERT(t, !pte_present(*lookup_pte(parent, B + 2 * P)));   /* both now the swap entry */
	KT_ASSERT(t, !pte_present(*lookup_pte(child, moved + 2 * P)));
	KT_EQ(t, atomic_read(&page->_mapcount), -1);
	KT_ASSERT(t, tvm_page(child, moved + 3 * P) == tvm_page(parent, B + 3 * P));
	put_page(page);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/* Writes after fork copy the page for the writer only. */
KTEST(cow_after_fork)
{
	struct mm_struct *parent = tvm_create(), *child;
	struct page *shared;
	u8 v;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	shared = tvm_page(parent, B);
	KT_ASSERT(t, !pte_write(*lookup_pte(parent, B)));   /* write-protected on both sides */
	tvm_enter(child);
	KT_EQ(t, tvm_poke(B, 2), 0);
	KT_ASSERT(t, tvm_page(child, B) != shared);
	KT_EQ(t, page_mapcount(shared), 1);
	tvm_enter(parent);
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, v, 1);
	KT_EQ(t, tvm_poke(B, 3), 0);                        /* alone now: reused in place */
	KT_ASSERT(t, tvm_page(parent, B) == shared);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/* File and shared pages are found through address_space->i_mmap. */
KTEST(try_to_unmap_shared_anonymous_via_i_mmap)
{
	struct mm_struct *a = tvm_create(), *b;
	struct page *page;
	u8 v;

	KT_ASSERT(t, a);
	tvm_enter(a);
	KT_EQ(t, tvm_mmap(B, 2 * P, RW, MAP_SHARED), 0);
	KT_EQ(t, tvm_poke(B, 0x77), 0);
	b = dup_mm(a);
	KT_ASSERT(t, b);
	page = tvm_page(a, B);
	KT_ASSERT(t, page && !PageAnon(page) && page->mapping);
	KT_ASSERT(t, tvm_page(b, B) == page);                /* shared, not copied */
	page_referenced(page);
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	KT_ASSERT(t, pte_none(*lookup_pte(a, B)) && pte_none(*lookup_pte(b, B)));
	tvm_enter(b);
	KT_EQ(t, tvm_peek(B, &v), 0);                       /* faults back in from the object */
	KT_EQ(t, v, 0x77);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(b);
	tvm_destroy(a);
}

/* rmap_verify is not a rubber stamp: a wrong _mapcount, index or mm counter is found. */
KTEST(rmap_verify_detects_corruption)
{
	struct mm_struct *mm = tvm_create();
	struct page *page;
	unsigned long *counters[] = { &mm->anon_rss, &mm->file_rss, &mm->swap_ents, &mm->nr_ptes };

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	page = tvm_page(mm, B);
	KT_EQ(t, rmap_verify(), 0);
	atomic_inc(&page->_mapcount);
	KT_ASSERT(t, rmap_verify() >= 1);
	atomic_dec(&page->_mapcount);
	page->index++;
	KT_ASSERT(t, rmap_verify() >= 1);
	page->index--;
	KT_EQ(t, rmap_verify(), 0);
	for (unsigned int i = 0; i < ARRAY_SIZE(counters); i++) {
		++*counters[i];
		KT_EQ(t, rmap_verify(), 1);
		--*counters[i];
	}
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}
