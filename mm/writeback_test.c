/*
 * Tests of file pages under reclaim and writeback, on a file of a test
 * file system whose "disk" is an array here: readpage copies from it,
 * writepage copies to it and completes when the test says (or at once).
 * A store through a shared mapping leaves only the PTE dirty; reclaim
 * must find the PTE through i_mmap, move the dirty bit to the page,
 * write it through writepage and free it, and the next fault must read
 * back what was stored.  Also msync, fsync's error reporting, the dirty limit,
 * pdflush's round, and the truncate() race of do_no_page.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/sched.h>
#include <anvil/vmstat.h>
#include <anvil/writeback.h>
#include <anvil/syscalls.h>
#include <abi/mman.h>
#include <abi/errno.h>
#include "test_vm.h"

#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define WB_PAGES 8
#define DISK_PAGES 64

static struct wb_disk {
	u8 data[DISK_PAGES];             /* each page of the "disk" is one repeated byte */
	bool async;                      /* writes complete when wb_complete says */
	int fail;                        /* the next writes fail with this error */
	struct page *inflight[DISK_PAGES];
	unsigned int nr_inflight, reads, writes;
} disk;

static int wb_readpage(struct file *file, struct page *page)
{
	memset(page_address(page), disk.data[page->index], PAGE_SIZE);
	disk.reads++;
	SetPageUptodate(page);
	unlock_page(page);
	return 0;
}

/* fs.h's contract: a locked page, its dirty bit cleared; PG_writeback, unlocked, written. */
static int wb_writepage(struct page *page, struct writeback_control *wbc)
{
	disk.writes++;
	if (disk.fail) {
		redirty_page_for_writepage(wbc, page);
		mapping_set_error(page->mapping, disk.fail);
		unlock_page(page);
		return disk.fail;
	}
	set_page_writeback(page);
	unlock_page(page);
	wbc->nr_to_write--;
	disk.data[page->index] = *(u8 *)page_address(page);
	if (!disk.async) {
		end_page_writeback(page);
		return 0;
	}
	get_page(page);
	disk.inflight[disk.nr_inflight++] = page;
	return 0;
}

/* The disk interrupt for every write in flight. */
static void wb_complete(void)
{
	while (disk.nr_inflight) {
		struct page *page = disk.inflight[--disk.nr_inflight];

		end_page_writeback(page);
		put_page(page);
	}
}

static const struct address_space_operations wb_aops = {
	.readpage = wb_readpage,
	.writepage = wb_writepage,
};

static struct page *(*wb_nopage_hook)(struct vm_area_struct *vma, unsigned long address);

static struct page *wb_nopage(struct vm_area_struct *vma, unsigned long address)
{
	return wb_nopage_hook ? wb_nopage_hook(vma, address) : filemap_nopage(vma, address);
}

static const struct vm_operations_struct wb_vm_ops = {
	.nopage = wb_nopage,
};

static int wb_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &wb_vm_ops;
	return 0;
}

static const struct file_operations wb_fops = {
	.mmap = wb_mmap,
};

static struct super_block wb_sb = {
	.s_blocksize = PAGE_SIZE,
	.s_op = &simple_super_operations,
};

/* A fresh file of DISK_PAGES pages (page i holding byte i), mapped shared at B. */
static struct file *wb_map(struct mm_struct *mm)
{
	struct inode *inode = new_inode(&wb_sb, S_IFREG | 0644);
	struct file *file;
	unsigned long addr;

	memset(&disk, 0, sizeof(disk));
	for (int i = 0; i < DISK_PAGES; i++)
		disk.data[i] = (u8)(0x40 + i);
	if (!inode)
		return NULL;
	inode->i_size = DISK_PAGES * PAGE_SIZE;
	inode->i_mapping->a_ops = &wb_aops;
	file = alloc_file(inode, O_RDWR, &wb_fops);
	iput(inode);
	if (!file)
		return NULL;
	file->f_ra.ra_pages = 0;         /* no fault read-around: the tests count each read */
	tvm_enter(mm);
	down_write(&mm->mmap_sem);
	addr = do_mmap_pgoff(file, B, DISK_PAGES * PAGE_SIZE, RW, MAP_SHARED | MAP_FIXED, 0);
	up_write(&mm->mmap_sem);
	if (addr != B) {
		fput(file);
		return NULL;
	}
	return file;
}

