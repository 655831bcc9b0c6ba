/*
 * ext2 inodes: the icache (ext2_iget reads an inode from its group's
 * inode table, ext2_write_inode puts it back; a file with a name whose
 * last user is gone stays there unused, with its pages, until reclaim
 * or umount evicts it), the block map -- twelve direct blocks, then
 * single, double and triple indirect ones -- with ext2_get_block finding
 * or allocating a file block, and the deletion of an inode whose last
 * link and last user are gone (truncation is truncate.c).  Every change
 * is made under s_lock and written by ext2_sync_meta before it is let go.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/blkdev.h>
#include <anvil/time.h>
#include <anvil/writeback.h>
#include <anvil/sched.h>
#include <abi/errno.h>
#include "ext2.h"

#define EXT2_MAX_DEPTH 4                /* a triple-indirect block's path: 4 offsets */
#define UID_HIGH_SHIFT 16
#define UID_LOW_MASK 0xffff

static DECLARE_WAIT_QUEUE_HEAD(ext2_icache_wait);    /* an inode was read, or left the icache */

/* ---- the block map ---------------------------------------------------- */

/*
 * The path to file block iblock through the map: offsets[0] in i_data,
 * then one in each indirect block.  Its length, or 0 past what even the
 * triple indirect block reaches (Linux's ext2_block_to_path).
 */
static int ext2_block_to_path(struct inode *inode, u32 iblock, u32 offsets[EXT2_MAX_DEPTH])
{
	unsigned int ptrs_bits = ext2_ptrs_bits(inode);
	u32 ptrs = 1U << ptrs_bits;

	if (iblock < EXT2_NDIR_BLOCKS) {
		offsets[0] = iblock;
		return 1;
	}
	iblock -= EXT2_NDIR_BLOCKS;
	if (iblock < ptrs) {
		offsets[0] = EXT2_IND_BLOCK;
		offsets[1] = iblock;
		return 2;
	}
	iblock -= ptrs;
	if (iblock < ptrs << ptrs_bits) {
		offsets[0] = EXT2_DIND_BLOCK;
		offsets[1] = iblock >> ptrs_bits;
		offsets[2] = iblock & (ptrs - 1);
		return 3;
	}
	iblock -= ptrs << ptrs_bits;
	if ((u64)iblock < (u64)ptrs << (2 * ptrs_bits)) {
		offsets[0] = EXT2_TIND_BLOCK;
		offsets[1] = iblock >> (2 * ptrs_bits);
		offsets[2] = (iblock >> ptrs_bits) & (ptrs - 1);
		offsets[3] = iblock & (ptrs - 1);
		return 4;
	}
	return 0;
}

/*
 * A new block for inode's map, next to the one it was given last (the
 * file growing in order lies in order on the disk), else near parent
 * (the indirect block that will point at it).  An indirect block is
 * zeroed in the disk's page cache; a data block is the caller's to fill.
 */
static u32 ext2_alloc_block(struct inode *inode, u32 parent, bool indirect, int *err)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	u32 nr = ext2_new_block(inode, ei->i_last_alloc ? ei->i_last_alloc + 1 : parent, err);
	struct page *page;
	void *data;

	if (!nr)
		return 0;
	ei->i_last_alloc = nr;
	inode->i_blocks += sb->s_blocksize >> SECTOR_SHIFT;
	if (!indirect)
		return nr;
	data = ext2_bread(sb, nr, &page, err);
	if (!data)
		return 0;                            /* counted: truncation frees it */
	memset(data, 0, sb->s_blocksize);
	ext2_mark_meta_dirty(sb, nr, page);
	put_page(page);
	return nr;
}

/*
 * Which disk block holds file block iblock: *block, 0 for a hole.  With
 * create (s_lock held), a hole is filled: the missing indirect blocks
 * and the data block are allocated and linked in (Linux's ext2_get_block
 * with create), the inode to be written by the caller.  -EIO for a
 * damaged map (a block outside the file system), -EFBIG past the largest
 * file, -ENOSPC.
 */
