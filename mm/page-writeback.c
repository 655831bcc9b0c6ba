/*
 * Writeback: the protocol a page follows from dirty to written
 * (set_page_dirty, clear_page_dirty_for_io, PG_writeback,
 * end_page_writeback), the errors a mapping remembers for the next fsync
 * (AS_EIO), writing a mapping's dirty pages through its a_ops->writepage
 * (fsync, msync, sync), the inodes with dirty pages and the age of their
 * oldest, pdflush's periodic writeback of old dirty data (wb_kupdate), and
 * the throttling of a task that dirties pages faster than the disk takes
 * them (balance_dirty_pages).  Reclaim writes single pages (mm/vmscan.c).
 * Lab filemap (labs/README.md) fences write_cache_range's per-page step
 * with "LAB filemap: BEGIN/END".
 */
#include <anvil/kernel.h>
#include <anvil/blkdev.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/swap.h>
#include <anvil/time.h>
#include <anvil/timer.h>
#include <anvil/vmstat.h>
#include <anvil/writeback.h>
#include <abi/errno.h>

#define WRITEBACK_BATCH 16       /* pages looked up at once in the radix tree */
#define MAX_WRITEBACK_PAGES 1024 /* pages pdflush writes between looks at the clock */
#define RATELIMIT_PAGES 8        /* pages dirtied between looks at the limits */

/* /proc/sys/vm, with Linux's defaults */
unsigned int dirty_background_ratio = 10;        /* % of dirtyable memory: pdflush starts */
unsigned int vm_dirty_ratio = 20;                /* %: the writer itself writes and waits */
unsigned int dirty_writeback_interval = 5 * 100; /* centisecs between pdflush's rounds */
unsigned int dirty_expire_interval = 30 * 100;   /* centisecs dirty data may stay in memory */

static DECLARE_WAIT_QUEUE_HEAD(writeback_wait);
static DECLARE_WAIT_QUEUE_HEAD(pdflush_wait);

/*
 * Inodes with dirty pages, oldest first by dirtied_when (Linux 2.6's
 * per-super_block s_dirty, made one list: anvil has few file systems).
 * An inode is on it from its first dirty page until a writeback finds
 * none left; iput takes it off before the inode goes (inode_wb_evict).
 */
static LIST_HEAD(dirty_inodes);
/*
 * Guards dirty_inodes and the dirty counts: a failed write makes its page
 * dirty again from the disk interrupt (mapping->tree_lock's job in Linux,
 * where it is taken with interrupts off for the same reason).
 */
static DEFINE_SPINLOCK(inode_wb_lock);
static bool background_wanted;   /* balance_dirty_pages asked pdflush for a round now */
static unsigned int ratelimit;   /* pages dirtied since the limits were last looked at */

/* ---- the dirty bit ------------------------------------------------- */

/*
 * Pages whose dirtiness is data to write to a file system: not the swap
 * cache's (anonymous memory, written only by reclaim), not shmem's,
 * not ramfs' (no a_ops).  Linux's mapping_cap_account_dirty.
 */
static bool mapping_cap_account_dirty(const struct address_space *mapping)
{
	return mapping && mapping->host && !mapping->swap_backed && mapping->a_ops &&
	       mapping->a_ops->writepage;
}

/* inode has a dirty page: on the dirty list, stamped, if it was not yet (Linux's); locked. */
static void __mark_inode_dirty(struct inode *inode)
{
	if (!list_empty(&inode->i_wb_list))
		return;
	inode->dirtied_when = jiffies;
	list_add_tail(&inode->i_wb_list, &dirty_inodes);
}

/*
 * Mark page dirty: its contents must reach the disk before it is freed.
 * A file page is counted (nr_dirty, the mapping's nrdirty) and its inode
 * goes on the dirty list (Linux's __set_page_dirty_nobuffers).  Callable
 * from the disk interrupt (a failed write keeps its page dirty).
 */
void set_page_dirty(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	unsigned long flags;

	if (TestSetPageDirty(page) || !mapping_cap_account_dirty(mapping))
		return;
	spin_lock_irqsave(&inode_wb_lock, flags);
	mapping->nrdirty++;
	mod_vm_stat(NR_FILE_DIRTY, 1);
	count_vm_event(NR_DIRTIED);
	__mark_inode_dirty(mapping->host);
	spin_unlock_irqrestore(&inode_wb_lock, flags);
}

