/*
 * The block-request layer: the list of disks, the request queue with its
 * elevator (a bio continuing the last queued request on disk joins it:
 * Linux 2.6's noop), ending requests for the driver, a synchronous
 * wrapper that sleeps until the interrupt handler reports completion, and
 * the wait reclaim uses until some request completes.  Swap-out uses
 * submit_bio directly and is told in end_io, so reclaim never waits for
 * the disk.  Also the per-disk counts /proc/diskstats shows.
 */
#include <anvil/kernel.h>
#include <anvil/blkdev.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/timer.h>
#include <abi/errno.h>

static struct block_device *bdevs[MAX_BLOCK_DEVICES];
static int nr_bdevs;
static DECLARE_WAIT_QUEUE_HEAD(bio_wait);
static DECLARE_WAIT_QUEUE_HEAD(congestion_wait);

#define BLK_UNPLUG_DELAY 2      /* ticks: at least one whole tick after blk_plug */

void register_block_device(struct block_device *bdev)
{
	BUG_ON(nr_bdevs >= MAX_BLOCK_DEVICES);
	bdevs[nr_bdevs++] = bdev;
}

struct block_device *lookup_block_device(dev_t dev)
{
	for (int i = 0; i < nr_bdevs; i++)
		if (bdevs[i]->dev == dev)
			return bdevs[i];
	return NULL;
}

struct block_device *block_device_by_name(const char *name)
{
	for (int i = 0; i < nr_bdevs; i++)
		if (!strcmp(bdevs[i]->name, name))
			return bdevs[i];
	return NULL;
}

static void blk_unplug_timeout(unsigned long data);

void blk_init_queue(struct request_queue *q, void (*request_fn)(struct request_queue *q),
		    unsigned int max_sectors, unsigned int max_segments, unsigned long seg_boundary,
		    void *queuedata)
{
	INIT_LIST_HEAD(&q->queue_head);
	INIT_LIST_HEAD(&q->free_list);
	for (int i = 0; i < BLKDEV_MAX_RQ; i++)
		list_add_tail(&q->pool[i].queuelist, &q->free_list);
	init_waitqueue_head(&q->wait_free);
	init_timer(&q->unplug_timer, blk_unplug_timeout, (unsigned long)q);
	q->request_fn = request_fn;
	q->max_sectors = max_sectors;
	q->max_segments = max_segments;
	q->seg_boundary = seg_boundary;
	q->queuedata = queuedata;
}

/*
 * The DMA regions bio's data needs: its contiguous pieces, cut at the
 * queue's boundary (counted on direct-map addresses, whose 64 KiB lines
 * are the physical ones: the map starts at 0xc0000000).
 */
static unsigned int bio_phys_segments(struct request_queue *q, struct bio *bio)
{
	unsigned int size = bio->nr_sectors * SECTOR_SIZE, offset = 0, len, n = 0;

	while (offset < size) {
		unsigned long addr = (unsigned long)bio_data(bio, offset, &len);

		offset += len;
		n += (addr + len - 1) / q->seg_boundary - addr / q->seg_boundary + 1;
	}
	return n;
}

/*
 * The elevator: join bio to the last queued request if it continues it
 * on disk (back merge) or ends where it begins (front merge), same disk
 * and direction, and the whole still fits one transfer.  Only the last
 * request: nothing queued after it can be overtaken, so the order the
 * requests were made in is the order they reach the disk.  What it
 * saves: reclaim writes runs of consecutive slots (mm/swapfile.c's
 * clusters) and read-ahead reads them, one bio a page; behind the
 * request on the wire they become one transfer of up to max_sectors,
 * one command and one interrupt in place of one per page.
 */
static bool elv_merge(struct request_queue *q, struct bio *bio, unsigned int segments)
{
	struct request *rq;

	if (list_empty(&q->queue_head))
		return false;
	rq = list_last_entry(&q->queue_head, struct request, queuelist);
	if (rq->bdev != bio->bdev || rq->write != bio->write || rq->one_bio ||
	    rq->nr_sectors + bio->nr_sectors > q->max_sectors ||
	    rq->nr_segments + segments > q->max_segments)
		return false;
	if (rq->sector + rq->nr_sectors == bio->sector) {
		rq->biotail->bi_next = bio;
		rq->biotail = bio;
	} else if (bio->sector + bio->nr_sectors == rq->sector) {
		bio->bi_next = rq->bio;
		rq->bio = bio;
		rq->sector = bio->sector;
	} else {
		return false;
	}
	rq->nr_sectors += bio->nr_sectors;
	rq->nr_segments += segments;
	return true;
}

/*
 * A free request of q, interrupts off.  With all BLKDEV_MAX_RQ queued,
 * the submitter sleeps until the driver ends one (Linux's
 * get_request_wait): bios come from process context only.
 */
