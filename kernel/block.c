/*
 * The block-request layer: the list of disks, submitting bios to their
 * driver, and a synchronous wrapper that sleeps until the interrupt
 * handler reports completion.  Swap-out uses submit_bio directly and is
 * told in end_io, so reclaim never waits for the disk.  Also the
 * per-disk counts /proc/diskstats shows.
 */
#include <anvil/kernel.h>
#include <anvil/blkdev.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <abi/errno.h>

static struct block_device *bdevs[MAX_BLOCK_DEVICES];
static int nr_bdevs;
static DECLARE_WAIT_QUEUE_HEAD(bio_wait);

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

void submit_bio(struct bio *bio)
{
	struct block_device *bdev = bio->bdev;

	if (!bio->nr_sectors || bio->sector >= bdev->nr_sectors ||
	    bio->nr_sectors > bdev->nr_sectors - bio->sector) {
		bio->status = -EINVAL;
		bio->end_io(bio);
		return;
	}
	if (bio->write) {
		bdev->writes++;
		bdev->sectors_written += bio->nr_sectors;
	} else {
		bdev->reads++;
		bdev->sectors_read += bio->nr_sectors;
	}
	bdev->submit(bdev, bio);
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
 * requests and sectors (at submission); merges and times are 0.
 */
size_t diskstats_format(char *buf, size_t size)
{
	size_t n = 0;

	for (int i = 0; i < nr_bdevs && n < size; i++) {
		struct block_device *b = bdevs[i];

		n += snprintf(buf + n, size - n, "%4u %7u %s %lu 0 %lu 0 %lu 0 %lu 0 0 0 0\n",
			      MAJOR(b->dev), MINOR(b->dev), b->name, b->reads, b->sectors_read,
			      b->writes, b->sectors_written);
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