/* The dirty bit of a page went: uncount it. */
static void account_page_cleaned(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	unsigned long flags;

	if (!mapping_cap_account_dirty(mapping))
		return;
	spin_lock_irqsave(&inode_wb_lock, flags);
	mapping->nrdirty--;
	mod_vm_stat(NR_FILE_DIRTY, -1);
	spin_unlock_irqrestore(&inode_wb_lock, flags);
}

/* Before writepage (page locked): true if the page was dirty, and is now clean until stored to. */
bool clear_page_dirty_for_io(struct page *page)
{
	BUG_ON(!PageLocked(page));
	if (!TestClearPageDirty(page))
		return false;
	account_page_cleaned(page);
	return true;
}

/* The page leaves its file unwritten (truncate, a punched hole): it is dirty no more. */
void cancel_dirty_page(struct page *page)
{
	if (TestClearPageDirty(page))
		account_page_cleaned(page);
}

/* writepage could not write page (locked) now: dirty again, for a later writeback. */
void redirty_page_for_writepage(struct writeback_control *wbc, struct page *page)
{
	(void)wbc;
	set_page_dirty(page);
}

/* ---- PG_writeback -------------------------------------------------- */

void set_page_writeback(struct page *page)
{
	BUG_ON(TestSetPageWriteback(page));
	mod_vm_stat(NR_WRITEBACK, 1);
	count_vm_event(NR_WRITTEN);
	count_vm_events(PGPGOUT, PAGE_SIZE / 1024);     /* in KiB, as Linux counts */
}

/*
 * The write of page finished (from the disk interrupt): wake whoever
 * waits on it; a page reclaim wanted goes to the inactive tail, to be
 * freed at the next scan (Linux's rotate_reclaimable_page at this point).
 */
void end_page_writeback(struct page *page)
{
	if (TestClearPageReclaim(page) && !PageDirty(page)) {
		rotate_reclaimable_page(page);
		count_vm_event(PGROTATED);
	}
	if (!TestClearPageWriteback(page))
		BUG();
	mod_vm_stat(NR_WRITEBACK, -1);
	wake_up(&writeback_wait);
}

void wait_on_page_writeback(struct page *page)
{
	wait_event(writeback_wait, !PageWriteback(page));
}

/* A writeback of one of mapping's pages failed: tell the next fsync. */
void mapping_set_error(struct address_space *mapping, int err)
{
	if (!err)
		return;
	set_bit(err == -ENOSPC ? AS_ENOSPC : AS_EIO, &mapping->flags);
}

/* The error an earlier writeback recorded, once (0 if none). */
int mapping_test_clear_error(struct address_space *mapping)
{
	int err = 0;

	if (test_and_clear_bit(AS_ENOSPC, &mapping->flags))
		err = -ENOSPC;
	if (test_and_clear_bit(AS_EIO, &mapping->flags))
		err = -EIO;
	return err;
}

/* ---- a mapping's pages --------------------------------------------- */

/*
 * Write the dirty pages of mapping in [start, end) as do_writepages says;
 * where the last write was is where the next WB_SYNC_NONE pass begins
 * (writeback_index).  Returns the first error writepage gave.
 */
static int write_cache_range(struct address_space *mapping, struct writeback_control *wbc,
			     unsigned long start, unsigned long end)
{
	unsigned long index = start;
	struct page *pages[WRITEBACK_BATCH];
	unsigned int n;
	int ret = 0;

	while (wbc->nr_to_write > 0 && index < end) {
		n = find_get_pages(mapping, index, ARRAY_SIZE(pages), pages);
		if (!n)
			break;
		index = pages[n - 1]->index + 1;
		for (unsigned int i = 0; i < n; i++) {
			struct page *page = pages[i];
			/* LAB filemap: BEGIN one page: lock, wait or pass by, clean, writepage */
			int err;

			if (!PageDirty(page) || wbc->nr_to_write <= 0 || page->index >= end)
				goto put;                    /* no need to wait for its lock */
			lock_page(page);
			if (page->mapping != mapping)
				goto unlock;                 /* truncated meanwhile */
			if (wbc->sync_mode == WB_SYNC_ALL)
				wait_on_page_writeback(page);
			else if (PageWriteback(page))
				goto unlock;
			if (!clear_page_dirty_for_io(page))
				goto unlock;
			mapping->writeback_index = page->index + 1;
			err = mapping->a_ops->writepage(page, wbc);   /* unlocks, counts */
			if (err && !ret)
				ret = err;
			goto put;
unlock:
			unlock_page(page);
put:
			put_page(page);
			/* LAB filemap: END */
		}
	}
	return ret;
}

