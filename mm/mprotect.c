/*
 * mprotect(2): change the protection of a range.  The range's VMAs are
 * split at its edges or merged with neighbours that now match (so
 * re-protecting a split range joins it back), and every present PTE in
 * it is rewritten with the new protection bits, keeping its page.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mman.h>

#define VM_RWX (VM_READ | VM_WRITE | VM_EXEC)

/* Rewrite the PTEs of [start, end) in vma with newprot (present and PROT_NONE ones). */
static void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			      pgprot_t newprot)
{
	struct mm_struct *mm = vma->vm_mm;

	spin_lock(&mm->page_table_lock);
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = lookup_pte(mm, addr);

		if (!pte) {
			addr = ((addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1)) - PAGE_SIZE;
			if (addr + PAGE_SIZE == 0)
				break;
			continue;
		}
		if (pte_present(*pte))
			set_pte(pte, pte_modify(ptep_get_and_clear(pte), newprot));
	}
	spin_unlock(&mm->page_table_lock);
	flush_tlb_range(vma, start, end);
}

/* Give [start, end) of vma the flags newflags; *pprev ends as the VMA now covering it. */
static int mprotect_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev,
			  unsigned long start, unsigned long end, unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	int err;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	err = vma_modify_flags(&vma, *pprev, start, end, newflags);
	*pprev = vma;
	if (err)
		return err;
	vma->vm_flags = newflags;
	vma->vm_page_prot = vm_get_page_prot(newflags);
	change_protection(vma, start, end, vma->vm_page_prot);
	/* a locked private range turning writable is copied now, as mlock would have (Linux) */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE))
		populate_vma_page_range(vma, start, end);
	return 0;
}

long sys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma, *prev;
	unsigned long end, nstart, vm_flags;
	long err;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (!len || end <= start)
		return -ENOMEM;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	vm_flags = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
		   (prot & PROT_EXEC ? VM_EXEC : 0);

	down_write(&mm->mmap_sem);
	vma = find_vma_prev(mm, start, &prev);
	err = -ENOMEM;
	if (!vma || vma->vm_start > start)
		goto out;
	if (start > vma->vm_start)
		prev = vma;
	for (nstart = start;;) {
		unsigned long newflags = vm_flags | (vma->vm_flags & ~VM_RWX);
		unsigned long tmp;

		/* each VM_x asked for needs its VM_MAYx (write to a read-only shared file: no) */
		if ((newflags & ~(newflags >> 4)) & VM_RWX) {
			err = -EACCES;
			goto out;
		}
		tmp = min(vma->vm_end, end);
		err = mprotect_fixup(vma, &prev, nstart, tmp, newflags);
		if (err)
			goto out;
		nstart = tmp;
		if (nstart < prev->vm_end)
			nstart = prev->vm_end;
		if (nstart >= end)
			goto out;
		vma = prev->vm_next;
		if (!vma || vma->vm_start != nstart) {
			err = -ENOMEM;
			goto out;
		}
	}
out:
	up_write(&mm->mmap_sem);
	return err;
}
