/*
 * Reverse mapping, the part every scheme shares: from a physical page to
 * every PTE that maps it, and what reclaim does with them.
 *
 *   file/shmem page: page->mapping = the address_space, page->index = file
 *                    page offset; mapping->i_mmap, an interval tree by file
 *                    page range (mm/interval_tree.c), finds the VMAs whose
 *                    range holds index, each mapping it at exactly one address:
 *                    vma_address() = vm_start + ((index - vm_pgoff) << PAGE_SHIFT).
 *   anonymous page:  page->mapping has PAGE_MAPPING_ANON set; the rest is
 *                    the build's scheme's (anvil/rmap.h): the default
 *                    anon_vma's walks are below, as in 2.6.11, the other
 *                    schemes' in mm/rmap_<scheme>.c.
 *
 * page_referenced() and try_to_unmap() walk real x86 PTEs; rmap_verify()
 * (mm/rmap_verify.c) checks the whole scheme.
 *
 * Lock order (outermost first; a lock may only be taken while holding
 * those above it):
 *
 *   mm->mmap_sem                     (sleeping; read for faults, write for VMA changes)
 *     page->flags PG_locked          (lock_page; sleeping)
 *       mapping->i_mmap_lock
 *         the scheme's lock          (anon_vma->lock, the anon_vma_chain root's
 *                                     lock, the anonmm group head's lock)
 *           mm->page_table_lock
 *             pte_chain_lock         (RMAP=pte_chain: the chains and their reserve;
 *                                     innermost, never held while taking another)
 *             zone->lru_lock         (mark_page_accessed, LRU moves)
 *             swap_lock              (swap_map counts; irq-safe: a failed write
 *                                     marks its slot from the disk interrupt)
 *               mmlist_lock
 *             mapping->tree_lock     (the page cache and swap cache radix trees;
 *                                     add_to_swap_cache under lock_page)
 *             inode_wb_lock          (mm/page-writeback.c: the dirty inodes and
 *                                     counts; irq-safe: a failed write redirties
 *                                     its page from the disk interrupt)
 *             shmem_swaplist_lock, shmem_inode_info->lock
 *                                    (mm/shmem_swap.c: shmem inodes with pages on
 *                                     swap, each one's swap map; innermost, never
 *                                     held together)
 *
 * These spinlocks are real, but never contend while the big kernel lock
 * (kernel/smp_lock.c) keeps kernel code on one CPU at a time; taking one
 * twice is caught as a deadlock, sleeping with one held by schedule().
 * lockdep (kernel/lockdep.c, whose lock_order[] is this list) checks the
 * order as locks are taken, so it holds when the big lock is split.
 * A lock an interrupt handler also takes (zone->lru_lock, swap_lock) is
 * taken with interrupts off, or the handler would find it held.
 *
 * Labs rmap and filemap (labs/README.md): the student writes what "LAB rmap:
 * BEGIN/END" (and "LAB filemap: BEGIN/END") fence here; a student's tree has a
 * "TODO(lab NAME)" and the stub from labs/NAME/stubs.c in their place.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#ifdef CONFIG_RMAP_ANON_VMA
#include "rmap_anon_vma.h"
#endif

/* ---- page rmap counts ------------------------------------------------- */

/*
 * One more PTE maps page.  True if it is the first: the scheme then
 * records the page's anonymous object.  anon says whether the page is
 * becoming an anonymous one -- on a first mapping page->mapping is not
 * set yet, so PageAnon() cannot tell.
 */
bool page_mapcount_inc(struct page *page, bool anon)
{
	BUG_ON(PageReserved(page));
	if (!atomic_inc_and_test(&page->_mapcount))
		return false;
	mod_vm_stat(NR_MAPPED, 1);
	if (anon)
		mod_vm_stat(NR_ANON_PAGES, 1);
	return true;
}

/* One PTE less; true if it was the last. */
bool page_mapcount_dec(struct page *page)
{
	BUG_ON(PageReserved(page));
	BUG_ON(!page_mapped(page));
	if (!atomic_add_negative(-1, &page->_mapcount))
		return false;
	mod_vm_stat(NR_MAPPED, -1);
	if (PageAnon(page))
		mod_vm_stat(NR_ANON_PAGES, -1);
	return true;
}

/*
 * One more PTE maps an anonymous page of the scheme's object (mapping)
 * at index: the first mapping records them, every later one (swap-in
 * elsewhere, swapoff) must agree -- else the walk would miss a PTE.
 */
void __page_add_anon_rmap(struct page *page, struct address_space *mapping, unsigned long index)
{
	if (page_mapcount_inc(page, true)) {
		page->index = index;
		page->mapping = mapping;
	} else {
		BUG_ON(page->index != index);
		BUG_ON(page->mapping != mapping);
	}
}

void page_add_file_rmap(struct page *page)
{
	BUG_ON(PageAnon(page) || !page->mapping);
	page_mapcount_inc(page, false);
}

/*
 * fork: one more PTE (in the child's vma, at address) maps an already
 * mapped page.  2.6.11's page_dup_rmap is the increment alone; pte_chain
 * records the child's PTE besides.
 */
