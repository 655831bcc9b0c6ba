/*
 * ext2 directories: a directory's data is a list of variable-length
 * entries (inode, rec_len, name_len, file_type, name) filling each
 * block, read through the directory's page cache.  Every block's
 * entries are checked before use, as Linux's ext2_check_page does; an
 * htree directory (EXT2_INDEX_FL) reads the same way, its index blocks
 * being single empty entries.  getdents64 and name lookup walk this
 * list; a new name goes in the first entry with room (split off its
 * slack, Linux's ext2_add_link), a removed one is merged into the entry
 * before it.  A changed block is written at once (dirsync), s_lock held.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/blkdev.h>
#include <anvil/time.h>
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
 * Block n of dir, its entries checked: a pointer to its bytes in the
 * directory's page cache (the page, held, in *pagep), or NULL and *err
 * (-EIO with a message for a damaged block).
 */
static char *ext2_get_dir_block(struct inode *dir, unsigned long n, struct page **pagep,
				int *err)
{
	struct super_block *sb = dir->i_sb;
	unsigned int bs = sb->s_blocksize;
	loff_t at = (loff_t)n << EXT2_SB(sb)->s_blocksize_bits;
	struct page *page = read_cache_page(dir->i_mapping, at >> PAGE_SHIFT, err);
	char *block;

	if (!page)
		return NULL;
	block = (char *)page_address(page) + (at & ~PAGE_MASK);
	for (unsigned int off = 0; off < bs; ) {
		const struct ext2_dir_entry_2 *de = (const void *)(block + off);
		const char *bad = ext2_bad_entry(sb, de, off, bs);

		if (bad) {
			printk(KERN_ERR "ext2: %s: bad entry in directory #%lu: %s (offset %llu)\n",
			       sb->s_bdev->name, dir->i_ino, bad, (unsigned long long)(at + off));
			put_page(page);
			*err = -EIO;
			return NULL;
		}
		off += de->rec_len;
	}
	*pagep = page;
	return block;
}

static unsigned long ext2_dir_blocks(struct inode *dir)
{
	return dir->i_size >> EXT2_SB(dir->i_sb)->s_blocksize_bits;
}

/*
 * Walk dir's entries in use from byte pos on, in disk order, calling
 * actor for each: 0, or -EIO (with a message) at a damaged block, or the
 * error reading a page.  An entry starts at pos or after it: a pos in the
 * middle of one (lseek) resumes at the next, each block being walked from
 * its start.
 */