/*
 * Start writing mapping's dirty pages, until wbc->nr_to_write of them
 * are (writepage counts each one it starts).  WB_SYNC_ALL
 * writes them all, first waiting for a write already in flight on a page
 * (it may predate the latest store), so that when filemap_fdatawait
 * returns every store made before this call is on the disk.  WB_SYNC_NONE
 * passes such a page by, and goes on from where the last pass stopped,
 * round to the start (Linux's range_cyclic): a writer throttled every few
 * pages does not rescan the pages it wrote.  Linux's write_cache_pages,
 * with a scan of the tree for dirty pages (anvil's radix tree has no
 * tags).  Only a file system's pages are written so: shmem's and the swap
 * cache's writepage is for reclaim alone, as in Linux.
 */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	unsigned long start = mapping->writeback_index;
	int err, ret;

	if (!mapping_cap_account_dirty(mapping) || !mapping->nrdirty)
		return 0;
	if (wbc->sync_mode == WB_SYNC_ALL)
		return write_cache_range(mapping, wbc, 0, ~0UL);
	ret = write_cache_range(mapping, wbc, start, ~0UL);
	if (start && wbc->nr_to_write > 0) {
		err = write_cache_range(mapping, wbc, 0, start);
		if (!ret)
			ret = err;
	}
	return ret;
}

/* Start writing every dirty page of mapping (see do_writepages). */
int filemap_fdatawrite(struct address_space *mapping, enum writeback_sync_modes sync_mode)
{
	struct writeback_control wbc = { .sync_mode = sync_mode, .nr_to_write = LONG_MAX };

	return do_writepages(mapping, &wbc);
}

/* Wait for every write in flight on mapping's pages; the error any of them recorded. */
int filemap_fdatawait(struct address_space *mapping)
{
	unsigned long index = 0;
	struct page *pages[WRITEBACK_BATCH];
	unsigned int n;

	for (;;) {
		n = find_get_pages(mapping, index, ARRAY_SIZE(pages), pages);
		if (!n)
			break;
		index = pages[n - 1]->index + 1;
		for (unsigned int i = 0; i < n; i++) {
			wait_on_page_writeback(pages[i]);
			put_page(pages[i]);
		}
	}
	return mapping_test_clear_error(mapping);
}

/* fsync's core: everything dirty now is on the disk when this returns 0. */
int filemap_write_and_wait(struct address_space *mapping)
{
	int err = filemap_fdatawrite(mapping, WB_SYNC_ALL);
	int err2 = filemap_fdatawait(mapping);

	return err ? err : err2;
}

/* ---- inodes -------------------------------------------------------- */

/*
 * Write the dirty pages of the inodes on the dirty list -- of sb's only,
 * unless sb is NULL; only those dirtied before older_than, unless it is
 * 0 -- as wbc says.  An inode comes off the list while it is written
 * (held, so iput cannot free it meanwhile) and goes back at the tail if
 * pages stay dirty (a write in flight on them, or wbc ran out).  Returns
 * the first error a writepage gave.
 */
