/*
 * msync(2): a shared file mapping's stores to its file.  The CPU records
 * a store only in the PTE's dirty bit; filemap_sync moves those bits to
 * the pages (set_page_dirty), where writeback sees them; MS_ASYNC then
 * starts writing the file's dirty pages, MS_SYNC writes them and waits,
 * reporting an earlier writeback's error once.  MS_INVALIDATE has nothing
 * to drop: the mapping shows the page cache itself.  Linux 2.6.11's
 * msync_interval and filemap_sync, with today's Linux answers to bad
 * arguments.  Lab filemap (labs/README.md) fences the per-PTE step with
 * "LAB filemap: BEGIN/END".
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/writeback.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mman.h>

/* Move the dirty bits of vma's PTEs in [start, end) to their pages. */
static void filemap_sync(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	spin_lock(&mm->page_table_lock);
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = lookup_pte(mm, addr);
		struct page *page;

		if (!pte) {                          /* no page table: on to the next 4 MiB */
			addr = ((addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1)) - PAGE_SIZE;
			if (addr + PAGE_SIZE == 0)
				break;
			continue;
		}
		if (!pte_present(*pte) || !pfn_valid(pte_pfn(*pte)))
			continue;
		page = pfn_to_page(pte_pfn(*pte));
		if (PageReserved(page) || PageAnon(page))
			continue;                    /* only the file's own pages go to it */
		/* LAB filemap: BEGIN move the PTE's dirty bit to the page (the TLB may cache it) */
		if (ptep_test_and_clear_dirty(pte)) {
			flush_tlb_page(vma, addr);
			set_page_dirty(page);
		}
		/* LAB filemap: END */
	}
	spin_unlock(&mm->page_table_lock);
}

/* One VMA's part [start, end) of the range: 0 or the writeback's error. */
static int msync_interval(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			  int flags)
{
	struct address_space *mapping;

	if (!vma->vm_file || !(vma->vm_flags & VM_SHARED))
		return 0;                            /* private or anonymous: no file to write */
	mapping = vma->vm_file->f_inode->i_mapping;
	filemap_sync(vma, start, end);
	if (flags & MS_SYNC)
		return filemap_write_and_wait(mapping);
	if (flags & MS_ASYNC)
		filemap_fdatawrite(mapping, WB_SYNC_NONE);
	return 0;
}

/*
 * Linux's checks and walk: an unmapped part gives -ENOMEM -- at once for
 * a plain MS_ASYNC, after the rest was synced otherwise --, a locked VMA
 * -EBUSY for MS_INVALIDATE (its pages cannot be thrown away).  mmap_sem
 * is held for reading across the writes, as 2.6.11 did: the VMAs stay.
 */
long sys_msync(unsigned long start, size_t len, int flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	unsigned long end;
	long err = 0, unmapped = 0;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (start & ~PAGE_MASK) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	down_read(&mm->mmap_sem);
	for (vma = find_vma(mm, start);; vma = vma->vm_next) {
		err = -ENOMEM;
		if (!vma)
			break;
		if (start < vma->vm_start) {
			if (flags == MS_ASYNC)
				break;
			start = vma->vm_start;
			if (start >= end)
				break;
			unmapped = -ENOMEM;
		}
		err = -EBUSY;
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			break;
		err = msync_interval(vma, start, min(end, vma->vm_end), flags);
		start = vma->vm_end;
		if (err || start >= end)
			break;
	}
	up_read(&mm->mmap_sem);
	return err ? err : unmapped;
}