int ext2_get_block(struct inode *inode, u32 iblock, u32 *block, bool create)
{
	struct super_block *sb = inode->i_sb;
	u32 offsets[EXT2_MAX_DEPTH];
	int depth = ext2_block_to_path(inode, iblock, offsets);
	u32 *slot = &EXT2_I(inode)->i_data[offsets[0]];
	u32 parent = 0;                          /* the block holding *slot; 0: the inode */
	struct page *page = NULL;
	int err = 0;

	if (!depth)
		return -EFBIG;
	*block = 0;
	for (int i = 0; ; i++) {
		u32 nr = *slot;
		u32 *map;

		if (!nr && create) {
			nr = ext2_alloc_block(inode, parent, i < depth - 1, &err);
			if (!nr)
				break;
			*slot = nr;
			if (page)
				ext2_mark_meta_dirty(sb, parent, page);
		}
		if (nr && !ext2_block_valid(sb, nr)) {
			printk(KERN_ERR "ext2: inode %lu: block %u of the file is at %u, outside "
			       "the disk\n", inode->i_ino, iblock, nr);
			err = -EIO;
			break;
		}
		if (page)
			put_page(page);
		page = NULL;
		if (!nr || i == depth - 1) {
			*block = nr;
			break;
		}
		map = ext2_bread(sb, nr, &page, &err);
		if (!map)
			break;
		parent = nr;
		slot = &map[offsets[i + 1]];
	}
	if (page)
		put_page(page);
	return err;
}

/* ---- the icache ------------------------------------------------------- */

/* Inode table block and offset of inode ino. */
static u32 ext2_inode_block(struct super_block *sb, unsigned long ino, unsigned long *offset)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long group = (ino - 1) / sbi->s_inodes_per_group;
	unsigned long off = ((ino - 1) % sbi->s_inodes_per_group) * sbi->s_inode_size;

	*offset = off & (sb->s_blocksize - 1);
	return sbi->s_group_desc[group].bg_inode_table + (off >> sbi->s_blocksize_bits);
}

/*
 * Put inode into its slot of the inode table, in the disk's page cache,
 * for the next ext2_sync_meta (s_lock held).  Fields anvil does not keep
 * (generation, fragments) stay as they were, or are 0 in a new inode; a
 * block unchanged is not written.
 */
int ext2_write_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	unsigned long offset;
	u32 block = ext2_inode_block(sb, inode->i_ino, &offset);
	struct ext2_inode raw;
	struct page *page;
	int err;
	char *data = ext2_bread(sb, block, &page, &err);

	if (!data)
		return err;
	if (ei->i_new)                           /* a deleted file's flags, EA block... go */
		memset(&raw, 0, sizeof(raw));
	else
		memcpy(&raw, data + offset, sizeof(raw));
	ei->i_new = false;
	raw.i_mode = inode->i_mode;
	raw.i_uid = inode->i_uid & UID_LOW_MASK;
	raw.l_i_uid_high = inode->i_uid >> UID_HIGH_SHIFT;
	raw.i_gid = inode->i_gid & UID_LOW_MASK;
	raw.l_i_gid_high = inode->i_gid >> UID_HIGH_SHIFT;
	raw.i_links_count = inode->i_nlink;
	raw.i_size = (u32)inode->i_size;
	if (S_ISREG(inode->i_mode))
		raw.i_size_high = (u32)(inode->i_size >> 32);
	raw.i_atime = inode->i_atime;
	raw.i_mtime = inode->i_mtime;
	raw.i_ctime = inode->i_ctime;
	raw.i_dtime = ei->i_dtime;
	raw.i_blocks = inode->i_blocks;
	raw.i_flags = ei->i_flags;
	memcpy(raw.i_block, ei->i_data, sizeof(raw.i_block));
	if (memcmp(&raw, data + offset, sizeof(raw))) {
		memcpy(data + offset, &raw, sizeof(raw));
		ext2_mark_meta_dirty(sb, block, page);
	}
	put_page(page);
	return 0;
}

/*
 * The last link and the last user are gone (Linux's ext2_delete_inode):
 * the blocks go back, then the inode, marked deleted (i_dtime) for e2fsck.
 */