/* Unmap, and let the file go with its pages (unlinked: nothing more to write). */
static void wb_unmap(struct mm_struct *mm, struct file *file)
{
	wb_complete();
	tvm_destroy(mm);
	file->f_inode->i_nlink = 0;
	fput(file);
	wb_nopage_hook = NULL;
}

/* Reclaim the pages mapped at B.. (as MADV_PAGEOUT does: whatever their accessed bits). */
static unsigned long wb_reclaim(struct mm_struct *mm, struct file *file, int pages)
{
	LIST_HEAD(list);

	for (int i = 0; i < pages; i++) {
		struct page *page = find_get_page(file->f_inode->i_mapping, i);

		if (page && isolate_lru_page(page))
			list_add_tail(&page->lru, &list);
		if (page)
			put_page(page);
	}
	return reclaim_pages(&list);
}

KTEST(writeback_reclaim_writes_dirty_mapped_file_page)
{
	struct mm_struct *mm = tvm_create();
	unsigned long unmapped = vm_events[RMAP_UNMAPPED_FILE_PTES];
	unsigned long stolen = vm_events[PGSTEAL_FILE], rotated = vm_events[PGROTATED];
	long dirty = vm_stat[NR_FILE_DIRTY];
	struct file *file;
	u8 v;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	disk.async = true;
	for (int i = 0; i < WB_PAGES; i++) {
		KT_EQ(t, tvm_peek(B + i * PAGE_SIZE, &v), 0);     /* read fault: a writable PTE */
		KT_EQ(t, v, 0x40 + i);
		KT_EQ(t, tvm_poke(B + i * PAGE_SIZE, 0xa0 + i), 0);  /* no fault: PTE dirty only */
	}
	KT_EQ(t, disk.reads, WB_PAGES);
	KT_EQ(t, vm_stat[NR_FILE_DIRTY], dirty);
	KT_EQ(t, rmap_verify(), 0);
	/* reclaim: unmapped through i_mmap, the PTE's dirty bit to the page, written */
	KT_EQ(t, wb_reclaim(mm, file, WB_PAGES), 0);
	KT_EQ(t, vm_events[RMAP_UNMAPPED_FILE_PTES] - unmapped, WB_PAGES);
	KT_EQ(t, mm->file_rss, 0);
	KT_EQ(t, disk.writes, WB_PAGES);
	KT_EQ(t, disk.nr_inflight, WB_PAGES);
	KT_ASSERT(t, PageWriteback(disk.inflight[0]) && PageReclaim(disk.inflight[0]));
	KT_EQ(t, vm_stat[NR_FILE_DIRTY], dirty);
	wb_complete();                       /* rotated to the inactive tail ... */
	KT_EQ(t, vm_events[PGROTATED] - rotated, WB_PAGES);
	KT_EQ(t, wb_reclaim(mm, file, WB_PAGES), WB_PAGES);     /* ... and freed next */
	KT_EQ(t, vm_events[PGSTEAL_FILE] - stolen, WB_PAGES);
	KT_EQ(t, file->f_inode->i_mapping->nrpages, 0);
	for (int i = 0; i < WB_PAGES; i++) {          /* read back from the disk */
		KT_EQ(t, tvm_peek(B + i * PAGE_SIZE, &v), 0);
		KT_EQ(t, v, 0xa0 + i);
	}
	KT_EQ(t, disk.reads, 2 * WB_PAGES);
	KT_EQ(t, rmap_verify(), 0);
	wb_unmap(mm, file);
}

/* A clean page mapped read-only is dropped without a write, and read again when touched. */
KTEST(writeback_reclaim_drops_clean_file_page)
{
	struct mm_struct *mm = tvm_create();
	struct file *file;
	u8 v;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, wb_reclaim(mm, file, 1), 1);
	KT_EQ(t, disk.writes, 0);
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, v, 0x40);
	KT_EQ(t, disk.reads, 2);
	KT_EQ(t, rmap_verify(), 0);
	wb_unmap(mm, file);
}