int writeback_inodes(struct super_block *sb, unsigned long older_than,
		     struct writeback_control *wbc)
{
	LIST_HEAD(io);                     /* Linux's s_io: this round's inodes */
	struct inode *inode, *next;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&inode_wb_lock, flags);
	list_for_each_entry_safe(inode, next, &dirty_inodes, i_wb_list) {
		if (sb && inode->i_sb != sb)
			continue;
		if (older_than && (long)(inode->dirtied_when - older_than) > 0)
			continue;                        /* not old enough yet */
		list_move_tail(&inode->i_wb_list, &io);
	}
	while (!list_empty(&io) && wbc->nr_to_write > 0) {
		struct address_space *mapping;
		unsigned long dirtied_when;
		int err;

		inode = list_first_entry(&io, struct inode, i_wb_list);
		mapping = inode->i_mapping;
		dirtied_when = inode->dirtied_when;
		if (inode->i_state & I_FREEING) {
			/* being evicted: inode_wb_evict writes its pages (Linux skips it too) */
			list_move_tail(&inode->i_wb_list, &dirty_inodes);
			continue;
		}
		list_del_init(&inode->i_wb_list);
		igrab(inode);
		spin_unlock_irqrestore(&inode_wb_lock, flags);
		err = do_writepages(mapping, wbc);
		if (err && !ret)
			ret = err;
		spin_lock_irqsave(&inode_wb_lock, flags);
		if (mapping->nrdirty && list_empty(&inode->i_wb_list)) {
			/* still dirty, and not redirtied meanwhile: keep its age */
			inode->dirtied_when = dirtied_when;
			list_add_tail(&inode->i_wb_list, &dirty_inodes);
		}
		spin_unlock_irqrestore(&inode_wb_lock, flags);
		iput(inode);                   /* may be the last: not under the lock */
		spin_lock_irqsave(&inode_wb_lock, flags);
	}
	list_splice_init(&io, &dirty_inodes);    /* wbc ran out: first next time */
	spin_unlock_irqrestore(&inode_wb_lock, flags);
	return ret;
}

/* sync(2), syncfs(2): sb's dirty pages (every file system's if NULL) written; wait if asked. */
int sync_inodes_sb(struct super_block *sb, bool wait)
{
	struct writeback_control wbc = {
		.sync_mode = wait ? WB_SYNC_ALL : WB_SYNC_NONE, .nr_to_write = LONG_MAX,
	};
	int err = writeback_inodes(sb, 0, &wbc);

	if (wait)
		wait_event(writeback_wait, !vm_stat[NR_WRITEBACK]);
	return err;
}

/*
 * The last reference to inode is going (iput): its dirty pages are
 * written first if the file lives on (Linux's write_inode_now from
 * iput_final), dropped with it otherwise.  Either way no write is left in
 * flight -- a failed one would put the inode back on the dirty list --
 * and the inode comes off the list.
 */
void inode_wb_evict(struct inode *inode)
{
	unsigned long flags;

	if (!mapping_cap_account_dirty(inode->i_mapping))
		return;                      /* never on the list */
	if (inode->i_nlink && !list_empty(&inode->i_wb_list)) {
		filemap_write_and_wait(inode->i_mapping);
		if (inode->i_mapping->nrdirty)       /* kept dirty by write errors: say so */
			printk(KERN_ERR "writeback: %s: inode %lu: %lu dirty pages lost to write "
			       "errors\n", inode->i_sb->s_bdev ? inode->i_sb->s_bdev->name : "-",
			       inode->i_ino, inode->i_mapping->nrdirty);
	} else {
		filemap_fdatawait(inode->i_mapping);
	}
	spin_lock_irqsave(&inode_wb_lock, flags);
	list_del_init(&inode->i_wb_list);
	spin_unlock_irqrestore(&inode_wb_lock, flags);
}

/* ---- pdflush and the dirty limits ---------------------------------- */

/* Memory that could hold dirty pages: free or on the LRU (Linux's dirtyable memory). */
static unsigned long dirtyable_memory(void)
{
	return nr_free_pages() + vm_stat[NR_ACTIVE] + vm_stat[NR_INACTIVE];
}

/* Dirty (and writing) pages past which pdflush writes, and the writer itself must. */
static void get_dirty_limits(unsigned long *background, unsigned long *dirty)
{
	unsigned long available = dirtyable_memory();
	unsigned int bg_ratio = min(dirty_background_ratio, vm_dirty_ratio);

	*dirty = available * vm_dirty_ratio / 100;
	*background = available * bg_ratio / 100;
	if (*background >= *dirty && *dirty)
		*background = *dirty / 2;
}

static unsigned long nr_dirty_and_writeback(void)
{
	return vm_stat[NR_FILE_DIRTY] + vm_stat[NR_WRITEBACK];
}