static void ext2_delete_inode(struct inode *inode)
{
	EXT2_I(inode)->i_dtime = current_time_sec();
	ext2_truncate_blocks(inode, 0);
	inode->i_size = 0;
	ext2_write_inode(inode);
	ext2_free_inode(inode);
}

/*
 * The inode leaves the icache (generic_delete_inode has dropped its
 * pages): on a read-write mount an unlinked inode is deleted (an inode
 * with a name was written when it became unused: ext2_drop_inode); it
 * lets go of its parent and of its file system, which may go with it
 * (ext2_kill_sb).  Nothing may touch the super_block after that.  No
 * lock is taken for an inode with a name: reclaim evicts those from
 * inside any change (prune_icache).
 */
static void ext2_evict_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	bool active = ei->i_active;

	if (!sb_rdonly(sb) && inode->i_mode && !inode->i_nlink && !EXT2_SB(sb)->s_dead) {
		ext2_lock(sb);
		ext2_delete_inode(inode);
		ext2_sync_meta(sb);
		ext2_unlock(sb);
	}
	if (inode->i_ino != EXT2_ROOT_INO)
		iput(inode->i_parent);
	list_del(&ei->i_hash);
	kfree(ei);
	wake_up(&ext2_icache_wait);
	if (active)
		deactivate_super(sb);
	else
		ext2_free_if_unused(sb);             /* the root, or unused: no s_active */
}

/* Does inode leave the icache at its last iput (ext2_drop_inode)? */
static bool ext2_inode_goes(struct inode *inode)
{
	return inode->i_evict != ext2_evict_inode || !inode->i_nlink || !inode->i_mode ||
	       inode->i_ino == EXT2_ROOT_INO || EXT2_SB(inode->i_sb)->s_dead;
}

/*
 * The last reference is gone (Linux's drop_inode).  A file with a name
 * on a mounted file system stays in the icache, unused, with its pages
 * (inode_add_lru): the next lookup finds it, reclaim or umount evicts
 * it.  It is written first (its atime, say) -- held meanwhile, so a
 * lookup that comes takes it as it is -- and lets go of its parent and
 * of its file system: an unused inode keeps neither busy.  Anything
 * else goes now: an unlinked file, an inode not in the icache (the
 * disk's own, one that lost a race to be read), a failed read, the root
 * (its last reference is umount's, or a failed mount's), any inode once
 * umount has begun.
 */
void ext2_drop_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);
	struct inode *parent;
	bool active;

	if (!ext2_inode_goes(inode) && !sb_rdonly(sb)) {
		atomic_inc(&inode->i_count);
		ext2_lock(sb);
		ext2_write_inode(inode);
		ext2_sync_meta(sb);
		ext2_unlock(sb);
		if (!atomic_dec_and_test(&inode->i_count))
			return;                      /* taken meanwhile: its last iput comes here */
	}
	if (ext2_inode_goes(inode)) {            /* maybe unlinked or unmounted meanwhile */
		generic_delete_inode(inode);
		return;
	}
	parent = inode->i_parent;                /* ext2_lookup sets it again */
	inode->i_parent = NULL;
	active = ei->i_active;
	ei->i_active = false;
	inode_add_lru(inode);
	iput(parent);
	if (active)
		deactivate_super(sb);                /* last: umount may evict it at once */
}

static struct ext2_inode_info *ext2_icache_find(struct super_block *sb, unsigned long ino)
{
	struct ext2_inode_info *ei;

	list_for_each_entry(ei, &EXT2_SB(sb)->s_inodes, i_hash)
		if (ei->vfs_inode->i_ino == ino)
			return ei;
	return NULL;
}

/*
 * Is ei not to be taken yet?  Being read from the disk (I_NEW), or
 * being evicted, maybe asleep (I_FREEING).  An unused inode may be taken.
 */
static bool ext2_icache_busy(struct ext2_inode_info *ei)
{
	return ei->vfs_inode->i_state & (I_NEW | I_FREEING);
}

/*
 * inode is given to the VFS: until it is unused again it keeps its file
 * system busy, as Linux's path walk holds the vfsmount -- a lookup asleep
 * on the disk keeps umount away -- and, once ext2_lookup sets it, its
 * parent.  The root is the super_block's own.
 */
