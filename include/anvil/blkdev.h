/*
 * Block devices and requests.  A bio asks a device to move nr_sectors
 * 512-byte sectors between the disk and `buf` (kernel memory) -- or, for
 * a request spanning pages that lie anywhere in memory (read-ahead),
 * the vector `pages`, whole pages one after the other.  submit_bio puts
 * it in the disk's request queue, merged into the last queued request
 * when it continues it on disk (kernel/block.c's elevator); the driver
 * takes requests off the queue in order, moves each in one transfer,
 * and from its interrupt handler ends it (blk_end_request), which calls
 * every bio's end_io with status 0 or -EIO.  Nothing waits unless the
 * caller chooses to (block_rw_sync): swap writes are asynchronous.
 */
#ifndef ANVIL_BLKDEV_H
#define ANVIL_BLKDEV_H

#include <anvil/types.h>
#include <anvil/list.h>
#include <anvil/wait.h>
#include <anvil/timer.h>

#define SECTOR_SIZE 512
#define SECTOR_SHIFT 9
#define SECTORS_PER_PAGE 8
#define BIO_MAX_SECTORS 256                /* the largest request: 128 KiB, LBA28's */
#define BIO_MAX_PAGES (BIO_MAX_SECTORS / SECTORS_PER_PAGE)
#define BLKDEV_MAX_RQ 128                  /* requests per queue (Linux's nr_requests) */
#define BDEV_NAME_LEN 8
#define MAX_BLOCK_DEVICES 4

typedef u32 sector_t;
struct bio;
struct page;
struct request_queue;

struct block_device {
	char name[BDEV_NAME_LEN];          /* "hda".."hdd" */
	dev_t dev;                         /* as Linux: hda 3:0, hdb 3:64, hdc 22:0, hdd 22:64 */
	sector_t nr_sectors;
	struct request_queue *queue;       /* may be shared: an ATA channel's two disks */
	void *driver;
	unsigned long reads, writes, errors;            /* requests: /proc/diskstats */
	unsigned long reads_merged, writes_merged;      /* bios merged into one */
	unsigned long sectors_read, sectors_written;
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
	struct bio *bi_next;               /* the next bio of its request */
};

/*
 * Sectors [sector, sector + nr_sectors) of one disk, one direction, made
 * of the chain of bios from `bio` to `biotail` whose data follow each
 * other on disk: one transfer for the driver.  After a merged request
 * failed, it is retried bio by bio (one_bio), so the error lands only
 * on the bio whose sectors are bad.
 */
struct request {
	struct block_device *bdev;
	sector_t sector;                   /* the transfer: from here */
	unsigned int nr_sectors;           /*   this many sectors */
	unsigned int nr_segments;          /* DMA regions its bios need, at most */
	bool write;
	bool one_bio;                      /* only rq->bio is moved now */
	struct bio *bio, *biotail;
	struct list_head queuelist;        /* on the queue, or its free list */
};

/*
 * A disk's (or a channel's) queue of requests waiting for the driver,
 * in the order they go out; the limits say how big a request the
 * hardware takes in one transfer.  request_fn is the driver's: start
 * the next request if the hardware is idle (called with interrupts off).
 */
struct request_queue {
	struct list_head queue_head;
	struct list_head free_list;
	struct request pool[BLKDEV_MAX_RQ];
	wait_queue_head_t wait_free;       /* submitters waiting for a request */
	unsigned int max_sectors;
	unsigned int max_segments;         /* DMA regions one transfer may have */
	unsigned long seg_boundary;        /* no region crosses a multiple of this */
	unsigned int plugged;              /* blk_plug nesting: hold requests back */
	struct timer_list unplug_timer;    /* runs a queue whose plugger slept */
	void (*request_fn)(struct request_queue *q);
	void *queuedata;                   /* the driver's */
};

void register_block_device(struct block_device *bdev);
struct block_device *lookup_block_device(dev_t dev);
struct block_device *block_device_by_name(const char *name);
void blk_init_queue(struct request_queue *q, void (*request_fn)(struct request_queue *q),
		    unsigned int max_sectors, unsigned int max_segments, unsigned long seg_boundary,
		    void *queuedata);
void submit_bio(struct bio *bio);
/* The bio's data at byte offset, and in *len how many bytes follow it contiguously. */
void *bio_data(struct bio *bio, unsigned int offset, unsigned int *len);
/* The same for the request's transfer (offset from rq->sector). */
void *rq_data(struct request *rq, unsigned int offset, unsigned int *len);
/* The driver's side (interrupts off): the next request to move, and the end of its transfer. */
struct request *blk_fetch_request(struct request_queue *q);
void blk_end_request(struct request *rq, int status);
/* Around a burst of submit_bio: its bios go out merged, not the first alone. */
void blk_plug(struct block_device *bdev);
void blk_unplug(struct block_device *bdev);
/* Sleep until some request completes, or timeout ticks pass (Linux 2.6's blk_congestion_wait). */
long blk_congestion_wait(long timeout);
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
