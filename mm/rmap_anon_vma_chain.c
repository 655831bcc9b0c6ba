/*
 * The anon_vma_chain scheme (Rik van Riel, Linux 2.6.34; the root
 * anon_vma as in 2.6.35): `make RMAP=anon_vma_chain`.
 *
 *   anonymous page:  page->mapping = anon_vma | PAGE_MAPPING_ANON
 *                    page->index   = linear page number (vm_pgoff units)
 *   Each VMA has its own anon_vma, which the pages it creates get, and a
 *   chain of anon_vma_chain links (vma->anon_vma_chain) to every anon_vma
 *   whose pages it may map: the family's root first, then each ancestor's,
 *   its own last.  Each anon_vma lists its links (anon_vma->head); the
 *   root's lock serves the whole family.
 *
 * A page made by the deepest child of a fork chain is on that child's
 * anon_vma alone, so its walk visits one VMA; under anon_vma it visited
 * every VMA of every ancestor.  The cost: an anon_vma per VMA per fork
 * and a link per (VMA, ancestor) -- and mremap still needs no update.
 * The hooks it does as anon_vma does are in mm/rmap_anon_vma_common.c.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/vmstat.h>
#include "rmap_anon_vma_chain.h"

const char rmap_scheme[] = "anon_vma_chain";
static struct kmem_cache *anon_vma_chain_cachep;

void anon_rmap_init(void)
{
	anon_vma_cache_init();
	anon_vma_chain_cachep = kmem_cache_create("anon_vma_chain", sizeof(struct anon_vma_chain),
						  0, 0, NULL);
	BUG_ON(!anon_vma_chain_cachep);
}

unsigned long anon_rmap_slab_bytes(void)
{
	return anon_vma_cachep->active_objs * anon_vma_cachep->size +
	       anon_vma_chain_cachep->active_objs * anon_vma_chain_cachep->size;
}

/* A new anon_vma in root's family; with root NULL it starts a family of its own. */
static struct anon_vma *anon_vma_alloc_in(struct anon_vma *root)
{
	struct anon_vma *anon_vma = anon_vma_alloc();

	if (anon_vma)
		anon_vma->root = root ? root : anon_vma;
	return anon_vma;
}

static struct anon_vma_chain *anon_vma_chain_alloc(void)
{
	return kmem_cache_alloc(anon_vma_chain_cachep, GFP_KERNEL);
}

static void anon_vma_chain_free(struct anon_vma_chain *avc)
{
	kmem_cache_free(anon_vma_chain_cachep, avc);
}

/* avc now says "vma may map anon_vma's pages"; the family's lock is held. */
static void anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc,
				struct anon_vma *anon_vma)
{
	avc->vma = vma;
	avc->anon_vma = anon_vma;
	list_add_tail(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &anon_vma->head);
}

static bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

/* The oldest anon_vma vma may map pages of: the family's root, first on the chain. */
static struct anon_vma *vma_oldest_anon_vma(const struct vm_area_struct *vma)
{
	return list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma)->anon_vma;
}

/* Is vma linked to anon_vma (may it map anon_vma's pages)? */
static bool vma_linked_to(const struct vm_area_struct *vma, const struct anon_vma *anon_vma)
{
	const struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (avc->anon_vma == anon_vma)
			return true;
	return false;
}

/*
 * Undo vma's links and free every anon_vma left with no VMA.  Every VMA
 * linked to one of a family's anon_vmas is linked to its root too (the
 * chain starts with it), so the root's list is the last to empty: the
 * root outlives its children with no reference count, and goes last.
 */
static void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;
	bool children_left = false;
	struct anon_vma *root;

	if (list_empty(&vma->anon_vma_chain))
		return;
	root = vma_oldest_anon_vma(vma);
	BUG_ON(root->root != root);
	anon_vma_lock(root);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		list_del(&avc->same_anon_vma);
	anon_vma_unlock(root);
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *anon_vma = avc->anon_vma;

		BUG_ON(anon_vma->root != root);
		list_del(&avc->same_vma);
		if (anon_vma != root && list_empty(&anon_vma->head))
			anon_vma_free(anon_vma);
		else if (anon_vma != root)
			children_left = true;
		anon_vma_chain_free(avc);
	}
	if (list_empty(&root->head)) {
		BUG_ON(children_left);
		anon_vma_free(root);
	}
	vma->anon_vma = NULL;
}

