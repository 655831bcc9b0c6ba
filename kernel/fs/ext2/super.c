/*
 * ext2 mounts: reading and checking the superblock and the group
 * descriptors as Linux's ext2_fill_super does (a damaged or unsupported
 * disk is refused with a message and EINVAL), statfs, unmounting, and
 * the disk's metadata blocks, read through a page cache of the disk's
 * own (Linux's block-device inode; ext2_bread is its sb_bread).
 * Metadata changed in that cache is written back synchronously before
 * the change lets go of s_lock (ext2_sync_meta), as a -o sync mount
 * does; the superblock and the group descriptors are kept in memory
 * and written whole.  A read-write mount marks the disk not clean until
 * umount or a remount read-only (s_state), as Linux does.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/blkdev.h>
#include <abi/errno.h>
#include "ext2.h"

/* What this ext2 understands of the feature bits (Linux 2.6's, less META_BG). */
#define EXT2_FEATURE_INCOMPAT_SUPP EXT2_FEATURE_INCOMPAT_FILETYPE
#define EXT2_FEATURE_RO_COMPAT_SUPP (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | \
				     EXT2_FEATURE_RO_COMPAT_LARGE_FILE |   \
				     EXT2_FEATURE_RO_COMPAT_BTREE_DIR)
#define SPARSE_BASES 3                  /* sparse_super: backups in groups 0, 1 and 3^n, 5^n, 7^n */

/* The mounts' super_blocks: a second mount of a disk would be a second writer of its bitmaps. */
static struct super_block *ext2_mounted[MAX_BLOCK_DEVICES];

/* ---- the disk's blocks ------------------------------------------------ */

/* Is block one of the file system's own (not the boot block, not past the end)? */
bool ext2_block_valid(struct super_block *sb, u32 block)
{
	struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	return block >= es->s_first_data_block && block < es->s_blocks_count;
}

/* Read count blocks from block on into buf, waiting: 0 or -EIO. */
int ext2_read_blocks(struct super_block *sb, u32 block, unsigned int count, void *buf)
{
	unsigned int shift = EXT2_SB(sb)->s_blocksize_bits - SECTOR_SHIFT;

	return block_rw_sync(sb->s_bdev, block << shift, buf, count << shift, false) ? -EIO : 0;
}

/* Write count blocks from buf to the disk from block on, waiting: 0 or -EIO. */
int ext2_write_blocks(struct super_block *sb, u32 block, unsigned int count, const void *buf)
{
	unsigned int shift = EXT2_SB(sb)->s_blocksize_bits - SECTOR_SHIFT;

	return block_rw_sync(sb->s_bdev, block << shift, (void *)buf, count << shift, true) ?
	       -EIO : 0;
}

/*
 * Something on the disk is not as it should be (Linux's ext2_error):
 * say so, and mark the file system as having errors, for e2fsck.
 */
void ext2_error(struct super_block *sb, const char *what, unsigned long ino)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	printk(KERN_ERR "EXT2-fs error (device %s): inode %lu: %s\n", sb->s_bdev->name, ino,
	       what);
	sbi->s_mount_state |= EXT2_ERROR_FS;
	sbi->s_es->s_state |= EXT2_ERROR_FS;
	sbi->s_super_dirty = true;
}

/*
 * Block `block`, changed in the disk's page cache (page holds it), is to
 * be written by the next ext2_sync_meta (Linux's mark_buffer_dirty); the
 * page is held until then so that reclaim cannot drop the change.
 */
void ext2_mark_meta_dirty(struct super_block *sb, u32 block, struct page *page)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	for (unsigned int i = 0; i < sbi->s_ndirty; i++)
		if (sbi->s_dirty[i].block == block)
			return;
	if (sbi->s_ndirty == EXT2_MAX_DIRTY)
		ext2_sync_meta(sb);              /* a long change: write what it did so far */
	get_page(page);
	sbi->s_dirty[sbi->s_ndirty].block = block;
	sbi->s_dirty[sbi->s_ndirty++].page = page;
}

/* The superblock and the group descriptors, as they are in memory, to the disk. */
static int ext2_write_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	int err;

	sbi->s_es->s_wtime = current_time_sec();
	err = ext2_write_blocks(sb, sbi->s_es->s_first_data_block + 1, sbi->s_gdb_count,
				sbi->s_group_desc);
	if (block_rw_sync(sb->s_bdev, EXT2_SUPER_OFFSET / SECTOR_SIZE, sbi->s_es,
			  EXT2_MIN_BLOCK_SIZE / SECTOR_SIZE, true))
		err = -EIO;
	return err;
}

