/*
 * Tests of the pte_chain scheme's own objects (mm/rmap_pte_chain.c): a
 * page goes direct -> chain -> direct as sharers come and go, its chain
 * grows by a block per NRPTE sharers, the walk visits each PTE once,
 * mremap rewrites the entries, and a fork whose blocks cannot be reserved
 * is refused cleanly.  mm/rmap_test.c has the tests every scheme passes.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <abi/errno.h>
#include <abi/mman.h>
#include "test_vm.h"
#include "rmap_pte_chain.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define NPAGES 4
#define MAX_SHARERS 50
#define BIG_PAGES 1024        /* a fork needing more blocks than any slab has free */
#define SPARE_PAGES 3         /* enough for the child's pgd, mm and VMA, not its blocks */

/* Blocks in chains now (the reserve's are counted apart). */
static unsigned long chain_blocks(void)
{
	return pte_chain_cachep->active_objs - pte_chain_reserve_blocks();
}

/* The blocks a page mapped this many times needs. */
static unsigned long blocks_for(unsigned int mappings)
{
	return mappings < 2 ? 0 : DIV_ROUND_UP(mappings, NRPTE);
}

/* Does every page hold a record of exactly `mappings` PTEs, direct iff one? */
static bool pages_have(struct page **pages, unsigned int mappings)
{
	for (int i = 0; i < NPAGES; i++)
		if (pte_chain_length(pages[i]) != mappings ||
		    page_mapcount(pages[i]) != (int)mappings ||
		    page_rmap_direct(pages[i]) != (mappings == 1))
			return false;
	return true;
}

KTEST(pte_chain_memory_figures)
{
	printk(KERN_INFO "memory figure: sizeof(struct page) = %zu bytes\n", sizeof(struct page));
	printk(KERN_INFO "memory figure: sizeof(struct pte_chain) = %zu bytes (NRPTE = %zu PTEs; "
	       "slab stride %zu)\n", sizeof(struct pte_chain), NRPTE, pte_chain_cachep->size);
	printk(KERN_INFO "memory figure: per-VMA reverse-mapping overhead = 0 bytes\n");
	KT_ASSERT(t, sizeof(struct page) <= 32);
	KT_EQ(t, sizeof(struct pte_chain), PTE_CHAIN_BYTES);
	KT_EQ(t, NRPTE, 7);
}

/*
 * k address spaces share NPAGES pages (a parent and k - 1 forks); then
 * they exit in an order that removes entries from the middle of the
 * chains (even ones first, the parent among them).  Each page is direct
 * when mapped once, a chain of ceil(k / NRPTE) blocks otherwise, and the
 * blocks go as the sharers do.
 */
static void sharers_come_and_go(struct ktest *t, int k)
{
	struct mm_struct *mm[MAX_SHARERS];
	unsigned long blocks = chain_blocks();
	struct page *pages[NPAGES];
	int alive = k, last = 0;

	mm[0] = tvm_create();
	KT_ASSERT(t, mm[0]);
	tvm_enter(mm[0]);
	KT_EQ(t, tvm_map(B, NPAGES * P, RW), 0);
	for (int i = 0; i < NPAGES; i++) {
		KT_EQ(t, tvm_poke(B + i * P, i), 0);
		pages[i] = tvm_page(mm[0], B + i * P);
		KT_ASSERT(t, pages[i] && page_pte_direct(pages[i]) == lookup_pte(mm[0], B + i * P));
		get_page(pages[i]);
	}
	KT_ASSERT(t, pages_have(pages, 1));
	for (int c = 1; c < k; c++) {
		mm[c] = dup_mm(mm[0]);
		KT_ASSERT(t, mm[c]);
		KT_ASSERT(t, pages_have(pages, c + 1));
		KT_EQ(t, chain_blocks() - blocks, NPAGES * blocks_for(c + 1));
	}
	printk(KERN_INFO "memory figure: %d sharers: %lu chain bytes per page, %lu per mapping\n",
	       k, blocks_for(k) * pte_chain_cachep->size,
	       blocks_for(k) * pte_chain_cachep->size / k);
	KT_EQ(t, rmap_verify(), 0);
	for (int pass = 0; pass < 2; pass++) {
		for (int c = pass; c < k; c += 2) {
			if (alive == 1) {
				last = c;
				break;
			}
			tvm_destroy(mm[c]);
			alive--;
			KT_ASSERT(t, pages_have(pages, alive));
			KT_EQ(t, chain_blocks() - blocks, NPAGES * blocks_for(alive));
		}
	}
	KT_EQ(t, rmap_verify(), 0);
	for (int i = 0; i < NPAGES; i++) {
		KT_ASSERT(t, page_pte_direct(pages[i]) == lookup_pte(mm[last], B + i * P));
		put_page(pages[i]);
	}
	tvm_destroy(mm[last]);
	KT_EQ(t, chain_blocks(), blocks);
}

