/*
 * ATA bus-master DMA through the PCI IDE function (QEMU's PIIX3, as
 * Linux's ata_piix and libata's BMDMA helpers drive it): the buffer --
 * or the pages of a read-ahead request or of merged bios, wherever they lie -- is
 * described by a table of physical regions (a scatter-gather list), the channel's bus-master
 * engine moves the sectors between disk and memory on its own, and the
 * drive raises its interrupt once, at the end, in place of one interrupt
 * and 2048 port reads per page under PIO.  Finding the function and its
 * ports (BAR4) and enabling bus mastering is done once at boot; drive
 * timing registers and SET FEATURES transfer modes, which real PIIX
 * hardware needs and QEMU ignores, are not programmed.
 */
#include <anvil/kernel.h>
#include <anvil/pci.h>
#include <anvil/blkdev.h>
#include <asm/io.h>
#include <asm/page.h>
#include "ata.h"

#define ATA_DMA_CMD 0               /* bus-master command register */
#define ATA_DMA_STATUS 2
#define ATA_DMA_TABLE_OFS 4         /* the descriptor table's physical address */
#define ATA_DMA_START 0x01
#define ATA_DMA_WR 0x08             /* the engine writes memory: a disk read */
#define ATA_DMA_ERR 0x02
#define ATA_DMA_INTR 0x04
#define ATA_PRD_EOT 0x80000000u
#define ATA_PROG_BUS_MASTER 0x80    /* prog-if: the function can be a bus master */
#define ATA_DMA_ALIGN 2             /* regions are whole 16-bit words */

/*
 * The IDE function's bus-master ports, with bus mastering switched on;
 * 0 when there is no such function, it cannot master, or firmware left
 * BAR4 unassigned (then the disks stay on PIO).
 */
u16 ata_bmdma_probe(void)
{
	int dev, fn;
	u32 class, bar, cmd;

	if (!pci_find_class(PCI_CLASS_STORAGE_IDE, &dev, &fn))
		return 0;
	class = pci_read_config32(0, dev, fn, PCI_CLASS_REVISION);
	bar = pci_read_config32(0, dev, fn, PCI_BASE_ADDRESS_4);
	if (!((class >> PCI_CLASS_PROG_SHIFT) & ATA_PROG_BUS_MASTER) ||
	    !(bar & PCI_BASE_ADDRESS_IO) || !(bar & PCI_BASE_ADDRESS_IO_MASK))
		return 0;
	/* the status half is write-one-to-clear: write the command half only */
	cmd = pci_read_config32(0, dev, fn, PCI_COMMAND) & 0xffff;
	pci_write_config32(0, dev, fn, PCI_COMMAND, cmd | PCI_COMMAND_IO | PCI_COMMAND_MASTER);
	return bar & PCI_BASE_ADDRESS_IO_MASK;
}

/*
 * Describe rq's data (kernel direct-mapped memory: each bio's buffer, or
 * each page of its page vector, is physically contiguous) in bm's table,
 * one region per contiguous piece cut at 64 KiB lines -- the request
 * queue's limits keep them within ATA_PRD_ENTRIES -- and load the table
 * and the direction: false if a piece cannot be a DMA region (odd
 * address), for PIO to do that one.  The drive's command comes next,
 * then ata_bmdma_start.
 */
bool ata_bmdma_setup(struct ata_bmdma *bm, struct request *rq)
{
	unsigned int size = rq->nr_sectors * SECTOR_SIZE, offset = 0, len;
	int n = 0;

	while (offset < size) {
		u32 addr = __pa(rq_data(rq, offset, &len));

		if (addr % ATA_DMA_ALIGN)
			return false;
		offset += len;
		while (len) {
			u32 piece = min(len, ATA_PRD_LINE - addr % ATA_PRD_LINE);

			BUG_ON(n == ATA_PRD_ENTRIES);
			bm->prd[n].addr = addr;
			/* 64 KiB is written 0 */
			bm->prd[n].flags_len = piece & (ATA_PRD_LINE - 1);
			addr += piece;
			len -= piece;
			n++;
		}
	}
	bm->prd[n - 1].flags_len |= ATA_PRD_EOT;
	outl(bm->base + ATA_DMA_TABLE_OFS, __pa(bm->prd));
	outb(bm->base + ATA_DMA_CMD, rq->write ? 0 : ATA_DMA_WR);
	outb(bm->base + ATA_DMA_STATUS, ATA_DMA_ERR | ATA_DMA_INTR);   /* clear the last ones */
	return true;
}

void ata_bmdma_start(struct ata_bmdma *bm)
{
	outb(bm->base + ATA_DMA_CMD, inb(bm->base + ATA_DMA_CMD) | ATA_DMA_START);
}

/* Has the drive interrupted for this transfer (not another source on the line)? */
bool ata_bmdma_irq_pending(struct ata_bmdma *bm)
{
	return inb(bm->base + ATA_DMA_STATUS) & ATA_DMA_INTR;
}

/*
 * Stop the engine (after the drive's interrupt, or to abandon a
 * transfer) and clear its status: false if it reported a PCI error.
 */
bool ata_bmdma_stop(struct ata_bmdma *bm)
{
	u8 status;

	outb(bm->base + ATA_DMA_CMD, inb(bm->base + ATA_DMA_CMD) & ~ATA_DMA_START);
	status = inb(bm->base + ATA_DMA_STATUS);
	outb(bm->base + ATA_DMA_STATUS, ATA_DMA_ERR | ATA_DMA_INTR);
	return !(status & ATA_DMA_ERR);
}