/*
 * Write every metadata block changed since the last call, then the
 * superblock and descriptors if a count changed: the end of each change
 * (s_lock held).  0, or -EIO with a message.
 */
int ext2_sync_meta(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned int in_page_mask = (PAGE_SIZE >> sbi->s_blocksize_bits) - 1;
	int err = 0;

	for (unsigned int i = 0; i < sbi->s_ndirty; i++) {
		struct ext2_dirty_block *d = &sbi->s_dirty[i];
		char *data = (char *)page_address(d->page) +
			     ((d->block & in_page_mask) << sbi->s_blocksize_bits);

		if (ext2_write_blocks(sb, d->block, 1, data) && !err) {
			printk(KERN_ERR "ext2: %s: cannot write metadata block %u\n",
			       sb->s_bdev->name, d->block);
			ext2_error(sb, "metadata write failed", 0);   /* the superblock says so */
			err = -EIO;
		}
		put_page(d->page);
	}
	sbi->s_ndirty = 0;
	if (sbi->s_super_dirty) {
		sbi->s_super_dirty = false;
		if (ext2_write_super(sb) && !err) {
			printk(KERN_ERR "ext2: %s: cannot write the superblock\n",
			       sb->s_bdev->name);
			err = -EIO;
		}
	}
	return err;
}

/* readpage of the disk's own page cache: its 8 sectors (fewer at the very end). */
static int ext2_bdev_readpage(struct file *file, struct page *page)
{
	struct block_device *bdev = page->mapping->host->i_sb->s_bdev;
	sector_t sector = page->index * SECTORS_PER_PAGE;
	unsigned int nr;

	(void)file;
	if (sector >= bdev->nr_sectors) {
		SetPageError(page);
		unlock_page(page);
		return -EIO;
	}
	nr = min(bdev->nr_sectors - sector, (sector_t)SECTORS_PER_PAGE);
	memset(page_address(page), 0, PAGE_SIZE);
	if (block_rw_sync(bdev, sector, page_address(page), nr, false))
		SetPageError(page);
	else
		SetPageUptodate(page);
	unlock_page(page);
	return PageError(page) ? -EIO : 0;
}

static const struct address_space_operations ext2_bdev_aops = {
	.readpage = ext2_bdev_readpage,
};

/*
 * Metadata block `block`, read if not cached: a pointer to its bytes in
 * the disk's page cache, whose page *pagep the caller puts when done.
 * NULL and *err (-EIO) for a block outside the file system or a failed read.
 */
void *ext2_bread(struct super_block *sb, u32 block, struct page **pagep, int *err)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned int per_page_bits = PAGE_SHIFT - sbi->s_blocksize_bits;
	u32 in_page = block & ((1U << per_page_bits) - 1);

	if (!ext2_block_valid(sb, block)) {
		printk(KERN_ERR "ext2: %s: metadata block %u outside the file system\n",
		       sb->s_bdev->name, block);
		*err = -EIO;
		return NULL;
	}
	*pagep = read_cache_page(sbi->s_bdev_inode->i_mapping, block >> per_page_bits, err);
	if (!*pagep)
		return NULL;
	return (char *)page_address(*pagep) + (in_page << sbi->s_blocksize_bits);
}

/* ---- statfs ------------------------------------------------------------ */

static bool is_power_of(unsigned long n, unsigned long base)
{
	while (n > 1 && n % base == 0)
		n /= base;
	return n == 1;
}

/* Does group keep a copy of the superblock and descriptors?  (Linux's ext2_bg_has_super) */
static bool ext2_bg_has_super(struct ext2_sb_info *sbi, unsigned long group)
{
	if (!(sbi->s_es->s_feature_ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) || group <= 1)
		return true;
	for (unsigned long base = SPARSE_BASES; base <= 7; base += 2)
		if (is_power_of(group, base))
			return true;
	return false;
}

/*
 * Linux's default (bsddf) answer: the blocks the superblocks, group
 * descriptors, bitmaps and inode tables take are not counted in
 * f_blocks; the free counts are the groups' sums; root's reserve is
 * not available to others.
 */
