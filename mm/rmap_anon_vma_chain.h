/*
 * The anon_vma_chain scheme's objects, for mm/rmap_anon_vma_chain.c, its
 * tests and GDB (tools/gdb/rmap_anon_vma_chain.py).
 */
#ifndef MM_RMAP_ANON_VMA_CHAIN_H
#define MM_RMAP_ANON_VMA_CHAIN_H

#include <anvil/mm.h>
#include <anvil/spinlock.h>

/*
 * The pages one VMA created (its first anonymous fault or, after a fork,
 * its copy-on-write copies), and every VMA that may map them.
 */
struct anon_vma {
	raw_spinlock_t lock;       /* used in the root only: one lock per process family */
	struct anon_vma *root;     /* the family's oldest anon_vma (itself, for the root) */
	struct list_head head;     /* anon_vma_chain links, via same_anon_vma */
};

/*
 * One link "this VMA may map that anon_vma's pages": on the VMA's list
 * (vma->anon_vma_chain, oldest anon_vma first) and on the anon_vma's.
 */
struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;       /* on vma->anon_vma_chain */
	struct list_head same_anon_vma;  /* on anon_vma->head */
};

/* What page->mapping holds for a page of anon_vma. */
static inline struct address_space *anon_vma_mapping(struct anon_vma *anon_vma)
{
	return (struct address_space *)((unsigned long)anon_vma | PAGE_MAPPING_ANON);
}

static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	return (struct anon_vma *)((unsigned long)page->mapping & ~PAGE_MAPPING_ANON);
}

static inline void anon_vma_lock(struct anon_vma *anon_vma)
{
	raw_spin_lock_class(&anon_vma->root->lock, ANON_VMA_LOCK_CLASS);
}

static inline void anon_vma_unlock(struct anon_vma *anon_vma)
{
	raw_spin_unlock_class(&anon_vma->root->lock);
}

/* mm/rmap_anon_vma_common.c: the anon_vma slab cache and its objects */
extern struct kmem_cache *anon_vma_cachep;
void anon_vma_cache_init(void);
struct anon_vma *anon_vma_alloc(void);
void anon_vma_free(struct anon_vma *anon_vma);

#endif
