/*
 * Writing page-cache pages back to their disk: what a caller asks of
 * a_ops->writepage (writeback_control), the PG_writeback protocol, and
 * the per-mapping calls that fsync, umount and reclaim build on
 * (mm/page-writeback.c).  A write error is remembered in the mapping
 * (AS_EIO, AS_ENOSPC) until the next fsync/msync/close reports it.
 */
#ifndef ANVIL_WRITEBACK_H
#define ANVIL_WRITEBACK_H

#include <anvil/types.h>

struct page;
struct address_space;

enum writeback_sync_modes {
	WB_SYNC_NONE,       /* start writes, don't wait (reclaim, background writeback) */
	WB_SYNC_ALL,        /* every dirty page, waiting for those already in flight (fsync) */
};

struct writeback_control {
	enum writeback_sync_modes sync_mode;
	long nr_to_write;   /* pages still to write; the callee counts it down */
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

int filemap_fdatawrite(struct address_space *mapping, enum writeback_sync_modes sync_mode);
int filemap_fdatawait(struct address_space *mapping);
int filemap_write_and_wait(struct address_space *mapping);

#endif
