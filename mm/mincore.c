/*
 * mincore(2): which pages of a range are in memory -- one byte per page,
 * bit 0 set if it is.  A present PTE is resident (the zero page too); a
 * swap entry is resident while its page is still, or again, in the swap
 * cache with its data in; an empty PTE is resident in a file or shared
 * mapping if the page cache holds the page (a fault would find it without
 * I/O), in an anonymous mapping never.  Linux's errors: EINVAL for an
 * unaligned start, ENOMEM for an unmapped page (the vector is filled up
 * to it), EFAULT for a vector it cannot write.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/syscalls.h>
#include <anvil/uaccess.h>
#include <abi/errno.h>

/* A page cache page (put back after looking), resident if its data is in. */
static unsigned char resident(struct page *page)
{
	unsigned char present;

	if (!page)
		return 0;
	present = PageUptodate(page);
	put_page(page);
	return present;
}

/* The bytes of [addr, end) in vma, into vec; page_table_lock held around each table. */
static void mincore_vma(struct vm_area_struct *vma, unsigned long addr, unsigned long end,
			unsigned char *vec)
{
	struct address_space *mapping = vma->vm_file ? vma->vm_file->f_inode->i_mapping : NULL;
	struct mm_struct *mm = vma->vm_mm;

	for (unsigned long next; addr < end; addr = next) {
		pte_t *pte = lookup_pte(mm, addr);

		next = pgd_addr_end(addr, end);
		spin_lock(&mm->page_table_lock);
		for (; addr < next; addr += PAGE_SIZE, vec++) {
			pte_t entry = pte ? *pte++ : __pte(0);

			if (pte_present(entry))
				*vec = 1;
			else if (!pte_none(entry))
				*vec = resident(lookup_swap_cache(pte_to_swp_entry(entry)));
			else if (mapping)
				*vec = resident(find_get_page(mapping,
							      linear_page_index(vma, addr)));
			else
				*vec = 0;
		}
		spin_unlock(&mm->page_table_lock);
	}
}

/* Up to pages bytes from addr into vec, within the VMA at addr: how many, or -ENOMEM. */
static long do_mincore(unsigned long addr, unsigned long pages, unsigned char *vec)
{
	struct vm_area_struct *vma = find_vma(current->mm, addr);
	unsigned long end;

	if (!vma || addr < vma->vm_start)
		return -ENOMEM;
	end = min(vma->vm_end, addr + (pages << PAGE_SHIFT));
	mincore_vma(vma, addr, end, vec);
	return (end - addr) >> PAGE_SHIFT;
}

long sys_mincore(unsigned long start, size_t len, unsigned char *vec)
{
	struct mm_struct *mm = current->mm;
	unsigned char *tmp;
	unsigned long pages;
	long ret = 0;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!access_ok((void *)start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + ((len & ~PAGE_MASK) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	tmp = (unsigned char *)__get_free_page(GFP_KERNEL);
	if (!tmp)
		return -EAGAIN;
	/* a page of bytes at a time: each copy-out may fault, which mmap_sem must allow */
	while (pages) {
		down_read(&mm->mmap_sem);
		ret = do_mincore(start, min(pages, PAGE_SIZE), tmp);
		up_read(&mm->mmap_sem);
		if (ret <= 0)
			break;
		if (copy_to_user(vec, tmp, ret)) {
			ret = -EFAULT;
			break;
		}
		pages -= ret;
		vec += ret;
		start += ret << PAGE_SHIFT;
		ret = 0;
	}
	free_page((unsigned long)tmp);
	return ret;
}
