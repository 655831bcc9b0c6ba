/*
 * Block devices and requests.  A bio asks a device to move nr_sectors
 * 512-byte sectors between the disk and `buf` (kernel memory) -- or, for
 * a request spanning pages that lie anywhere in memory (read-ahead),
 * the vector `pages`, whole pages one after the other; the
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
#define BIO_MAX_SECTORS 256                /* the largest request: 128 KiB, LBA28's */
#define BIO_MAX_PAGES (BIO_MAX_SECTORS / SECTORS_PER_PAGE)
#define BDEV_NAME_LEN 8
#define MAX_BLOCK_DEVICES 4

typedef u32 sector_t;
struct bio;
struct page;

struct block_device {
	char name[BDEV_NAME_LEN];          /* "hda".."hdd" */
	dev_t dev;                         /* as Linux: hda 3:0, hdb 3:64, hdc 22:0, hdd 22:64 */
	sector_t nr_sectors;
	void (*submit)(struct block_device *bdev, struct bio *bio);
	void *driver;
	unsigned long reads, writes, errors;
	unsigned long sectors_read, sectors_written;   /* /proc/diskstats */
};

struct bio {
	struct block_device *bdev;
	sector_t sector;
	unsigned int nr_sectors;
	void *buf;                         /* the data, when nr_pages is 0 */
	struct page **pages;               /* else: nr_pages pages, the last one maybe */
	unsigned int nr_pages;             /*   not all in the request */
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
/* The bio's data at byte offset, and in *len how many bytes follow it contiguously. */
void *bio_data(struct bio *bio, unsigned int offset, unsigned int *len);
/* Submit bio (its end_io and private are taken) and wait for it: 0 or -EIO (-EINVAL). */
int submit_bio_wait(struct bio *bio);
/* Read or write and wait for it; 0 or -EIO (or -EINVAL beyond the end). */
int block_rw_sync(struct block_device *bdev, sector_t sector, void *buf, unsigned int nr,
		  bool write);
size_t diskstats_format(char *buf, size_t size);   /* /proc/diskstats */
void block_devices_make_nodes(void);   /* /dev/hdX for every disk found */
void ata_init(void);
/* DMA (on) or PIO for an ATA disk's next requests: 0, or -ENODEV if it cannot DMA */
int ata_set_dma(struct block_device *bdev, bool on);
bool ata_dma_enabled(struct block_device *bdev);

#endif
