/*
 * ext2 file data through the page cache (Linux's ext2_aops and
 * fs/buffer.c's and fs/mpage.c's generic parts, without buffer heads):
 * readpage starts a page's read from the blocks ext2_get_block names,
 * readpages (read-ahead's) reads pages laid out in order on the disk in
 * one request; both complete in the bio's end; prepare_write/commit_write
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
 * Fill page from the disk, waiting (prepare_write's, and readpage's when
 * short of memory): blocks next to each other on the disk in one
 * request, holes and anything past the end of the file as zeros (what a
 * mapping of the last page shows).  0 or -errno.
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

	clear_page(kaddr);
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

/* ---- reading pages ------------------------------------------------------ */

/*
 * Pages being read: up to date (or PG_error) and unlocked when the last
 * of the bios ends.  Either one bio over several pages whose blocks
 * follow each other on the disk (readpages), or one page's bios, one per
 * run of adjacent blocks.
 */
struct ext2_page_read {
	atomic_t pending;                 /* bios in flight, and one for the submitter */
	int status;
	unsigned int nr_pages;
	unsigned int zero_from;           /* the last page's bytes past the file's end */
	struct page *pages[BIO_MAX_PAGES];
	struct bio bios[EXT2_MAX_PAGE_BLOCKS];
};

/*
 * One bio (or the submitter) done: the last marks the pages.  A failure
 * is only PG_error: a read-ahead page nobody asked for reports nothing,
 * and the reader who wants it reads it again (read_cache_page).
 */
static void ext2_page_read_put(struct ext2_page_read *pr)
{
	if (!atomic_dec_and_test(&pr->pending))
		return;
	for (unsigned int i = 0; i < pr->nr_pages; i++) {
		struct page *page = pr->pages[i];

		if (pr->status) {
			SetPageError(page);
		} else {
			if (i == pr->nr_pages - 1)
				memset((char *)page_address(page) + pr->zero_from, 0,
				       PAGE_SIZE - pr->zero_from);
			SetPageUptodate(page);
		}
		unlock_page(page);
	}
	kfree(pr);
}

/* From the disk interrupt. */
static void ext2_end_bio_read(struct bio *bio)
{
	struct ext2_page_read *pr = bio->private;

	if (bio->status)
		pr->status = bio->status;
	ext2_page_read_put(pr);
}

/* Where page's bytes past the end of the file begin (PAGE_SIZE: none). */
static unsigned int ext2_zero_from(struct page *page)
{
	loff_t in_file = page->mapping->host->i_size - ((loff_t)page->index << PAGE_SHIFT);

	return in_file <= 0 ? 0 : min(in_file, (loff_t)PAGE_SIZE);
}

static struct ext2_page_read *ext2_page_read_alloc(struct page *page)
{
	struct ext2_page_read *pr = kmalloc(sizeof(*pr), GFP_NOIO);

	if (!pr)
		return NULL;
	atomic_set(&pr->pending, 1);
	pr->status = 0;
	pr->nr_pages = 1;
	pr->pages[0] = page;
	pr->zero_from = ext2_zero_from(page);
	return pr;
}

/* A read bio of count blocks from block into pr. */
static struct bio *ext2_read_bio(struct ext2_page_read *pr, unsigned int nr, struct inode *inode,
				 u32 block, unsigned int count)
{
	unsigned int shift = EXT2_SB(inode->i_sb)->s_blocksize_bits - SECTOR_SHIFT;

	pr->bios[nr] = (struct bio){
		.bdev = inode->i_sb->s_bdev, .sector = block << shift, .nr_sectors = count << shift,
		.end_io = ext2_end_bio_read, .private = pr,
	};
	return &pr->bios[nr];
}

/* Send pr's nr bios and drop the submitter's count: the pages complete when the disk is done. */
static void ext2_page_read_submit(struct ext2_page_read *pr, unsigned int nr)
{
	atomic_add(nr, &pr->pending);
	for (unsigned int i = 0; i < nr; i++)
		submit_bio(&pr->bios[i]);
	ext2_page_read_put(pr);
}

/*
 * The disk blocks of page's blocks inside the file into blocks[] (0: a
 * hole), their number in *n: 0 or -errno.
 */