static struct request *get_request_wait(struct request_queue *q, unsigned long *flags)
{
	while (list_empty(&q->free_list)) {
		q->request_fn(q);                /* a plugged queue must drain too */
		local_irq_restore(*flags);
		wait_event(q->wait_free, !list_empty(&q->free_list));
		local_irq_save(*flags);
	}
	return list_first_entry(&q->free_list, struct request, queuelist);
}

void submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bdev;
	struct request_queue *q = bdev->queue;
	unsigned long flags;
	unsigned int segments;
	struct request *rq;

	if (!bio->nr_sectors || bio->sector >= bdev->nr_sectors ||
	    bio->nr_sectors > bdev->nr_sectors - bio->sector ||
	    bio->nr_sectors > q->max_sectors ||
	    (segments = bio_phys_segments(q, bio)) > q->max_segments) {
		bio->status = -EINVAL;
		bio->end_io(bio);
		return;
	}
	bio->bi_next = NULL;
	local_irq_save(flags);
	if (bio->write)
		bdev->sectors_written += bio->nr_sectors;
	else
		bdev->sectors_read += bio->nr_sectors;
	if (elv_merge(q, bio, segments)) {
		if (bio->write)
			bdev->writes_merged++;
		else
			bdev->reads_merged++;
	} else {
		rq = get_request_wait(q, &flags);
		list_del(&rq->queuelist);
		*rq = (struct request){
			.bdev = bdev, .sector = bio->sector, .nr_sectors = bio->nr_sectors,
			.nr_segments = segments, .write = bio->write, .bio = bio, .biotail = bio,
		};
		list_add_tail(&rq->queuelist, &q->queue_head);
		if (bio->write)
			bdev->writes++;
		else
			bdev->reads++;
	}
	if (!q->plugged)
		q->request_fn(q);
	else if (!q->unplug_timer.pending)      /* the timer ran while the plug stayed */
		mod_timer(&q->unplug_timer, jiffies + BLK_UNPLUG_DELAY);
	local_irq_restore(flags);
}

/*
 * Plugging (Linux 2.6's blk_plug_device, for a burst the caller knows):
 * while plugged, submit_bio queues and merges but does not start the
 * driver.  What it saves: on an idle disk the first bio of a run would
 * go out alone and the rest follow as a second request, a second
 * command and interrupt -- and for a swap-in, a second wait.  Nothing
 * waits long behind a plug: a request the driver finishes meanwhile
 * still starts the next, a synchronous submitter (submit_bio_wait) and
 * one out of requests start the queue, and if the plugger sleeps the
 * unplug timer starts it at the next tick (Linux's unplug_timer) -- armed
 * again by any bio queued behind the plug after it ran, so a plug held
 * for long holds nobody else's request for more than its delay.
 */
void blk_plug(struct block_device *bdev)
{
	struct request_queue *q = bdev->queue;
	unsigned long flags;

	local_irq_save(flags);
	if (!q->plugged++)
		mod_timer(&q->unplug_timer, jiffies + BLK_UNPLUG_DELAY);
	local_irq_restore(flags);
}

void blk_unplug(struct block_device *bdev)
{
	struct request_queue *q = bdev->queue;
	unsigned long flags;

	local_irq_save(flags);
	BUG_ON(!q->plugged);
	if (!--q->plugged) {
		del_timer(&q->unplug_timer);
		q->request_fn(q);
	}
	local_irq_restore(flags);
}

/* Start the queue's driver, plugged or not. */
static void blk_run_queue(struct request_queue *q)
{
	unsigned long flags;

	local_irq_save(flags);
	q->request_fn(q);
	local_irq_restore(flags);
}

static void blk_unplug_timeout(unsigned long data)
{
	blk_run_queue((struct request_queue *)data);
}

/* The first queued request, taken off the queue (the driver's, interrupts off), or NULL. */
struct request *blk_fetch_request(struct request_queue *q)
{
	struct request *rq;

	if (list_empty(&q->queue_head))
		return NULL;
	rq = list_first_entry(&q->queue_head, struct request, queuelist);
	list_del(&rq->queuelist);
	return rq;
}

/* Move only rq's first bio next, at the head of its queue. */
static void requeue_first_bio(struct request *rq)
{
	struct request_queue *q = rq->bdev->queue;

	rq->one_bio = true;
	rq->sector = rq->bio->sector;
	rq->nr_sectors = rq->bio->nr_sectors;
	list_add(&rq->queuelist, &q->queue_head);
}

/*
 * The driver has moved rq's transfer, or failed to (status -EIO); from
 * its interrupt handler.  A merged request that failed is not failed
 * whole: it goes back to the head of the queue to be moved bio by bio,
 * so that a bad sector fails only the bio holding it (a write error
 * retires one swap slot, not a cluster).  Otherwise each bio of the
 * transfer ends, and the request is free again; tasks waiting for a
 * request, or for writeback to move (blk_congestion_wait), wake.
 */