static int ext2_statfs(struct super_block *sb, struct kstatfs *buf)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_super_block *es = sbi->s_es;
	unsigned long overhead = es->s_first_data_block, free_blocks = 0, free_inodes = 0;

	for (unsigned long i = 0; i < sbi->s_groups_count; i++) {
		if (ext2_bg_has_super(sbi, i))
			overhead += 1 + sbi->s_gdb_count;
		overhead += 2 + sbi->s_itb_per_group;     /* the two bitmaps and the inode table */
		free_blocks += sbi->s_group_desc[i].bg_free_blocks_count;
		free_inodes += sbi->s_group_desc[i].bg_free_inodes_count;
	}
	buf->f_type = EXT2_SUPER_MAGIC;
	buf->f_bsize = sb->s_blocksize;
	buf->f_namelen = EXT2_NAME_LEN;
	buf->f_blocks = es->s_blocks_count - overhead;
	buf->f_bfree = free_blocks;
	buf->f_bavail = free_blocks > es->s_r_blocks_count ? free_blocks - es->s_r_blocks_count : 0;
	buf->f_files = es->s_inodes_count;
	buf->f_ffree = free_inodes;
	return 0;
}

/* ---- mounting and unmounting ------------------------------------------ */

/*
 * A read-write mount begins (Linux's ext2_setup_super): the disk is
 * marked not clean, and counted as mounted, until ext2_commit_clean.
 */
static int ext2_setup_super(struct super_block *sb)
{
	struct ext2_super_block *es = EXT2_SB(sb)->s_es;

	es->s_state &= ~EXT2_VALID_FS;
	es->s_mnt_count++;
	es->s_mtime = current_time_sec();
	EXT2_SB(sb)->s_super_dirty = true;
	return ext2_sync_meta(sb);
}

/*
 * A read-write mount ends (umount, remount read-only): every file's
 * dirty pages and every inode to the disk, then the state the disk had
 * when mounted -- clean, unless it had errors or gained some.
 */
static int ext2_commit_clean(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	int err = ext2_sync_inodes(sb);

	ext2_lock(sb);
	sbi->s_es->s_state = sbi->s_mount_state;
	sbi->s_super_dirty = true;
	if (ext2_sync_meta(sb))
		err = -EIO;
	ext2_unlock(sb);
	return err;
}

/* The RO_COMPAT features this ext2 cannot write, or 0. */
static u32 ext2_ro_compat_unknown(struct ext2_super_block *es)
{
	if (es->s_rev_level == EXT2_GOOD_OLD_REV)
		return 0;
	return es->s_feature_ro_compat & ~EXT2_FEATURE_RO_COMPAT_SUPP;
}

/* mount -o remount: read-only writes everything back; read-write checks the features. */
static int ext2_remount_fs(struct super_block *sb, unsigned long flags, const char *data)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	(void)data;
	if ((flags & MS_RDONLY) == sb_rdonly(sb))
		return 0;
	if (flags & MS_RDONLY)
		return ext2_commit_clean(sb);
	if (ext2_ro_compat_unknown(sbi->s_es)) {
		printk(KERN_WARNING "ext2: %s: couldn't remount RDWR because of unsupported "
		       "optional features (%x)\n", sb->s_bdev->name,
		       ext2_ro_compat_unknown(sbi->s_es));
		return -EROFS;
	}
	sbi->s_mount_state = sbi->s_es->s_state;
	return ext2_setup_super(sb);
}

static void ext2_put_super(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	for (int i = 0; i < MAX_BLOCK_DEVICES; i++)
		if (ext2_mounted[i] == sb)
			ext2_mounted[i] = NULL;
	iput(sbi->s_bdev_inode);
	kfree(sbi->s_group_desc);
	kfree(sbi->s_es);
	kfree(sbi);
}

/* Free sb once it is unmounted and its last inode is gone. */
void ext2_free_if_unused(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->s_dead && list_empty(&sbi->s_inodes)) {
		ext2_put_super(sb);
		kfree(sb);
	}
}

/*
 * Its last user gone, after umount: write everything back (a read-write
 * mount), evict the unused inodes the icache kept, then let go of the
 * root.  A lookup that was asleep on the disk may still hold the root (it
 * holds no s_active) and even read inodes after this -- whose last iput
 * calls here again -- so sb goes only with its last inode.
 */
