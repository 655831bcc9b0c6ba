/*
 * The page cache: a file's pages, kept in its address_space's radix tree
 * by page index.  ramfs keeps file data nowhere else; a disk file system
 * fills a page through its a_ops->readpage at the first use
 * (read_cache_page) -- with the pages after or around it, read ahead
 * (mm/readahead.c) -- and its pages go on the LRU, where reclaim drops the
 * clean ones and writes the dirty ones back (mm/vmscan.c); shmem's go to
 * swap, and shmem_getpage brings them back.  read(), write() and mmap()
 * all meet in these pages: a MAP_SHARED store is what the next read()
 * returns.  Also here: lock_page, truncation, and filemap_nopage, the
 * fault handler of file mappings.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/uaccess.h>
#include <anvil/vmstat.h>
#include <anvil/swap.h>
#include <anvil/writeback.h>
#include <abi/errno.h>

static DECLARE_WAIT_QUEUE_HEAD(page_lock_wait);

/* PG_locked: held across I/O and reclaim decisions; sleepers wait here. */
void lock_page(struct page *page)
{
	while (TestSetPageLocked(page))
		wait_event(page_lock_wait, !PageLocked(page));
}

void unlock_page(struct page *page)
{
	BUG_ON(!PageLocked(page));
	ClearPageLocked(page);
	wake_up(&page_lock_wait);
}

/* The page at index, with a reference for the caller, or NULL. */
struct page *find_get_page(struct address_space *mapping, unsigned long index)
{
	struct page *page;

	spin_lock(&mapping->tree_lock);
	page = radix_tree_lookup(&mapping->page_tree, index);
	if (page)
		get_page(page);
	spin_unlock(&mapping->tree_lock);
	return page;
}

/*
 * Up to nr pages of mapping from index start on, in index order, each
 * with a reference (reclaim may free a page while the caller sleeps on
 * it); how many.  Linux's find_get_pages: the batch walks of truncate,
 * writeback and invalidation.
 */
unsigned int find_get_pages(struct address_space *mapping, unsigned long start, unsigned int nr,
			    struct page **pages)
{
	unsigned int n;

	spin_lock(&mapping->tree_lock);
	n = radix_tree_gang_lookup(&mapping->page_tree, (void **)pages, start, nr);
	for (unsigned int i = 0; i < n; i++)
		get_page(pages[i]);
	spin_unlock(&mapping->tree_lock);
	return n;
}

/* The file system a mapping's pages count against (NULL for the swap cache). */
static struct super_block *mapping_sb(struct address_space *mapping)
{
	return mapping->host ? mapping->host->i_sb : NULL;
}

/*
 * Insert page at index; the cache holds its own reference.  -ENOSPC when
 * the file system is full (a tmpfs at its size= limit).
 */
int add_to_page_cache(struct page *page, struct address_space *mapping, unsigned long index,
		      gfp_t gfp)
{
	struct super_block *sb = mapping_sb(mapping);
	int err;

	if (sb && sb->s_max_blocks && sb->s_blocks >= sb->s_max_blocks)
		return -ENOSPC;
	err = radix_tree_preload(gfp & ~__GFP_ZERO);
	if (err)
		return err;
	spin_lock(&mapping->tree_lock);
	err = radix_tree_insert(&mapping->page_tree, index, page);
	if (!err) {
		if (sb)
			sb->s_blocks++;
		get_page(page);
		page->mapping = mapping;
		page->index = index;
		mapping->nrpages++;
		mod_vm_stat(NR_FILE_PAGES, 1);
		if (mapping->swap_backed)
			mod_vm_stat(NR_SHMEM, 1);
	}
	spin_unlock(&mapping->tree_lock);
	radix_tree_preload_end();
	return err;
}

