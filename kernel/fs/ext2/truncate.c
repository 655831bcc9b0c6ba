/*
 * ext2 truncation (Linux's ext2_truncate and block_truncate_page): the
 * blocks past a new end of a file go back to the bitmaps, indirect
 * blocks with nothing left under them included, and the rest of the
 * last block is zeroed on the disk; growing a file only leaves a hole.
 * Deletion (inode.c) truncates to 0.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/blkdev.h>
#include <anvil/time.h>
#include <anvil/writeback.h>
#include <abi/errno.h>
#include "ext2.h"

/*
 * Free what *slot maps from data block `from` on: *slot is a data block
 * (depth 0) or an indirect block depth levels above its data.  A block
 * left with nothing to map is freed and its slot cleared -- in parent
 * (held in ppage) or, parent 0, in the inode.
 */
static void ext2_free_branch(struct inode *inode, u32 *slot, u32 parent, struct page *ppage,
			     int depth, u64 from)
{
	struct super_block *sb = inode->i_sb;
	u32 nr = *slot;

	if (!nr)
		return;
	if (depth) {
		unsigned int shift = ext2_ptrs_bits(inode) * (depth - 1);
		u32 ptrs = 1U << ext2_ptrs_bits(inode);
		struct page *page;
		int err;
		u32 *map = ext2_bread(sb, nr, &page, &err);

		if (!map)
			return;                           /* unreadable: left to e2fsck */
		for (u32 i = from >> shift; i < ptrs; i++)
			ext2_free_branch(inode, &map[i], nr, page, depth - 1,
					 i == from >> shift ? from & ((1ULL << shift) - 1) : 0);
		put_page(page);
		if (from)
			return;
	}
	ext2_free_blocks(inode, nr, 1);
	inode->i_blocks -= sb->s_blocksize >> SECTOR_SHIFT;
	*slot = 0;
	if (ppage)
		ext2_mark_meta_dirty(sb, parent, ppage);
}

/* Does inode's i_data map blocks?  Not a device's (its number) nor a fast symlink's (text). */
static bool ext2_has_block_map(struct inode *inode)
{
	if (S_ISLNK(inode->i_mode))
		return inode->i_size >= sizeof(EXT2_I(inode)->i_data) && inode->i_blocks;
	return S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode);
}

/*
 * Free inode's blocks past the first size bytes, indirect blocks with
 * nothing left under them included (Linux's ext2_truncate, s_lock held).
 */
int ext2_truncate_blocks(struct inode *inode, loff_t size)
{
	unsigned int bits = EXT2_SB(inode->i_sb)->s_blocksize_bits;
	u64 first = DIV_ROUND_UP((u64)size, 1U << bits), start = 0;

	if (!ext2_has_block_map(inode))
		return 0;
	for (int k = 0; k < EXT2_N_BLOCKS; k++) {
		int depth = k < EXT2_NDIR_BLOCKS ? 0 : k - EXT2_NDIR_BLOCKS + 1;
		u64 span = 1ULL << (ext2_ptrs_bits(inode) * depth);

		if (first < start + span)
			ext2_free_branch(inode, &EXT2_I(inode)->i_data[k], 0, NULL, depth,
					 first > start ? first - start : 0);
		start += span;
	}
	EXT2_I(inode)->i_last_alloc = 0;
	return 0;
}

/*
 * The part of the last block past a new end goes to zeros on the disk
 * too (Linux's block_truncate_page): growing the file again must show
 * zeros there, not the old bytes.
 */
static int ext2_zero_tail(struct inode *inode, loff_t size)
{
	unsigned int in_page = size & ~PAGE_MASK;
	struct page *page;
	u32 block;
	int err;

	if (!(size & (inode->i_sb->s_blocksize - 1)))
		return 0;
	err = ext2_get_block(inode, size >> EXT2_SB(inode->i_sb)->s_blocksize_bits, &block, false);
	if (err || !block)
		return err;
	page = read_cache_page(inode->i_mapping, size >> PAGE_SHIFT, &err);
	if (!page)
		return err;
	lock_page(page);
	memset((char *)page_address(page) + in_page, 0, PAGE_SIZE - in_page);
	set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	err = filemap_write_and_wait(inode->i_mapping);
	mapping_set_error(inode->i_mapping, err);      /* kept for the next fsync */
	return err;
}

/*
 * truncate/ftruncate/O_TRUNC (inode_operations.truncate): shrinking
 * unmaps and drops the pages past the new end and frees the blocks;
 * growing leaves a hole.  The inode is on the disk when this returns.
 */
int ext2_truncate(struct inode *inode, loff_t size)
{
	struct super_block *sb = inode->i_sb;
	bool shrink = size < inode->i_size;
	int err = 0;

	if (size < 0 || size > MAX_LFS_FILESIZE)
		return -EINVAL;
	down_write(&EXT2_I(inode)->i_sem);
	if (shrink) {
		/* the new end first, then unmap: a fault racing us sees it (do_no_page) */
		truncate_setsize(inode, size);
		err = ext2_zero_tail(inode, size);
	}
	ext2_lock(sb);
	if (shrink)
		ext2_truncate_blocks(inode, size);
	inode->i_size = size;
	inode->i_mtime = inode->i_ctime = current_time_sec();
	ext2_write_inode(inode);
	if (ext2_sync_meta(sb))
		err = -EIO;
	ext2_unlock(sb);
	up_write(&EXT2_I(inode)->i_sem);
	return err;
}
