/*
 * madvise(2) and msync(2).  MADV_DONTNEED drops the pages of a range (a
 * private anonymous range reads back as zeros, a file mapping refetches
 * from the page cache); the other advice is accepted and ignored.
 * msync has nothing to write back -- every file lives in memory -- so it
 * only checks its arguments as Linux does.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mman.h>

/*
 * Call fn on each VMA piece of [start, end); -ENOMEM if part of the range
 * is unmapped (after the mapped parts were still handled, as in Linux).
 */
static long for_each_vma_in(unsigned long start, unsigned long end,
			    long (*fn)(struct vm_area_struct *vma, unsigned long s, unsigned long e))
{
	struct vm_area_struct *vma = find_vma(current->mm, start);
	long err = 0, unmapped = 0;

	while (start < end) {
		if (!vma || vma->vm_start >= end)
			return -ENOMEM;
		if (vma->vm_start > start) {
			unmapped = -ENOMEM;
			start = vma->vm_start;
		}
		err = fn(vma, start, min(end, vma->vm_end));
		if (err)
			return err;
		start = vma->vm_end;
		vma = vma->vm_next;
	}
	return unmapped;
}

static long madvise_dontneed(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	zap_page_range(vma, start, end - start);
	return 0;
}

static long vma_ok(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	return 0;
}

static bool range_ok(unsigned long start, size_t len, unsigned long *end)
{
	if (start & ~PAGE_MASK)
		return false;
	*end = start + PAGE_ALIGN(len);
	return *end >= start && PAGE_ALIGN(len) >= len;
}

long sys_madvise(unsigned long start, size_t len, int behavior)
{
	struct mm_struct *mm = current->mm;
	unsigned long end;
	long err;

	if (behavior < MADV_NORMAL || behavior > MADV_DONTNEED || !range_ok(start, len, &end))
		return -EINVAL;
	if (end == start)
		return 0;
	down_read(&mm->mmap_sem);
	err = for_each_vma_in(start, end, behavior == MADV_DONTNEED ? madvise_dontneed : vma_ok);
	up_read(&mm->mmap_sem);
	return err;
}

long sys_msync(unsigned long start, size_t len, int flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long end;
	long err;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)) || !range_ok(start, len, &end))
		return -EINVAL;
	if (end == start)
		return 0;
	down_read(&mm->mmap_sem);
	err = for_each_vma_in(start, end, vma_ok);
	up_read(&mm->mmap_sem);
	return err;
}
