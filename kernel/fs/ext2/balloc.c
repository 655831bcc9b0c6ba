/*
 * ext2 block allocation (Linux's balloc.c): each group's block bitmap,
 * one bit a block, in the disk's page cache; the group descriptor's and
 * the superblock's free counts kept equal to the bitmaps' sums.  A new
 * block is looked for from a goal -- the block after the file's last
 * one, or its inode's group -- then in the other groups in turn.  The
 * last s_r_blocks_count free blocks are root's (ENOSPC for the others).
 * Callers hold s_lock and write the changes with ext2_sync_meta.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/cred.h>
#include <anvil/sched.h>
#include <anvil/blkdev.h>
#include <abi/errno.h>
#include "ext2.h"


bool ext2_test_bit(const u8 *map, unsigned long nr)
{
	return map[nr / BITS_PER_BYTE] & (1U << (nr % BITS_PER_BYTE));
}

void ext2_set_bit(u8 *map, unsigned long nr)
{
	map[nr / BITS_PER_BYTE] |= 1U << (nr % BITS_PER_BYTE);
}

void ext2_clear_bit(u8 *map, unsigned long nr)
{
	map[nr / BITS_PER_BYTE] &= ~(1U << (nr % BITS_PER_BYTE));
}

/* The first clear bit of map at or after from and below size, else size. */
unsigned long ext2_find_next_zero_bit(const u8 *map, unsigned long size, unsigned long from)
{
	while (from < size) {
		if (!(from % BITS_PER_BYTE) && map[from / BITS_PER_BYTE] == 0xff)
			from += BITS_PER_BYTE;          /* a full byte at once */
		else if (!ext2_test_bit(map, from))
			return from;
		else
			from++;
	}
	return size;
}

/* The first block of group and the number of blocks in it (the last group may be short). */
static u32 ext2_group_first_block(struct ext2_sb_info *sbi, unsigned long group)
{
	return sbi->s_es->s_first_data_block + group * sbi->s_blocks_per_group;
}

static unsigned long ext2_group_blocks(struct ext2_sb_info *sbi, unsigned long group)
{
	return min((unsigned long)(sbi->s_es->s_blocks_count - ext2_group_first_block(sbi, group)),
		   sbi->s_blocks_per_group);
}

/*
 * May the caller take one of the free blocks?  The reserve is for root
 * and s_def_resuid/gid (Linux's ext2_has_free_blocks).
 */
static bool ext2_has_free_blocks(struct ext2_sb_info *sbi)
{
	struct ext2_super_block *es = sbi->s_es;

	if (!es->s_free_blocks_count)
		return false;
	if (es->s_free_blocks_count > es->s_r_blocks_count)
		return true;
	return capable(CAP_SYS_RESOURCE) || current->fsuid == es->s_def_resuid ||
	       (es->s_def_resgid && in_group_p(es->s_def_resgid));
}

/* Take a free block of group, the first at or after bit goal: the block, or 0. */
static u32 ext2_alloc_in_group(struct inode *inode, unsigned long group, unsigned long goal,
			       int *err)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gdp = &sbi->s_group_desc[group];
	unsigned long size = ext2_group_blocks(sbi, group), bit;
	struct page *page;
	u8 *map;

	if (!gdp->bg_free_blocks_count)
		return 0;
	map = ext2_bread(sb, gdp->bg_block_bitmap, &page, err);
	if (!map)
		return 0;
	bit = ext2_find_next_zero_bit(map, size, goal < size ? goal : 0);
	if (bit == size && goal)
		bit = ext2_find_next_zero_bit(map, size, 0);
	if (bit == size) {
		ext2_error(sb, "free blocks count wrong for a group: its bitmap is full", 0);
		put_page(page);
		return 0;
	}
	ext2_set_bit(map, bit);
	ext2_mark_meta_dirty(sb, gdp->bg_block_bitmap, page);
	put_page(page);
	gdp->bg_free_blocks_count--;
	sbi->s_es->s_free_blocks_count--;
	sbi->s_super_dirty = true;
	return ext2_group_first_block(sbi, group) + bit;
}

/*
 * A free block for inode, as near goal as may be (0: near the start of
 * the inode's group): the block number, or 0 and *err (-ENOSPC, -EIO).
 * The caller counts it in i_blocks and zeroes or fills it.
 */
u32 ext2_new_block(struct inode *inode, u32 goal, int *err)
{
	struct ext2_sb_info *sbi = EXT2_SB(inode->i_sb);
	unsigned long group, bit = 0;

	*err = -ENOSPC;
	if (!ext2_has_free_blocks(sbi))
		return 0;
	if (ext2_block_valid(inode->i_sb, goal)) {
		group = (goal - sbi->s_es->s_first_data_block) / sbi->s_blocks_per_group;
		bit = (goal - sbi->s_es->s_first_data_block) % sbi->s_blocks_per_group;
	} else {
		group = (inode->i_ino - 1) / sbi->s_inodes_per_group;
	}
	for (unsigned long n = 0; n < sbi->s_groups_count; n++, bit = 0) {
		u32 block;

		*err = 0;
		block = ext2_alloc_in_group(inode, group, bit, err);
		if (block)
			return block;
		if (*err)
			return 0;
		group = (group + 1) % sbi->s_groups_count;
	}
	*err = -ENOSPC;
	return 0;
}

/*
 * Give back count blocks from block on.  A block outside the data area,
 * or one already free, is a damaged file system: a message, not a panic.
 */
void ext2_free_blocks(struct inode *inode, u32 block, unsigned long count)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	for (; count; count--, block++) {
		unsigned long group, bit;
		struct ext2_group_desc *gdp;
		struct page *page;
		int err;
		u8 *map;

		if (!ext2_block_valid(sb, block)) {
			ext2_error(sb, "freeing a block outside the data area", inode->i_ino);
			continue;
		}
		group = (block - sbi->s_es->s_first_data_block) / sbi->s_blocks_per_group;
		bit = (block - sbi->s_es->s_first_data_block) % sbi->s_blocks_per_group;
		gdp = &sbi->s_group_desc[group];
		map = ext2_bread(sb, gdp->bg_block_bitmap, &page, &err);
		if (!map)
			continue;
		if (!ext2_test_bit(map, bit)) {
			ext2_error(sb, "bit already cleared for a block being freed", inode->i_ino);
		} else {
			ext2_clear_bit(map, bit);
			ext2_mark_meta_dirty(sb, gdp->bg_block_bitmap, page);
			gdp->bg_free_blocks_count++;
			sbi->s_es->s_free_blocks_count++;
			sbi->s_super_dirty = true;
		}
		put_page(page);
	}
}
