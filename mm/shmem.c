/*
 * shmem: memory behind a file -- shared anonymous memory (mmap
 * MAP_SHARED|MAP_ANONYMOUS, or MAP_SHARED of /dev/zero) and the files of
 * every tmpfs (kernel/fs/tmpfs.c).  Pages live in the inode's page cache,
 * created zeroed on first touch, and are swap-backed as in Linux 2.6:
 * reclaim hands an unmapped one to shmem_writepage (mm/shmem_swap.c),
 * which moves it to the swap cache; shmem_getpage, the one way in for
 * faults, read() and write(), brings it back.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <abi/statfs.h>
#include "shmem.h"

/*
 * A new page for a hole at index, zeroed, in the page cache (-ENOSPC at
 * a tmpfs's size= limit).  It is born dirty: its data exists nowhere
 * else, so reclaim must swap it out rather than drop it (dropping a clean
 * one would also give back the block fallocate reserved).  NULL with
 * *err -EEXIST when someone else filled the index meanwhile.
 */
static struct page *shmem_alloc_page(struct inode *inode, unsigned long index, int *err)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);

	if (!page) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = add_to_page_cache(page, inode->i_mapping, index, GFP_KERNEL);
	if (!*err && shmem_swp_lookup(inode, index).val) {
		/* it went to swap while the allocation slept: that copy is the data */
		remove_from_page_cache(page);
		put_page(page);
		*err = -EEXIST;
	}
	if (*err) {
		put_page(page);
		return NULL;
	}
	SetPageUptodate(page);
	set_page_dirty(page);
	lru_cache_add_active(page);
	return page;
}

/*
 * The page at index of a shmem inode, with a reference: from the page
 * cache, from swap (shmem_swapin), or -- unless sgp is SGP_READ, which
 * leaves a hole a hole -- new and zeroed.  NULL with *err 0 for a hole
 * read, else -ENOMEM, -ENOSPC or -EIO (a swap read error).
 */
struct page *shmem_getpage_gfp(struct inode *inode, unsigned long index, enum sgp_type sgp,
			       gfp_t gfp, int *err)
{
	for (;;) {
		struct page *page = find_get_page(inode->i_mapping, index);
		swp_entry_t entry;

		*err = 0;
		if (page)
			return page;
		entry = shmem_swp_lookup(inode, index);
		if (entry.val)
			page = shmem_swapin(inode, index, entry, gfp, err);
		else if (sgp == SGP_READ)
			return NULL;
		else
			page = shmem_alloc_page(inode, index, err);
		/* a race lost (the page moved, or appeared) is no error: look again */
		if (page || (*err && *err != -EEXIST))
			return page;
	}
}

struct page *shmem_getpage(struct inode *inode, unsigned long index, enum sgp_type sgp,
			   int *err)
{
	return shmem_getpage_gfp(inode, index, sgp, GFP_HIGHUSER, err);
}

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
	struct file *file = NULL;

	if (!inode)
		return -ENOMEM;
	inode->i_size = vma->vm_end - vma->vm_start;
	inode->i_nlink = 0;                 /* in no directory: gone with its last mapping */
	if (!shmem_init_inode(inode))
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
