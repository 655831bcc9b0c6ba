/*
 * madvise(2), with Linux's advice values and answers (msync: mm/msync.c).
 *
 * Advice about how a range will be used sets a VMA flag, splitting and
 * merging VMAs as mprotect does (vma_modify_flags): RANDOM and SEQUENTIAL
 * (anvil reads nothing ahead, so they change nothing else), DONTFORK and
 * WIPEONFORK (fork leaves the range out, or gives the child an empty
 * one), DONTDUMP (for core dumps), HUGEPAGE and MERGEABLE (anvil has no
 * huge pages and no KSM: only the flag), and their opposites.
 *
 * Advice that acts on pages, each on its VMA's piece of the range:
 * DONTNEED drops them (FREE too -- at once, which Linux allows it to),
 * REMOVE frees a shared mapping's pages from its object, WILLNEED reads
 * swapped-out pages back into the swap cache, COLD deactivates them and
 * PAGEOUT reclaims them now; POPULATE_READ and POPULATE_WRITE fault them
 * in.  An unmapped part of the range gives -ENOMEM after the mapped parts
 * were advised.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mman.h>

/* The advice Linux knows, without the error injection it keeps for CAP_SYS_ADMIN. */
static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
	case MADV_DONTNEED: case MADV_FREE: case MADV_REMOVE: case MADV_DONTFORK:
	case MADV_DOFORK: case MADV_MERGEABLE: case MADV_UNMERGEABLE: case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK:
	case MADV_KEEPONFORK: case MADV_COLD: case MADV_PAGEOUT: case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE: case MADV_DONTNEED_LOCKED: case MADV_COLLAPSE:
		return true;
	default:
		return false;
	}
}

/* Advice that changes VMA flags needs mmap_sem for writing; the rest only reads the VMAs. */
static bool madvise_need_mmap_write(int behavior)
{
	switch (behavior) {
	case MADV_REMOVE: case MADV_WILLNEED: case MADV_DONTNEED: case MADV_DONTNEED_LOCKED:
	case MADV_COLD: case MADV_PAGEOUT: case MADV_FREE: case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return false;
	default:
		return true;
	}
}

/* ---- advice that acts on pages ------------------------------------------- */

static long madvise_dontneed_free(struct vm_area_struct *vma, unsigned long start,
				  unsigned long end, int behavior)
{
	if ((vma->vm_flags & VM_LOCKED) && behavior != MADV_DONTNEED_LOCKED)
		return -EINVAL;
	if (behavior == MADV_FREE && vma->vm_ops)
		return -EINVAL;       /* only anonymous memory can be freed lazily */
	zap_page_range(vma, start, end - start);
	return 0;
}

/*
 * Punch a hole in a shared mapping's object: its pages in the range go
 * from every mapping and from the object, and read back as zeros.  Only
 * shared memory (shmem) can; a ramfs file cannot, as on Linux.
 */
static long madvise_remove(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct address_space *mapping;
	loff_t offset;

	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!vma->vm_file)
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	mapping = vma->vm_file->f_inode->i_mapping;
	if (!mapping->swap_backed)
		return -EOPNOTSUPP;
	offset = (loff_t)linear_page_index(vma, start) << PAGE_SHIFT;
	unmap_mapping_range(mapping, offset, end - start, false);
	truncate_inode_pages_range(mapping, offset, offset + (end - start) - 1);
	return 0;
}

/*
 * Start reading the range's swapped-out pages into the swap cache, where
 * the fault will find them (and mincore counts them resident).  File
 * pages are in memory already.
 */
static long madvise_willneed(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_file)
		return 0;
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = lookup_pte(mm, addr);
		struct page *page;
		pte_t entry;

		if (!pte) {
			addr = pgd_addr_end(addr, end) - PAGE_SIZE;
			continue;
		}
		spin_lock(&mm->page_table_lock);
		entry = *pte;
		spin_unlock(&mm->page_table_lock);
		if (pte_present(entry) || pte_none(entry))
			continue;
		page = read_swap_cache_async(pte_to_swp_entry(entry), GFP_HIGHUSER);
		if (page)
			put_page(page);
	}
	return 0;
}

/*
 * COLD: each page only this PTE maps goes to the inactive list, its use
 * forgotten; PAGEOUT: each is reclaimed now (swapped out, if anonymous).
 * Pages shared with another mapping are left alone, as Linux does.
 */
static long madvise_cold_or_pageout(struct vm_area_struct *vma, unsigned long start,
				    unsigned long end, int behavior)
{
	struct mm_struct *mm = vma->vm_mm;
	LIST_HEAD(page_list);

	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	for (unsigned long addr = start, next; addr < end; addr = next) {
		pte_t *pte = lookup_pte(mm, addr);

		next = pgd_addr_end(addr, end);
		if (!pte)
			continue;
		spin_lock(&mm->page_table_lock);
		for (; addr < next; addr += PAGE_SIZE, pte++) {
			struct page *page;

			if (!pte_present(*pte) || !pfn_valid(pte_pfn(*pte)))
				continue;
			page = pfn_to_page(pte_pfn(*pte));
			if (PageReserved(page) || page_mapcount(page) != 1)
				continue;
			if (ptep_test_and_clear_young(pte))
				flush_tlb_page(vma, addr);
			ClearPageReferenced(page);
			if (behavior == MADV_COLD)
				deactivate_page(page);
			else if (isolate_lru_page(page))
				list_add(&page->lru, &page_list);
		}
		spin_unlock(&mm->page_table_lock);
	}
	if (!list_empty(&page_list))
		reclaim_pages(&page_list);
	return 0;
}

/* ---- advice that sets a flag ------------------------------------------------ */