KTEST(pte_chain_direct_alone)
{
	sharers_come_and_go(t, 1);
}

KTEST(pte_chain_direct_chain_direct_2)
{
	sharers_come_and_go(t, 2);
}

KTEST(pte_chain_direct_chain_direct_3)
{
	sharers_come_and_go(t, 3);
}

KTEST(pte_chain_direct_chain_direct_50)
{
	sharers_come_and_go(t, MAX_SHARERS);
}

struct visits {
	struct mm_struct **mm;
	int nr_mm;
	int count[MAX_SHARERS];
	unsigned long address;
	bool elsewhere;          /* a visit at another address or in another mm */
};

static bool record_visit(struct page *page, struct vm_area_struct *vma, unsigned long address,
			 void *arg)
{
	struct visits *v = arg;

	for (int i = 0; i < v->nr_mm; i++) {
		if (vma->vm_mm == v->mm[i] && address == v->address) {
			v->count[i]++;
			return false;
		}
	}
	v->elsewhere = true;
	return false;
}

/* The walk visits each PTE once -- also when try_to_unmap empties the chain under it. */
KTEST(pte_chain_walk_visits_each_pte_once)
{
	struct mm_struct *mm[MAX_SHARERS];
	struct visits v = { .mm = mm, .nr_mm = MAX_SHARERS, .address = B };
	unsigned long blocks = chain_blocks(), walked;
	struct page *page;

	mm[0] = tvm_create();
	KT_ASSERT(t, mm[0]);
	tvm_enter(mm[0]);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	for (int c = 1; c < MAX_SHARERS; c++) {
		mm[c] = dup_mm(mm[0]);
		KT_ASSERT(t, mm[c]);
	}
	page = tvm_page(mm[0], B);
	rmap_walk(page, record_visit, &v);
	KT_ASSERT(t, !v.elsewhere);
	for (int c = 0; c < MAX_SHARERS; c++)
		KT_EQ(t, v.count[c], 1);
	get_page(page);
	page_referenced(page);
	walked = vm_events[RMAP_WALK_VMAS];
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	KT_EQ(t, vm_events[RMAP_WALK_VMAS] - walked, MAX_SHARERS);
	KT_EQ(t, page->index, 0);                 /* no PTE left to record */
	KT_EQ(t, chain_blocks(), blocks);
	put_page(page);
	KT_EQ(t, rmap_verify(), 0);
	for (int c = 0; c < MAX_SHARERS; c++)
		tvm_destroy(mm[c]);
}

/*
 * mremap carries each PTE to its new place and rewrites the page's entry
 * for it, in a chain (fork, then the child moves) and when direct: no
 * block is allocated, and the old PTE is on no chain any more.
 */