/*
 * pdflush's round (Linux's wb_kupdate, with the background writeback
 * balance_dirty_pages asks for): write the inodes dirty for longer than
 * dirty_expire_centisecs -- all of them, oldest first, while dirty pages
 * are above the background limit.
 */
void wb_kupdate(void)
{
	unsigned long background, dirty;
	unsigned long expired = jiffies - dirty_expire_interval * HZ / 100;

	get_dirty_limits(&background, &dirty);
	for (;;) {
		struct writeback_control wbc = {
			.sync_mode = WB_SYNC_NONE, .nr_to_write = MAX_WRITEBACK_PAGES,
		};
		bool over = vm_stat[NR_FILE_DIRTY] > (long)background;

		writeback_inodes(NULL, over ? 0 : expired, &wbc);
		if (wbc.nr_to_write > 0)
			break;                     /* nothing more to write now */
		cond_resched();
	}
	background_wanted = false;
}

/* The background writeback thread: a round every dirty_writeback_centisecs (never if 0). */
static int pdflush(void *unused)
{
	for (;;) {
		DEFINE_WAIT(wait);
		long timeout = dirty_writeback_interval ? dirty_writeback_interval * HZ / 100 :
							  MAX_SCHEDULE_TIMEOUT;

		prepare_to_wait(&pdflush_wait, &wait, TASK_INTERRUPTIBLE);
		if (!background_wanted)
			schedule_timeout(max(timeout, 1L));
		finish_wait(&pdflush_wait, &wait);
		wb_kupdate();
	}
	return 0;
}

/* A write to /proc/sys/vm/dirty_*: pdflush looks again at once, with the new values. */
void wakeup_pdflush(void)
{
	wake_up(&pdflush_wait);
}

void pdflush_init(void)
{
	BUG_ON(!kernel_thread(pdflush, NULL, "pdflush"));
}

/*
 * A task has dirtied pages of mapping: if dirty and writing pages are
 * above vm_dirty_ratio of memory, it writes some itself and waits for the
 * disk until they are below, so one writer cannot fill memory with dirty
 * pages; above dirty_background_ratio, pdflush starts writing.
 */
static void balance_dirty_pages(struct address_space *mapping)
{
	const long write_chunk = RATELIMIT_PAGES * 2;
	unsigned long background, dirty;
	long pages_written = 0;

	for (;;) {
		struct writeback_control wbc = {
			.sync_mode = WB_SYNC_NONE, .nr_to_write = write_chunk,
		};

		get_dirty_limits(&background, &dirty);
		if (nr_dirty_and_writeback() <= dirty)
			break;
		count_vm_event(BALANCE_DIRTY_THROTTLED);
		do_writepages(mapping, &wbc);
		if (wbc.nr_to_write > 0)
			writeback_inodes(NULL, 0, &wbc);
		pages_written += write_chunk - wbc.nr_to_write;
		/* below the limit, or done our duty: what we dirtied, written (Linux's) */
		if (nr_dirty_and_writeback() <= dirty || pages_written >= write_chunk ||
		    fatal_signal_pending(current))
			break;
		/*
		 * Nothing written and nothing in flight: no disk interrupt will
		 * bring the count down, so waiting would be for ever (a writepage
		 * that cannot write, as a lab's stub). Let the writer go on.
		 */
		if (!pages_written && !vm_stat[NR_WRITEBACK])
			break;
		blk_congestion_wait(HZ / 10);   /* the disk's turn: until a request completes */
	}
	if (vm_stat[NR_FILE_DIRTY] > (long)background && !background_wanted) {
		background_wanted = true;
		wakeup_pdflush();
	}
}

/*
 * Call after dirtying a page of mapping (write(2) after each page, a
 * write fault on a shared file page): every RATELIMIT_PAGES such pages
 * the dirtier looks at the limits (Linux's balance_dirty_pages_ratelimited;
 * one count for the one CPU, as Linux's per-CPU one).
 */
void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	if (!mapping_cap_account_dirty(mapping))
		return;
	if (++ratelimit < RATELIMIT_PAGES)
		return;
	ratelimit = 0;
	balance_dirty_pages(mapping);
}