static void ext2_kill_sb(struct super_block *sb)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);

	if (sbi->s_dead) {
		ext2_free_if_unused(sb);
		return;
	}
	if (!sb_rdonly(sb) && ext2_commit_clean(sb))
		printk(KERN_ERR "ext2: %s: unmounted with write errors\n", sb->s_bdev->name);
	sbi->s_dead = true;                      /* from now on a last iput evicts */
	invalidate_inodes(sb);
	iput(sb->s_root);                        /* may free sb */
}

/*
 * sync(2), syncfs(2): the dirty pages went first; now every inode and the
 * metadata.  Metadata is written synchronously anyway, so wait or not.
 */
static int ext2_sync_fs(struct super_block *sb, int wait)
{
	return ext2_sync_inodes(sb);
}

static const struct super_operations ext2_sops = {
	.statfs = ext2_statfs,
	.sync_fs = ext2_sync_fs,
	.remount_fs = ext2_remount_fs,
	.kill_sb = ext2_kill_sb,
	.drop_inode = ext2_drop_inode,
};

/* The block device devname (a path such as "/dev/hdc") names, or NULL with *err. */
static struct block_device *lookup_bdev(const char *devname, int *err)
{
	struct inode *inode = path_lookup(root_inode(), devname, LOOKUP_FOLLOW, err);
	struct block_device *bdev = NULL;

	if (!inode)
		return NULL;
	if (!S_ISBLK(inode->i_mode))
		*err = -ENOTBLK;
	else if (!(bdev = lookup_block_device(inode->i_rdev)))
		*err = -ENXIO;
	iput(inode);
	return bdev;
}

/*
 * The superblock's numbers, checked as Linux's ext2_fill_super checks
 * them: a message naming what is wrong and false if the disk cannot be
 * mounted as asked.
 */
