/*
 * Shared anonymous memory (mmap MAP_SHARED|MAP_ANONYMOUS, or MAP_SHARED
 * of /dev/zero).  Each such mapping gets an in-kernel object: an unnamed
 * inode whose address_space holds the pages, created zeroed on first touch.  The mapping is then
 * a file mapping of that object -- shared with children across fork --
 * and its pages are reverse-mapped through address_space->i_mmap, like
 * file pages.  Like ramfs pages they are never swapped: reclaim keeps
 * them (mm/vmscan.c), so shared anonymous memory stays resident.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <abi/statfs.h>

static const struct vm_operations_struct shmem_vm_ops = {
	.nopage = filemap_nopage,
};

static int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}

static const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
};

/* Linux's internal tmpfs mount, where shared anonymous memory gets its inode */
static struct super_block shmem_sb = {
	.s_magic = TMPFS_MAGIC,
	.s_blocksize = PAGE_SIZE,
	.s_op = &simple_super_operations,
};

/*
 * Give a new shared anonymous VMA its object; called from do_mmap_pgoff,
 * and for a shared mapping of /dev/zero, whose file it replaces.
 */
int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct inode *inode = new_inode(&shmem_sb, S_IFREG | 0600);
	struct file *file;

	if (!inode)
		return -ENOMEM;
	inode->i_size = vma->vm_end - vma->vm_start;
	inode->i_mapping->swap_backed = true;
	inode->i_nlink = 0;                 /* in no directory: gone with its last mapping */
	file = alloc_file(inode, O_RDWR, &shmem_file_operations);
	iput(inode);                        /* the file holds the inode now */
	if (!file)
		return -ENOMEM;
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}