/* Take page out of its mapping; the caller drops the cache's reference. */
void remove_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	BUG_ON(page_mapped(page));
	spin_lock(&mapping->tree_lock);
	radix_tree_delete(&mapping->page_tree, page->index);
	page->mapping = NULL;
	mapping->nrpages--;
	if (mapping_sb(mapping))
		mapping_sb(mapping)->s_blocks--;
	mod_vm_stat(NR_FILE_PAGES, -1);
	if (mapping->swap_backed)
		mod_vm_stat(NR_SHMEM, -1);
	spin_unlock(&mapping->tree_lock);
}

/*
 * The page at index, creating a zero-filled one if the file has none
 * there (a hole, or shared memory not touched yet).  With a reference.
 */
struct page *find_or_create_page(struct address_space *mapping, unsigned long index, gfp_t gfp)
{
	int err;

	if (mapping->swap_backed)      /* its page may be out on swap */
		return shmem_getpage(mapping->host, index, SGP_CACHE, &err);
	for (;;) {
		struct page *page = find_get_page(mapping, index);

		if (page)
			return page;
		page = alloc_page(gfp | __GFP_ZERO);
		if (!page)
			return NULL;
		err = add_to_page_cache(page, mapping, index, gfp);
		if (!err) {
			SetPageUptodate(page);
			if (mapping->a_ops)
				lru_cache_add(page);         /* a disk file's: reclaimable */
			return page;
		}
		put_page(page);
		if (err != -EEXIST)
			return NULL;
	}
}

/*
 * The page at index, read in by a_ops->readpage if the cache has none:
 * with a reference, or NULL and *err (-ENOMEM, or -EIO: the failed page
 * leaves the cache, so the next use reads again).  A reader finding a
 * page still being read waits for its lock; one whose read failed --
 * read-ahead's, which reports to nobody -- it reads again, for itself.
 */
struct page *read_cache_page(struct address_space *mapping, unsigned long index, int *err)
{
	bool mine = false;                   /* this call started the page's read */
	struct page *page;

	while (!(page = find_get_page(mapping, index))) {
		page = alloc_page(GFP_HIGHUSER);
		if (!page) {
			*err = -ENOMEM;
			return NULL;
		}
		SetPageLocked(page);                 /* for readpage; others wait on it */
		*err = add_to_page_cache(page, mapping, index, GFP_KERNEL);
		if (!*err) {
			lru_cache_add(page);             /* reclaimable from now on */
			count_vm_events(PGPGIN, PAGE_SIZE / 1024);
			mapping->a_ops->readpage(NULL, page);
			mine = true;
			break;
		}
		ClearPageLocked(page);
		put_page(page);
		if (*err != -EEXIST)
			return NULL;
	}
	if (PageUptodate(page))
		return page;
	lock_page(page);
	if (!PageUptodate(page) && !mine && page->mapping == mapping) {
		ClearPageError(page);
		mapping->a_ops->readpage(NULL, page);    /* unlocks it */
		lock_page(page);
	}
	if (!PageUptodate(page)) {
		if (page->mapping == mapping) {
			remove_from_page_cache(page);
			put_page(page);                  /* the cache's reference */
		}
		unlock_page(page);
		put_page(page);
		*err = -EIO;
		return NULL;
	}
	unlock_page(page);
	return page;
}

/*
 * The page at index to read: from swap for shmem, from the disk for a
 * file system with one, else cached or NULL (a hole).
 */
static struct page *filemap_get_page(struct address_space *mapping, unsigned long index,
				     int *err)
{
	*err = 0;
	if (mapping->swap_backed)
		return shmem_getpage(mapping->host, index, SGP_READ, err);
	if (mapping->a_ops)
		return read_cache_page(mapping, index, err);
	return find_get_page(mapping, index);
}

/* Zero bytes [from, to) of the page at index, if the file has one there (shmem: even on swap). */
static void zero_page_part(struct address_space *mapping, unsigned long index, unsigned int from,
			   unsigned int to)
{
	int err;
	struct page *page = mapping->swap_backed ?
			    shmem_getpage(mapping->host, index, SGP_READ, &err) :
			    find_get_page(mapping, index);

	if (page) {
		memset((char *)page_address(page) + from, 0, to - from);
		put_page(page);
	}
}

