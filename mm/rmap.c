/*
 * Object-based reverse mapping: from a physical page to every PTE that
 * maps it, without scanning address spaces and without per-PTE chains.
 *
 *   anonymous page:  page->mapping = anon_vma | PAGE_MAPPING_ANON
 *                    page->index   = linear page number (vm_pgoff units)
 *                    anon_vma->head lists every VMA -- in any process,
 *                    after any forks and mremaps -- that may map it.
 *   file/shmem page: page->mapping = the address_space, page->index = file
 *                    page offset; mapping->i_mmap lists the VMAs.
 *
 * Either way a VMA maps the page, if at all, at exactly one address:
 * vma_address() = vm_start + ((index - vm_pgoff) << PAGE_SHIFT), so the
 * walk looks at one PTE per VMA.  page_referenced() and try_to_unmap()
 * use the walk on real x86 PTEs; rmap_verify() (mm/rmap_verify.c) checks
 * the whole scheme.
 *
 * Lock order (outermost first; a lock may only be taken while holding
 * those above it):
 *
 *   mm->mmap_sem                     (sleeping; read for faults, write for VMA changes)
 *     page->flags PG_locked          (lock_page; sleeping)
 *       mapping->i_mmap_lock
 *         anon_vma->lock
 *           mm->page_table_lock
 *             zone->lru_lock         (mark_page_accessed, LRU moves)
 *             swap_lock              (swap_map counts; irq-safe: a failed write
 *                                     marks its slot from the disk interrupt)
 *               mmlist_lock
 *             mapping->tree_lock     (the page cache and swap cache radix trees;
 *                                     add_to_swap_cache under lock_page)
 *
 * anvil runs on one CPU without kernel preemption, so these spinlocks
 * never spin; taking one twice is caught as a deadlock, and sleeping with
 * one held is caught by schedule().  The order is what an SMP anvil needs.
 * A lock an interrupt handler also takes (zone->lru_lock, swap_lock) is
 * taken with interrupts off, or the handler would find it held.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#include <anvil/syscalls.h>

static struct kmem_cache *anon_vma_cachep;

void anon_vma_init(void)
{
	anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0, 0, NULL);
	BUG_ON(!anon_vma_cachep);
}

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *anon_vma = kmem_cache_alloc(anon_vma_cachep, GFP_KERNEL);

	if (anon_vma) {
		raw_spin_lock_init(&anon_vma->lock);
		INIT_LIST_HEAD(&anon_vma->head);
		count_vm_event(NR_ANON_VMA_ALLOC);
	}
	return anon_vma;
}

static void anon_vma_free(struct anon_vma *anon_vma)
{
	BUG_ON(!list_empty(&anon_vma->head));
	kmem_cache_free(anon_vma_cachep, anon_vma);
	count_vm_event(NR_ANON_VMA_FREE);
}

/*
 * Make sure vma has an anon_vma before its first anonymous page goes in
 * (first write fault, first COW).  A mergeable neighbour's anon_vma is
 * preferred, so that a later vma_merge is not blocked by a mismatch.
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

/* Put vma on its anon_vma's list; the caller holds anon_vma->lock. */
void __anon_vma_link(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		list_add_tail(&vma->anon_vma_node, &vma->anon_vma->head);
}

/* fork (and copy_vma): the new VMA shares the pages, so it joins the list. */
void anon_vma_link(struct vm_area_struct *vma)
{
	struct anon_vma *anon_vma = vma->anon_vma;

	if (anon_vma) {
		anon_vma_lock(anon_vma);
		list_add_tail(&vma->anon_vma_node, &anon_vma->head);
		anon_vma_unlock(anon_vma);
	}
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

/* vma_adjust swallowed next into vma: next leaves the (shared) anon_vma list. */
void __anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next)
{
	if (!vma->anon_vma) {
		vma->anon_vma = next->anon_vma;
		list_add_tail(&vma->anon_vma_node, &next->anon_vma_node);
	}
	BUG_ON(vma->anon_vma != next->anon_vma);
	list_del_init(&next->anon_vma_node);
}

/* ---- page rmap counts ------------------------------------------------- */

