/*
 * ATA (IDE) disks on the two legacy channels (0x1f0/IRQ 14 and
 * 0x170/IRQ 15), master and slave: hda, hdb, hdc, hdd.  Probing uses
 * IDENTIFY and polls (boot time only).  Requests are LBA28, by bus-master
 * DMA when the PCI IDE function has it (ata_dma.c: one interrupt per
 * request) unless ide=nodma, else by PIO with READ/WRITE MULTIPLE, so a
 * whole page moves per data request; both are driven by the channel's
 * interrupt: the submitter never spins, the interrupt handler moves the
 * data (PIO) and ends the request.  The two disks of a channel share its
 * request queue (kernel/block.c), whose requests -- runs of bios merged
 * -- go out in order, one at a time.  A device or DMA error, or no
 * interrupt within ATA_TIMEOUT, ends the request with -EIO (the channel
 * is reset after a time-out); nothing ever hangs on a disk.
 */
#include <anvil/kernel.h>
#include <anvil/blkdev.h>
#include <anvil/irq.h>
#include <anvil/timer.h>
#include <anvil/time.h>
#include <anvil/fs.h>
#include <anvil/cmdline.h>
#include <asm/io.h>
#include <abi/errno.h>
#include "ata.h"

#define ATA_DATA 0
#define ATA_ERROR 1
#define ATA_SECCOUNT 2
#define ATA_LBA_LOW 3
#define ATA_LBA_MID 4
#define ATA_LBA_HIGH 5
#define ATA_DRIVE 6
#define ATA_STATUS 7            /* read */
#define ATA_COMMAND 7           /* write */
#define ATA_CTRL_NIEN 0x02      /* device control: interrupts off */
#define ATA_CTRL_SRST 0x04      /* device control: software reset */

#define ATA_SR_BSY 0x80
#define ATA_SR_DF 0x20
#define ATA_SR_DRQ 0x08
#define ATA_SR_ERR 0x01

#define ATA_CMD_READ_DMA 0xc8
#define ATA_CMD_WRITE_DMA 0xca
#define ATA_CMD_READ_MULTIPLE 0xc4
#define ATA_CMD_WRITE_MULTIPLE 0xc5
#define ATA_CMD_SET_MULTIPLE 0xc6
#define ATA_CMD_IDENTIFY 0xec

#define ATA_DRIVE_LBA 0xe0       /* LBA addressing, the two obsolete bits set */
#define ATA_ID_WORDS 256
#define ATA_ID_MAX_MULTIPLE 47   /* IDENTIFY words we read */
#define ATA_ID_CAPABILITIES 49
#define ATA_ID_CAP_LBA 0x0200
#define ATA_ID_CAP_DMA 0x0100
#define ATA_ID_LBA28_SECTORS 60
#define ATA_ID_MODEL 27
#define ATA_MODEL_LEN 40
#define ATA_MAX_SECTORS 256      /* per LBA28 command */
#define ATA_MULTIPLE 8           /* sectors per data request: one page */
#define ATA_POLL_LIMIT 1000000   /* probing and DRQ waits give up after this many reads */
#define ATA_TIMEOUT (5 * HZ)
#define ATA_DISKS_PER_CHANNEL 2
#define ATA_NR_CHANNELS 2
#define ATA_MAJOR_PRIMARY 3
#define ATA_MAJOR_SECONDARY 22
#define ATA_SLAVE_MINOR 64

struct ata_channel;

struct ata_disk {
	struct ata_channel *ch;
	int slave;
	unsigned int multiple;            /* sectors per DRQ block */
	bool dma_capable;                 /* the drive and its channel can do bus-master DMA */
	bool dma;                         /* requests go by DMA (ata_set_dma) */
	char model[ATA_MODEL_LEN + 1];
	struct block_device bdev;
};

struct ata_channel {
	u16 base, ctrl;
	u8 irq;
	struct request_queue queue;       /* requests waiting, both disks' */
	struct request *cur;              /* the request on the wire */
	bool cur_dma;                     /* ... moved by the bus-master engine */
	unsigned int done;                /* sectors of cur transferred (PIO) */
	struct ata_bmdma bm;
	struct timer_list timer;
	struct ata_disk disks[ATA_DISKS_PER_CHANNEL];
	bool present[ATA_DISKS_PER_CHANNEL];
};

static struct ata_channel channels[ATA_NR_CHANNELS] = {
	{ .base = 0x1f0, .ctrl = 0x3f6, .irq = IRQ_ATA_PRIMARY },
	{ .base = 0x170, .ctrl = 0x376, .irq = IRQ_ATA_SECONDARY },
};

