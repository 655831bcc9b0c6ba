/*
 * ext2 symbolic links.  A short target (under 60 bytes) is kept in the
 * inode itself, in the bytes of its block map -- a "fast" symlink, with
 * no block; a longer one fills the link's one data block, read through
 * its page cache.  Either way the target is copied into i_link once,
 * when the inode is read, for the VFS to follow and readlink to return.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/blkdev.h>
#include <abi/errno.h>
#include "ext2.h"

/* Linux's ext2_inode_is_fast_symlink: no data block but an extended-attribute one. */
static bool ext2_inode_is_fast_symlink(struct inode *inode)
{
	unsigned long ea_sectors = EXT2_I(inode)->i_file_acl ?
				   inode->i_sb->s_blocksize >> SECTOR_SHIFT : 0;

	return inode->i_blocks == ea_sectors;
}

/* Read inode's target into i_link (i_size bytes and a NUL): 0, or -EIO for a damaged link. */
int ext2_read_link(struct inode *inode)
{
	size_t len = (size_t)inode->i_size;
	bool fast = ext2_inode_is_fast_symlink(inode);
	struct page *page;
	int err = 0;

	if (!len || len >= (fast ? sizeof(EXT2_I(inode)->i_data) : inode->i_sb->s_blocksize)) {
		printk(KERN_ERR "ext2: inode %lu: symbolic link of bad length %u\n",
		       inode->i_ino, (unsigned int)len);
		return -EIO;
	}
	inode->i_link = kmalloc(len + 1, GFP_KERNEL);
	if (!inode->i_link)
		return -ENOMEM;
	if (fast) {
		memcpy(inode->i_link, EXT2_I(inode)->i_data, len);
	} else {
		page = read_cache_page(inode->i_mapping, 0, &err);
		if (!page)
			return err;
		memcpy(inode->i_link, page_address(page), len);
		put_page(page);
	}
	inode->i_link[len] = '\0';
	return 0;
}