/*
 * The first mapping of an anonymous page sets its anon_vma and index;
 * every later one (fork, swap-in elsewhere) must agree with them.
 */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	struct anon_vma *anon_vma = vma->anon_vma;
	unsigned long index = linear_page_index(vma, address);
	struct address_space *mapping =
		(struct address_space *)((unsigned long)anon_vma | PAGE_MAPPING_ANON);

	BUG_ON(PageReserved(page));
	BUG_ON(!anon_vma);
	if (atomic_inc_and_test(&page->_mapcount)) {
		page->index = index;
		page->mapping = mapping;
		mod_vm_stat(NR_MAPPED, 1);
		mod_vm_stat(NR_ANON_PAGES, 1);
	} else {
		BUG_ON(page->index != index);
		BUG_ON(page->mapping != mapping);
	}
}

void page_add_file_rmap(struct page *page)
{
	BUG_ON(PageAnon(page) || !page->mapping);
	if (atomic_inc_and_test(&page->_mapcount))
		mod_vm_stat(NR_MAPPED, 1);
}

/* fork: one more PTE maps the page, at the same index in the same object. */
void page_dup_rmap(struct page *page)
{
	BUG_ON(!page_mapped(page));
	atomic_inc(&page->_mapcount);
}

/*
 * One PTE less.  An anonymous page keeps its stale anon_vma pointer when
 * the last mapping goes (Linux does too): page->mapping of an anon page is
 * only trusted while the page is mapped, and is cleared when it is freed.
 */
void page_remove_rmap(struct page *page)
{
	BUG_ON(PageReserved(page));
	BUG_ON(!page_mapped(page));
	if (atomic_add_negative(-1, &page->_mapcount)) {
		mod_vm_stat(NR_MAPPED, -1);
		if (PageAnon(page))
			mod_vm_stat(NR_ANON_PAGES, -1);
	}
}

/* Where vma maps page, or -EFAULT if the page's index lies outside vma. */
unsigned long vma_address(struct page *page, struct vm_area_struct *vma)
{
	unsigned long address;

	if (page->index < vma->vm_pgoff)
		return -EFAULT;
	address = vma->vm_start + ((page->index - vma->vm_pgoff) << PAGE_SHIFT);
	if (address < vma->vm_start || address >= vma->vm_end)
		return -EFAULT;
	return address;
}

/* LAB rmap: BEGIN page_check_address() */
/*
 * The PTE mapping page in vma, with page_table_lock held, or NULL (lock
 * not held).  Every step of the walk is counted for /proc/vmstat.
 */
static pte_t *page_check_address(struct page *page, struct vm_area_struct *vma,
				 unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte;

	count_vm_event(RMAP_WALK_VMAS);
	if (address == (unsigned long)-EFAULT)
		return NULL;
	spin_lock(&mm->page_table_lock);
	pte = lookup_pte(mm, address);
	if (pte) {
		count_vm_event(RMAP_WALK_PTES);
		if (pte_present(*pte) && pte_pfn(*pte) == page_to_pfn(page))
			return pte;
	}
	spin_unlock(&mm->page_table_lock);
	return NULL;
}
/* LAB rmap: END */

/* ---- page_referenced -------------------------------------------------- */

static int page_referenced_one(struct page *page, struct vm_area_struct *vma)
{
	/* LAB rmap: BEGIN test and clear the accessed bit of the one PTE through which vma maps page */
	unsigned long address = vma_address(page, vma);
	pte_t *pte = page_check_address(page, vma, address);
	int referenced = 0;

	if (!pte)
		return 0;
	if (ptep_test_and_clear_young(pte)) {
		referenced = 1;
		flush_tlb_page(vma, address);
	}
	spin_unlock(&vma->vm_mm->page_table_lock);
	return referenced;
	/* LAB rmap: STUB -- meanwhile no PTE is ever found young
	return 0;
	*/
	/* LAB rmap: END */
}

/*
 * How many of the page's PTEs have the accessed bit set -- clearing each
 * one, so the next call sees only new use -- plus PG_referenced (from
 * read/write system calls and earlier scans).  Reclaim's second chance.
 */
