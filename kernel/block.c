/*
 * The block-request layer: the list of disks, submitting bios to their
 * driver, and a synchronous wrapper that sleeps until the interrupt
 * handler reports completion.  Swap-out uses submit_bio directly and is
 * told in end_io, so reclaim never waits for the disk.
 */
#include <anvil/kernel.h>
#include <anvil/blkdev.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
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
	if (bio->write)
		bdev->writes++;
	else
		bdev->reads++;
	bdev->submit(bdev, bio);
}

struct sync_done {
	volatile bool done;
};

static void end_sync_bio(struct bio *bio)
{
	((struct sync_done *)bio->private)->done = true;
	wake_up(&bio_wait);
}

int block_rw_sync(struct block_device *bdev, sector_t sector, void *buf, unsigned int nr,
		  bool write)
{
	struct sync_done done = { false };
	struct bio bio = {
		.bdev = bdev, .sector = sector, .nr_sectors = nr, .buf = buf, .write = write,
		.end_io = end_sync_bio, .private = &done,
	};

	submit_bio(&bio);
	wait_event(bio_wait, done.done);
	return bio.status;
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
