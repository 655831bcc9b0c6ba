/*
 * i386-specific system calls (Linux's arch/i386/kernel/sys_i386.c): the
 * two mmap entry points of the i386 ABI, mmap2 (offset in pages) and the
 * original mmap (one pointer to all six arguments, offset in bytes).
 * Both end in do_mmap_pgoff (mm/mmap.c).
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/syscalls.h>
#include <anvil/uaccess.h>
#include <abi/errno.h>
#include <abi/mman.h>

/*
 * As Linux's ksys_mmap_pgoff: the descriptor is looked up before any
 * other argument is looked at (a bad one is EBADF whatever else is
 * wrong); do_mmap_pgoff checks the rest.  anvil has no huge pages: a
 * file is never on hugetlbfs, and anonymous MAP_HUGETLB is refused as
 * by a Linux built without it.
 */
static long do_mmap2(unsigned long addr, unsigned long len, unsigned long prot,
		     unsigned long flags, int fd, unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	struct file *file = NULL;
	unsigned long ret = -EINVAL;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fget(fd);
		if (!file)
			return -EBADF;
	}
	if (!(flags & MAP_HUGETLB)) {
		down_write(&mm->mmap_sem);
		ret = do_mmap_pgoff(file, addr, len, prot, flags, pgoff);
		up_write(&mm->mmap_sem);
	}
	if (file)
		fput(file);
	return ret;
}

long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags,
	       unsigned long fd, unsigned long pgoff)
{
	return do_mmap2(addr, len, prot, flags, (int)fd, pgoff);
}

/* The original i386 mmap: one pointer to all six arguments, offset in bytes. */
long sys_old_mmap(const struct mmap_arg_struct *uargs)
{
	struct mmap_arg_struct a;

	if (copy_from_user(&a, uargs, sizeof(a)))
		return -EFAULT;
	if (a.offset & ~PAGE_MASK)
		return -EINVAL;
	return do_mmap2(a.addr, a.len, a.prot, a.flags, (int)a.fd, a.offset >> PAGE_SHIFT);
}
