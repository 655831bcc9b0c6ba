/*
 * What the files of kernel/fs/ext2 share: the in-memory superblock
 * (ext2_sb_info), each inode's ext2 part (ext2_inode_info: its block
 * map), and the functions one file gives another.  The on-disk format
 * is include/abi/ext2_fs.h; docs/ext2.md draws it.
 */
#ifndef KERNEL_FS_EXT2_H
#define KERNEL_FS_EXT2_H

#include <anvil/fs.h>
#include <abi/ext2_fs.h>

/* What a mount knows of its disk, worked out once from the superblock. */
struct ext2_sb_info {
	struct ext2_super_block *s_es;        /* the superblock as read */
	struct ext2_group_desc *s_group_desc; /* all groups' descriptors, as read */
	unsigned long s_groups_count;
	unsigned long s_inodes_per_group, s_blocks_per_group;
	unsigned long s_itb_per_group;        /* inode-table blocks in each group */
	unsigned long s_gdb_count;            /* blocks of group descriptors */
	unsigned int s_blocksize_bits;
	unsigned int s_inode_size, s_first_ino;
	bool s_filetype;                      /* directory entries carry the file's type */
	struct inode *s_bdev_inode;           /* the disk's blocks in a page cache (metadata) */
	struct list_head s_inodes;            /* the icache: its live inodes, by i_hash */
	bool s_dead;                          /* unmounted: freed with its last inode */
};

/* The ext2 part of an in-memory inode (its i_private). */
struct ext2_inode_info {
	struct list_head i_hash;              /* on ext2_sb_info.s_inodes */
	struct inode *vfs_inode;              /* whose part this is */
	u32 i_data[EXT2_N_BLOCKS];            /* the block map, as on the disk */
	u32 i_file_acl;                       /* an extended-attribute block, or 0 */
};

static inline struct ext2_sb_info *EXT2_SB(const struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct ext2_inode_info *EXT2_I(const struct inode *inode)
{
	return inode->i_private;
}

/* super.c */
void *ext2_bread(struct super_block *sb, u32 block, struct page **pagep, int *err);
int ext2_read_blocks(struct super_block *sb, u32 block, unsigned int count, void *buf);
bool ext2_block_valid(struct super_block *sb, u32 block);
void ext2_free_if_unused(struct super_block *sb);

/* inode.c */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino, int *err);
int ext2_get_block(struct inode *inode, u32 iblock, u32 *block);

/* dir.c */
extern const struct file_operations ext2_dir_operations;
unsigned long ext2_inode_by_name(struct inode *dir, const char *name, size_t len);

/* namei.c */
extern const struct inode_operations ext2_dir_inode_operations;

/* symlink.c */
int ext2_read_link(struct inode *inode);

#endif
