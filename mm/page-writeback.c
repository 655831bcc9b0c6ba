/*
 * Writeback: the protocol a page follows from dirty to written
 * (clear_page_dirty_for_io, PG_writeback, end_page_writeback), the errors
 * a mapping remembers for the next fsync (AS_EIO), and writing a whole
 * mapping's dirty pages through its a_ops->writepage -- what fsync,
 * msync and umount call.  Reclaim writes single pages (mm/vmscan.c).
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/vmstat.h>
#include <anvil/writeback.h>
#include <abi/errno.h>

#define WRITEBACK_BATCH 16       /* pages looked up at once in the radix tree */

static DECLARE_WAIT_QUEUE_HEAD(writeback_wait);

void set_page_writeback(struct page *page)
{
	BUG_ON(TestSetPageWriteback(page));
	mod_vm_stat(NR_WRITEBACK, 1);
}

/* The write of page finished (from the disk interrupt): wake whoever waits on it. */
void end_page_writeback(struct page *page)
{
	if (!TestClearPageWriteback(page))
		BUG();
	mod_vm_stat(NR_WRITEBACK, -1);
	wake_up(&writeback_wait);
}

void wait_on_page_writeback(struct page *page)
{
	wait_event(writeback_wait, !PageWriteback(page));
}

/* Before writepage (page locked): true if the page was dirty, and is now clean until stored to. */
bool clear_page_dirty_for_io(struct page *page)
{
	BUG_ON(!PageLocked(page));
	return TestClearPageDirty(page);
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

/*
 * Start writing every dirty page of mapping.  WB_SYNC_ALL first waits
 * for a write already in flight on a page (it may predate the latest
 * store), so that when filemap_fdatawait returns every store made before
 * this call is on the disk.  Returns the first error writepage gave.
 */
int filemap_fdatawrite(struct address_space *mapping, enum writeback_sync_modes sync_mode)
{
	struct writeback_control wbc = { .sync_mode = sync_mode, .nr_to_write = LONG_MAX };
	unsigned long index = 0;
	struct page *pages[WRITEBACK_BATCH];
	unsigned int n;
	int ret = 0;

	if (!mapping->a_ops || !mapping->a_ops->writepage)
		return 0;
	for (;;) {
		spin_lock(&mapping->tree_lock);
		n = radix_tree_gang_lookup(&mapping->page_tree, (void **)pages, index,
					   ARRAY_SIZE(pages));
		for (unsigned int i = 0; i < n; i++)
			get_page(pages[i]);
		spin_unlock(&mapping->tree_lock);
		if (!n)
			break;
		index = pages[n - 1]->index + 1;
		for (unsigned int i = 0; i < n; i++) {
			struct page *page = pages[i];
			int err;

			lock_page(page);
			if (page->mapping != mapping)
				goto unlock;                 /* truncated meanwhile */
			if (sync_mode == WB_SYNC_ALL)
				wait_on_page_writeback(page);
			else if (PageWriteback(page))
				goto unlock;
			if (!clear_page_dirty_for_io(page))
				goto unlock;
			err = mapping->a_ops->writepage(page, &wbc);   /* unlocks */
			if (err && !ret)
				ret = err;
			put_page(page);
			continue;
unlock:
			unlock_page(page);
			put_page(page);
		}
	}
	return ret;
}

/* Wait for every write in flight on mapping's pages; the error any of them recorded. */
int filemap_fdatawait(struct address_space *mapping)
{
	unsigned long index = 0;
	struct page *pages[WRITEBACK_BATCH];
	unsigned int n;

	for (;;) {
		spin_lock(&mapping->tree_lock);
		n = radix_tree_gang_lookup(&mapping->page_tree, (void **)pages, index,
					   ARRAY_SIZE(pages));
		for (unsigned int i = 0; i < n; i++)
			get_page(pages[i]);
		spin_unlock(&mapping->tree_lock);
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