/* Reading the alternate status four times takes the 400 ns a drive select needs. */
static void ata_delay400(struct ata_channel *ch)
{
	for (int i = 0; i < 4; i++)
		inb(ch->ctrl);
}

static u8 ata_status(struct ata_channel *ch)
{
	return inb(ch->base + ATA_STATUS);
}

/* Poll until BSY clears; false on time-out (probing and the brief DRQ wait only). */
static bool ata_wait_not_busy(struct ata_channel *ch)
{
	for (int i = 0; i < ATA_POLL_LIMIT; i++)
		if (!(inb(ch->ctrl) & ATA_SR_BSY))
			return true;
	return false;
}

static bool ata_wait_drq(struct ata_channel *ch)
{
	for (int i = 0; i < ATA_POLL_LIMIT; i++) {
		u8 s = inb(ch->ctrl);

		if (s & (ATA_SR_ERR | ATA_SR_DF))
			return false;
		if (!(s & ATA_SR_BSY) && (s & ATA_SR_DRQ))
			return true;
	}
	return false;
}

static void ata_select(struct ata_channel *ch, int slave, u32 lba_high_bits)
{
	outb(ch->base + ATA_DRIVE, ATA_DRIVE_LBA | (slave << 4) | (lba_high_bits & 0x0f));
	ata_delay400(ch);
}

/* ---- requests -------------------------------------------------------- */

static unsigned int block_sectors(const struct ata_channel *ch)
{
	struct ata_disk *disk = ch->cur->bdev->driver;

	return min(disk->multiple, ch->cur->nr_sectors - ch->done);
}

/* One DRQ block of cur by PIO, in pieces where its data is not contiguous in memory. */
static void ata_transfer_block(struct ata_channel *ch)
{
	unsigned int offset = ch->done * SECTOR_SIZE;
	unsigned int left = block_sectors(ch) * SECTOR_SIZE;

	while (left) {
		unsigned int len;
		char *p = rq_data(ch->cur, offset, &len);

		len = min(len, left);
		if (ch->cur->write)
			outsw(ch->base + ATA_DATA, p, len / 2);
		else
			insw(ch->base + ATA_DATA, p, len / 2);
		offset += len;
		left -= len;
	}
	ch->done = offset / SECTOR_SIZE;
}

static void ata_start(struct ata_channel *ch);

/* Finish the current request (interrupts are off: IRQ, timer, or submit path). */
static void ata_complete(struct ata_channel *ch, int status)
{
	struct request *rq = ch->cur;

	del_timer(&ch->timer);
	ch->cur = NULL;
	blk_end_request(rq, status);
	ata_start(ch);
}

/*
 * The bus-master engine takes rq if the disk uses DMA and rq's buffers
 * can be described to it; the drive's command follows.
 */
static bool ata_dma_setup(struct ata_channel *ch, struct ata_disk *disk, struct request *rq)
{
	return disk->dma && ata_bmdma_setup(&ch->bm, rq);
}

/* Put the next queued request on the wire. */
static void ata_start(struct ata_channel *ch)
{
	struct ata_disk *disk;
	struct request *rq;
	u8 cmd;

	if (ch->cur || !(rq = blk_fetch_request(&ch->queue)))
		return;
	ch->cur = rq;
	ch->done = 0;
	disk = rq->bdev->driver;
	if (!ata_wait_not_busy(ch)) {
		ata_complete(ch, -EIO);
		return;
	}
	ch->cur_dma = ata_dma_setup(ch, disk, rq);
	if (ch->cur_dma)
		cmd = rq->write ? ATA_CMD_WRITE_DMA : ATA_CMD_READ_DMA;
	else
		cmd = rq->write ? ATA_CMD_WRITE_MULTIPLE : ATA_CMD_READ_MULTIPLE;
	ata_select(ch, disk->slave, rq->sector >> 24);
	outb(ch->base + ATA_SECCOUNT, rq->nr_sectors & 0xff);   /* 0 means 256 */
	outb(ch->base + ATA_LBA_LOW, rq->sector & 0xff);
	outb(ch->base + ATA_LBA_MID, (rq->sector >> 8) & 0xff);
	outb(ch->base + ATA_LBA_HIGH, (rq->sector >> 16) & 0xff);
	mod_timer(&ch->timer, jiffies + ATA_TIMEOUT);
	outb(ch->base + ATA_COMMAND, cmd);
	if (ch->cur_dma) {
		ata_bmdma_start(&ch->bm);        /* after the command, as the PIIX wants */
	} else if (rq->write) {
		/* the first block goes out at once; DRQ comes within microseconds */
		if (!ata_wait_drq(ch)) {
			ata_complete(ch, -EIO);
			return;
		}
		ata_transfer_block(ch);
	}
}