/* ---- VMAs ---------------------------------------------------------------- */

/*
 * A mergeable neighbour's anon_vma, so that a later vma_merge is not
 * blocked by a mismatch -- but only from a neighbour whose chain is that
 * one link (it never went through a fork).  A forked neighbour also maps
 * its ancestors' pages; sharing its anon_vma would give vma a chain
 * without them, and when the two merged with vma surviving, those pages
 * in the neighbour's range would be lost to the walk.  2.6.34 shared it
 * regardless; later Linux (reusable_anon_vma) added this test.
 */
static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct vm_area_struct *prev, *next;

	find_mergeable_anon_neighbours(vma, &prev, &next);
	if (next && next->anon_vma && list_is_singular(&next->anon_vma_chain))
		return next->anon_vma;
	if (prev && prev->anon_vma && list_is_singular(&prev->anon_vma_chain))
		return prev->anon_vma;
	return NULL;
}

/*
 * Give vma its anon_vma before its first anonymous page goes in (first
 * write fault, first COW): a mergeable neighbour's, or a new family's
 * root.  One link, allocated before the locks.
 */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma, *allocated = NULL;
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma_chain *avc;

	if (likely(vma->anon_vma))
		return 0;
	avc = anon_vma_chain_alloc();
	if (!avc)
		return -ENOMEM;
	anon_vma = find_mergeable_anon_vma(vma);
	if (!anon_vma) {
		anon_vma = anon_vma_alloc_in(NULL);
		if (!anon_vma) {
			anon_vma_chain_free(avc);
			return -ENOMEM;
		}
		allocated = anon_vma;
	}
	BUG_ON(anon_vma->root != anon_vma);       /* a chain of one link is a root's */
	anon_vma_lock(anon_vma);
	spin_lock(&mm->page_table_lock);
	if (likely(!vma->anon_vma)) {
		INIT_LIST_HEAD(&vma->anon_vma_chain);
		anon_vma_chain_link(vma, avc, anon_vma);
		vma->anon_vma = anon_vma;
		allocated = NULL;
		avc = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	anon_vma_unlock(anon_vma);
	if (allocated)
		anon_vma_free(allocated);
	if (avc)
		anon_vma_chain_free(avc);
	return 0;
}

/*
 * vma's chain has more than its own anon_vma: it was forked, and may map
 * its ancestors' pages.  A merge that grew it over a range that had none
 * would put more pages under the whole family's root lock; Linux 3.0
 * stopped that (is_mergeable_anon_vma), and vma_merge asks here.
 */
bool vma_had_uncowed_parents(const struct vm_area_struct *vma)
{
	return vma->anon_vma && !list_is_singular(&vma->anon_vma_chain);
}

/*
 * dst (a byte copy of src, or a merge's importer with no anon_vma) will
 * map some of src's pages: link it to every anon_vma src is linked to, in
 * the same order, and give it src's anon_vma for its own new pages.
 */
static int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma_chain *pavc;

	BUG_ON(dst->anon_vma && dst->anon_vma != src->anon_vma);
	INIT_LIST_HEAD(&dst->anon_vma_chain);
	dst->anon_vma = NULL;
	if (!src->anon_vma)
		return 0;
	list_for_each_entry(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = anon_vma_chain_alloc();

		if (!avc) {
			unlink_anon_vmas(dst);   /* src keeps each anon_vma: none is freed */
			return -ENOMEM;
		}
		anon_vma_lock(pavc->anon_vma);
		anon_vma_chain_link(dst, avc, pavc->anon_vma);
		anon_vma_unlock(pavc->anon_vma);
	}
	dst->anon_vma = src->anon_vma;
	return 0;
}

/*
 * fork: the child's VMA may map every page the parent's may (its chain),
 * and gets an anon_vma of its own, in the parent's family, for the pages
 * it creates by copy-on-write -- which only it and its descendants map.
 */