static int ext2_page_blocks(struct inode *inode, struct page *page, u32 *blocks, unsigned int *n)
{
	unsigned int bits = EXT2_SB(inode->i_sb)->s_blocksize_bits;
	u32 first = page->index << (PAGE_SHIFT - bits);
	u32 end = (u32)DIV_ROUND_UP(inode->i_size, 1UL << bits);   /* blocks the file has */
	int err = 0;

	*n = first < end ? min(end - first, (u32)(PAGE_SIZE >> bits)) : 0;
	for (unsigned int i = 0; i < *n && !err; i++)
		err = ext2_get_block(inode, first + i, &blocks[i], false);
	return err;
}

/* Are the page's n blocks all on the disk, one after the other (one bio can read them)? */
static bool ext2_blocks_contiguous(const u32 *blocks, unsigned int n)
{
	if (!n || !blocks[0])
		return false;
	for (unsigned int i = 1; i < n; i++)
		if (blocks[i] != blocks[0] + i)
			return false;
	return true;
}

/*
 * readpage: start the reads of the locked page -- one bio per run of
 * adjacent blocks, holes and what lies past the end of the file zeroed
 * -- and return; the last bio's end marks it up to date (or PG_error)
 * and unlocks it, and read_cache_page waits for that.  Short of memory
 * for the request, the page is read here, waiting.
 */
static int ext2_readpage(struct file *file, struct page *page)
{
	struct inode *inode = page->mapping->host;
	unsigned int bits = EXT2_SB(inode->i_sb)->s_blocksize_bits;
	char *kaddr = page_address(page);
	u32 blocks[EXT2_MAX_PAGE_BLOCKS];
	struct ext2_page_read *pr;
	unsigned int n, nbios = 0;
	int err;

	(void)file;
	pr = ext2_page_read_alloc(page);
	if (!pr) {
		err = ext2_fill_page(inode, page);
		if (err)
			SetPageError(page);
		else
			SetPageUptodate(page);
		unlock_page(page);
		return err;
	}
	err = ext2_page_blocks(inode, page, blocks, &n);
	if (err) {
		pr->status = err;
		ext2_page_read_put(pr);
		return err;
	}
	for (unsigned int i = 0, run; i < n; i += run) {
		run = 1;
		if (!blocks[i]) {
			memset(kaddr + (i << bits), 0, 1U << bits);
			continue;
		}
		while (i + run < n && blocks[i + run] == blocks[i] + run)
			run++;
		ext2_read_bio(pr, nbios++, inode, blocks[i], run)->buf = kaddr + (i << bits);
	}
	ext2_page_read_submit(pr, nbios);
	return 0;
}

/*
 * readpages (read-ahead's): pages whose blocks follow each other on the
 * disk, page after page, go in one bio over the pages -- up to the
 * largest request a disk takes -- so a file laid out in order is read in
 * 128 KiB requests (Linux's mpage_readpages).  A page with holes, or
 * blocks out of order, goes through readpage alone.
 */
static void ext2_readpages(struct file *file, struct address_space *mapping, struct page **pages,
			   unsigned int nr)
{
	struct inode *inode = mapping->host;
	unsigned int bits = EXT2_SB(inode->i_sb)->s_blocksize_bits;
	struct ext2_page_read *pr = NULL;
	u32 next_block = 0;                  /* where pr's bio ends on the disk */

	for (unsigned int i = 0; i < nr; i++) {
		struct page *page = pages[i];
		u32 blocks[EXT2_MAX_PAGE_BLOCKS];
		unsigned int n;
		bool simple = !ext2_page_blocks(inode, page, blocks, &n) &&
			      ext2_blocks_contiguous(blocks, n);

		if (pr && simple && blocks[0] == next_block && pr->nr_pages < BIO_MAX_PAGES &&
		    pr->pages[pr->nr_pages - 1]->index + 1 == page->index &&
		    pr->zero_from == PAGE_SIZE) {
			pr->pages[pr->nr_pages++] = page;
			pr->zero_from = ext2_zero_from(page);
			pr->bios[0].nr_pages = pr->nr_pages;
			pr->bios[0].nr_sectors += n << (bits - SECTOR_SHIFT);
			next_block += n;
			continue;
		}
		if (pr)
			ext2_page_read_submit(pr, 1);
		pr = simple ? ext2_page_read_alloc(page) : NULL;
		if (!pr) {
			ext2_readpage(file, page);
			continue;
		}
		ext2_read_bio(pr, 0, inode, blocks[0], n)->pages = pr->pages;
		pr->bios[0].nr_pages = 1;
		next_block = blocks[0] + n;
	}
	if (pr)
		ext2_page_read_submit(pr, 1);
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
	.readpages = ext2_readpages,
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