static void ext2_icache_activate(struct inode *inode)
{
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (ei->i_active || inode->i_ino == EXT2_ROOT_INO)
		return;
	ei->i_active = true;
	activate_super(inode->i_sb);
}

/*
 * An inode of sb's from the icache, in use or unused, with one reference
 * more, or NULL.  One being read is waited for; one being evicted too,
 * and then read afresh: what its eviction writes is then on the disk.
 * (Never met with s_lock held: the inodes a change looks up are held by
 * the VFS, so none is busy.)
 */
static struct inode *ext2_icache_lookup(struct super_block *sb, unsigned long ino)
{
	struct ext2_inode_info *ei;
	struct inode *inode;

	while ((ei = ext2_icache_find(sb, ino)) && ext2_icache_busy(ei))
		wait_event(ext2_icache_wait, ext2_icache_find(sb, ino) != ei ||
			   !ext2_icache_busy(ei));
	if (!ei)
		return NULL;
	inode = igrab(ei->vfs_inode);
	ext2_icache_activate(inode);
	return inode;
}

/* A new in-memory inode for number ino with one reference, in no icache yet; NULL and *err. */
static struct inode *ext2_alloc_inode(struct super_block *sb, unsigned long ino, int *err)
{
	struct ext2_inode_info *ei = kzalloc(sizeof(*ei), GFP_KERNEL);
	struct inode *inode = ei ? new_inode(sb, 0) : NULL;

	if (!inode) {
		kfree(ei);
		*err = -ENOMEM;
		return NULL;
	}
	inode->i_ino = ino;
	inode->i_private = ei;
	init_rwsem(&ei->i_sem, "ext2_inode_info->i_sem");
	ei->vfs_inode = inode;
	return inode;
}

/* Put inode (in use) in the icache, to be found from now on. */
static void ext2_icache_insert(struct inode *inode)
{
	inode->i_evict = ext2_evict_inode;
	ext2_icache_activate(inode);
	list_add(&EXT2_I(inode)->i_hash, &EXT2_SB(inode->i_sb)->s_inodes);
}

/* A new, empty inode for a number just taken, in the icache with one reference; NULL and *err. */
struct inode *ext2_icache_add(struct super_block *sb, unsigned long ino, int *err)
{
	struct inode *inode = ext2_alloc_inode(sb, ino, err);

	if (inode)
		ext2_icache_insert(inode);
	return inode;
}

