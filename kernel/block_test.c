/*
 * Tests of the request queue (kernel/block.c): adjacent bios queued
 * behind a plug merge -- back and front -- into one request each, up to
 * the largest request the disk takes, every bio ends once with its data
 * where it belongs on disk, and /proc/diskstats counts the merges; a plug
 * held long holds nobody's bio for long.  They borrow the last
 * BORROW_PAGES pages of the first disk and put its bytes back.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/blkdev.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/timer.h>

#define BORROW_ORDER 6                          /* 64 pages: two requests' worth */
#define BORROW_PAGES (1 << BORROW_ORDER)
#define BORROW_SECTORS (BORROW_PAGES * SECTORS_PER_PAGE)

struct merge_run {
	struct bio bios[BORROW_PAGES];
	unsigned int ended, failed, order[BORROW_PAGES];
};

static void end_merge_bio(struct bio *bio)
{
	struct merge_run *run = bio->private;

	run->order[run->ended++] = bio - run->bios;
	run->failed += bio->status != 0;
}

/* A write bio of page i of buf to page i of the borrowed area. */
static struct bio *page_bio(struct merge_run *run, struct block_device *bdev, u8 *buf,
			    unsigned int i)
{
	run->bios[i] = (struct bio){
		.bdev = bdev, .sector = bdev->nr_sectors - BORROW_SECTORS + i * SECTORS_PER_PAGE,
		.nr_sectors = SECTORS_PER_PAGE, .buf = buf + i * PAGE_SIZE, .write = true,
		.end_io = end_merge_bio, .private = run,
	};
	return &run->bios[i];
}

/* Submit the bios for pages idx[0..n) of buf in that order, behind a plug, interrupts off. */
static void submit_plugged(struct merge_run *run, struct block_device *bdev, u8 *buf,
			   const unsigned int *idx, unsigned int n)
{
	unsigned long flags;

	local_irq_save(flags);                  /* nothing ends, no unplug timer, meanwhile */
	blk_plug(bdev);
	for (unsigned int i = 0; i < n; i++)
		submit_bio(page_bio(run, bdev, buf, idx[i]));
	blk_unplug(bdev);
	local_irq_restore(flags);
}

static void wait_ended(struct merge_run *run, unsigned int n)
{
	while (READ_ONCE(run->ended) < n) {
		current->state = TASK_UNINTERRUPTIBLE;
		schedule_timeout(1);
	}
}

/* The first disk big enough to lend its end. */
static struct block_device *test_disk(void)
{
	static const char *const names[] = { "hda", "hdb", "hdc", "hdd" };

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		struct block_device *bdev = block_device_by_name(names[i]);

		if (bdev && bdev->nr_sectors >= BORROW_SECTORS)
			return bdev;
	}
	return NULL;
}

KTEST(block_adjacent_bios_merge_into_one_request)
{
	struct block_device *bdev = test_disk();
	u8 *saved = (u8 *)__get_free_pages(GFP_KERNEL, BORROW_ORDER);
	u8 *buf = (u8 *)__get_free_pages(GFP_KERNEL, BORROW_ORDER);
	u8 *back = (u8 *)__get_free_pages(GFP_KERNEL, BORROW_ORDER);
	static struct merge_run run;
	/* 0, 1: a back merge; 3 then 2: a front merge into the request 3 began */
	static const unsigned int idx[] = { 0, 1, 3, 2 };
	unsigned long writes, merged;
	sector_t at;

	KT_ASSERT(t, bdev && saved && buf && back);
	at = bdev->nr_sectors - BORROW_SECTORS;
	KT_EQ(t, block_rw_sync(bdev, at, saved, BORROW_SECTORS / 2, false), 0);
	for (unsigned int i = 0; i < BORROW_PAGES * PAGE_SIZE; i++)
		buf[i] = (u8)(i * 7 + i / PAGE_SIZE);
	memset(&run, 0, sizeof(run));
	writes = bdev->writes;
	merged = bdev->writes_merged;
	submit_plugged(&run, bdev, buf, idx, ARRAY_SIZE(idx));
	wait_ended(&run, ARRAY_SIZE(idx));
	KT_EQ(t, bdev->writes - writes, 2);           /* [0, 1] and [2, 3]: 3 runs on from 1 */
	KT_EQ(t, bdev->writes_merged - merged, 2);
	KT_EQ(t, run.failed, 0);
	/* each request's bios end in disk order: the front-merged 2 before 3 */
	KT_EQ(t, run.order[0], 0);
	KT_EQ(t, run.order[1], 1);
	KT_EQ(t, run.order[2], 2);
	KT_EQ(t, run.order[3], 3);
	memset(back, 0, 4 * PAGE_SIZE);
	KT_EQ(t, block_rw_sync(bdev, at, back, 4 * SECTORS_PER_PAGE, false), 0);
	KT_ASSERT(t, !memcmp(back, buf, 4 * PAGE_SIZE));
	KT_EQ(t, block_rw_sync(bdev, at, saved, BORROW_SECTORS / 2, true), 0);
	free_pages((unsigned long)saved, BORROW_ORDER);
	free_pages((unsigned long)buf, BORROW_ORDER);
	free_pages((unsigned long)back, BORROW_ORDER);
}

