/*
 * What the two schemes in which a VMA names an anon_vma -- anon_vma
 * (mm/rmap_anon_vma.c) and anon_vma_chain (mm/rmap_anon_vma_chain.c) --
 * do alike: the anon_vma cache, merging and locking.  Neither needs to
 * hear of an mm, of a single PTE or of mremap (the moved VMA keeps
 * vm_pgoff and its anon_vma, so a page needs no update): anvil/rmap.h's
 * hooks for those are compiled for the older schemes only.  Built with
 * either.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/vmstat.h>
#ifdef CONFIG_RMAP_ANON_VMA_CHAIN
#include "rmap_anon_vma_chain.h"
#else
#include "rmap_anon_vma.h"
#endif

struct kmem_cache *anon_vma_cachep;

void anon_vma_cache_init(void)
{
	anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0, 0, NULL);
	BUG_ON(!anon_vma_cachep);
}

/* An empty anon_vma (anon_vma_chain's caller sets its root). */
struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *anon_vma = kmem_cache_alloc(anon_vma_cachep, GFP_KERNEL);

	if (anon_vma) {
		raw_spin_lock_init(&anon_vma->lock);
		INIT_LIST_HEAD(&anon_vma->head);
		count_vm_event(NR_ANON_VMA_ALLOC);
	}
	return anon_vma;
}

/* Only an anon_vma nothing is linked to any more may go. */
void anon_vma_free(struct anon_vma *anon_vma)
{
	BUG_ON(!list_empty(&anon_vma->head));
	kmem_cache_free(anon_vma_cachep, anon_vma);
	count_vm_event(NR_ANON_VMA_FREE);
}

/*
 * vma_adjust swallowed next into vma, which shares (or took, by
 * anon_vma_link) next's anon_vma.  Under anon_vma_chain it shares next's
 * chain with it too (VMAs with one anon_vma have the same chain: see
 * find_mergeable_anon_vma there), so no page of next's is lost with
 * next's links.
 */
void __anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next)
{
	BUG_ON(next->anon_vma && vma->anon_vma != next->anon_vma);
	anon_vma_unlink(next);
}

/* Two VMAs may become one if at least one has no anon_vma yet, or they share it. */
bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return !a || !b || !a->anon_vma || !b->anon_vma || a->anon_vma == b->anon_vma;
}

/*
 * The anon_vma's lock (under anon_vma_chain, its family root's): every
 * walk that may reach vma takes it.
 */
void vma_lock_anon_vma(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		anon_vma_lock(vma->anon_vma);
}

void vma_unlock_anon_vma(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		anon_vma_unlock(vma->anon_vma);
}
