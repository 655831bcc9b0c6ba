/*
 * Tests of the ATA driver's two data paths: what bus-master DMA writes,
 * PIO reads back, and the other way round, for a 128 KiB request whose
 * buffer crosses two 64 KiB lines (three PRD entries); a buffer DMA
 * cannot take (an odd address) goes by PIO; and a read into a bio's page
 * vector, pages scattered in memory (read-ahead's requests), by both.
 * They borrow the last 128 KiB of the first disk that can DMA and put
 * its bytes back.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/blkdev.h>
#include <anvil/mm.h>

#define REQ_ORDER 5                           /* 128 KiB: the largest LBA28 request */
#define REQ_BYTES (PAGE_SIZE << REQ_ORDER)
#define REQ_SECTORS (REQ_BYTES / SECTOR_SIZE)
#define LINE_OFFSET (64 * 1024 - SECTOR_SIZE) /* one sector before a 64 KiB line */

/* The first disk that can DMA, and whether it did (ide=nodma) before. */
static struct block_device *dma_disk(bool *had_dma)
{
	static const char *const names[] = { "hda", "hdb", "hdc", "hdd" };

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		struct block_device *bdev = block_device_by_name(names[i]);

		if (!bdev || bdev->nr_sectors < REQ_SECTORS)
			continue;
		*had_dma = ata_dma_enabled(bdev);
		if (!ata_set_dma(bdev, true))
			return bdev;
	}
	return NULL;
}

static void fill(u8 *p, unsigned int seed)
{
	for (unsigned int i = 0; i < REQ_BYTES; i++)
		p[i] = (u8)(i * seed + (i >> SECTOR_SHIFT));
}

/* Move the request with DMA on or off. */
static int rw(struct block_device *bdev, bool dma, void *buf, bool write)
{
	ata_set_dma(bdev, dma);
	return block_rw_sync(bdev, bdev->nr_sectors - REQ_SECTORS, buf, REQ_SECTORS, write);
}

KTEST(ata_dma_and_pio_agree)
{
	bool had_dma = false;
	struct block_device *bdev = dma_disk(&had_dma);
	u8 *big = (u8 *)__get_free_pages(GFP_KERNEL, REQ_ORDER + 1);   /* aligned to 256 KiB */
	u8 *saved = (u8 *)__get_free_pages(GFP_KERNEL, REQ_ORDER);
	u8 *want = (u8 *)__get_free_pages(GFP_KERNEL, REQ_ORDER);
	u8 *dbuf = big + LINE_OFFSET;
	bool ok;

	KT_ASSERT(t, bdev && big && saved && want);
	KT_EQ(t, rw(bdev, false, saved, false), 0);
	fill(want, 7);
	memcpy(dbuf, want, REQ_BYTES);
	KT_EQ(t, rw(bdev, true, dbuf, true), 0);              /* DMA write ... */
	memset(dbuf, 0, REQ_BYTES);
	KT_EQ(t, rw(bdev, false, dbuf, false), 0);            /* ... PIO read */
	ok = !memcmp(dbuf, want, REQ_BYTES);
	fill(want, 13);
	KT_EQ(t, rw(bdev, false, want, true), 0);             /* PIO write ... */
	memset(dbuf, 0, REQ_BYTES);
	KT_EQ(t, rw(bdev, true, dbuf, false), 0);             /* ... DMA read */
	ok = ok && !memcmp(dbuf, want, REQ_BYTES);
	memset(big + 1, 0, REQ_BYTES);
	KT_EQ(t, rw(bdev, true, big + 1, false), 0);          /* odd: by PIO */
	ok = ok && !memcmp(big + 1, want, REQ_BYTES);
	KT_EQ(t, rw(bdev, false, saved, true), 0);
	ata_set_dma(bdev, had_dma);
	free_pages((unsigned long)big, REQ_ORDER + 1);
	free_pages((unsigned long)saved, REQ_ORDER);
	free_pages((unsigned long)want, REQ_ORDER);
	KT_ASSERT(t, ok);
}

/* Read the request into 32 pages allocated one by one, in reverse order, with DMA on or off. */
static int read_pages(struct block_device *bdev, bool dma, struct page **pages)
{
	struct bio bio = {
		.bdev = bdev, .sector = bdev->nr_sectors - REQ_SECTORS, .nr_sectors = REQ_SECTORS,
		.pages = pages, .nr_pages = REQ_BYTES / PAGE_SIZE,
	};

	ata_set_dma(bdev, dma);
	for (unsigned int i = 0; i < bio.nr_pages; i++)
		memset(page_address(pages[i]), 0, PAGE_SIZE);
	return submit_bio_wait(&bio);
}

static bool pages_hold(struct page **pages, const u8 *want)
{
	for (unsigned int i = 0; i < REQ_BYTES / PAGE_SIZE; i++)
		if (memcmp(page_address(pages[i]), want + i * PAGE_SIZE, PAGE_SIZE))
			return false;
	return true;
}

KTEST(ata_page_vector_by_dma_and_pio)
{
	bool had_dma = false;
	struct block_device *bdev = dma_disk(&had_dma);
	u8 *saved = (u8 *)__get_free_pages(GFP_KERNEL, REQ_ORDER);
	u8 *want = (u8 *)__get_free_pages(GFP_KERNEL, REQ_ORDER);
	struct page *pages[REQ_BYTES / PAGE_SIZE] = { NULL };
	bool ok = true;

	KT_ASSERT(t, bdev && saved && want);
	for (int i = ARRAY_SIZE(pages) - 1; i >= 0; i--) {
		pages[i] = alloc_page(GFP_KERNEL);
		ok = ok && pages[i];
	}
	KT_ASSERT(t, ok);
	KT_EQ(t, rw(bdev, false, saved, false), 0);
	fill(want, 11);
	KT_EQ(t, rw(bdev, true, want, true), 0);
	KT_EQ(t, read_pages(bdev, true, pages), 0);
	ok = pages_hold(pages, want);
	KT_EQ(t, read_pages(bdev, false, pages), 0);
	ok = ok && pages_hold(pages, want);
	KT_EQ(t, rw(bdev, false, saved, true), 0);
	ata_set_dma(bdev, had_dma);
	for (unsigned int i = 0; i < ARRAY_SIZE(pages); i++)
		put_page(pages[i]);
	free_pages((unsigned long)saved, REQ_ORDER);
	free_pages((unsigned long)want, REQ_ORDER);
	KT_ASSERT(t, ok);
}
