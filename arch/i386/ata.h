/*
 * What the ATA driver (ata.c) and its bus-master DMA engine (ata_dma.c)
 * share: the PCI IDE function's bus-master registers, one block of 8 I/O
 * ports per channel, and the descriptor table each channel transfers by.
 */
#ifndef ARCH_I386_ATA_H
#define ARCH_I386_ATA_H

#include <anvil/types.h>
#include <anvil/compiler.h>

struct request;

#define ATA_BMDMA_CHANNEL_PORTS 8   /* the secondary channel's block follows the primary's */
/*
 * 128 KiB (256 sectors, the largest request) as 32 one-page bios merged,
 * or a page vector (a page never crosses a 64 KiB line): one region a
 * page; a contiguous buffer takes at most three (two lines crossed).
 * The request queue's limits (max_segments, seg_boundary) say so.
 */
#define ATA_PRD_ENTRIES 32
#define ATA_PRD_LINE 0x10000u       /* no region may cross a 64 KiB boundary */
#define ATA_PRD_TABLE_ALIGN 256     /* the table's size: never across 64 KiB */

/* A physical region descriptor: one piece of the buffer, within one 64 KiB line. */
struct ata_prd {
	u32 addr;
	u32 flags_len;              /* byte count (0 is 64 KiB), ATA_PRD_EOT on the last */
};

struct ata_bmdma {
	u16 base;                   /* this channel's bus-master ports; 0: no DMA */
	struct ata_prd prd[ATA_PRD_ENTRIES] __aligned(ATA_PRD_TABLE_ALIGN);
};

u16 ata_bmdma_probe(void);      /* the primary channel's ports, or 0 */
bool ata_bmdma_setup(struct ata_bmdma *bm, struct request *rq);
void ata_bmdma_start(struct ata_bmdma *bm);
bool ata_bmdma_stop(struct ata_bmdma *bm);
bool ata_bmdma_irq_pending(struct ata_bmdma *bm);

#endif
