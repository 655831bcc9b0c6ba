/*
 * ext2 inode allocation (Linux's ialloc.c): each group's inode bitmap,
 * the free-inode and directory counts of its descriptor and the
 * superblock.  A directory goes to the group with the most free inodes
 * among those with at least average free blocks (Linux 2.4's
 * find_group_dir, spreading trees over the disk), anything else to its
 * directory's group or the next with room (find_group_other).  Callers
 * hold s_lock and write the changes with ext2_sync_meta.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/time.h>
#include <abi/errno.h>
#include "ext2.h"

/* The group for a new directory, or -1 if no group has a free inode. */
static long find_group_dir(struct ext2_sb_info *sbi)
{
	unsigned long avefreeb = sbi->s_es->s_free_blocks_count / sbi->s_groups_count;
	long best = -1;

	for (unsigned long g = 0; g < sbi->s_groups_count; g++) {
		struct ext2_group_desc *gdp = &sbi->s_group_desc[g];

		if (!gdp->bg_free_inodes_count || gdp->bg_free_blocks_count < avefreeb)
			continue;
		if (best < 0 || gdp->bg_free_inodes_count >
				sbi->s_group_desc[best].bg_free_inodes_count)
			best = g;
	}
	for (unsigned long g = 0; best < 0 && g < sbi->s_groups_count; g++)
		if (sbi->s_group_desc[g].bg_free_inodes_count)
			best = g;                       /* no group has blocks to spare */
	return best;
}

/* The group for a new file: its directory's, or the next with a free inode; -1 if none. */
static long find_group_other(struct ext2_sb_info *sbi, struct inode *dir)
{
	unsigned long group = (dir->i_ino - 1) / sbi->s_inodes_per_group;

	for (unsigned long n = 0; n < sbi->s_groups_count; n++) {
		if (sbi->s_group_desc[group].bg_free_inodes_count)
			return group;
		group = (group + 1) % sbi->s_groups_count;
	}
	return -1;
}

/* Take a free inode number in group: it, or 0 and *err. */
static unsigned long ext2_take_inode(struct super_block *sb, unsigned long group, bool isdir,
				     int *err)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_group_desc *gdp = &sbi->s_group_desc[group];
	unsigned long first = group ? 0 : sbi->s_first_ino - 1, bit;
	struct page *page;
	u8 *map = ext2_bread(sb, gdp->bg_inode_bitmap, &page, err);

	if (!map)
		return 0;
	bit = ext2_find_next_zero_bit(map, sbi->s_inodes_per_group, first);
	if (bit == sbi->s_inodes_per_group) {
		ext2_error(sb, "free inodes count wrong for a group: its bitmap is full", 0);
		put_page(page);
		*err = -EIO;
		return 0;
	}
	ext2_set_bit(map, bit);
	ext2_mark_meta_dirty(sb, gdp->bg_inode_bitmap, page);
	put_page(page);
	gdp->bg_free_inodes_count--;
	if (isdir)
		gdp->bg_used_dirs_count++;
	sbi->s_es->s_free_inodes_count--;
	sbi->s_super_dirty = true;
	return group * sbi->s_inodes_per_group + bit + 1;
}

/* Give back inode number ino (of a directory if isdir) to its group's bitmap. */
static void ext2_release_ino(struct super_block *sb, unsigned long ino, bool isdir)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long group = (ino - 1) / sbi->s_inodes_per_group;
	unsigned long bit = (ino - 1) % sbi->s_inodes_per_group;
	struct ext2_group_desc *gdp = &sbi->s_group_desc[group];
	struct page *page;
	int err;
	u8 *map = ext2_bread(sb, gdp->bg_inode_bitmap, &page, &err);

	if (!map)
		return;
	if (!ext2_test_bit(map, bit)) {
		ext2_error(sb, "bit already cleared for an inode being freed", ino);
	} else {
		ext2_clear_bit(map, bit);
		ext2_mark_meta_dirty(sb, gdp->bg_inode_bitmap, page);
		gdp->bg_free_inodes_count++;
		if (isdir)
			gdp->bg_used_dirs_count--;
		sbi->s_es->s_free_inodes_count++;
		sbi->s_super_dirty = true;
	}
	put_page(page);
}

/*
 * A new inode of mode in dir's file system, owned by the caller (or the
 * group of a set-group-ID dir), in the icache with one reference: its
 * times now, one link, no blocks; the caller fills it and writes it.
 * NULL and *err (-ENOSPC: no free inode).
 */
struct inode *ext2_new_inode(struct inode *dir, umode_t mode, int *err)
{
	struct super_block *sb = dir->i_sb;
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	long group = S_ISDIR(mode) ? find_group_dir(sbi) : find_group_other(sbi, dir);
	unsigned long ino;
	struct inode *inode;

	if (group < 0) {
		*err = -ENOSPC;
		return NULL;
	}
	ino = ext2_take_inode(sb, group, S_ISDIR(mode), err);
	if (!ino)
		return NULL;
	inode = ext2_icache_add(sb, ino, err);
	if (!inode) {
		ext2_release_ino(sb, ino, S_ISDIR(mode));
		return NULL;
	}
	EXT2_I(inode)->i_new = true;
	inode_init_owner(inode, dir, mode);
	inode->i_nlink = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time_sec();
	return inode;
}

/*
 * Give back inode's number (its last link and last user gone, its
 * blocks freed already): Linux's ext2_free_inode.
 */
void ext2_free_inode(struct inode *inode)
{
	ext2_release_ino(inode->i_sb, inode->i_ino, S_ISDIR(inode->i_mode));
}
