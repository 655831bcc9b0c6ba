/*
 * The pte_chain scheme's objects, for mm/rmap_pte_chain.c and its tests:
 * a page's record of its PTEs (direct, or a chain of blocks) and the way
 * back from a PTE pointer to its (mm, address).
 */
#ifndef MM_RMAP_PTE_CHAIN_H
#define MM_RMAP_PTE_CHAIN_H

#include <anvil/mm.h>

struct kmem_cache;

#define PTE_CHAIN_BYTES 32        /* one block: 2.6.0 sized it to a cache line */
#define NRPTE ((PTE_CHAIN_BYTES - sizeof(struct pte_chain *)) / sizeof(pte_t *))  /* 7 */

/*
 * A block of a page's chain.  The head block fills from the top down:
 * ptes[0, first) are NULL and ptes[first, NRPTE) are in use; every block
 * after the head is full.  A page mapped once needs no block at all.
 */
struct pte_chain {
	struct pte_chain *next;
	pte_t *ptes[NRPTE];
};

/*
 * page->index bit 0: the index is the address of the page's only PTE
 * (2.6.0's PG_direct, page->pte.direct).  PTEs are 4-byte aligned and
 * slab objects at least that, so the bit is free in both kinds of pointer.
 */
#define PTE_CHAIN_DIRECT 1UL

static inline bool page_rmap_direct(const struct page *page)
{
	return page->index & PTE_CHAIN_DIRECT;
}

static inline pte_t *page_pte_direct(const struct page *page)
{
	return (pte_t *)(page->index & ~PTE_CHAIN_DIRECT);
}

/* The head block of a page mapped more than once. */
static inline struct pte_chain *page_pte_chain(const struct page *page)
{
	return (struct pte_chain *)page->index;
}

/* The owner a page table's struct page records (pte_alloc, mm/pgtable.c). */
static inline struct mm_struct *ptep_to_mm(const pte_t *ptep)
{
	return (struct mm_struct *)virt_to_page(ptep)->mapping;
}

static inline unsigned long ptep_to_address(const pte_t *ptep)
{
	unsigned long offset = ((unsigned long)ptep & ~PAGE_MASK) / sizeof(pte_t);

	return virt_to_page(ptep)->index + (offset << PAGE_SHIFT);
}

extern struct kmem_cache *pte_chain_cachep;               /* the "pte_chain" slab cache */
unsigned int pte_chain_length(const struct page *page);   /* PTEs recorded for page */
unsigned long pte_chain_reserve_blocks(void);              /* blocks set aside now */

#endif