/* The VMA's flags once behavior applies, or -EINVAL in *err where it cannot. */
static unsigned long madvise_flags(const struct vm_area_struct *vma, int behavior, long *err)
{
	unsigned long flags = vma->vm_flags;

	*err = 0;
	switch (behavior) {
	case MADV_NORMAL:
		return flags & ~(VM_RAND_READ | VM_SEQ_READ);
	case MADV_SEQUENTIAL:
		return (flags & ~VM_RAND_READ) | VM_SEQ_READ;
	case MADV_RANDOM:
		return (flags & ~VM_SEQ_READ) | VM_RAND_READ;
	case MADV_DONTFORK:
		return flags | VM_DONTCOPY;
	case MADV_DOFORK:
		return flags & ~VM_DONTCOPY;
	case MADV_WIPEONFORK:
		if (vma->vm_file || (flags & VM_SHARED))
			*err = -EINVAL;       /* only private anonymous memory can start empty */
		return flags | VM_WIPEONFORK;
	case MADV_KEEPONFORK:
		return flags & ~VM_WIPEONFORK;
	case MADV_DONTDUMP:
		return flags | VM_DONTDUMP;
	case MADV_DODUMP:
		return flags & ~VM_DONTDUMP;
	case MADV_HUGEPAGE:
		return (flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
	case MADV_NOHUGEPAGE:
		return (flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
	case MADV_MERGEABLE:          /* KSM merges only private pages */
		return flags & (VM_SHARED | VM_MAYSHARE) ? flags : flags | VM_MERGEABLE;
	case MADV_UNMERGEABLE:
		return flags & ~VM_MERGEABLE;
	default:
		BUG();
	}
}

/*
 * Give [start, end) of vma the flags behavior asks for.  *pprev is the
 * VMA before start (vma itself if start is inside it), and ends as the
 * VMA now covering the range.
 */
static long madvise_update_vma(struct vm_area_struct *vma, struct vm_area_struct **pprev,
			       unsigned long start, unsigned long end, int behavior)
{
	unsigned long newflags;
	long err;

	newflags = madvise_flags(vma, behavior, &err);
	if (err)
		return err;
	if (newflags == vma->vm_flags) {
		*pprev = vma;
		return 0;
	}
	err = vma_modify_flags(&vma, *pprev, start, end, newflags);
	*pprev = vma;
	if (err)
		return err == -ENOMEM ? -EAGAIN : err;    /* no memory to split: "try again" */
	vma->vm_flags = newflags;
	return 0;
}

/* ---- the walk ------------------------------------------------------------- */

/* Apply behavior to [start, end), which lies inside vma. */
static long madvise_vma(struct vm_area_struct *vma, struct vm_area_struct **pprev,
			unsigned long start, unsigned long end, int behavior)
{
	switch (behavior) {
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
		*pprev = vma;
		return madvise_dontneed_free(vma, start, end, behavior);
	case MADV_REMOVE:
		*pprev = vma;
		return madvise_remove(vma, start, end);
	case MADV_WILLNEED:
		*pprev = vma;
		return madvise_willneed(vma, start, end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		*pprev = vma;
		return madvise_cold_or_pageout(vma, start, end, behavior);
	case MADV_COLLAPSE:
		return -EINVAL;        /* no huge page to collapse into */
	default:
		return madvise_update_vma(vma, pprev, start, end, behavior);
	}
}

/*
 * Each VMA's piece of [start, end), in order; a hole gives -ENOMEM, after
 * the VMAs beyond it were advised too (Linux's madvise_walk_vmas).
 */
static long madvise_walk_vmas(unsigned long start, unsigned long end, int behavior)
{
	struct vm_area_struct *vma, *prev;
	long unmapped = 0, err;

	vma = find_vma_prev(current->mm, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				return unmapped;
		}
		err = madvise_vma(vma, &prev, start, min(vma->vm_end, end), behavior);
		if (err)
			return err;
		start = prev->vm_end;
		if (start >= end)
			return unmapped;
		vma = prev->vm_next;
	}
}

/*
 * POPULATE_READ and POPULATE_WRITE: fault the range in, as a read or a
 * write would.  Unlike mlock's populating they do not force their way:
 * a page the access could not touch is -EINVAL, one past the end of its
 * file -EFAULT, a hole -ENOMEM (what came before it is populated).
 */
static long madvise_populate(unsigned long start, unsigned long end, int behavior)
{
	int write = behavior == MADV_POPULATE_WRITE;
	int err;

	while (start < end) {
		struct vm_area_struct *vma = find_vma(current->mm, start);
		unsigned long tmp;

		if (!vma || start < vma->vm_start)
			return -ENOMEM;
		if (!(vma->vm_flags & (write ? VM_WRITE : VM_READ)))
			return -EINVAL;
		tmp = min(end, vma->vm_end);
		err = fault_in_vma_range(vma, start, tmp, write);
		if (err)
			return err;
		start = tmp;
	}
	return 0;
}

long sys_madvise(unsigned long start, size_t len_in, int behavior)
{
	struct mm_struct *mm = current->mm;
	unsigned long len, end;
	bool write;
	long err;

	if (!madvise_behavior_valid(behavior) || (start & ~PAGE_MASK))
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	if (len_in && !len)
		return -EINVAL;         /* rounded up from just below 4 GiB to 0 */
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	write = madvise_need_mmap_write(behavior);
	if (write)
		down_write(&mm->mmap_sem);
	else
		down_read(&mm->mmap_sem);
	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		err = madvise_populate(start, end, behavior);
	else
		err = madvise_walk_vmas(start, end, behavior);
	if (write)
		up_write(&mm->mmap_sem);
	else
		up_read(&mm->mmap_sem);
	return err;
}