/* The last iput of a file that lives on writes its dirty pages first (nothing is lost). */
KTEST(writeback_last_iput_writes_dirty_pages)
{
	struct mm_struct *mm = tvm_create();
	long dirty = vm_stat[NR_FILE_DIRTY];
	struct file *file;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	KT_EQ(t, tvm_poke(B + 3 * PAGE_SIZE, 0x77), 0);
	tvm_destroy(mm);
	fput(file);                          /* the inode's last reference: still linked */
	KT_EQ(t, disk.writes, 1);
	KT_EQ(t, disk.data[3], 0x77);
	KT_EQ(t, vm_stat[NR_FILE_DIRTY], dirty);
}

/*
 * fsync's core after a failed write: the error once, the page still
 * dirty (nothing lost), written by the next fsync; nr_dirty follows.
 */
KTEST(writeback_error_reported_once_page_kept_dirty)
{
	struct mm_struct *mm = tvm_create();
	long dirty = vm_stat[NR_FILE_DIRTY];
	struct address_space *mapping;
	struct file *file;
	struct page *page;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	mapping = file->f_inode->i_mapping;
	KT_EQ(t, tvm_poke(B, 0x11), 0);               /* a write fault: the page dirty at once */
	KT_EQ(t, vm_stat[NR_FILE_DIRTY], dirty + 1);
	KT_EQ(t, mapping->nrdirty, 1);
	disk.fail = -EIO;
	KT_EQ(t, filemap_write_and_wait(mapping), -EIO);
	page = find_get_page(mapping, 0);
	KT_ASSERT(t, page);
	put_page(page);
	KT_ASSERT(t, PageDirty(page));
	KT_EQ(t, vm_stat[NR_FILE_DIRTY], dirty + 1);
	disk.fail = 0;
	KT_EQ(t, filemap_write_and_wait(mapping), 0);   /* reported once; now written */
	KT_EQ(t, disk.data[0], 0x11);
	KT_EQ(t, vm_stat[NR_FILE_DIRTY], dirty);
	KT_EQ(t, mapping->nrdirty, 0);
	wb_unmap(mm, file);
}

/*
 * msync: a store that left only the PTE dirty reaches the disk -- MS_SYNC
 * written and waited for, MS_ASYNC started -- and the PTE is clean after.
 */
KTEST(writeback_msync_moves_pte_dirty_bits)
{
	struct mm_struct *mm = tvm_create();
	struct file *file;
	pte_t *pte;
	u8 v;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	for (int i = 0; i < 2; i++) {
		KT_EQ(t, tvm_peek(B + i * PAGE_SIZE, &v), 0);
		KT_EQ(t, tvm_poke(B + i * PAGE_SIZE, 0x55 + i), 0);  /* the PTE dirty only */
	}
	KT_EQ(t, sys_msync(B, PAGE_SIZE, MS_SYNC), 0);
	KT_EQ(t, disk.writes, 1);
	KT_EQ(t, disk.data[0], 0x55);
	pte = lookup_pte(mm, B);
	KT_ASSERT(t, pte && !pte_dirty(*pte));
	disk.async = true;
	KT_EQ(t, sys_msync(B + PAGE_SIZE, PAGE_SIZE, MS_ASYNC), 0);
	KT_EQ(t, disk.nr_inflight, 1);       /* started, not waited for */
	KT_EQ(t, disk.data[1], 0x56);
	wb_complete();
	KT_EQ(t, sys_msync(B, 2 * PAGE_SIZE, MS_SYNC), 0);   /* nothing dirty: no write */
	KT_EQ(t, disk.writes, 2);
	wb_unmap(mm, file);
}