static bool ext2_check_super(struct super_block *sb, struct ext2_sb_info *sbi,
			     unsigned long flags)
{
	struct ext2_super_block *es = sbi->s_es;
	const char *dev = sb->s_bdev->name;
	unsigned long bits_per_block;
	u32 features;

	if (es->s_magic != EXT2_SUPER_MAGIC) {
		printk(KERN_ERR "ext2: %s: can't find an ext2 filesystem (magic %#x)\n", dev,
		       es->s_magic);
		return false;
	}
	if (es->s_rev_level > EXT2_DYNAMIC_REV) {
		printk(KERN_ERR "ext2: %s: revision level %u too high\n", dev, es->s_rev_level);
		return false;
	}
	features = es->s_rev_level == EXT2_GOOD_OLD_REV ? 0 : es->s_feature_incompat;
	if (features & ~EXT2_FEATURE_INCOMPAT_SUPP) {
		printk(KERN_ERR "ext2: %s: couldn't mount because of unsupported optional features "
		       "(%x)\n", dev, features & ~EXT2_FEATURE_INCOMPAT_SUPP);
		return false;
	}
	if (!(flags & MS_RDONLY) && ext2_ro_compat_unknown(es)) {
		printk(KERN_ERR "ext2: %s: couldn't mount RDWR because of unsupported optional "
		       "features (%x)\n", dev, ext2_ro_compat_unknown(es));
		return false;
	}
	if (es->s_log_block_size > PAGE_SHIFT - EXT2_MIN_BLOCK_LOG_SIZE) {
		printk(KERN_ERR "ext2: %s: unsupported blocksize (1024 << %u)\n", dev,
		       es->s_log_block_size);
		return false;
	}
	sbi->s_blocksize_bits = EXT2_MIN_BLOCK_LOG_SIZE + es->s_log_block_size;
	sb->s_blocksize = 1UL << sbi->s_blocksize_bits;
	bits_per_block = sb->s_blocksize * BITS_PER_BYTE;
	sbi->s_inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	sbi->s_first_ino = EXT2_GOOD_OLD_FIRST_INO;
	if (es->s_rev_level == EXT2_DYNAMIC_REV) {
		sbi->s_inode_size = es->s_inode_size;
		sbi->s_first_ino = es->s_first_ino;
	}
	if (sbi->s_inode_size < EXT2_GOOD_OLD_INODE_SIZE || sbi->s_inode_size > sb->s_blocksize ||
	    (sbi->s_inode_size & (sbi->s_inode_size - 1))) {
		printk(KERN_ERR "ext2: %s: unsupported inode size %u\n", dev, sbi->s_inode_size);
		return false;
	}
	sbi->s_blocks_per_group = es->s_blocks_per_group;
	sbi->s_inodes_per_group = es->s_inodes_per_group;
	if (!sbi->s_blocks_per_group || sbi->s_blocks_per_group > bits_per_block ||
	    !sbi->s_inodes_per_group || sbi->s_inodes_per_group > bits_per_block) {
		printk(KERN_ERR "ext2: %s: bad #blocks (%lu) or #inodes (%lu) per group\n", dev,
		       sbi->s_blocks_per_group, sbi->s_inodes_per_group);
		return false;
	}
	if (es->s_first_data_block >= es->s_blocks_count ||
	    es->s_blocks_count > sb->s_bdev->nr_sectors >> (sbi->s_blocksize_bits - SECTOR_SHIFT)) {
		printk(KERN_ERR "ext2: %s: bad geometry: %u blocks from %u, the disk has %u "
		       "sectors\n", dev, es->s_blocks_count, es->s_first_data_block,
		       sb->s_bdev->nr_sectors);
		return false;
	}
	sbi->s_groups_count = DIV_ROUND_UP(es->s_blocks_count - es->s_first_data_block,
					   sbi->s_blocks_per_group);
	if ((u64)sbi->s_groups_count * sbi->s_inodes_per_group != es->s_inodes_count) {
		printk(KERN_ERR "ext2: %s: %u inodes is not %lu groups of %lu\n", dev,
		       es->s_inodes_count, sbi->s_groups_count, sbi->s_inodes_per_group);
		return false;
	}
	sbi->s_itb_per_group = DIV_ROUND_UP(sbi->s_inodes_per_group * sbi->s_inode_size,
					    sb->s_blocksize);
	sbi->s_gdb_count = DIV_ROUND_UP(sbi->s_groups_count * sizeof(struct ext2_group_desc),
					sb->s_blocksize);
	sbi->s_filetype = es->s_rev_level == EXT2_DYNAMIC_REV &&
			  (es->s_feature_incompat & EXT2_FEATURE_INCOMPAT_FILETYPE);
	sbi->s_mount_state = es->s_state;
	if (!(es->s_state & EXT2_VALID_FS) || (es->s_state & EXT2_ERROR_FS))
		printk(KERN_WARNING "ext2: %s: mounting an unchecked file system or one with "
		       "errors, running e2fsck is recommended\n", dev);
	return true;
}

/* A group's bitmaps and inode table must lie in the group (Linux's ext2_check_descriptors). */
static bool ext2_check_descriptors(struct super_block *sb, struct ext2_sb_info *sbi)
{
	u32 first = sbi->s_es->s_first_data_block;

	for (unsigned long i = 0; i < sbi->s_groups_count; i++, first += sbi->s_blocks_per_group) {
		struct ext2_group_desc *gdp = &sbi->s_group_desc[i];
		u32 last = i == sbi->s_groups_count - 1 ? sbi->s_es->s_blocks_count - 1 :
			   first + sbi->s_blocks_per_group - 1;
		const char *what = NULL;

		if (gdp->bg_block_bitmap < first || gdp->bg_block_bitmap > last)
			what = "block bitmap";
		else if (gdp->bg_inode_bitmap < first || gdp->bg_inode_bitmap > last)
			what = "inode bitmap";
		else if (gdp->bg_inode_table < first || gdp->bg_inode_table > last ||
			 last - gdp->bg_inode_table < sbi->s_itb_per_group - 1)   /* no overflow */
			what = "inode table";
		if (what) {
			printk(KERN_ERR "ext2: %s: group descriptors corrupted: %s of group %lu "
			       "not in the group\n", sb->s_bdev->name, what, i);
			return false;
		}
	}
	return true;
}

/*
 * Read the group descriptors, from the block after the superblock's:
 * whole blocks, so that they are written back as they were.
 */
