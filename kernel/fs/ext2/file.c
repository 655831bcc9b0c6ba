/*
 * ext2 file data through the page cache (Linux's ext2_aops and
 * fs/buffer.c's generic parts, without buffer heads): readpage fills a
 * page from the blocks ext2_get_block names; prepare_write/commit_write
 * let generic_file_write allocate a page's blocks before copying into
 * it (so a full disk is ENOSPC from write(), nothing lost); writepage
 * writes a dirty page back with asynchronous bios, allocating the
 * blocks of a hole a MAP_SHARED store filled.  A writable file's last
 * close writes its dirty pages, so an inode never dies dirty.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/blkdev.h>
#include <anvil/writeback.h>
#include <abi/errno.h>
#include "ext2.h"

#define EXT2_MAX_PAGE_BLOCKS (PAGE_SIZE / EXT2_MIN_BLOCK_SIZE)

/*
 * Fill page from the disk, waiting: blocks next to each other on the
 * disk in one request, holes and anything past the end of the file as
 * zeros (what a mapping of the last page shows).  0 or -errno.
 */
int ext2_fill_page(struct inode *inode, struct page *page)
{
	unsigned int bits = EXT2_SB(inode->i_sb)->s_blocksize_bits;
	unsigned int per_page = PAGE_SIZE >> bits;
	u32 first = page->index << (PAGE_SHIFT - bits);
	u32 end = (u32)DIV_ROUND_UP(inode->i_size, 1UL << bits);   /* blocks the file has */
	loff_t in_file = inode->i_size - ((loff_t)page->index << PAGE_SHIFT);
	char *kaddr = page_address(page);
	unsigned int i = 0;
	int err = 0;

	memset(kaddr, 0, PAGE_SIZE);
	while (i < per_page && first + i < end && !err) {
		u32 block, next;
		unsigned int run = 1;

		err = ext2_get_block(inode, first + i, &block, false);
		if (err || !block) {
			i++;
			continue;
		}
		while (i + run < per_page && first + i + run < end &&
		       !ext2_get_block(inode, first + i + run, &next, false) && next == block + run)
			run++;
		err = ext2_read_blocks(inode->i_sb, block, run, kaddr + (i << bits));
		i += run;
	}
	if (!err && in_file > 0 && in_file < (loff_t)PAGE_SIZE)
		memset(kaddr + in_file, 0, PAGE_SIZE - in_file);
	return err;
}

/* readpage: fill the locked page, then up to date -- or PG_error -- and unlocked. */
static int ext2_readpage(struct file *file, struct page *page)
{
	int err = ext2_fill_page(page->mapping->host, page);

	(void)file;
	if (err)
		SetPageError(page);
	else
		SetPageUptodate(page);
	unlock_page(page);
	return err;
}

/* ---- writing a page back ---------------------------------------------- */

/* One page's write: a bio per run of adjacent blocks, done when the last ends. */
struct ext2_page_write {
	struct page *page;
	atomic_t pending;                 /* bios in flight, and one for the submitter */
	int status;
	struct bio bios[EXT2_MAX_PAGE_BLOCKS];
};

/* One bio (or the submitter) done: the last ends the page's writeback, keeping a failure. */
static void ext2_page_write_put(struct ext2_page_write *pw)
{
	struct page *page = pw->page;

	if (!atomic_dec_and_test(&pw->pending))
		return;
	if (pw->status) {
		printk(KERN_ERR "ext2: write error on page %lu of an inode: kept dirty\n",
		       page->index);
		SetPageError(page);
		set_page_dirty(page);           /* the disk does not hold it: keep it */
		if (page->mapping)
			mapping_set_error(page->mapping, -EIO);
	}
	end_page_writeback(page);
	kfree(pw);
}

/* From the disk interrupt. */
static void ext2_end_bio_write(struct bio *bio)
{
	struct ext2_page_write *pw = bio->private;

	if (bio->status)
		pw->status = bio->status;
	ext2_page_write_put(pw);
}

/*
 * The disk blocks of the page's first n blocks into blocks[].  A hole
 * (a MAP_SHARED store where write() never was) is allocated, unless
 * reclaim calls while a change holds s_lock -- reclaim may be that
 * change's own allocation -- which is -EAGAIN: try later.
 */
static int ext2_map_page(struct inode *inode, u32 first, unsigned int n, u32 *blocks,
			 struct writeback_control *wbc)
{
	struct super_block *sb = inode->i_sb;
	bool holes = false;
	int err = 0;

	for (unsigned int i = 0; i < n && !err; i++) {
		err = ext2_get_block(inode, first + i, &blocks[i], false);
		holes |= !blocks[i];
	}
	if (err || !holes)
		return err;
	if (wbc->for_reclaim && rwsem_is_locked(&EXT2_SB(sb)->s_lock))
		return -EAGAIN;
	ext2_lock(sb);
	for (unsigned int i = 0; i < n && !err; i++)
		if (!blocks[i])
			err = ext2_get_block(inode, first + i, &blocks[i], true);
	ext2_write_inode(inode);
	if (ext2_sync_meta(sb) && !err)
		err = -EIO;
	ext2_unlock(sb);
	return err;
}

/*
 * writepage (page locked, its dirty bit cleared by the caller): the
 * blocks inside the file are written with one bio per run of adjacent
 * ones; PG_writeback is set and the page unlocked before they go, and
 * the last bio's end (ext2_end_bio_write) ends the writeback.  A page
 * that cannot be written now stays dirty, the error in the mapping.
 */
