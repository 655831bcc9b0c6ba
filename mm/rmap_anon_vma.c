/*
 * The anon_vma scheme (Andrea Arcangeli, Linux 2.6.7-2.6.33), anvil's
 * default: `make RMAP=anon_vma`.
 *
 *   anonymous page:  page->mapping = anon_vma | PAGE_MAPPING_ANON
 *                    page->index   = linear page number (vm_pgoff units)
 *   anon_vma->head lists every VMA -- in any process, after any forks and
 *   mremaps -- that may map one of its pages, via vma->anon_vma_node.
 *
 * A VMA maps a page, if at all, at vma_address(), so the walk looks at one
 * PTE per VMA on the list.  mremap keeps vm_pgoff, so a moved page needs
 * no update at all.  The cost: the 12 bytes per VMA and a whole process
 * family on one list (every VMA forked from it, however far down).
 * The hooks it shares with anon_vma_chain are in mm/rmap_anon_vma_common.c.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include "rmap_anon_vma.h"

const char rmap_scheme[] = "anon_vma";

void anon_rmap_init(void)
{
	anon_vma_cache_init();
}

unsigned long anon_rmap_slab_bytes(void)
{
	return anon_vma_cachep->active_objs * anon_vma_cachep->size;
}

/* ---- VMAs ---------------------------------------------------------------- */

/*
 * A mergeable neighbour's anon_vma, so that a later vma_merge is not
 * blocked by a mismatch (the next VMA first: it is where a stack or a
 * top-down mmap grows from).
 */
static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct vm_area_struct *prev, *next;

	find_mergeable_anon_neighbours(vma, &prev, &next);
	if (next && next->anon_vma)
		return next->anon_vma;
	if (prev && prev->anon_vma)
		return prev->anon_vma;
	return NULL;
}

/*
 * Make sure vma has an anon_vma before its first anonymous page goes in
 * (first write fault, first COW).
 */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = vma->anon_vma, *allocated = NULL;
	struct mm_struct *mm = vma->vm_mm;

	if (likely(anon_vma))
		return 0;
	anon_vma = find_mergeable_anon_vma(vma);
	if (!anon_vma) {
		anon_vma = anon_vma_alloc();
		if (!anon_vma)
			return -ENOMEM;
		allocated = anon_vma;
	}
	anon_vma_lock(anon_vma);
	spin_lock(&mm->page_table_lock);
	if (likely(!vma->anon_vma)) {
		vma->anon_vma = anon_vma;
		list_add_tail(&vma->anon_vma_node, &anon_vma->head);
		allocated = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	anon_vma_unlock(anon_vma);
	if (allocated)
		anon_vma_free(allocated);
	return 0;
}

/*
 * split, mremap, a merge's importer, fork: vma joins src's anon_vma list
 * beside src.  A fork child's VMA is no different: it shares the
 * parent's pages, so it goes on the same list.
 */
int anon_vma_link(struct vm_area_struct *vma, struct vm_area_struct *src)
{
	struct anon_vma *anon_vma = src->anon_vma;

	vma->anon_vma = anon_vma;
	INIT_LIST_HEAD(&vma->anon_vma_node);
	if (anon_vma) {
		anon_vma_lock(anon_vma);
		list_add_tail(&vma->anon_vma_node, &anon_vma->head);
		anon_vma_unlock(anon_vma);
	}
	return 0;
}

/* vma is going away; the anon_vma goes with its last VMA. */
void anon_vma_unlink(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = vma->anon_vma;
	bool empty;

	if (!anon_vma)
		return;
	anon_vma_lock(anon_vma);
	list_del_init(&vma->anon_vma_node);
	empty = list_empty(&anon_vma->head);
	anon_vma_unlock(anon_vma);
	if (empty)
		anon_vma_free(anon_vma);
}

/* ---- pages --------------------------------------------------------------- */

/* The page belongs to the VMA's anon_vma, at the VMA's linear index. */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(!vma->anon_vma);
	__page_add_anon_rmap(page, anon_vma_mapping(vma->anon_vma),
			     linear_page_index(vma, address));
}

/* A fresh page is no different here: the VMA's one anon_vma serves all its pages. */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(page_mapped(page));
	page_add_anon_rmap(page, vma, address);
}

/*
 * rmap_verify's walk: every VMA on the page's anon_vma list, as reclaim's
 * page_referenced_anon and try_to_unmap_anon (mm/rmap.c) go.
 */
bool rmap_walk_anon(struct page *page, rmap_one_t rmap_one, void *arg)
{
	struct anon_vma *anon_vma = page_anon_vma(page);
	struct vm_area_struct *vma;
	bool stopped = false;

	anon_vma_lock(anon_vma);
	list_for_each_entry(vma, &anon_vma->head, anon_vma_node) {
		stopped = rmap_one(page, vma, vma_address(page, vma), arg);
		if (stopped)
			break;
	}
	anon_vma_unlock(anon_vma);
	return stopped;
}

/* ---- rmap_verify's anon_vma half ------------------------------------------ */

/*
 * vma's anon_vma list, both ways: vma is on the list of the anon_vma it
 * names, and everything on that list names it back and is a VMA still
 * linked into a live mm -- a freed VMA left on the list, or a VMA whose
 * pages arrived without it joining (an mremap that merged into a
 * neighbour with no anon_vma, a bug anvil once had), fails here.
 */
int anon_rmap_verify_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = vma->anon_vma;
	struct vm_area_struct *other;
	bool listed = false;
	int errors = 0;

	if (!anon_vma)
		return 0;
	list_for_each_entry(other, &anon_vma->head, anon_vma_node) {
		if (other == vma)
			listed = true;
		if (other->anon_vma != anon_vma)
			errors += rmap_error(mm, vma->vm_start,
					     "a VMA on this anon_vma's list names another", 0);
		else if (!mm_is_live(other->vm_mm) ||
			 find_vma(other->vm_mm, other->vm_start) != other)
			errors += rmap_error(mm, vma->vm_start,
					     "this anon_vma lists a VMA no mm has", 0);
	}
	if (!listed)
		errors += rmap_error(mm, vma->vm_start, "VMA is not on its anon_vma's list", 0);
	return errors;
}

/* A page mapped in vma belongs to vma's anon_vma, at vma's linear index. */
int anon_rmap_verify_page(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	if (page_anon_vma(page) != vma->anon_vma)
		return rmap_error(vma->vm_mm, address, "page's anon_vma is not its VMA's",
				  page_to_pfn(page));
	if (page->index != linear_page_index(vma, address))
		return rmap_error(vma->vm_mm, address, "page's index is not its VMA's linear index",
				  page_to_pfn(page));
	return 0;
}
