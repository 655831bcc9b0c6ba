/*
 * ext2 inodes: reading one from its group's inode table into the icache
 * (ext2_iget), the block map -- twelve direct blocks, then single,
 * double and triple indirect ones (ext2_get_block) -- and readpage,
 * which fills a file's or directory's page-cache page from the blocks
 * the map names, holes as zeros.  Regular files are read and mapped
 * through the generic page-cache code (mm/filemap.c).
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/blkdev.h>
#include <abi/errno.h>
#include "ext2.h"

#define EXT2_MAX_DEPTH 4                /* a triple-indirect block's path: 4 offsets */
#define UID_HIGH_SHIFT 16

/* ---- the block map ---------------------------------------------------- */

/*
 * The path to file block iblock through the map: offsets[0] in i_data,
 * then one in each indirect block.  Its length, or 0 past what even the
 * triple indirect block reaches (Linux's ext2_block_to_path).
 */
static int ext2_block_to_path(struct inode *inode, u32 iblock, u32 offsets[EXT2_MAX_DEPTH])
{
	unsigned int ptrs_bits = EXT2_SB(inode->i_sb)->s_blocksize_bits - 2;   /* u32 per block */
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
 * Which disk block holds file block iblock: *block, 0 for a hole.  The
 * indirect blocks on the way are read through the disk's page cache.
 * -EIO for a damaged map (a block outside the file system), -EFBIG past
 * the largest file.  Read-only: nothing is allocated (later: create).
 */
int ext2_get_block(struct inode *inode, u32 iblock, u32 *block)
{
	u32 offsets[EXT2_MAX_DEPTH];
	int depth = ext2_block_to_path(inode, iblock, offsets);
	u32 nr;
	int err = 0;

	if (!depth)
		return -EFBIG;
	nr = EXT2_I(inode)->i_data[offsets[0]];
	for (int i = 1; i < depth && nr; i++) {
		struct page *page;
		u32 *map = ext2_bread(inode->i_sb, nr, &page, &err);

		if (!map)
			return err;
		nr = map[offsets[i]];
		put_page(page);
	}
	if (nr && !ext2_block_valid(inode->i_sb, nr)) {
		printk(KERN_ERR "ext2: inode %lu: block %u of the file is at %u, outside the "
		       "disk\n", inode->i_ino, iblock, nr);
		return -EIO;
	}
	*block = nr;
	return 0;
}

/*
 * Fill page (locked, in the page cache) from the disk: blocks next to
 * each other on the disk in one request, holes and anything past the end
 * of the file as zeros.  Waits for the disk (no read-ahead yet), then
 * marks the page up to date -- or PG_error -- and unlocks it.
 */
static int ext2_readpage(struct file *file, struct page *page)
{
	struct inode *inode = page->mapping->host;
	unsigned int bits = EXT2_SB(inode->i_sb)->s_blocksize_bits;
	unsigned int per_page = PAGE_SIZE >> bits;
	u32 first = page->index << (PAGE_SHIFT - bits);
	u32 end = (u32)DIV_ROUND_UP(inode->i_size, 1UL << bits);   /* blocks the file has */
	char *kaddr = page_address(page);
	unsigned int i = 0;
	int err = 0;

	(void)file;
	while (i < per_page && first + i < end && !err) {
		u32 block, next;
		unsigned int run = 1;

		err = ext2_get_block(inode, first + i, &block);
		if (err)
			break;
		if (!block) {
			memset(kaddr + (i << bits), 0, 1U << bits);
			i++;
			continue;
		}
		while (i + run < per_page && first + i + run < end &&
		       !ext2_get_block(inode, first + i + run, &next) && next == block + run)
			run++;
		err = ext2_read_blocks(inode->i_sb, block, run, kaddr + (i << bits));
		i += run;
	}
	if (err) {
		SetPageError(page);
	} else {
		loff_t page_start = (loff_t)page->index << PAGE_SHIFT;
		size_t valid = min(inode->i_size - page_start, (loff_t)PAGE_SIZE);

		memset(kaddr + valid, 0, PAGE_SIZE - valid);   /* what mmap shows past the end */
		SetPageUptodate(page);
	}
	unlock_page(page);
	return err;
}

static const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
};

static const struct file_operations ext2_file_operations = {
	.read = generic_file_read,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
};

/* ---- the icache ------------------------------------------------------- */

/*
 * The last reference is gone: a directory lets go of its parent (first,
 * so the icache does not empty under it), the inode leaves the icache,
 * and lets go of its file system, which may go with it (ext2_kill_sb).
 * Nothing may touch the super_block after that.
 */