/* Above vm_dirty_ratio, the task dirtying pages writes them itself (balance_dirty_pages). */
KTEST(writeback_dirty_limit_throttles_writer)
{
	struct mm_struct *mm = tvm_create();
	unsigned long throttled = vm_events[BALANCE_DIRTY_THROTTLED];
	unsigned int ratio = vm_dirty_ratio;
	long dirty = vm_stat[NR_FILE_DIRTY];
	struct file *file;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	vm_dirty_ratio = 0;                  /* every dirty page is over the limit */
	for (int i = 0; i < DISK_PAGES; i++)
		KT_EQ(t, tvm_poke(B + i * PAGE_SIZE, 0x22), 0);
	vm_dirty_ratio = ratio;
	KT_ASSERT(t, vm_events[BALANCE_DIRTY_THROTTLED] > throttled);
	KT_ASSERT(t, disk.writes >= DISK_PAGES - 8);   /* all but the last ratelimit's few */
	KT_ASSERT(t, vm_stat[NR_FILE_DIRTY] - dirty <= 8);
	wb_unmap(mm, file);
}

/*
 * A disk that fails every write cannot bring the dirty count down: the
 * writer over the limit must not wait for it for ever (the pages stay dirty).
 */
KTEST(writeback_dirty_limit_with_a_failing_disk_lets_the_writer_go)
{
	struct mm_struct *mm = tvm_create();
	unsigned int ratio = vm_dirty_ratio;
	unsigned int writes = disk.writes;
	struct file *file;
	u8 val;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	disk.fail = -EIO;
	vm_dirty_ratio = 0;                  /* every dirty page is over the limit */
	for (int i = 0; i < DISK_PAGES; i++)
		KT_EQ(t, tvm_poke(B + i * PAGE_SIZE, 0x33), 0);
	vm_dirty_ratio = ratio;
	disk.fail = 0;
	KT_ASSERT(t, disk.writes > writes);          /* it tried, and came back */
	KT_EQ(t, tvm_peek(B, &val), 0);
	KT_EQ(t, val, 0x33);
	wb_unmap(mm, file);
}

/*
 * pdflush's round writes the pages dirty for longer than
 * dirty_expire_centisecs, and only those while below the background
 * limit.  (The ktests run before the thread starts: the round is called.)
 */
KTEST(writeback_kupdate_writes_expired_pages_only)
{
	struct mm_struct *mm = tvm_create();
	unsigned int expire = dirty_expire_interval;
	struct file *file;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	KT_EQ(t, tvm_poke(B, 0x33), 0);
	wb_kupdate();
	KT_EQ(t, disk.writes, 0);            /* dirty for less than 30 s */
	dirty_expire_interval = 0;
	wb_kupdate();
	dirty_expire_interval = expire;
	KT_EQ(t, disk.writes, 1);
	KT_EQ(t, disk.data[0], 0x33);
	KT_EQ(t, file->f_inode->i_mapping->nrdirty, 0);
	wb_unmap(mm, file);
}

/*
 * "The truncate() bug": nopage returns a page, but the file was
 * truncated while it slept (here: inside it).  The fault must not map a
 * page beyond the new end -- one no longer in the file: do_no_page sees
 * truncate_count move, asks again and gets SIGBUS.
 */
static struct page *truncating_nopage(struct vm_area_struct *vma, unsigned long address)
{
	struct page *page = filemap_nopage(vma, address);

	wb_nopage_hook = NULL;               /* once */
	truncate_setsize(vma->vm_file->f_inode, 0);
	return page;
}

KTEST(writeback_nopage_racing_truncate_gets_sigbus)
{
	struct mm_struct *mm = tvm_create();
	unsigned long retries = vm_events[NOPAGE_TRUNCATE_RETRIES];
	struct file *file;
	u8 v;

	KT_ASSERT(t, mm);
	file = wb_map(mm);
	KT_ASSERT(t, file);
	wb_nopage_hook = truncating_nopage;
	KT_EQ(t, tvm_peek(B + PAGE_SIZE, &v), -EFAULT);
	KT_EQ(t, vm_events[NOPAGE_TRUNCATE_RETRIES] - retries, 1);
	KT_ASSERT(t, !tvm_page(mm, B + PAGE_SIZE));
	KT_EQ(t, mm->file_rss, 0);
	KT_EQ(t, rmap_verify(), 0);
	wb_unmap(mm, file);
}