static int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma *anon_vma;
	struct anon_vma_chain *avc;

	if (anon_vma_clone(vma, pvma))
		return -ENOMEM;
	if (!pvma->anon_vma)
		return 0;
	anon_vma = anon_vma_alloc_in(pvma->anon_vma->root);
	avc = anon_vma ? anon_vma_chain_alloc() : NULL;
	if (!avc) {
		if (anon_vma)
			anon_vma_free(anon_vma);
		unlink_anon_vmas(vma);
		return -ENOMEM;
	}
	anon_vma_lock(anon_vma);
	anon_vma_chain_link(vma, avc, anon_vma);
	anon_vma_unlock(anon_vma);
	vma->anon_vma = anon_vma;
	return 0;
}

/*
 * The generic anon_vma_link, in 2.6.34's two parts: a fork is the link
 * whose VMA is in another mm than src.
 */
int anon_vma_link(struct vm_area_struct *vma, struct vm_area_struct *src)
{
	if (vma->vm_mm != src->vm_mm)
		return anon_vma_fork(vma, src);
	return anon_vma_clone(vma, src);
}

/* vma is going away: its links go, and each anon_vma left with no VMA. */
void anon_vma_unlink(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		unlink_anon_vmas(vma);
}

/* ---- pages --------------------------------------------------------------- */

/*
 * swap-in (and swapoff): the page may be mapped, or held in swap PTEs, by
 * other VMAs of the family that are not linked to vma's own anon_vma --
 * an ancestor that made it, say.  So the first mapping gives it the oldest
 * anon_vma on vma's chain, the root, which every VMA of the family is
 * linked to (2.6.34's non-exclusive rule); every later mapping keeps it.
 */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	unsigned long index = linear_page_index(vma, address);

	BUG_ON(!vma->anon_vma);
	if (page_mapcount_inc(page, true)) {
		page->index = index;
		page->mapping = anon_vma_mapping(vma_oldest_anon_vma(vma));
	} else {
		BUG_ON(!PageAnon(page));
		BUG_ON(page->index != index);
		BUG_ON(!vma_linked_to(vma, page_anon_vma(page)));
	}
}

/* A fresh page is vma's alone (and its future children's): vma's own anon_vma. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(!vma->anon_vma);
	BUG_ON(page_mapped(page));
	page_mapcount_inc(page, true);
	page->index = linear_page_index(vma, address);
	page->mapping = anon_vma_mapping(vma->anon_vma);
}

/*
 * The walks: every VMA linked to the page's anon_vma, at the one address
 * each would map it -- 2.6.34's loops over anon_vma->head, whose entries
 * are anon_vma_chains now, not VMAs.
 */
int page_referenced_anon(struct page *page)
{
	struct anon_vma *anon_vma = page_anon_vma(page);
	struct anon_vma_chain *avc;
	int referenced = 0;

	anon_vma_lock(anon_vma);
	list_for_each_entry(avc, &anon_vma->head, same_anon_vma)
		referenced += page_referenced_one(page, avc->vma, vma_address(page, avc->vma));
	anon_vma_unlock(anon_vma);
	return referenced;
}

int try_to_unmap_anon(struct page *page)
{
	struct anon_vma *anon_vma = page_anon_vma(page);
	struct anon_vma_chain *avc;
	int ret = SWAP_AGAIN;

	anon_vma_lock(anon_vma);
	list_for_each_entry(avc, &anon_vma->head, same_anon_vma) {
		ret = try_to_unmap_one(page, avc->vma, vma_address(page, avc->vma));
		if (ret != SWAP_AGAIN || !page_mapped(page))
			break;
	}
	anon_vma_unlock(anon_vma);
	return ret;
}

bool rmap_walk_anon(struct page *page, rmap_one_t rmap_one, void *arg)
{
	struct anon_vma *anon_vma = page_anon_vma(page);
	struct anon_vma_chain *avc;
	bool stopped = false;

	anon_vma_lock(anon_vma);
	list_for_each_entry(avc, &anon_vma->head, same_anon_vma) {
		stopped = rmap_one(page, avc->vma, vma_address(page, avc->vma), arg);
		if (stopped)
			break;
	}
	anon_vma_unlock(anon_vma);
	return stopped;
}

/* ---- rmap_verify's anon_vma_chain half ------------------------------------ */

static bool vma_is_live(const struct vm_area_struct *vma)
{
	return mm_is_live(vma->vm_mm) && find_vma(vma->vm_mm, vma->vm_start) == vma;
}

