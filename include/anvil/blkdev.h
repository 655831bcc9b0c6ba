/*
 * Block devices and requests.  A bio asks a device to move nr_sectors
 * 512-byte sectors between `buf` (kernel memory) and the disk; the
 * driver queues it, and calls bio->end_io from its interrupt handler
 * when it is done, with status 0 or -EIO.  Nothing waits unless the
 * caller chooses to (block_rw_sync): swap writes are asynchronous.
 */
#ifndef ANVIL_BLKDEV_H
#define ANVIL_BLKDEV_H

#include <anvil/types.h>
#include <anvil/list.h>

#define SECTOR_SIZE 512
#define SECTOR_SHIFT 9
#define SECTORS_PER_PAGE 8
#define BDEV_NAME_LEN 8
#define MAX_BLOCK_DEVICES 4

typedef u32 sector_t;
struct bio;

struct block_device {
	char name[BDEV_NAME_LEN];          /* "hda".."hdd" */
	dev_t dev;                         /* as Linux: hda 3:0, hdb 3:64, hdc 22:0, hdd 22:64 */
	sector_t nr_sectors;
	void (*submit)(struct block_device *bdev, struct bio *bio);
	void *driver;
	unsigned long reads, writes, errors;
};

struct bio {
	struct block_device *bdev;
	sector_t sector;
	unsigned int nr_sectors;
	void *buf;
	bool write;
	int status;                        /* 0, or -EIO */
	void (*end_io)(struct bio *bio);   /* from interrupt context */
	void *private;
	struct list_head queue;            /* the driver's */
};

void register_block_device(struct block_device *bdev);
struct block_device *lookup_block_device(dev_t dev);
struct block_device *block_device_by_name(const char *name);
void submit_bio(struct bio *bio);
/* Read or write and wait for it; 0 or -EIO (or -EINVAL beyond the end). */
int block_rw_sync(struct block_device *bdev, sector_t sector, void *buf, unsigned int nr,
		  bool write);
void block_devices_make_nodes(void);   /* /dev/hdX for every disk found */
void ata_init(void);
/* DMA (on) or PIO for an ATA disk's next requests: 0, or -ENODEV if it cannot DMA */
int ata_set_dma(struct block_device *bdev, bool on);
bool ata_dma_enabled(struct block_device *bdev);

#endif