/*
 * The end of a DMA request: the drive interrupts once, when all of it
 * has moved or it failed.  Stop the engine first, then read the drive's
 * status, which acknowledges the interrupt (Linux's ata_bmdma_stop order).
 */
static void ata_dma_interrupt(struct ata_channel *ch)
{
	bool engine_ok;
	u8 status;

	if (!ata_bmdma_irq_pending(&ch->bm))
		return;                           /* not this transfer's: the timer watches it */
	engine_ok = ata_bmdma_stop(&ch->bm);
	status = ata_status(ch);
	ata_complete(ch, engine_ok && !(status & (ATA_SR_ERR | ATA_SR_DF)) ? 0 : -EIO);
}

static void ata_interrupt(int irq, void *data)
{
	struct ata_channel *ch = data;
	u8 status;

	if (ch->cur && ch->cur_dma) {
		ata_dma_interrupt(ch);
		return;
	}
	status = ata_status(ch);             /* reading it acknowledges the interrupt */
	if (!ch->cur)
		return;
	if (status & (ATA_SR_ERR | ATA_SR_DF)) {
		ata_complete(ch, -EIO);
		return;
	}
	if (!ch->cur->write) {
		if (!(status & ATA_SR_DRQ)) {
			ata_complete(ch, -EIO);
			return;
		}
		ata_transfer_block(ch);
	} else if (ch->done < ch->cur->nr_sectors) {
		ata_transfer_block(ch);
		return;
	}
	if (ch->done == ch->cur->nr_sectors)
		ata_complete(ch, 0);
}

/* No interrupt in time: reset the channel and fail the request. */
static void ata_timeout(unsigned long data)
{
	struct ata_channel *ch = (struct ata_channel *)data;

	if (!ch->cur)
		return;
	printk(KERN_ERR "ata: %s: time-out on %s of sector %u, resetting the channel\n",
	       ch->cur->bdev->name, ch->cur->write ? "write" : "read", ch->cur->sector);
	if (ch->cur_dma)
		ata_bmdma_stop(&ch->bm);
	outb(ch->ctrl, ATA_CTRL_SRST);
	ata_delay400(ch);
	outb(ch->ctrl, 0);
	ata_wait_not_busy(ch);
	ata_complete(ch, -EIO);
}

/* The queue's request_fn: a request was queued (interrupts are off). */
static void ata_request_fn(struct request_queue *q)
{
	ata_start(q->queuedata);
}

/* ---- probing ----------------------------------------------------------- */

static void id_string(const u16 *id, int word, int len, char *out)
{
	int i;

	for (i = 0; i < len / 2; i++) {
		out[2 * i] = id[word + i] >> 8;
		out[2 * i + 1] = id[word + i] & 0xff;
	}
	out[len] = '\0';
	for (i = len - 1; i >= 0 && out[i] == ' '; i--)
		out[i] = '\0';
}

static bool ata_identify(struct ata_channel *ch, int slave, u16 *id)
{
	ata_select(ch, slave, 0);
	if (ata_status(ch) == 0xff)
		return false;                     /* floating bus: no drive */
	outb(ch->base + ATA_SECCOUNT, 0);
	outb(ch->base + ATA_LBA_LOW, 0);
	outb(ch->base + ATA_LBA_MID, 0);
	outb(ch->base + ATA_LBA_HIGH, 0);
	outb(ch->base + ATA_COMMAND, ATA_CMD_IDENTIFY);
	if (!ata_status(ch) || !ata_wait_not_busy(ch))
		return false;
	if (inb(ch->base + ATA_LBA_MID) || inb(ch->base + ATA_LBA_HIGH))
		return false;                     /* ATAPI (a CD-ROM) or SATA: not ours */
	if (!ata_wait_drq(ch))
		return false;
	insw(ch->base + ATA_DATA, id, ATA_ID_WORDS);
	return true;
}

static bool ata_set_multiple(struct ata_channel *ch, int slave, unsigned int n)
{
	ata_select(ch, slave, 0);
	outb(ch->base + ATA_SECCOUNT, n);
	outb(ch->base + ATA_COMMAND, ATA_CMD_SET_MULTIPLE);
	return ata_wait_not_busy(ch) && !(ata_status(ch) & ATA_SR_ERR);
}