/*
 * Take page (locked) out of mapping for a truncate: after its write in
 * flight, and with its dirty data dropped (the file no longer has that
 * part).  A fault that mapped it after the caller's unmap_mapping_range
 * (one punching a hole: the size did not change) loses it now.
 */
static void truncate_complete_page(struct address_space *mapping, struct page *page)
{
	wait_on_page_writeback(page);
	if (page_mapped(page))
		unmap_mapping_range(mapping, (loff_t)page->index << PAGE_SHIFT, PAGE_SIZE, false);
	cancel_dirty_page(page);
	remove_from_page_cache(page);
	put_page(page);                      /* the cache's reference */
}

/*
 * Drop the pages of bytes [lstart, lend] (inclusive, as Linux's; lend -1
 * for the end of the file), zeroing what a partial first or last page
 * holds of the range: truncate, unlink of the last name, a punched hole.
 * Mappings of those pages must already be gone (unmap_mapping_range).
 * A page may go to swap while we wait for its lock (shmem_writepage):
 * it is no longer ours, and shmem_truncate_range frees its slot after.
 */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	unsigned long start = (unsigned long)(lstart >> PAGE_SHIFT);
	unsigned long end = lend < 0 ? ~0UL : (unsigned long)((lend + 1) >> PAGE_SHIFT);
	unsigned int head = lstart & ~PAGE_MASK, tail = (lend + 1) & ~PAGE_MASK;
	struct page *pages[16];
	unsigned int n;

	if (head) {
		zero_page_part(mapping, start, head, start == end ? tail : PAGE_SIZE);
		start++;
	}
	if (lend >= 0 && tail && end >= start)
		zero_page_part(mapping, end, 0, tail);
	for (unsigned long index = start; index < end; ) {
		n = find_get_pages(mapping, index, ARRAY_SIZE(pages), pages);
		if (!n)
			break;
		index = pages[n - 1]->index + 1;
		for (unsigned int i = 0; i < n; i++) {
			struct page *page = pages[i];

			if (page->index < end) {
				lock_page(page);
				if (page->mapping == mapping)    /* else reclaim took it */
					truncate_complete_page(mapping, page);
				unlock_page(page);
			}
			put_page(page);
		}
	}
	if (mapping->swap_backed)
		shmem_truncate_range(mapping, start, end);
}

void truncate_inode_pages(struct address_space *mapping, loff_t from)
{
	truncate_inode_pages_range(mapping, from, -1);
}

/*
 * A file's size becomes newsize (truncate, ftruncate, O_TRUNC): when it
 * shrinks, the pages past the end leave every mapping, private COW copies
 * included, and the cache.  The size is set first: a fault that comes
 * after sees it (SIGBUS), one asleep in nopage sees unmap_mapping_range's
 * truncate_count move and asks again (do_no_page).  Linux's truncate_setsize.
 */
void truncate_setsize(struct inode *inode, loff_t newsize)
{
	loff_t oldsize = inode->i_size;

	inode->i_size = newsize;
	if (newsize < oldsize) {
		unmap_mapping_range(inode->i_mapping, ALIGN_UP(newsize, PAGE_SIZE), 0, true);
		truncate_inode_pages(inode->i_mapping, newsize);
	}
}

/*
 * Fault handler of file (and shmem) mappings: the page cache page, or
 * SIGBUS past EOF.  A disk file's page not cached comes with the pages
 * around it (page_cache_readaround); a MADV_SEQUENTIAL mapping's faults
 * move the file's read-ahead window, as read() does.
 */
struct page *filemap_nopage(struct vm_area_struct *vma, unsigned long address)
{
	struct inode *inode = vma->vm_file->f_inode;
	unsigned long pgoff = linear_page_index(vma, address);
	struct page *page;
	int err = -ENOMEM;

