/*
 * Writing page-cache pages back to their disk: what a caller asks of
 * a_ops->writepage (writeback_control), the dirty and PG_writeback
 * protocol, the per-mapping and per-inode calls that fsync, msync, sync
 * and pdflush build on, the dirty limits (mm/page-writeback.c).  A write
 * error is remembered in the mapping (AS_EIO, AS_ENOSPC) until the next
 * fsync/msync reports it.
 */
#ifndef ANVIL_WRITEBACK_H
#define ANVIL_WRITEBACK_H

#include <anvil/types.h>

struct page;
struct address_space;
struct inode;
struct super_block;

enum writeback_sync_modes {
	WB_SYNC_NONE,       /* start writes, don't wait (reclaim, background writeback) */
	WB_SYNC_ALL,        /* every dirty page, waiting for those already in flight (fsync) */
};

struct writeback_control {
	enum writeback_sync_modes sync_mode;
	long nr_to_write;   /* pages still to write; writepage counts down those it starts */
	bool for_reclaim;   /* called from pageout: the page is to be freed after */
};

/* address_space.flags: an earlier writeback's error, not yet reported */
#define AS_EIO 0
#define AS_ENOSPC 1

void mapping_set_error(struct address_space *mapping, int err);
int mapping_test_clear_error(struct address_space *mapping);

void set_page_writeback(struct page *page);
void end_page_writeback(struct page *page);
void wait_on_page_writeback(struct page *page);
bool clear_page_dirty_for_io(struct page *page);
void cancel_dirty_page(struct page *page);
/* writepage cannot write the page now: it stays dirty (never SetPageDirty: nr_dirty counts) */
void redirty_page_for_writepage(struct writeback_control *wbc, struct page *page);

int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
int filemap_fdatawrite(struct address_space *mapping, enum writeback_sync_modes sync_mode);
int filemap_fdatawait(struct address_space *mapping);
int filemap_write_and_wait(struct address_space *mapping);

/* inodes with dirty pages (inode->i_wb_list, dirtied_when) */
int writeback_inodes(struct super_block *sb, unsigned long older_than,
		     struct writeback_control *wbc);
int sync_inodes_sb(struct super_block *sb, bool wait);
int sync_filesystem(struct super_block *sb);       /* kernel/fs/sync.c: pages, then sync_fs */
void inode_wb_evict(struct inode *inode);

/* the dirty limits and background writeback: /proc/sys/vm */
extern unsigned int dirty_background_ratio, vm_dirty_ratio;
extern unsigned int dirty_writeback_interval, dirty_expire_interval;   /* centisecs */
void pdflush_init(void);
void wb_kupdate(void);                  /* pdflush's round */
void wakeup_pdflush(void);
void balance_dirty_pages_ratelimited(struct address_space *mapping);

#endif