static int ext2_dir_walk(struct inode *dir, loff_t pos, ext2_actor_t actor, void *ctx)
{
	unsigned int bits = EXT2_SB(dir->i_sb)->s_blocksize_bits;
	bool stop = false;

	for (unsigned long n = pos > 0 ? pos >> bits : 0; n < ext2_dir_blocks(dir) && !stop; n++) {
		loff_t at = (loff_t)n << bits;
		struct page *page;
		int err;
		char *block = ext2_get_dir_block(dir, n, &page, &err);

		if (!block)
			return err;
		for (unsigned int off = 0; off < 1U << bits && !stop; ) {
			const struct ext2_dir_entry_2 *de = (const void *)(block + off);

			if (de->inode && at + off >= pos)
				stop = actor(ctx, de, at + off + de->rec_len);
			off += de->rec_len;
		}
		put_page(page);
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

/* The entry called name in dir (its page held in *pagep), or NULL and *err (-ENOENT, -EIO). */
struct ext2_dir_entry_2 *ext2_find_entry(struct inode *dir, const char *name, size_t len,
					 struct page **pagep, int *err)
{
	unsigned int bs = dir->i_sb->s_blocksize;

	for (unsigned long n = 0; n < ext2_dir_blocks(dir); n++) {
		char *block = ext2_get_dir_block(dir, n, pagep, err);

		if (!block)
			return NULL;
		for (unsigned int off = 0; off < bs; ) {
			struct ext2_dir_entry_2 *de = (void *)(block + off);

			if (de->inode && de->name_len == len && !memcmp(de->name, name, len))
				return de;
			off += de->rec_len;
		}
		put_page(*pagep);
	}
	*err = -ENOENT;
	return NULL;
}

/* The inode number name has in dir, or 0 and *err (-ENOENT, -EIO). */
unsigned long ext2_inode_by_name(struct inode *dir, const char *name, size_t len, int *err)
{
	struct page *page;
	struct ext2_dir_entry_2 *de = ext2_find_entry(dir, name, len, &page, err);
	unsigned long ino;

	if (!de)
		return 0;
	ino = de->inode;
	put_page(page);
	return ino;
}

/* ---- changing a directory (s_lock held) ------------------------------ */

/* The file_type of an entry for inode, if entries carry one. */
static void ext2_set_de_type(struct inode *dir, struct ext2_dir_entry_2 *de, struct inode *inode)
{
	de->file_type = EXT2_FT_UNKNOWN;
	if (!EXT2_SB(dir->i_sb)->s_filetype)
		return;
	for (unsigned int t = 0; t < EXT2_FT_MAX; t++)
		if (t != EXT2_FT_UNKNOWN && ext2_type_table[t] == (inode->i_mode & S_IFMT) >> 12)
			de->file_type = t;
}

/*
 * The directory block holding de (in page) changed: write it to the disk
 * now, and the directory's new times (Linux's ext2_commit_chunk with
 * dirsync).
 */
static int ext2_commit_chunk(struct inode *dir, struct page *page, void *de)
{
	struct super_block *sb = dir->i_sb;
	unsigned int bits = EXT2_SB(sb)->s_blocksize_bits;
	unsigned int in_page = ((char *)de - (char *)page_address(page)) >> bits << bits;
	u32 n = (page->index << (PAGE_SHIFT - bits)) + (in_page >> bits), block;
	int err = ext2_get_block(dir, n, &block, false);

	if (!err && !block)
		err = -EIO;                          /* a directory has no holes */
	if (!err)
		err = ext2_write_blocks(sb, block, 1, (char *)page_address(page) + in_page);
	dir->i_mtime = dir->i_ctime = current_time_sec();
	ext2_write_inode(dir);
	return err;
}

/*
 * A new block at the end of dir, holding one empty entry: its bytes in
 * the page cache (page in *pagep), or NULL and *err (-ENOSPC).
 */
static char *ext2_grow_dir(struct inode *dir, struct page **pagep, int *err)
{
	unsigned int bs = dir->i_sb->s_blocksize;
	loff_t at = dir->i_size;
	struct ext2_dir_entry_2 *de;
	char *block;
	u32 nr;

	/* the page first: read while the block is past the end, it holds zeros there */
	*pagep = read_cache_page(dir->i_mapping, at >> PAGE_SHIFT, err);
	if (!*pagep)
		return NULL;
	*err = ext2_get_block(dir, at >> EXT2_SB(dir->i_sb)->s_blocksize_bits, &nr, true);
	if (*err) {
		put_page(*pagep);
		return NULL;
	}
	dir->i_size += bs;
	block = (char *)page_address(*pagep) + (at & ~PAGE_MASK);
	memset(block, 0, bs);
	de = (void *)block;
	de->rec_len = bs;
	return block;
}

/*
 * Enter inode under name in dir: in an unused entry big enough, in the
 * slack at the end of one in use (split off), or in a new block at the
 * end.  The change's metadata so far (the new inode, its bitmap) goes to
 * the disk first: a cut, or a failed write, never leaves a name that
 * leads to an inode the disk does not have.  -EEXIST if the name is
 * there, -ENOSPC, -EIO.
 */
int ext2_add_link(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	unsigned int bs = dir->i_sb->s_blocksize, need = EXT2_DIR_REC_LEN(len);
	struct ext2_dir_entry_2 *de = NULL;
	struct page *page;
	char *block = NULL;
	int err = 0;

	if (len > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	err = ext2_sync_meta(dir->i_sb);
	if (err)
		return err;
	for (unsigned long n = 0; n < ext2_dir_blocks(dir) && !de; n++) {
		block = ext2_get_dir_block(dir, n, &page, &err);
		if (!block)
			return err;
		for (unsigned int off = 0; off < bs && !de; ) {
			struct ext2_dir_entry_2 *d = (void *)(block + off);
			unsigned int used = d->inode ? EXT2_DIR_REC_LEN(d->name_len) : 0;

			if (d->inode && d->name_len == len && !memcmp(d->name, name, len)) {
				put_page(page);
				return -EEXIST;
			}
			if (d->rec_len >= used + need)
				de = d;
			off += d->rec_len;
		}
		if (!de)
			put_page(page);
	}
	if (!de) {
		block = ext2_grow_dir(dir, &page, &err);
		if (!block)
			return err;
		de = (void *)block;
	}
	if (de->inode) {                         /* keep its bytes, take its slack */
		unsigned int used = EXT2_DIR_REC_LEN(de->name_len);
		struct ext2_dir_entry_2 *de1 = (void *)((char *)de + used);

		de1->rec_len = de->rec_len - used;
		de->rec_len = used;
		de = de1;
	}
	de->name_len = len;
	memcpy(de->name, name, len);
	de->inode = inode->i_ino;
	ext2_set_de_type(dir, de, inode);
	EXT2_I(dir)->i_flags &= ~EXT2_INDEX_FL;   /* an htree index no longer names it all */
	err = ext2_commit_chunk(dir, page, de);
	put_page(page);
	return err;
}

/*
 * Remove entry de (in page) from dir: the entry before it in its block
 * takes its room; the first entry of a block just becomes unused.
 */
int ext2_delete_entry(struct inode *dir, struct ext2_dir_entry_2 *de, struct page *page)
{
	unsigned int bs = dir->i_sb->s_blocksize;
	char *kaddr = page_address(page);
	char *block = kaddr + (((char *)de - kaddr) & ~(bs - 1));
	struct ext2_dir_entry_2 *pde = NULL;

	for (char *p = block; p < (char *)de; p += ((struct ext2_dir_entry_2 *)p)->rec_len)
		pde = (void *)p;
	if (pde)
		pde->rec_len += de->rec_len;
	else
		de->inode = 0;
	return ext2_commit_chunk(dir, page, de);
}

/* Point entry de (in page) of dir at inode instead (rename over a name, a moved "..") */
int ext2_set_link(struct inode *dir, struct ext2_dir_entry_2 *de, struct page *page,
		  struct inode *inode)
{
	de->inode = inode->i_ino;
	ext2_set_de_type(dir, de, inode);
	return ext2_commit_chunk(dir, page, de);
}

/* A new directory's first block: "." and "..", parent's (Linux's ext2_make_empty). */
int ext2_make_empty(struct inode *inode, struct inode *parent)
{
	unsigned int bs = inode->i_sb->s_blocksize;
	struct ext2_dir_entry_2 *de;
	struct page *page;
	int err;
	char *block = ext2_grow_dir(inode, &page, &err);

	if (!block)
		return err;
	de = (void *)block;
	de->inode = inode->i_ino;
	de->name_len = 1;
	de->rec_len = EXT2_DIR_REC_LEN(1);
	memcpy(de->name, ".", 1);
	ext2_set_de_type(inode, de, inode);
	de = (void *)(block + EXT2_DIR_REC_LEN(1));
	de->inode = parent->i_ino;
	de->name_len = 2;
	de->rec_len = bs - EXT2_DIR_REC_LEN(1);
	memcpy(de->name, "..", 2);
	ext2_set_de_type(inode, de, parent);
	err = ext2_commit_chunk(inode, page, block);
	put_page(page);
	return err;
}

/* Does inode (a directory) hold nothing but "." and ".."?  A damaged one counts as not. */
int ext2_empty_dir(struct inode *inode)
{
	unsigned int bs = inode->i_sb->s_blocksize;

	for (unsigned long n = 0; n < ext2_dir_blocks(inode); n++) {
		struct page *page;
		int err;
		char *block = ext2_get_dir_block(inode, n, &page, &err);
		bool other = !block;

		for (unsigned int off = 0; block && off < bs && !other; ) {
			struct ext2_dir_entry_2 *de = (void *)(block + off);

			if (de->inode && !(de->name[0] == '.' && (de->name_len == 1 ||
			    (de->name_len == 2 && de->name[1] == '.'))))
				other = true;
			off += de->rec_len;
		}
		if (block)
			put_page(page);
		if (other)
			return 0;
	}
	return 1;
}

/* dir's ".." entry, the second of its first block (page held in *pagep); NULL and *err. */
struct ext2_dir_entry_2 *ext2_dotdot(struct inode *dir, struct page **pagep, int *err)
{
	char *block = ext2_get_dir_block(dir, 0, pagep, err);
	struct ext2_dir_entry_2 *de;

	if (!block)
		return NULL;
	de = (void *)block;
	if (de->rec_len < dir->i_sb->s_blocksize) {
		de = (void *)(block + de->rec_len);
		if (de->name_len == 2 && !memcmp(de->name, "..", 2))
			return de;
	}
	put_page(*pagep);
	printk(KERN_ERR "ext2: %s: directory #%lu has no \"..\"\n", dir->i_sb->s_bdev->name,
	       dir->i_ino);
	*err = -EIO;
	return NULL;
}