void page_dup_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(!page_mapped(page));
	page_mapcount_inc(page, PageAnon(page));
#ifdef CONFIG_RMAP_PTE_HOOKS
	if (PageAnon(page))
		page_dup_anon_rmap(page, vma, address);
#endif
}

/*
 * The PTE at address in vma no longer maps page (pte_chain forgets that
 * PTE's record).  Called with the PTE's page_table_lock held.
 *
 * An anonymous page keeps its object in page->mapping after its last
 * PTE goes, as in 2.6.11: on an SMP kernel, resetting it here could
 * overwrite the mapping a racing page_add_anon_rmap has just set for a
 * new first mapping.  So the page allocator clears it when the page is
 * freed, and page->mapping of an anonymous page is trusted only while
 * the page is mapped.
 *
 * A page reclaim culled because a locked VMA maps it goes back to the
 * LRU: this PTE may have been the locked one (munmap, COW, exit), and
 * reclaim culls it again if another still is.
 */
void page_remove_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
#ifdef CONFIG_RMAP_PTE_HOOKS
	if (PageAnon(page))
		page_remove_anon_rmap(page, vma, address);
#endif
	page_mapcount_dec(page);
	if (PageMlocked(page))
		clear_page_mlock(page);
}

#ifdef CONFIG_RMAP_MOVE_HOOKS
/* mremap moved pte from old_addr in vma to new_addr in new_vma: tell the scheme. */
void anon_rmap_move_pte(struct vm_area_struct *vma, unsigned long old_addr,
			struct vm_area_struct *new_vma, unsigned long new_addr, pte_t pte)
{
	struct page *page;

	if (!pte_present(pte) || !pfn_valid(pte_pfn(pte)))
		return;
	page = pfn_to_page(pte_pfn(pte));
	if (PageAnon(page))
		__anon_rmap_move_pte(page, vma, old_addr, new_vma, new_addr);
}
#endif

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

/* ---- rmap_verify's walk ------------------------------------------------ */

/*
 * Call rmap_one for every VMA that may map page, with the one address
 * where it would (-EFAULT if nowhere), until it returns true.  Anonymous
 * pages are the scheme's to walk; file and shmem pages walk their
 * address_space's i_mmap.  Reclaim does not come here: its two walks
 * below call their _one functions directly, as 2.6.11's do.
 */
bool rmap_walk(struct page *page, rmap_one_t rmap_one, void *arg)
{
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;
	bool stopped = false;

	if (!page_mapped(page) || !mapping)
		return false;
	if (PageAnon(page))
		return rmap_walk_anon(page, rmap_one, arg);
	spin_lock(&mapping->i_mmap_lock);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, page->index, page->index) {
		stopped = rmap_one(page, vma, vma_address(page, vma), arg);
		if (stopped)
			break;
	}
	spin_unlock(&mapping->i_mmap_lock);
	return stopped;
}

/* LAB rmap: BEGIN page_check_address() */
/*
 * The PTE mapping page in vma at address, with page_table_lock held, or
 * NULL (lock not held).  Every step of the walk is counted for
 * /proc/vmstat.  2.6.17's helper: 2.6.11 wrote these steps out in each
 * _one function.
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

/*
 * Was the one PTE through which vma may map page (at address) used since
 * the last look?  Clears its accessed bit, so the next call sees only new
 * use.  Called with the walk's lock held; takes and drops the mm's
 * page_table_lock.
 */
int page_referenced_one(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	/* LAB rmap: BEGIN test and clear the accessed bit of the PTE that maps page in vma */
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
	/* LAB rmap: END */
}

#ifdef CONFIG_RMAP_ANON_VMA
/*
 * The default scheme's walk, 2.6.11's: every VMA on the page's anon_vma
 * list, at the one address each would map it.  (The other schemes have
 * theirs in mm/rmap_<scheme>.c.)
 */
int page_referenced_anon(struct page *page)
{
	struct anon_vma *anon_vma = page_anon_vma(page);
	struct vm_area_struct *vma;
	int referenced = 0;

	anon_vma_lock(anon_vma);
	list_for_each_entry(vma, &anon_vma->head, anon_vma_node)
		referenced += page_referenced_one(page, vma, vma_address(page, vma));
	anon_vma_unlock(anon_vma);
	return referenced;
}
#endif

/* Every VMA in the file's i_mmap tree whose range holds the page's index. */
static int page_referenced_file(struct page *page)
{
	/* LAB filemap: BEGIN under i_mmap_lock, ask each VMA of i_mmap that covers page->index */
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;
	int referenced = 0;

	spin_lock(&mapping->i_mmap_lock);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, page->index, page->index)
		referenced += page_referenced_one(page, vma, vma_address(page, vma));
	spin_unlock(&mapping->i_mmap_lock);
	return referenced;
	/* LAB filemap: END */
}

/*
 * How many of the page's PTEs have the accessed bit set -- clearing each
 * one, so the next call sees only new use -- plus PG_referenced (from
 * read/write system calls and earlier scans).  Reclaim's second chance.
 */