int page_referenced(struct page *page)
{
	int referenced = TestClearPageReferenced(page) ? 1 : 0;
	struct vm_area_struct *vma;

	count_vm_event(RMAP_WALKS);
	if (!page_mapped(page))
		return referenced;
	if (PageAnon(page)) {
		struct anon_vma *anon_vma = page_anon_vma(page);

		anon_vma_lock(anon_vma);
		list_for_each_entry(vma, &anon_vma->head, anon_vma_node)
			referenced += page_referenced_one(page, vma);
		anon_vma_unlock(anon_vma);
	} else if (page->mapping) {
		struct address_space *mapping = page->mapping;

		spin_lock(&mapping->i_mmap_lock);
		list_for_each_entry(vma, &mapping->i_mmap, shared)
			referenced += page_referenced_one(page, vma);
		spin_unlock(&mapping->i_mmap_lock);
	}
	return referenced;
}

/* ---- try_to_unmap ----------------------------------------------------- */

/*
 * Take one PTE away from the page.  An anonymous page -- which must be in
 * the swap cache by now (add_to_swap) -- leaves its swap entry in the PTE (and the slot gains a reference), so
 * the next touch faults into do_swap_page; a file page simply goes, the
 * page cache still has it.  A PTE used since page_referenced() ran (the
 * accessed bit set again) or in a VM_LOCKED VMA makes the unmap fail:
 * the page is in use.
 */
static int __noinline try_to_unmap_one(struct page *page, struct vm_area_struct *vma)
{
	/* LAB rmap: BEGIN replace the PTE through which vma maps page by its swap entry (or nothing) */
	struct mm_struct *mm = vma->vm_mm;
	unsigned long address = vma_address(page, vma);
	pte_t *pte = page_check_address(page, vma, address);
	pte_t pteval;
	int ret = SWAP_AGAIN;

	if (!pte)
		return ret;
	if ((vma->vm_flags & VM_LOCKED) || ptep_test_and_clear_young(pte)) {
		ret = SWAP_FAIL;
		goto out_unlock;
	}
	pteval = ptep_get_and_clear(pte);
	flush_tlb_page(vma, address);
	if (pte_dirty(pteval))
		set_page_dirty(page);
	if (PageAnon(page)) {
		swp_entry_t entry = { page->private };

		/* reclaim gives an anonymous page a slot first: without one its data would be lost */
		BUG_ON(!PageSwapCache(page));
		swap_duplicate(entry);
		set_pte(pte, swp_entry_to_pte(entry));
		mm->swap_ents++;
		mm->anon_rss--;
	} else {
		mm->file_rss--;
	}
	page_remove_rmap(page);
	put_page(page);              /* the PTE's reference */
	count_vm_event(RMAP_UNMAPPED_PTES);
out_unlock:
	spin_unlock(&mm->page_table_lock);
	return ret;
	/* LAB rmap: STUB -- meanwhile every page counts as in use
	return SWAP_FAIL;
	*/
	/* LAB rmap: END */
}

/*
 * Remove every PTE mapping the (locked) page.  Anonymous pages walk
 * their anon_vma, file and shared pages their address_space's i_mmap.
 * Returns SWAP_SUCCESS when no PTE is left, SWAP_FAIL if one must stay,
 * SWAP_AGAIN if the page is mapped somewhere the walk did not reach.
 */
int __noinline try_to_unmap(struct page *page)
{
	struct vm_area_struct *vma;
	int ret = SWAP_AGAIN;

	BUG_ON(!PageLocked(page));
	BUG_ON(PageReserved(page));
	count_vm_event(RMAP_WALKS);
	if (PageAnon(page)) {
		struct anon_vma *anon_vma = page_anon_vma(page);

		if (!page_mapped(page))
			return SWAP_SUCCESS;
		anon_vma_lock(anon_vma);
		list_for_each_entry(vma, &anon_vma->head, anon_vma_node) {
			ret = try_to_unmap_one(page, vma);
			if (ret == SWAP_FAIL || !page_mapped(page))
				break;
		}
		anon_vma_unlock(anon_vma);
	} else if (page->mapping) {
		struct address_space *mapping = page->mapping;

		spin_lock(&mapping->i_mmap_lock);
		list_for_each_entry(vma, &mapping->i_mmap, shared) {
			ret = try_to_unmap_one(page, vma);
			if (ret == SWAP_FAIL || !page_mapped(page))
				break;
		}
		spin_unlock(&mapping->i_mmap_lock);
	}
	if (!page_mapped(page))
		return SWAP_SUCCESS;
	return ret == SWAP_FAIL ? SWAP_FAIL : SWAP_AGAIN;
}