KTEST(block_merging_stops_at_the_largest_request)
{
	struct block_device *bdev = test_disk();
	u8 *saved = (u8 *)__get_free_pages(GFP_KERNEL, BORROW_ORDER);
	u8 *buf = (u8 *)__get_free_pages(GFP_KERNEL, BORROW_ORDER);
	u8 *back = (u8 *)__get_free_pages(GFP_KERNEL, BORROW_ORDER);
	static struct merge_run run;
	static unsigned int idx[BORROW_PAGES];
	unsigned long writes, merged;
	sector_t at;
	bool ok = true;

	KT_ASSERT(t, bdev && saved && buf && back);
	at = bdev->nr_sectors - BORROW_SECTORS;
	for (unsigned int half = 0; half < 2; half++)
		KT_EQ(t, block_rw_sync(bdev, at + half * BORROW_SECTORS / 2,
				       saved + half * BORROW_PAGES / 2 * PAGE_SIZE,
				       BORROW_SECTORS / 2, false), 0);
	for (unsigned int i = 0; i < BORROW_PAGES; i++)
		idx[i] = i;
	for (unsigned int i = 0; i < BORROW_PAGES * PAGE_SIZE; i++)
		buf[i] = (u8)(i * 13 + i / PAGE_SIZE);
	memset(&run, 0, sizeof(run));
	writes = bdev->writes;
	merged = bdev->writes_merged;
	submit_plugged(&run, bdev, buf, idx, BORROW_PAGES);
	wait_ended(&run, BORROW_PAGES);
	/* 64 one-page bios: two requests of BIO_MAX_PAGES, what one command and PRD table carry */
	KT_EQ(t, bdev->writes - writes, BORROW_PAGES / BIO_MAX_PAGES);
	KT_EQ(t, bdev->writes_merged - merged, BORROW_PAGES - BORROW_PAGES / BIO_MAX_PAGES);
	KT_EQ(t, run.failed, 0);
	for (unsigned int i = 0; i < BORROW_PAGES; i++)
		ok = ok && run.order[i] == i;
	KT_ASSERT(t, ok);
	for (unsigned int half = 0; half < 2; half++)
		KT_EQ(t, block_rw_sync(bdev, at + half * BORROW_SECTORS / 2,
				       back + half * BORROW_PAGES / 2 * PAGE_SIZE,
				       BORROW_SECTORS / 2, false), 0);
	KT_ASSERT(t, !memcmp(back, buf, BORROW_PAGES * PAGE_SIZE));
	for (unsigned int half = 0; half < 2; half++)
		KT_EQ(t, block_rw_sync(bdev, at + half * BORROW_SECTORS / 2,
				       saved + half * BORROW_PAGES / 2 * PAGE_SIZE,
				       BORROW_SECTORS / 2, true), 0);
	free_pages((unsigned long)saved, BORROW_ORDER);
	free_pages((unsigned long)buf, BORROW_ORDER);
	free_pages((unsigned long)back, BORROW_ORDER);
}

#define PLUG_HELD_TICKS 5          /* longer than the unplug timer's delay: it has run */
#define PLUG_WAIT_TICKS 20         /* the timer, armed again by the bio, runs well before */

/*
 * A plug held past its timer still holds a bio queued behind it no
 * longer than the timer's delay: the bio arms the timer again.  (Before,
 * the timer ran once, with nothing queued, and the bio waited for the
 * plugger's blk_unplug however long that took.)
 */
KTEST(block_plug_held_long_lets_a_later_bio_through)
{
	struct block_device *bdev = test_disk();
	u8 *buf = (u8 *)__get_free_page(GFP_KERNEL);
	static struct merge_run run;
	unsigned int waited = 0;

	KT_ASSERT(t, bdev && buf);
	memset(&run, 0, sizeof(run));
	blk_plug(bdev);
	current->state = TASK_UNINTERRUPTIBLE;
	schedule_timeout(PLUG_HELD_TICKS);
	run.bios[0] = (struct bio){
		.bdev = bdev, .sector = bdev->nr_sectors - SECTORS_PER_PAGE,
		.nr_sectors = SECTORS_PER_PAGE, .buf = buf, .write = false,
		.end_io = end_merge_bio, .private = &run,
	};
	submit_bio(&run.bios[0]);
	while (READ_ONCE(run.ended) < 1 && waited++ < PLUG_WAIT_TICKS) {
		current->state = TASK_UNINTERRUPTIBLE;
		schedule_timeout(1);
	}
	blk_unplug(bdev);
	wait_ended(&run, 1);
	KT_ASSERT(t, waited <= PLUG_WAIT_TICKS);
	KT_EQ(t, run.failed, 0);
	free_page((unsigned long)buf);
}