void blk_end_request(struct request *rq, int status)
{
	struct request_queue *q = rq->bdev->queue;

	if (status && !rq->one_bio && rq->bio != rq->biotail) {
		requeue_first_bio(rq);
		return;
	}
	if (status) {
		/* Linux 2.6's end_request line: which disk, and where the request began */
		printk(KERN_ERR "end_request: I/O error, dev %s, sector %u (%s of %u)\n",
		       rq->bdev->name, rq->sector, rq->write ? "write" : "read", rq->nr_sectors);
		rq->bdev->errors++;
	}
	for (unsigned int done = 0; done < rq->nr_sectors; ) {
		struct bio *bio = rq->bio;

		rq->bio = bio->bi_next;           /* read before end_io frees bio */
		done += bio->nr_sectors;
		bio->status = status;
		bio->end_io(bio);
	}
	if (rq->bio) {
		requeue_first_bio(rq);           /* retrying bio by bio: the next one */
	} else {
		list_add(&rq->queuelist, &q->free_list);
		wake_up(&q->wait_free);
	}
	wake_up(&congestion_wait);
}

/*
 * Sleep until a request completes somewhere, at most timeout ticks.
 * Reclaim and the dirty throttle wait here while writes are in flight:
 * what it saves is the rest of a fixed tick -- a request's completion
 * frees pages (end_page_writeback) long before the tick is up, and the
 * waiter goes on at once.
 */
long blk_congestion_wait(long timeout)
{
	DEFINE_WAIT(wait);
	long left;

	prepare_to_wait(&congestion_wait, &wait, TASK_UNINTERRUPTIBLE);
	left = schedule_timeout(timeout);
	finish_wait(&congestion_wait, &wait);
	return left;
}

void *bio_data(struct bio *bio, unsigned int offset, unsigned int *len)
{
	unsigned int size = bio->nr_sectors * SECTOR_SIZE;
	unsigned int in_page = offset & ~PAGE_MASK;

	BUG_ON(offset >= size);
	if (!bio->nr_pages) {
		*len = size - offset;
		return (char *)bio->buf + offset;
	}
	BUG_ON(offset >> PAGE_SHIFT >= bio->nr_pages);
	*len = min((unsigned int)PAGE_SIZE - in_page, size - offset);
	return (char *)page_address(bio->pages[offset >> PAGE_SHIFT]) + in_page;
}

void *rq_data(struct request *rq, unsigned int offset, unsigned int *len)
{
	struct bio *bio = rq->bio;

	BUG_ON(offset >= rq->nr_sectors * SECTOR_SIZE);
	while (offset >= bio->nr_sectors * SECTOR_SIZE) {
		offset -= bio->nr_sectors * SECTOR_SIZE;
		bio = bio->bi_next;
	}
	return bio_data(bio, offset, len);
}

struct sync_done {
	volatile bool done;
};

static void end_sync_bio(struct bio *bio)
{
	((struct sync_done *)bio->private)->done = true;
	wake_up(&bio_wait);
}

/* Submit bio and sleep until it is done (Linux's submit_bio_wait): 0 or -EIO. */
int submit_bio_wait(struct bio *bio)
{
	struct sync_done done = { false };

	bio->end_io = end_sync_bio;
	bio->private = &done;
	submit_bio(bio);
	blk_run_queue(bio->bdev->queue);      /* we wait: no plug may hold it back */
	wait_event(bio_wait, done.done);
	return bio->status;
}

int block_rw_sync(struct block_device *bdev, sector_t sector, void *buf, unsigned int nr,
		  bool write)
{
	struct bio bio = {
		.bdev = bdev, .sector = sector, .nr_sectors = nr, .buf = buf, .write = write,
	};

	return submit_bio_wait(&bio);
}

/*
 * /proc/diskstats in Linux 2.6's layout: major minor name, then reads
 * completed, merged, sectors read, ms reading, and the same four for
 * writes, I/Os in flight, ms doing I/O, weighted ms.  anvil counts
 * requests, bios merged into a queued request, and sectors, at
 * submission; times are 0.
 */
size_t diskstats_format(char *buf, size_t size)
{
	size_t n = 0;

	for (int i = 0; i < nr_bdevs && n < size; i++) {
		struct block_device *b = bdevs[i];

		n += snprintf(buf + n, size - n, "%4u %7u %s %lu %lu %lu 0 %lu %lu %lu 0 0 0 0\n",
			      MAJOR(b->dev), MINOR(b->dev), b->name, b->reads, b->reads_merged,
			      b->sectors_read, b->writes, b->writes_merged, b->sectors_written);
	}
	return n < size ? n : size;
}

void block_devices_make_nodes(void)
{
	for (int i = 0; i < nr_bdevs; i++) {
		char path[16];
		int err;

		snprintf(path, sizeof(path), "/dev/%s", bdevs[i]->name);
		err = vfs_mknod(root_inode(), path, S_IFBLK | 0660, bdevs[i]->dev);
		if (err && err != -EEXIST)
			printk(KERN_ERR "block: cannot create %s: %d\n", path, err);
	}
}