int page_referenced(struct page *page)
{
	int referenced = TestClearPageReferenced(page) ? 1 : 0;

	count_vm_event(RMAP_WALKS);
	if (page_mapped(page) && page->mapping) {
		if (PageAnon(page))
			referenced += page_referenced_anon(page);
		else
			referenced += page_referenced_file(page);
	}
	return referenced;
}

/* ---- try_to_unmap ----------------------------------------------------- */

/*
 * Take the one PTE through which vma may map page (at address, -EFAULT
 * if vma does not cover the page) away from it.  An anonymous page --
 * which must be in the swap cache by now (add_to_swap) -- leaves its swap
 * entry in the PTE (and the slot gains a reference), so the next touch
 * faults into do_swap_page; a file page simply goes, the page cache still
 * has it.  A PTE used since page_referenced() ran (the accessed bit set
 * again) makes the unmap fail: the page is in use.  A VM_LOCKED VMA ends
 * the walk as well, but with SWAP_MLOCK: the page must stay whatever its
 * use, so reclaim takes it off the LRU (mm/mlock.c).
 *
 * Called with the page locked and the walk's lock held (the scheme's, or
 * the file's i_mmap_lock); takes and drops vma->vm_mm->page_table_lock.
 * Returns SWAP_AGAIN when the walk may go on.
 */
int __noinline try_to_unmap_one(struct page *page, struct vm_area_struct *vma,
				unsigned long address)
{
	/* LAB rmap: BEGIN replace the PTE that maps page in vma by its swap entry (or nothing) */
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte = page_check_address(page, vma, address);
	pte_t pteval;
	int ret = SWAP_AGAIN;

	if (!pte)
		return ret;
	if (vma->vm_flags & VM_LOCKED) {
		ret = SWAP_MLOCK;
		goto out_unlock;
	}
	if (ptep_test_and_clear_young(pte)) {
		ret = SWAP_FAIL;
		goto out_unlock;
	}
	pteval = ptep_get_and_clear(pte);
	flush_tlb_page(vma, address);
	if (pte_dirty(pteval))
		set_page_dirty(page);
	if (PageAnon(page)) {
		swp_entry_t entry = { page->private };

		/* reclaim gives an anonymous page a slot first: without one its data is lost */
		BUG_ON(!PageSwapCache(page));
		swap_duplicate(entry);
		set_pte(pte, swp_entry_to_pte(entry));
		mm->swap_ents++;
		mm->anon_rss--;
	} else {
		mm->file_rss--;
		count_vm_event(RMAP_UNMAPPED_FILE_PTES);
	}
	page_remove_rmap(page, vma, address);
	put_page(page);              /* the PTE's reference */
	count_vm_event(RMAP_UNMAPPED_PTES);
out_unlock:
	spin_unlock(&mm->page_table_lock);
	return ret;
	/* LAB rmap: END */
}

#ifdef CONFIG_RMAP_ANON_VMA
/*
 * The default scheme's walk, 2.6.11's: each VMA on the page's anon_vma
 * list until a PTE must stay or none is left.
 */
int try_to_unmap_anon(struct page *page)
{
	struct anon_vma *anon_vma = page_anon_vma(page);
	struct vm_area_struct *vma;
	int ret = SWAP_AGAIN;

	anon_vma_lock(anon_vma);
	list_for_each_entry(vma, &anon_vma->head, anon_vma_node) {
		ret = try_to_unmap_one(page, vma, vma_address(page, vma));
		if (ret != SWAP_AGAIN || !page_mapped(page))
			break;
	}
	anon_vma_unlock(anon_vma);
	return ret;
}
#endif

static int try_to_unmap_file(struct page *page)
{
	/* LAB filemap: BEGIN under i_mmap_lock, unmap page from each VMA of i_mmap over it */
	struct address_space *mapping = page->mapping;
	struct vm_area_struct *vma;
	int ret = SWAP_AGAIN;

	spin_lock(&mapping->i_mmap_lock);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, page->index, page->index) {
		ret = try_to_unmap_one(page, vma, vma_address(page, vma));
		if (ret != SWAP_AGAIN || !page_mapped(page))
			break;
	}
	spin_unlock(&mapping->i_mmap_lock);
	return ret;
	/* LAB filemap: END */
}

/*
 * Remove every PTE mapping the (locked) page.  Anonymous pages walk
 * their scheme's objects, file and shared pages their address_space's
 * i_mmap.  Returns SWAP_SUCCESS when no PTE is left, SWAP_FAIL if one
 * must stay, SWAP_MLOCK if a locked VMA maps it, SWAP_AGAIN if the page
 * is mapped somewhere the walk did not reach.
 */
int __noinline try_to_unmap(struct page *page)
{
	int ret = SWAP_AGAIN;

	BUG_ON(!PageLocked(page));
	BUG_ON(PageReserved(page));
	count_vm_event(RMAP_WALKS);
	if (page_mapped(page) && page->mapping) {
		if (PageAnon(page))
			ret = try_to_unmap_anon(page);
		else
			ret = try_to_unmap_file(page);
	}
	if (!page_mapped(page))
		ret = SWAP_SUCCESS;
	return ret;
}
