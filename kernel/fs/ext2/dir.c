/*
 * ext2 directories: a directory's data is a list of variable-length
 * entries (inode, rec_len, name_len, file_type, name) filling each
 * block, read through the directory's page cache.  Every entry is
 * checked before use, as Linux's ext2_check_page does; an htree
 * directory (EXT2_INDEX_FL) reads the same way, its index blocks being
 * single empty entries.  getdents64 and name lookup walk this list.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/blkdev.h>
#include <abi/errno.h>
#include "ext2.h"

/* The bytes an entry with a name of name_len needs (Linux's EXT2_DIR_REC_LEN). */
#define EXT2_DIR_REC_LEN(name_len) \
	ALIGN_UP((name_len) + EXT2_DIR_ENTRY_HEADER, EXT2_DIR_ROUND)

/* getdents64's d_type for an entry's file_type: the S_IFMT bits shifted, as ramfs gives them */
static const unsigned char ext2_type_table[EXT2_FT_MAX] = {
	[EXT2_FT_UNKNOWN] = 0,
	[EXT2_FT_REG_FILE] = S_IFREG >> 12,
	[EXT2_FT_DIR] = S_IFDIR >> 12,
	[EXT2_FT_CHRDEV] = S_IFCHR >> 12,
	[EXT2_FT_BLKDEV] = S_IFBLK >> 12,
	[EXT2_FT_FIFO] = S_IFIFO >> 12,
	[EXT2_FT_SOCK] = S_IFSOCK >> 12,
	[EXT2_FT_SYMLINK] = S_IFLNK >> 12,
};

/* Called for each entry in use; true stops the walk. */
typedef bool (*ext2_actor_t)(void *ctx, const struct ext2_dir_entry_2 *de, loff_t next);

/* What is wrong with the entry at offset off of a block of bs bytes, or NULL. */
static const char *ext2_bad_entry(struct super_block *sb, const struct ext2_dir_entry_2 *de,
				  unsigned int off, unsigned int bs)
{
	if (bs - off < EXT2_DIR_REC_LEN(1))
		return "entry header across the block's end";
	if (de->rec_len < EXT2_DIR_REC_LEN(1))
		return "rec_len is smaller than minimal";
	if (de->rec_len % EXT2_DIR_ROUND)
		return "unaligned directory entry";
	if (de->rec_len < EXT2_DIR_REC_LEN(de->name_len))
		return "rec_len is too small for name_len";
	if (de->rec_len > bs - off)
		return "directory entry across blocks";
	if (de->inode > EXT2_SB(sb)->s_es->s_inodes_count)
		return "inode out of bounds";
	return NULL;
}

/*
 * Walk dir's entries in use from byte pos on, in disk order, calling
 * actor for each: 0, or -EIO (with a message) at a damaged entry, or the
 * error reading a page.  An entry starts at pos or after it: a pos in the
 * middle of one (lseek) resumes at the next, each block being walked from
 * its start.
 */
static int ext2_dir_walk(struct inode *dir, loff_t pos, ext2_actor_t actor, void *ctx)
{
	struct super_block *sb = dir->i_sb;
	unsigned int bs = sb->s_blocksize;
	bool stop = false;

	for (loff_t at = pos > 0 ? ALIGN_DOWN(pos, (loff_t)bs) : 0; at < dir->i_size && !stop;
	     at += bs) {
		int err;
		struct page *page = read_cache_page(dir->i_mapping, at >> PAGE_SHIFT, &err);
		const char *block, *bad = NULL;

		if (!page)
			return err;
		block = (char *)page_address(page) + (at & ~PAGE_MASK);
		for (unsigned int off = 0; off < bs && !stop && !bad; ) {
			const struct ext2_dir_entry_2 *de = (const void *)(block + off);

			bad = ext2_bad_entry(sb, de, off, bs);
			if (bad)
				printk(KERN_ERR "ext2: %s: bad entry in directory #%lu: %s "
				       "(offset %llu)\n", sb->s_bdev->name, dir->i_ino, bad,
				       (unsigned long long)(at + off));
			else if (de->inode && at + off >= pos)
				stop = actor(ctx, de, at + off + de->rec_len);
			if (!bad)
				off += de->rec_len;
		}
		put_page(page);
		if (bad)
			return -EIO;
	}
	return 0;
}

/* getdents64's walk: each entry to filldir, f_pos past each one taken. */
struct readdir_ctx {
	struct file *file;
	void *ctx;
	filldir_t filldir;
	bool filetype;
};

static bool ext2_filldir(void *ctx, const struct ext2_dir_entry_2 *de, loff_t next)
{
	struct readdir_ctx *rc = ctx;
	unsigned int type = rc->filetype && de->file_type < EXT2_FT_MAX ?
			    ext2_type_table[de->file_type] : 0;

	if (!rc->filldir(rc->ctx, de->name, de->name_len, next, de->inode, type))
		return true;
	rc->file->f_pos = next;
	return false;
}

/* getdents64: the entries as they are on the disk, "." and ".." among them. */
static int ext2_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	struct readdir_ctx rc = { f, ctx, filldir, EXT2_SB(f->f_inode->i_sb)->s_filetype };

	if (f->f_pos >= f->f_inode->i_size)
		return 0;
	return ext2_dir_walk(f->f_inode, f->f_pos, ext2_filldir, &rc);
}

const struct file_operations ext2_dir_operations = {
	.readdir = ext2_readdir,
	.llseek = generic_file_llseek,
};

struct find_ctx {
	const char *name;
	size_t len;
	unsigned long ino;
};

static bool ext2_match(void *ctx, const struct ext2_dir_entry_2 *de, loff_t next)
{
	struct find_ctx *fc = ctx;

	(void)next;
	if (de->name_len != fc->len || memcmp(de->name, fc->name, fc->len))
		return false;
	fc->ino = de->inode;
	return true;
}

/* The inode number name has in dir, or 0 (no such name, or a damaged directory). */
unsigned long ext2_inode_by_name(struct inode *dir, const char *name, size_t len)
{
	struct find_ctx fc = { name, len, 0 };

	return ext2_dir_walk(dir, 0, ext2_match, &fc) ? 0 : fc.ino;
}
