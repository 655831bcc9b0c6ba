/*
 * What the files of kernel/fs/ext2 share: the in-memory superblock
 * (ext2_sb_info), each inode's ext2 part (ext2_inode_info: its block
 * map), and the functions one file gives another.  The on-disk format
 * is include/abi/ext2_fs.h; docs/ext2.md draws it.  Every change of
 * metadata holds s_lock and is on the disk before it is let go
 * (ext2_sync_meta): ext2 mounted as Linux's -o sync,dirsync does for
 * metadata, with file data written back through the page cache.
 */
#ifndef KERNEL_FS_EXT2_H
#define KERNEL_FS_EXT2_H

#include <anvil/fs.h>
#include <anvil/rwsem.h>
#include <abi/ext2_fs.h>

#define BITS_PER_BYTE 8                 /* a bitmap block maps 8 blocks or inodes a byte */
#define EXT2_MAX_DIRTY 16               /* metadata blocks changed and not yet written */
#define EXT2_LINK_MAX 32000             /* Linux's i_links_count limit */

/* A metadata block changed in the disk's page cache, held until written. */
struct ext2_dirty_block {
	u32 block;
	struct page *page;
};

/* What a mount knows of its disk, worked out once from the superblock. */
struct ext2_sb_info {
	struct ext2_super_block *s_es;        /* the superblock, kept current */
	struct ext2_group_desc *s_group_desc; /* all groups' descriptors, whole blocks, current */
	unsigned long s_groups_count;
	unsigned long s_inodes_per_group, s_blocks_per_group;
	unsigned long s_itb_per_group;        /* inode-table blocks in each group */
	unsigned long s_gdb_count;            /* blocks of group descriptors */
	unsigned int s_blocksize_bits;
	unsigned int s_inode_size, s_first_ino;
	unsigned short s_mount_state;         /* s_state as found: written back at umount */
	bool s_filetype;                      /* directory entries carry the file's type */
	struct inode *s_bdev_inode;           /* the disk's blocks in a page cache (metadata) */
	struct list_head s_inodes;            /* the icache: its inodes, in use or unused */
	bool s_dead;                          /* unmounted: freed with its last inode */
	struct rw_semaphore s_lock;           /* held (down_write) by every change */
	struct ext2_dirty_block s_dirty[EXT2_MAX_DIRTY];
	unsigned int s_ndirty;
	bool s_super_dirty;                   /* counts changed: superblock and descriptors */
};

/* The ext2 part of an in-memory inode (its i_private). */
struct ext2_inode_info {
	struct list_head i_hash;              /* on ext2_sb_info.s_inodes */
	struct inode *vfs_inode;              /* whose part this is */
	u32 i_data[EXT2_N_BLOCKS];            /* the block map, as on the disk */
	u32 i_file_acl;                       /* an extended-attribute block, or 0 */
	u32 i_flags;                          /* EXT2_*_FL */
	u32 i_dtime;                          /* when it was deleted */
	u32 i_last_alloc;                     /* the block last given it: the next one's goal */
	bool i_new;                           /* just allocated: its slot's old bytes are not its */
	bool i_active;                        /* given to the VFS since it was last unused: holds
						 s_active and its parent (ext2_icache_activate) */
	struct rw_semaphore i_sem;            /* a write or truncate at a time (Linux's i_sem) */
};

static inline struct ext2_sb_info *EXT2_SB(const struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline struct ext2_inode_info *EXT2_I(const struct inode *inode)
{
	return inode->i_private;
}

/* log2 of the block numbers an indirect block holds */
static inline unsigned int ext2_ptrs_bits(struct inode *inode)
{
	return EXT2_SB(inode->i_sb)->s_blocksize_bits - 2;      /* u32 per block */
}

static inline void ext2_lock(struct super_block *sb)
{
	down_write(&EXT2_SB(sb)->s_lock);
}

static inline void ext2_unlock(struct super_block *sb)
{
	up_write(&EXT2_SB(sb)->s_lock);
}

/* super.c */
void *ext2_bread(struct super_block *sb, u32 block, struct page **pagep, int *err);
int ext2_read_blocks(struct super_block *sb, u32 block, unsigned int count, void *buf);
int ext2_write_blocks(struct super_block *sb, u32 block, unsigned int count, const void *buf);
void ext2_mark_meta_dirty(struct super_block *sb, u32 block, struct page *page);
int ext2_sync_meta(struct super_block *sb);
bool ext2_block_valid(struct super_block *sb, u32 block);
void ext2_free_if_unused(struct super_block *sb);
void ext2_error(struct super_block *sb, const char *what, unsigned long ino);

/* balloc.c */
u32 ext2_new_block(struct inode *inode, u32 goal, int *err);
void ext2_free_blocks(struct inode *inode, u32 block, unsigned long count);
bool ext2_test_bit(const u8 *map, unsigned long nr);
void ext2_set_bit(u8 *map, unsigned long nr);
void ext2_clear_bit(u8 *map, unsigned long nr);
unsigned long ext2_find_next_zero_bit(const u8 *map, unsigned long size, unsigned long from);

/* ialloc.c */
struct inode *ext2_new_inode(struct inode *dir, umode_t mode, int *err);
void ext2_free_inode(struct inode *inode);

/* inode.c */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino, int *err);
struct inode *ext2_icache_add(struct super_block *sb, unsigned long ino, int *err);
int ext2_get_block(struct inode *inode, u32 iblock, u32 *block, bool create);
int ext2_write_inode(struct inode *inode);
int ext2_sync_inodes(struct super_block *sb);
void ext2_drop_inode(struct inode *inode);
int ext2_set_ops(struct inode *inode);

/* truncate.c */
int ext2_truncate_blocks(struct inode *inode, loff_t size);
int ext2_truncate(struct inode *inode, loff_t size);

/* file.c */
extern const struct address_space_operations ext2_aops;
extern const struct file_operations ext2_file_operations;
extern const struct inode_operations ext2_file_inode_operations;
int ext2_fill_page(struct inode *inode, struct page *page);

/* dir.c */
extern const struct file_operations ext2_dir_operations;
struct ext2_dir_entry_2 *ext2_find_entry(struct inode *dir, const char *name, size_t len,
					 struct page **pagep, int *err);
unsigned long ext2_inode_by_name(struct inode *dir, const char *name, size_t len, int *err);
int ext2_add_link(struct inode *dir, const char *name, size_t len, struct inode *inode);
int ext2_delete_entry(struct inode *dir, struct ext2_dir_entry_2 *de, struct page *page);
int ext2_set_link(struct inode *dir, struct ext2_dir_entry_2 *de, struct page *page,
		  struct inode *inode);
int ext2_make_empty(struct inode *inode, struct inode *parent);
int ext2_empty_dir(struct inode *inode);
struct ext2_dir_entry_2 *ext2_dotdot(struct inode *dir, struct page **pagep, int *err);

/* namei.c */
extern const struct inode_operations ext2_dir_inode_operations;

/* symlink.c */
int ext2_read_link(struct inode *inode);
int ext2_write_link(struct inode *inode, const char *target, size_t len);

#endif