static int ext2_read_descriptors(struct super_block *sb, struct ext2_sb_info *sbi)
{
	int err;

	sbi->s_group_desc = kmalloc(sbi->s_gdb_count << sbi->s_blocksize_bits, GFP_KERNEL);
	if (!sbi->s_group_desc)
		return -ENOMEM;
	err = ext2_read_blocks(sb, sbi->s_es->s_first_data_block + 1, sbi->s_gdb_count,
			       sbi->s_group_desc);
	if (err)
		return err;
	return ext2_check_descriptors(sb, sbi) ? 0 : -EINVAL;
}

/* Read, check and set up sb: 0, or -errno with a message for a disk refused. */
static int ext2_fill_super(struct super_block *sb, struct ext2_sb_info *sbi, unsigned long flags)
{
	int err;

	init_rwsem(&sbi->s_lock, "ext2_sb_info->s_lock");
	sbi->s_es = kmalloc(sizeof(*sbi->s_es), GFP_KERNEL);
	sbi->s_bdev_inode = new_inode(sb, S_IFBLK);
	if (!sbi->s_es || !sbi->s_bdev_inode)
		return -ENOMEM;
	sbi->s_bdev_inode->i_mapping->a_ops = &ext2_bdev_aops;
	BUILD_BUG_ON(sizeof(struct ext2_super_block) != EXT2_MIN_BLOCK_SIZE);
	if (sb->s_bdev->nr_sectors < (EXT2_SUPER_OFFSET + EXT2_MIN_BLOCK_SIZE) / SECTOR_SIZE ||
	    block_rw_sync(sb->s_bdev, EXT2_SUPER_OFFSET / SECTOR_SIZE, sbi->s_es,
			  EXT2_MIN_BLOCK_SIZE / SECTOR_SIZE, false)) {
		printk(KERN_ERR "ext2: %s: unable to read the superblock\n", sb->s_bdev->name);
		return -EIO;
	}
	if (!ext2_check_super(sb, sbi, flags))
		return -EINVAL;
	err = ext2_read_descriptors(sb, sbi);
	if (err)
		return err;
	sb->s_root = ext2_iget(sb, EXT2_ROOT_INO, &err);
	if (!sb->s_root || !S_ISDIR(sb->s_root->i_mode) || !sb->s_root->i_size) {
		printk(KERN_ERR "ext2: %s: corrupt root inode, run e2fsck\n", sb->s_bdev->name);
		iput(sb->s_root);
		sb->s_root = NULL;
		return -EINVAL;
	}
	return 0;
}

/* The free slot for sb in ext2_mounted, or NULL if its disk is mounted already (EBUSY). */
static struct super_block **ext2_mount_slot(struct block_device *bdev)
{
	struct super_block **slot = NULL;

	for (int i = 0; i < MAX_BLOCK_DEVICES; i++) {
		if (ext2_mounted[i] && ext2_mounted[i]->s_bdev == bdev)
			return NULL;
		if (!ext2_mounted[i] && !slot)
			slot = &ext2_mounted[i];
	}
	return slot;
}

/*
 * mount(2) of an ext2 disk: its root directory with one reference, the
 * file system's one user (s_active) given to the caller, as tmpfs_mount.
 * A read-write mount marks the disk as mounted (ext2_setup_super).  A
 * disk mounted already is EBUSY: one writer of its bitmaps at a time.
 */
struct inode *ext2_mount(const char *devname, unsigned long flags, int *err)
{
	struct block_device *bdev = lookup_bdev(devname, err);
	struct super_block *sb, **slot;
	struct ext2_sb_info *sbi;

	if (!bdev)
		return NULL;
	slot = ext2_mount_slot(bdev);
	if (!slot) {
		*err = -EBUSY;
		return NULL;
	}
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	if (!sb || !sbi) {
		kfree(sb);
		kfree(sbi);
		*err = -ENOMEM;
		return NULL;
	}
	INIT_LIST_HEAD(&sbi->s_inodes);
	sb->s_magic = EXT2_SUPER_MAGIC;
	sb->s_flags = flags;
	sb->s_op = &ext2_sops;
	sb->s_bdev = bdev;
	sb->s_fs_info = sbi;
	*slot = sb;
	*err = ext2_fill_super(sb, sbi, flags);
	if (!*err && !(flags & MS_RDONLY)) {
		*err = ext2_setup_super(sb);
		if (*err)
			iput(sb->s_root);
	}
	if (*err) {
		ext2_put_super(sb);
		kfree(sb);
		return NULL;
	}
	atomic_set(&sb->s_active, 1);
	return igrab(sb->s_root);
}