/* A device node's number: Linux's old 8:8 form in i_block[0], else the new one in i_block[1]. */
static dev_t ext2_decode_dev(const u32 *i_data)
{
	u32 dev = i_data[1];

	if (i_data[0])
		return i_data[0];
	return MKDEV((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
}

/* Read inode ino's on-disk form into *raw, from its group's inode table. */
static int ext2_read_raw_inode(struct super_block *sb, unsigned long ino, struct ext2_inode *raw)
{
	unsigned long offset;
	struct page *page;
	int err;
	char *data = ext2_bread(sb, ext2_inode_block(sb, ino, &offset), &page, &err);

	if (!data)
		return err;
	memcpy(raw, data + offset, sizeof(*raw));
	put_page(page);
	return 0;
}

/*
 * The operations of inode's kind (a device's number from i_data, where
 * the old 8:8 form of anvil's dev_t goes for a new one: Linux's
 * old_encode_dev).
 */
int ext2_set_ops(struct inode *inode)
{
	if (S_ISREG(inode->i_mode)) {
		inode->i_op = &ext2_file_inode_operations;
		inode->i_fop = &ext2_file_operations;
		inode->i_mapping->a_ops = &ext2_aops;
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
		inode->i_mapping->a_ops = &ext2_aops;
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_mapping->a_ops = &ext2_aops;
	} else if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) {
		inode->i_rdev = ext2_decode_dev(EXT2_I(inode)->i_data);
		inode->i_fop = S_ISCHR(inode->i_mode) ? chrdev_fops(inode->i_rdev) : NULL;
	} else if (S_ISFIFO(inode->i_mode)) {
		inode->i_fop = &fifo_fops;
	} else if (!S_ISSOCK(inode->i_mode)) {
		return -EIO;                         /* no such kind of file */
	}
	return 0;
}

/* Fill a new in-memory inode from the disk's (Linux's ext2_read_inode). */
static int ext2_fill_inode(struct inode *inode, const struct ext2_inode *raw)
{
	struct ext2_inode_info *ei = EXT2_I(inode);
	int err;

	if (!raw->i_links_count)
		return -ENOENT;                      /* deleted (Linux's ext2_iget: ESTALE) */
	inode->i_mode = raw->i_mode;
	inode->i_uid = raw->i_uid | (uid_t)raw->l_i_uid_high << UID_HIGH_SHIFT;
	inode->i_gid = raw->i_gid | (gid_t)raw->l_i_gid_high << UID_HIGH_SHIFT;
	inode->i_nlink = raw->i_links_count;
	inode->i_size = raw->i_size;
	if (S_ISREG(inode->i_mode))
		inode->i_size |= (loff_t)raw->i_size_high << 32;
	inode->i_atime = raw->i_atime;
	inode->i_mtime = raw->i_mtime;
	inode->i_ctime = raw->i_ctime;
	inode->i_blocks = raw->i_blocks;
	ei->i_file_acl = raw->i_file_acl;
	ei->i_flags = raw->i_flags;
	memcpy(ei->i_data, raw->i_block, sizeof(ei->i_data));
	err = ext2_set_ops(inode);
	if (!err && S_ISLNK(inode->i_mode))
		err = ext2_read_link(inode);
	return err;
}

/*
 * Inode ino of sb with a reference: the one in the icache, or
 * read from the disk into a new one there.  NULL and *err (-EIO for a
 * bad inode number or a damaged inode, -ENOENT for a deleted one, -ENOMEM).
 */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino, int *err)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode raw;
	struct inode *inode = ext2_icache_lookup(sb, ino), *other;

	if (inode)
		return inode;
	if ((ino != EXT2_ROOT_INO && ino < sbi->s_first_ino) || ino > sbi->s_es->s_inodes_count) {
		printk(KERN_ERR "ext2: %s: bad inode number %lu\n", sb->s_bdev->name, ino);
		*err = -EIO;
		return NULL;
	}
	inode = ext2_alloc_inode(sb, ino, err);
	if (!inode)
		return NULL;
	other = ext2_icache_lookup(sb, ino);     /* read by another while this one slept */
	if (other) {
		kfree(EXT2_I(inode));
		iput(inode);                         /* no i_evict yet: just freed */
		return other;
	}
	/* in the icache before the read sleeps: a second reader waits, and changes are seen */
	inode->i_state |= I_NEW;
	ext2_icache_insert(inode);
	*err = ext2_read_raw_inode(sb, ino, &raw);
	if (!*err)
		*err = ext2_fill_inode(inode, &raw);
	inode->i_state &= ~I_NEW;
	wake_up(&ext2_icache_wait);
	if (*err) {
		inode->i_mode = 0;                   /* evict: not a directory, no parent */
		iput(inode);
		return NULL;
	}
	return inode;
}

/*
 * Everything of sb's on the disk: each inode's dirty pages and the inode
 * itself, unused ones too (sync, umount, remount read-only).  Each is
 * held while it is written: the icache changes as we sleep.  The first
 * error.
 */
int ext2_sync_inodes(struct super_block *sb)
{
	struct ext2_inode_info *ei;
	struct inode *held = NULL;
	int err = 0;

	list_for_each_entry(ei, &EXT2_SB(sb)->s_inodes, i_hash) {
		struct inode *inode;
		int e;

		if (ext2_icache_busy(ei))
			continue;                /* being read, or evicted: written when unused */
		inode = igrab(ei->vfs_inode);
		iput(held);                              /* after: it keeps our place in the list */
		held = inode;
		e = filemap_write_and_wait(inode->i_mapping);
		mapping_set_error(inode->i_mapping, e);  /* still the next fsync's */
		if (e && !err)
			err = e;
		ext2_lock(sb);
		ext2_write_inode(inode);
		if (ext2_sync_meta(sb) && !err)
			err = -EIO;
		ext2_unlock(sb);
	}
	iput(held);
	return err;
}
