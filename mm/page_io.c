/*
 * Swap I/O: one bio per page, from or to its slot (slot n is sectors
 * 8n..8n+7 of the swap disk).  Writes are asynchronous: the page is
 * marked PG_writeback and unlocked, and the bio's completion -- in the
 * disk interrupt -- ends the writeback.  A failed write keeps the data:
 * the page is made dirty again and its slot is marked to retire.
 * swap_writepage is the swap cache's a_ops->writepage (swap_aops), which
 * reclaim's pageout calls as it calls a file system's.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/blkdev.h>
#include <anvil/slab.h>
#include <anvil/sched.h>
#include <anvil/vmstat.h>
#include <anvil/writeback.h>
#include <anvil/fs.h>
#include <abi/errno.h>

static struct kmem_cache *bio_cachep;

void page_io_init(void)
{
	bio_cachep = kmem_cache_create("bio", sizeof(struct bio), 0, 0, NULL);
	BUG_ON(!bio_cachep);
}

static struct bio *swap_bio(struct page *page, bool write, void (*end_io)(struct bio *))
{
	swp_entry_t entry = { page->private };
	struct swap_info_struct *si = swap_info_get(entry);
	struct bio *bio = kmem_cache_zalloc(bio_cachep, GFP_NOIO);

	if (!bio)
		return NULL;
	bio->bdev = si->bdev;
	bio->sector = swp_offset(entry) * SECTORS_PER_PAGE;
	bio->nr_sectors = SECTORS_PER_PAGE;
	bio->buf = page_address(page);
	bio->write = write;
	bio->end_io = end_io;
	bio->private = page;
	return bio;
}

static void end_swap_bio_write(struct bio *bio)
{
	struct page *page = bio->private;

	if (bio->status) {
		swp_entry_t entry = { page->private };

		printk(KERN_ERR "Write-error on swap-device (%s slot %lu): page kept in memory\n",
		       bio->bdev->name, swp_offset(entry));
		count_vm_event(SWAP_WRITE_ERRORS);
		SetPageError(page);
		SetPageDirty(page);              /* the slot does not hold the data: keep it */
		swap_mark_write_error(entry);
	} else {
		count_vm_event(PSWPOUT);
	}
	end_page_writeback(page);            /* clean now: reclaim frees it at the next scan */
	kmem_cache_free(bio_cachep, bio);
}

/* Write page (locked, in the swap cache, dirty bit already cleared) to its slot. */
int __noinline swap_writepage(struct page *page, struct writeback_control *wbc)
{
	struct bio *bio = swap_bio(page, true, end_swap_bio_write);

	if (!bio) {
		SetPageDirty(page);
		unlock_page(page);
		return -ENOMEM;
	}
	set_page_writeback(page);
	unlock_page(page);
	submit_bio(bio);
	wbc->nr_to_write--;
	return 0;
}

const struct address_space_operations swap_aops = {
	.writepage = swap_writepage,
};

static void end_swap_bio_read(struct bio *bio)
{
	struct page *page = bio->private;

	if (bio->status) {
		printk(KERN_ERR "Read-error on swap-device (%s sector %u)\n", bio->bdev->name,
		       bio->sector);
		SetPageError(page);
	} else {
		SetPageUptodate(page);
		count_vm_event(PSWPIN);
	}
	unlock_page(page);
	kmem_cache_free(bio_cachep, bio);
}

/* Read page's slot into it (page locked, in the swap cache); unlocked when done. */
int swap_readpage(struct page *page)
{
	struct bio *bio = swap_bio(page, false, end_swap_bio_read);

	if (!bio) {
		SetPageError(page);
		unlock_page(page);
		return -ENOMEM;
	}
	count_vm_events(PGPGIN, PAGE_SIZE / 1024);
	submit_bio(bio);
	return 0;
}

/*
 * Read n pages (locked, in the swap cache, slots of one area, in disk
 * order) as swap_readpage does, in one burst into the plugged queue:
 * consecutive slots merge into one request before the disk sees the
 * first (swapin_readahead).
 */
void swap_readpages(struct page **pages, unsigned int n)
{
	struct block_device *bdev;

	if (!n)
		return;
	bdev = swap_info_get((swp_entry_t){ pages[0]->private })->bdev;
	blk_plug(bdev);
	for (unsigned int i = 0; i < n; i++)
		swap_readpage(pages[i]);
	blk_unplug(bdev);
}