/* Is node one of head's (an avc's same_vma on a chain, its same_anon_vma on a list)? */
static bool on_list(const struct list_head *node, const struct list_head *head)
{
	const struct list_head *pos;

	for (pos = head->next; pos != head; pos = pos->next)
		if (pos == node)
			return true;
	return false;
}

/* Are a's and b's chains the same anon_vmas in the same order? */
static bool same_chain(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	const struct list_head *pa = a->anon_vma_chain.next, *pb = b->anon_vma_chain.next;

	for (; pa != &a->anon_vma_chain && pb != &b->anon_vma_chain; pa = pa->next, pb = pb->next)
		if (list_entry(pa, struct anon_vma_chain, same_vma)->anon_vma !=
		    list_entry(pb, struct anon_vma_chain, same_vma)->anon_vma)
			return false;
	return pa == &a->anon_vma_chain && pb == &b->anon_vma_chain;
}

/* avc names a VMA still linked into a live mm, with avc on its chain. */
static bool link_is_live(const struct anon_vma_chain *avc)
{
	return vma_is_live(avc->vma) && on_list(&avc->same_vma, &avc->vma->anon_vma_chain);
}

/* One anon_vma's whole list (checked once, from its first link's VMA). */
static int verify_anon_vma_list(struct mm_struct *mm, unsigned long start,
				struct anon_vma *anon_vma)
{
	struct anon_vma_chain *avc;
	int errors = 0;

	list_for_each_entry(avc, &anon_vma->head, same_anon_vma) {
		if (avc->anon_vma != anon_vma)
			errors += rmap_error(mm, start,
					     "a link on an anon_vma's list names another", 0);
		else if (!link_is_live(avc))
			errors += rmap_error(mm, start, "an anon_vma lists a VMA no mm has", 0);
	}
	return errors;
}

/*
 * vma's chain: it runs from the family's root to vma's own anon_vma, all
 * of one family (one lock covers every walk reaching vma); each link names
 * vma and is on its anon_vma's list, whose first link must be live -- and
 * from that link's VMA the list is checked whole.  A neighbour with the
 * same anon_vma has the same chain, so their merge would lose nothing.
 */
int anon_rmap_verify_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct anon_vma *root, *own = vma->anon_vma;
	unsigned long start = vma->vm_start;
	struct anon_vma_chain *avc, *first;
	int errors = 0;

	if (!own)
		return 0;
	if (list_empty(&vma->anon_vma_chain))
		return rmap_error(mm, start, "VMA with an anon_vma has an empty chain", 0);
	root = vma_oldest_anon_vma(vma);
	if (root->root != root)
		errors += rmap_error(mm, start, "VMA's chain does not start with its root", 0);
	if (list_last_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma)->anon_vma != own)
		errors += rmap_error(mm, start,
				     "VMA's chain does not end with its own anon_vma", 0);
	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma) {
		if (avc->vma != vma)
			errors += rmap_error(mm, start,
					     "a link on the VMA's chain names another", 0);
		if (avc->anon_vma->root != root)
			errors += rmap_error(mm, start,
					     "VMA's chain holds another family's anon_vma", 0);
		if (!on_list(&avc->same_anon_vma, &avc->anon_vma->head)) {
			errors += rmap_error(mm, start,
					     "a link on the VMA's chain is not on its list", 0);
			continue;
		}
		first = list_first_entry(&avc->anon_vma->head, struct anon_vma_chain,
					 same_anon_vma);
		if (first == avc)
			errors += verify_anon_vma_list(mm, start, avc->anon_vma);
		else if (!link_is_live(first))
			errors += rmap_error(mm, start, "an anon_vma's first link is stale", 0);
	}
	if (vma->vm_next && vma->vm_next->anon_vma == own && !same_chain(vma, vma->vm_next))
		errors += rmap_error(mm, start, "neighbours share an anon_vma but not a chain", 0);
	return errors;
}

/* A page mapped in vma has an anon_vma vma is linked to, and vma's linear index. */
int anon_rmap_verify_page(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	if (!vma_linked_to(vma, page_anon_vma(page)))
		return rmap_error(vma->vm_mm, address, "page's anon_vma is not on its VMA's chain",
				  page_to_pfn(page));
	if (page->index != linear_page_index(vma, address))
		return rmap_error(vma->vm_mm, address, "page's index is not its VMA's linear index",
				  page_to_pfn(page));
	return 0;
}