	if (pgoff >= DIV_ROUND_UP(inode->i_size, PAGE_SIZE))
		return NOPAGE_SIGBUS;
	if (inode->i_mapping->swap_backed) {
		page = shmem_getpage(inode, pgoff, SGP_CACHE, &err);
	} else if (inode->i_mapping->a_ops) {
		if (vma->vm_flags & VM_SEQ_READ)     /* told of every page, as for read() */
			page_cache_readahead(inode->i_mapping, &vma->vm_file->f_ra, vma->vm_file,
					     pgoff, 1);
		page = find_get_page(inode->i_mapping, pgoff);
		if (!page) {
			page_cache_readaround(inode->i_mapping, vma, pgoff);
			page = read_cache_page(inode->i_mapping, pgoff, &err);
		} else if (!PageUptodate(page)) {    /* being read, or its read failed */
			put_page(page);
			page = read_cache_page(inode->i_mapping, pgoff, &err);
		}
	} else {
		page = find_or_create_page(inode->i_mapping, pgoff, GFP_HIGHUSER);
	}
	if (!page)      /* a read error, or a full tmpfs: SIGBUS, as Linux's shmem_fault */
		return err == -ENOMEM ? NOPAGE_OOM : NOPAGE_SIGBUS;
	mark_page_accessed(page);
	return page;
}

static const struct vm_operations_struct generic_file_vm_ops = {
	.nopage = filemap_nopage,
};

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}

/*
 * read(2) of a page-cache file: holes read as zeros.  A disk file's
 * read-ahead window moves with each page (page_cache_readahead).
 */
ssize_t generic_file_read(struct file *f, char *ubuf, size_t count, loff_t *ppos)
{
	struct inode *inode = f->f_inode;
	loff_t pos = *ppos;
	size_t done = 0;
	unsigned long last;
	int err = 0;

	if (pos >= inode->i_size)
		return 0;
	if ((loff_t)count > inode->i_size - pos)
		count = inode->i_size - pos;
	last = (pos + count - 1) >> PAGE_SHIFT;
	while (done < count) {
		unsigned long offset = pos & ~PAGE_MASK, index = pos >> PAGE_SHIFT;
		size_t n = min(PAGE_SIZE - offset, count - done);
		struct page *page;
		unsigned long left;

		if (mapping_reads_pages(inode->i_mapping))
			page_cache_readahead(inode->i_mapping, &f->f_ra, f, index,
					     last - index + 1);
		page = filemap_get_page(inode->i_mapping, index, &err);
		if (page) {
			left = copy_to_user(ubuf + done, (char *)page_address(page) + offset, n);
			mark_page_accessed(page);
			put_page(page);
		} else if (err) {
			break;
		} else {
			left = clear_user(ubuf + done, n);
		}
		done += n - left;
		pos += n - left;
		if (left)
			break;
	}
	*ppos = pos;
	if (!done && count)
		return err ? err : -EFAULT;
	if (!sb_rdonly(inode->i_sb))             /* Linux's touch_atime */
		inode->i_atime = current_time_sec();
	return done;
}

/*
 * The page at index, locked, for a write through a_ops->prepare_write:
 * a new one is added not up to date (prepare_write reads it), and a
 * reader meanwhile waits on its lock (Linux's grab_cache_page).
 */
static struct page *grab_cache_page(struct address_space *mapping, unsigned long index,
				    int *err)
{
	for (;;) {
		struct page *page = find_get_page(mapping, index);

		if (page) {
			lock_page(page);
			if (page->mapping == mapping)
				return page;
			unlock_page(page);           /* truncated while we slept: again */
			put_page(page);
			continue;
		}
		page = alloc_page(GFP_HIGHUSER);
		if (!page) {
			*err = -ENOMEM;
			return NULL;
		}
		SetPageLocked(page);
		*err = add_to_page_cache(page, mapping, index, GFP_KERNEL);
		if (!*err) {
			lru_cache_add(page);             /* reclaimable once written back */
			return page;
		}
		ClearPageLocked(page);
		put_page(page);
		if (*err != -EEXIST)
			return NULL;
	}
}