static int ext2_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	unsigned int bits = EXT2_SB(inode->i_sb)->s_blocksize_bits;
	unsigned int shift = bits - SECTOR_SHIFT;
	loff_t page_start = (loff_t)page->index << PAGE_SHIFT, valid;
	u32 first = page->index << (PAGE_SHIFT - bits), blocks[EXT2_MAX_PAGE_BLOCKS];
	struct ext2_page_write *pw;
	unsigned int n, nbios = 0;
	int err;

	if (page_start >= inode->i_size) {
		unlock_page(page);                   /* truncated meanwhile: nothing to keep */
		return 0;
	}
	valid = min(inode->i_size - page_start, (loff_t)PAGE_SIZE);
	n = DIV_ROUND_UP(valid, 1U << bits);
	err = ext2_map_page(inode, first, n, blocks, wbc);
	pw = err ? NULL : kmalloc(sizeof(*pw), GFP_NOIO);
	if (!pw && !err)
		err = -ENOMEM;
	if (err) {
		set_page_dirty(page);                /* kept, for a later writeback */
		unlock_page(page);
		if (err == -EAGAIN || err == -ENOMEM)
			return err == -EAGAIN ? 0 : err; /* passing: no error for fsync */
		mapping_set_error(page->mapping, err);   /* -ENOSPC, -EIO */
		return err;
	}
	memset((char *)page_address(page) + valid, 0, PAGE_SIZE - valid);   /* past the end */
	pw->page = page;
	pw->status = 0;
	for (unsigned int i = 0, run; i < n; i += run) {
		struct bio *bio = &pw->bios[nbios++];

		for (run = 1; i + run < n && blocks[i + run] == blocks[i] + run; run++)
			;
		*bio = (struct bio){
			.bdev = inode->i_sb->s_bdev, .sector = blocks[i] << shift,
			.nr_sectors = run << shift, .buf = (char *)page_address(page) + (i << bits),
			.write = true, .end_io = ext2_end_bio_write, .private = pw,
		};
	}
	atomic_set(&pw->pending, nbios + 1);
	set_page_writeback(page);
	unlock_page(page);
	for (unsigned int i = 0; i < nbios; i++)
		submit_bio(&pw->bios[i]);
	ext2_page_write_put(pw);
	wbc->nr_to_write--;
	return 0;
}

/* ---- write() ------------------------------------------------------------ */

/*
 * Before generic_file_write copies bytes [from, to) into page (locked):
 * a page not up to date is read first, and every block of the page
 * inside the file as it will be is allocated, so the copy cannot be
 * lost for want of room.  ENOSPC gives back what this page took past
 * the end of the file.
 */
static int ext2_prepare_write(struct file *file, struct page *page, unsigned int from,
			      unsigned int to)
{
	struct inode *inode = page->mapping->host;
	struct super_block *sb = inode->i_sb;
	unsigned int bits = EXT2_SB(sb)->s_blocksize_bits;
	loff_t page_start = (loff_t)page->index << PAGE_SHIFT;
	loff_t end = max(inode->i_size, page_start + to);
	unsigned int n = DIV_ROUND_UP(min(end - page_start, (loff_t)PAGE_SIZE), 1U << bits);
	u32 first = page->index << (PAGE_SHIFT - bits);
	int err = 0;

	(void)file;
	(void)from;
	if (!PageUptodate(page)) {
		err = ext2_fill_page(inode, page);
		if (err)
			return err;
		SetPageUptodate(page);
	}
	ext2_lock(sb);
	for (unsigned int i = 0; i < n && !err; i++) {
		u32 block;

		err = ext2_get_block(inode, first + i, &block, true);
	}
	if (err) {
		ext2_truncate_blocks(inode, inode->i_size);
		set_page_dirty(page);                /* blocks inside the file may be new */
		ext2_write_inode(inode);
		ext2_sync_meta(sb);
	}
	ext2_unlock(sb);
	return err;
}

/* After the copy of [from, to): the page is dirty, and the file reaches its end. */
static int ext2_commit_write(struct file *file, struct page *page, unsigned int from,
			     unsigned int to)
{
	struct inode *inode = page->mapping->host;
	loff_t end = ((loff_t)page->index << PAGE_SHIFT) + to;

	(void)file;
	(void)from;
	set_page_dirty(page);
	if (end > inode->i_size)
		inode->i_size = end;
	return 0;
}

const struct address_space_operations ext2_aops = {
	.readpage = ext2_readpage,
	.writepage = ext2_writepage,
	.prepare_write = ext2_prepare_write,
	.commit_write = ext2_commit_write,
};

/*
 * write(2): generic_file_write with the inode's i_sem held (one write
 * or truncate of a file at a time), then the inode -- size, times,
 * block map -- and the allocation's metadata to the disk.
 */
static ssize_t ext2_file_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	struct inode *inode = f->f_inode;
	struct super_block *sb = inode->i_sb;
	ssize_t ret;

	down_write(&EXT2_I(inode)->i_sem);
	ret = generic_file_write(f, ubuf, count, pos);
	ext2_lock(sb);
	ext2_write_inode(inode);
	if (ext2_sync_meta(sb) && ret >= 0)
		ret = -EIO;
	ext2_unlock(sb);
	up_write(&EXT2_I(inode)->i_sem);
	return ret;
}

/*
 * The last close of an open file: one that could write has its dirty
 * pages written and waited for, so that the inode, once unused, can go
 * with nothing lost (an unlinked one's pages just go).  An error stays
 * recorded for the next fsync.
 */
static void ext2_release_file(struct inode *inode, struct file *f)
{
	if (file_writable(f) && inode->i_nlink)
		mapping_set_error(inode->i_mapping, filemap_write_and_wait(inode->i_mapping));
}

const struct file_operations ext2_file_operations = {
	.read = generic_file_read,
	.write = ext2_file_write,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
	.release = ext2_release_file,
};

const struct inode_operations ext2_file_inode_operations = {
	.truncate = ext2_truncate,
};