KTEST(pte_chain_mremap_rewrites_entries)
{
	struct mm_struct *parent = tvm_create(), *child;
	unsigned long moved = B + 256 * P, again = B + 512 * P, blocks;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, NPAGES * P, RW), 0);
	for (int i = 0; i < NPAGES; i++)
		KT_EQ(t, tvm_poke(B + i * P, i), 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	blocks = chain_blocks();
	tvm_enter(child);
	KT_EQ(t, sys_mremap(B, NPAGES * P, NPAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED, moved),
	      moved);
	KT_EQ(t, chain_blocks(), blocks);
	for (int i = 0; i < NPAGES; i++) {
		struct page *page = tvm_page(parent, B + i * P);

		KT_ASSERT(t, page && tvm_page(child, moved + i * P) == page);
		KT_EQ(t, pte_chain_length(page), 2);
		KT_ASSERT(t, rmap_walk_reaches(page, parent, B + i * P));
		KT_ASSERT(t, rmap_walk_reaches(page, child, moved + i * P));
		KT_ASSERT(t, !rmap_walk_reaches(page, child, B + i * P));
	}
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_enter(parent);
	KT_EQ(t, sys_mremap(B, NPAGES * P, NPAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED, again),
	      again);
	for (int i = 0; i < NPAGES; i++) {
		struct page *page = tvm_page(parent, again + i * P);

		KT_ASSERT(t, page && page_rmap_direct(page));
		KT_ASSERT(t, page_pte_direct(page) == lookup_pte(parent, again + i * P));
	}
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(parent);
}

/* Every free page taken (a dying task's allocations fail at once: no reclaim, no OOM kill). */
static void hold_all_pages(struct list_head *held, unsigned long spare)
{
	current->flags |= PF_MEMDIE;
	for (struct page *page; (page = alloc_page(GFP_KERNEL | __GFP_NOWARN));)
		list_add(&page->lru, held);
	for (; spare && !list_empty(held); spare--) {
		struct page *page = list_first_entry(held, struct page, lru);

		list_del_init(&page->lru);
		__free_page(page);
	}
}

static void release_pages(struct list_head *held, unsigned long flags)
{
	current->flags = flags;
	while (!list_empty(held)) {
		struct page *page = list_first_entry(held, struct page, lru);

		list_del_init(&page->lru);
		__free_page(page);
	}
}

/*
 * With no memory for the blocks a fork of BIG_PAGES shared pages needs,
 * anon_vma_link says -ENOMEM and gives back what it had reserved, and
 * dup_mm fails as a whole; the parent's pages stay direct.  With memory,
 * the same VMA is promised one block per page, returned by exit_rmap.
 */
KTEST(pte_chain_fork_refused_when_the_reserve_cannot_fill)
{
	unsigned long flags = current->flags, bytes;
	struct mm_struct *parent = tvm_create(), *child;
	struct vm_area_struct *pvma, *vma;
	LIST_HEAD(held);
	int err;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, BIG_PAGES * P, RW), 0);
	for (int i = 0; i < BIG_PAGES; i++)
		KT_EQ(t, tvm_poke(B + i * P, 1), 0);
	pvma = tvm_vma(parent, B);
	child = tvm_create();
	KT_ASSERT(t, pvma && child);
	vma = vm_area_alloc(child);
	KT_ASSERT(t, vma);
	KT_EQ(t, anon_vma_prepare(pvma), 0);         /* the reserve at rest */
	bytes = anon_rmap_slab_bytes();

	hold_all_pages(&held, 0);
	err = anon_vma_link(vma, pvma);
	release_pages(&held, flags);
	KT_EQ(t, err, -ENOMEM);
	KT_EQ(t, child->pte_chain_promised, 0);
	KT_EQ(t, anon_rmap_slab_bytes(), bytes);

	KT_EQ(t, anon_vma_link(vma, pvma), 0);
	KT_EQ(t, child->pte_chain_promised, BIG_PAGES);
	KT_ASSERT(t, pte_chain_reserve_blocks() > BIG_PAGES);
	exit_rmap(child);
	KT_EQ(t, anon_rmap_slab_bytes(), bytes);
	vm_area_free(vma);
	tvm_destroy(child);

	hold_all_pages(&held, SPARE_PAGES);
	child = dup_mm(parent);
	release_pages(&held, flags);
	KT_ASSERT(t, !child);
	KT_EQ(t, anon_rmap_slab_bytes(), bytes);
	for (int i = 0; i < BIG_PAGES; i++) {
		struct page *page = tvm_page(parent, B + i * P);

		KT_ASSERT(t, page && page_rmap_direct(page) && page_mapcount(page) == 1);
	}
	KT_EQ(t, rmap_verify(), 0);
	child = dup_mm(parent);                      /* and with memory it works */
	KT_ASSERT(t, child);
	KT_EQ(t, pte_chain_length(tvm_page(parent, B)), 2);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}