/*
 * Copy n bytes from ubuf to the file at pos (inside one page) through
 * the file system's prepare_write/commit_write: the bytes copied, or
 * -errno if none could be (-ENOSPC: no room on the disk).  A page that
 * prepare_write could not make up to date leaves the cache.
 */
static ssize_t write_one_page_aops(struct file *f, loff_t pos, const char *ubuf, size_t n)
{
	struct address_space *mapping = f->f_inode->i_mapping;
	unsigned int from = pos & ~PAGE_MASK;
	unsigned long left;
	int err;
	struct page *page = grab_cache_page(mapping, pos >> PAGE_SHIFT, &err);

	if (!page)
		return err;
	err = mapping->a_ops->prepare_write(f, page, from, from + n);
	if (err) {
		if (!PageUptodate(page)) {
			remove_from_page_cache(page);
			put_page(page);              /* the cache's reference */
		}
		unlock_page(page);
		put_page(page);
		return err;
	}
	left = __copy_from_user_inatomic((char *)page_address(page) + from, ubuf, n);
	mapping->a_ops->commit_write(f, page, from, from + n - left);
	unlock_page(page);
	mark_page_accessed(page);
	put_page(page);
	balance_dirty_pages_ratelimited(mapping);    /* one writer must not fill RAM */
	return n - left;
}

/* write(2) to a page-cache file, growing it as needed. */
ssize_t generic_file_write(struct file *f, const char *ubuf, size_t count, loff_t *ppos)
{
	struct inode *inode = f->f_inode;
	const struct address_space_operations *a_ops = inode->i_mapping->a_ops;
	loff_t pos = (f->f_flags & O_APPEND) ? inode->i_size : *ppos;
	size_t done = 0;
	ssize_t err = 0;

	if (pos < 0)
		return -EINVAL;
	if (pos >= MAX_LFS_FILESIZE)
		return count ? -EFBIG : 0;
	if ((loff_t)count > MAX_LFS_FILESIZE - pos)
		count = MAX_LFS_FILESIZE - pos;
	if (count)
		file_remove_privs(inode);          /* set-id bits go, unless root writes */
	while (done < count) {
		unsigned long offset = pos & ~PAGE_MASK;
		size_t n = min(PAGE_SIZE - offset, count - done);
		struct page *page;
		unsigned long left;

		/*
		 * Killed (the OOM killer's victim): stop.  A dying task may take
		 * the last reserve pages to reach its exit; a write filling them
		 * into a file nobody can swap would leave nothing for anyone.
		 */
		if (fatal_signal_pending(current))
			return done ? (ssize_t)done : -EINTR;
		if (a_ops && a_ops->prepare_write) {
			ssize_t copied = write_one_page_aops(f, pos, ubuf + done, n);

			if (copied < 0) {
				err = copied;
				break;
			}
			left = n - copied;
		} else {
			page = find_or_create_page(inode->i_mapping, pos >> PAGE_SHIFT, GFP_KERNEL);
			if (!page)
				return done ? (ssize_t)done : -ENOSPC;
			left = __copy_from_user_inatomic((char *)page_address(page) + offset,
							 ubuf + done, n);
			set_page_dirty(page);
			mark_page_accessed(page);
			put_page(page);
		}
		done += n - left;
		pos += n - left;
		if (pos > inode->i_size)
			inode->i_size = pos;
		if (left)
			break;
	}
	*ppos = pos;
	if (!done && count)
		return err ? err : -EFAULT;
	inode->i_mtime = inode->i_ctime = current_time_sec();
	return done;
}