static void ext2_evict_inode(struct inode *inode)
{
	struct super_block *sb = inode->i_sb;
	struct ext2_inode_info *ei = EXT2_I(inode);

	if (S_ISDIR(inode->i_mode) && inode->i_ino != EXT2_ROOT_INO)
		iput(inode->i_parent);
	list_del(&ei->i_hash);
	kfree(ei);
	if (inode->i_ino == EXT2_ROOT_INO)
		ext2_free_if_unused(sb);             /* the super_block's own: no s_active */
	else
		deactivate_super(sb);
}

/* A live inode of sb's, with one reference more, or NULL. */
static struct inode *ext2_icache_lookup(struct super_block *sb, unsigned long ino)
{
	struct ext2_inode_info *ei;

	list_for_each_entry(ei, &EXT2_SB(sb)->s_inodes, i_hash)
		if (ei->vfs_inode->i_ino == ino)
			return igrab(ei->vfs_inode);
	return NULL;
}

/* A device node's number: Linux's old 8:8 form in i_block[0], else the new one in i_block[1]. */
static dev_t ext2_decode_dev(const struct ext2_inode *raw)
{
	u32 dev = raw->i_block[1];

	if (raw->i_block[0])
		return raw->i_block[0];
	return MKDEV((dev & 0xfff00) >> 8, (dev & 0xff) | ((dev >> 12) & 0xfff00));
}

/* Read inode ino's on-disk form into *raw, from its group's inode table. */
static int ext2_read_raw_inode(struct super_block *sb, unsigned long ino, struct ext2_inode *raw)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	unsigned long group = (ino - 1) / sbi->s_inodes_per_group;
	unsigned long offset = ((ino - 1) % sbi->s_inodes_per_group) * sbi->s_inode_size;
	u32 block = sbi->s_group_desc[group].bg_inode_table + (offset >> sbi->s_blocksize_bits);
	struct page *page;
	int err;
	char *data = ext2_bread(sb, block, &page, &err);

	if (!data)
		return err;
	memcpy(raw, data + (offset & (sb->s_blocksize - 1)), sizeof(*raw));
	put_page(page);
	return 0;
}

/* The operations of inode's kind; a symbolic link's target is read into i_link. */
static int ext2_set_ops(struct inode *inode, const struct ext2_inode *raw)
{
	if (S_ISREG(inode->i_mode)) {
		inode->i_fop = &ext2_file_operations;
		inode->i_mapping->a_ops = &ext2_aops;
	} else if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ext2_dir_inode_operations;
		inode->i_fop = &ext2_dir_operations;
		inode->i_mapping->a_ops = &ext2_aops;
	} else if (S_ISLNK(inode->i_mode)) {
		inode->i_mapping->a_ops = &ext2_aops;
		return ext2_read_link(inode);
	} else if (S_ISCHR(inode->i_mode) || S_ISBLK(inode->i_mode)) {
		inode->i_rdev = ext2_decode_dev(raw);
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

	if (!raw->i_links_count) {
		printk(KERN_ERR "ext2: deleted inode %lu referenced\n", inode->i_ino);
		return -EIO;
	}
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
	memcpy(ei->i_data, raw->i_block, sizeof(ei->i_data));
	return ext2_set_ops(inode, raw);
}

/*
 * Inode ino of sb with a reference: the live one from the icache, or
 * read from the disk into a new one there.  NULL and *err (-EIO for a
 * bad inode number or a damaged inode, -ENOMEM).
 */
struct inode *ext2_iget(struct super_block *sb, unsigned long ino, int *err)
{
	struct ext2_sb_info *sbi = EXT2_SB(sb);
	struct ext2_inode raw;
	struct ext2_inode_info *ei;
	struct inode *inode = ext2_icache_lookup(sb, ino);

	if (inode)
		return inode;
	if ((ino != EXT2_ROOT_INO && ino < sbi->s_first_ino) || ino > sbi->s_es->s_inodes_count) {
		printk(KERN_ERR "ext2: %s: bad inode number %lu\n", sb->s_bdev->name, ino);
		*err = -EIO;
		return NULL;
	}
	*err = ext2_read_raw_inode(sb, ino, &raw);
	if (*err)
		return NULL;
	ei = kzalloc(sizeof(*ei), GFP_KERNEL);
	inode = ei ? new_inode(sb, 0) : NULL;
	if (!inode) {
		kfree(ei);
		*err = -ENOMEM;
		return NULL;
	}
	inode->i_ino = ino;
	inode->i_private = ei;
	inode->i_evict = ext2_evict_inode;
	/*
	 * An inode in use keeps its file system busy, as Linux's path walk
	 * holds the vfsmount: a lookup asleep on the disk keeps umount away.
	 */
	if (ino != EXT2_ROOT_INO)
		activate_super(sb);
	ei->vfs_inode = inode;
	list_add(&ei->i_hash, &sbi->s_inodes);
	*err = ext2_fill_inode(inode, &raw);
	if (*err) {
		inode->i_mode = 0;                   /* evict: not a directory, no parent */
		iput(inode);
		return NULL;
	}
	return inode;
}
