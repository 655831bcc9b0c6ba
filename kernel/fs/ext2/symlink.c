/*
 * ext2 symbolic links.  A short target (under 60 bytes) is kept in the
 * inode itself, in the bytes of its block map -- a "fast" symlink, with
 * no block; a longer one fills the link's one data block, read through
 * its page cache.  Either way the target is copied into i_link once,
 * when the inode is read or made, for the VFS to follow and readlink to
 * return.
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

/*
 * A new link's target (s_lock held): in i_data if it fits with its NUL
 * (as Linux's ext2_symlink decides), else written to a block of its own.
 */
int ext2_write_link(struct inode *inode, const char *target, size_t len)
{
	struct super_block *sb = inode->i_sb;
	char *buf;
	u32 block;
	int err;

	inode->i_link = kmalloc(len + 1, GFP_KERNEL);
	if (!inode->i_link)
		return -ENOMEM;
	memcpy(inode->i_link, target, len);
	inode->i_link[len] = '\0';
	inode->i_size = len;
	if (len < sizeof(EXT2_I(inode)->i_data)) {
		memcpy(EXT2_I(inode)->i_data, target, len);
		return 0;
	}
	buf = kzalloc(sb->s_blocksize, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, target, len);
	err = ext2_get_block(inode, 0, &block, true);
	if (!err)
		err = ext2_write_blocks(sb, block, 1, buf);
	kfree(buf);
	return err;
}