/* ide=nodma, as Linux: every disk on PIO (ata_set_dma may still switch one). */
static bool ide_nodma(void)
{
	const char *v = kernel_param("ide");

	return v && !strcmp(v, "nodma");
}

static void ata_probe_disk(struct ata_channel *ch, int index, int slave)
{
	static u16 id[ATA_ID_WORDS];
	struct ata_disk *disk = &ch->disks[slave];
	int major = index ? ATA_MAJOR_SECONDARY : ATA_MAJOR_PRIMARY;

	if (!ata_identify(ch, slave, id))
		return;
	if (!(id[ATA_ID_CAPABILITIES] & ATA_ID_CAP_LBA)) {
		printk(KERN_NOTICE "ata: drive %d.%d has no LBA, ignored\n", index, slave);
		return;
	}
	if ((id[ATA_ID_MAX_MULTIPLE] & 0xff) < ATA_MULTIPLE ||
	    !ata_set_multiple(ch, slave, ATA_MULTIPLE)) {
		printk(KERN_NOTICE "ata: drive %d.%d cannot move %d sectors per request, ignored\n",
		       index, slave, ATA_MULTIPLE);
		return;
	}
	disk->ch = ch;
	disk->slave = slave;
	disk->multiple = ATA_MULTIPLE;
	id_string(id, ATA_ID_MODEL, ATA_MODEL_LEN, disk->model);
	snprintf(disk->bdev.name, sizeof(disk->bdev.name), "hd%c", 'a' + 2 * index + slave);
	disk->bdev.dev = MKDEV(major, slave * ATA_SLAVE_MINOR);
	disk->bdev.nr_sectors = id[ATA_ID_LBA28_SECTORS] |
				((u32)id[ATA_ID_LBA28_SECTORS + 1] << 16);
	disk->bdev.queue = &ch->queue;
	disk->bdev.driver = disk;
	disk->dma_capable = ch->bm.base && (id[ATA_ID_CAPABILITIES] & ATA_ID_CAP_DMA);
	disk->dma = disk->dma_capable && !ide_nodma();
	ch->present[slave] = true;
	register_block_device(&disk->bdev);
	if (disk->dma)
		printk(KERN_INFO "ata: %s: %s, %u sectors (%u MiB), LBA28 DMA (bus master at "
		       "%#x)\n", disk->bdev.name, disk->model, disk->bdev.nr_sectors,
		       disk->bdev.nr_sectors >> (20 - SECTOR_SHIFT), ch->bm.base);
	else
		printk(KERN_INFO "ata: %s: %s, %u sectors (%u MiB), LBA28 PIO, %d sectors per "
		       "interrupt%s\n", disk->bdev.name, disk->model, disk->bdev.nr_sectors,
		       disk->bdev.nr_sectors >> (20 - SECTOR_SHIFT), ATA_MULTIPLE,
		       disk->dma_capable ? " (ide=nodma)" : "");
}

/*
 * Switch a disk between DMA and PIO (Linux's HDIO_SET_DMA): for the
 * bench, which measures both in one boot.  The next request takes it.
 */
int ata_set_dma(struct block_device *bdev, bool on)
{
	struct ata_disk *disk = bdev->driver;

	if (bdev->queue->request_fn != ata_request_fn || (on && !disk->dma_capable))
		return -ENODEV;
	disk->dma = on;
	return 0;
}

bool ata_dma_enabled(struct block_device *bdev)
{
	return bdev->queue->request_fn == ata_request_fn && ((struct ata_disk *)bdev->driver)->dma;
}

void ata_init(void)
{
	u16 bm = ata_bmdma_probe();

	for (int i = 0; i < ATA_NR_CHANNELS; i++) {
		struct ata_channel *ch = &channels[i];

		/* a request: what one LBA28 command and one PRD table can carry */
		blk_init_queue(&ch->queue, ata_request_fn, ATA_MAX_SECTORS, ATA_PRD_ENTRIES,
			       ATA_PRD_LINE, ch);
		ch->bm.base = bm ? bm + i * ATA_BMDMA_CHANNEL_PORTS : 0;
		init_timer(&ch->timer, ata_timeout, (unsigned long)ch);
		outb(ch->ctrl, ATA_CTRL_NIEN);          /* probe with interrupts off */
		ata_probe_disk(ch, i, 0);
		ata_probe_disk(ch, i, 1);
		if (ch->present[0] || ch->present[1]) {
			request_irq(ch->irq, ata_interrupt, i ? "ata1" : "ata0", ch);
			ata_status(ch);                 /* clear anything pending */
			outb(ch->ctrl, 0);
		}
	}
}
