/*
 * The anon_vma scheme's object, for mm/rmap_anon_vma.c and its tests.
 */
#ifndef MM_RMAP_ANON_VMA_H
#define MM_RMAP_ANON_VMA_H

#include <anvil/mm.h>
#include <anvil/spinlock.h>

struct anon_vma {
	raw_spinlock_t lock;       /* nameless: one per process family adds up (12 bytes in all) */
	struct list_head head;     /* the VMAs that may map its pages, via anon_vma_node */
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
	raw_spin_lock_class(&anon_vma->lock, ANON_VMA_LOCK_CLASS);
}

static inline void anon_vma_unlock(struct anon_vma *anon_vma)
{
	raw_spin_unlock_class(&anon_vma->lock);
}

/* mm/rmap_anon_vma_common.c: the anon_vma slab cache and its objects */
extern struct kmem_cache *anon_vma_cachep;
void anon_vma_cache_init(void);
struct anon_vma *anon_vma_alloc(void);
void anon_vma_free(struct anon_vma *anon_vma);

#endif
