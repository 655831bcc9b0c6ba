/*
 * The raw disk bench (make bench, with a scratch disk named by
 * bench_disk=hdX -- whatever it holds is overwritten): sequential writes
 * and reads of BENCH_MB by the ATA driver, by PIO and by bus-master DMA
 * side by side in one boot, in page-sized bios (what swap and
 * writepage/readpage issue, which the request queue merges) and in bios
 * as large as one LBA28 command takes.
 * The rows that measure file reclaim and writeback are stated against
 * these: the driver's own ceiling.
 */
#include <anvil/kernel.h>
#include <anvil/kbench.h>
#include <anvil/blkdev.h>
#include <anvil/cmdline.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/sched.h>
#include <anvil/time.h>

#define BENCH_MB 8
#define BENCH_SECTORS (BENCH_MB * 1024 * 1024 / SECTOR_SIZE)
#define BIG_REQUEST_ORDER 5                     /* 128 KiB: 256 sectors, one LBA28 command */
#define BIG_REQUEST_SECTORS (SECTORS_PER_PAGE << BIG_REQUEST_ORDER)
#define MAX_REQUESTS (BENCH_SECTORS / SECTORS_PER_PAGE)
#define KIB_PER_SECTOR_DIV 2                    /* two sectors make a KiB */

static DECLARE_WAIT_QUEUE_HEAD(bench_wait);
static volatile unsigned long bench_done;

static void bench_end_io(struct bio *bio)
{
	bench_done++;
	wake_up(&bench_wait);
}

/*
 * KiB/s of BENCH_MB moved sequentially in bios of `sectors`, all
 * queued at once so the driver always has the next one (the queue merges
 * neighbours into larger requests); every bio uses the same buffer (the
 * bytes do not matter here).
 */
static u64 raw_kib_per_sec(struct block_device *bdev, struct bio *bios, void *buf,
			   unsigned int sectors, bool write)
{
	unsigned int n = BENCH_SECTORS / sectors;
	u64 ns;

	bench_done = 0;
	ns = rdtsc();
	for (unsigned int i = 0; i < n; i++) {
		bios[i] = (struct bio){
			.bdev = bdev, .sector = i * sectors, .nr_sectors = sectors, .buf = buf,
			.write = write, .end_io = bench_end_io,
		};
		submit_bio(&bios[i]);
	}
	wait_event(bench_wait, bench_done == n);
	ns = cycles_to_ns(rdtsc() - ns);
	for (unsigned int i = 0; i < n; i++)
		if (bios[i].status)
			return 0;                       /* a failed disk measures nothing */
	return ns ? (u64)BENCH_SECTORS / KIB_PER_SECTOR_DIV * NSEC_PER_SEC / ns : 0;
}

/* One request size: write then read, PIO then DMA, and what DMA buys. */
static void bench_request_size(const char *bench, struct block_device *bdev, struct bio *bios,
			       void *buf, unsigned int sectors, bool has_dma)
{
	static const char *const dirs[] = { "read", "write" };
	char what[96];

	for (int write = 1; write >= 0; write--) {
		u64 pio, dma = 0;

		ata_set_dma(bdev, false);
		pio = raw_kib_per_sec(bdev, bios, buf, sectors, write);
		snprintf(what, sizeof(what), "raw sequential %s, %u KiB bios, PIO",
			 dirs[write], sectors / KIB_PER_SECTOR_DIV);
		kbench_row(bench, what, pio, "KiB/s");
		if (!has_dma)
			continue;
		ata_set_dma(bdev, true);
		dma = raw_kib_per_sec(bdev, bios, buf, sectors, write);
		snprintf(what, sizeof(what), "raw sequential %s, %u KiB bios, DMA",
			 dirs[write], sectors / KIB_PER_SECTOR_DIV);
		kbench_row(bench, what, dma, "KiB/s");
		snprintf(what, sizeof(what), "%s, %u KiB bios: DMA / PIO throughput",
			 dirs[write], sectors / KIB_PER_SECTOR_DIV);
		kbench_ratio(bench, what, dma, pio);
	}
}

KBENCH(disk)
{
	const char *name = kernel_param("bench_disk");
	struct block_device *bdev = name ? block_device_by_name(name) : NULL;
	struct bio *bios;
	void *buf;
	bool had_dma, has_dma;

	if (!bdev || bdev->nr_sectors < BENCH_SECTORS) {
		kbench_row(bench, "no scratch disk this big (bench_disk=hdX): skipped", BENCH_MB,
			   "MiB");
		return;
	}
	bios = kzalloc(MAX_REQUESTS * sizeof(*bios), GFP_KERNEL);
	buf = (void *)__get_free_pages(GFP_KERNEL, BIG_REQUEST_ORDER);
	BUG_ON(!bios || !buf);
	had_dma = ata_dma_enabled(bdev);
	has_dma = !ata_set_dma(bdev, true);
	if (!has_dma)
		kbench_row(bench, "no bus-master DMA on this disk: PIO rows only", 0, "-");
	bench_request_size(bench, bdev, bios, buf, SECTORS_PER_PAGE, has_dma);
	bench_request_size(bench, bdev, bios, buf, BIG_REQUEST_SECTORS, has_dma);
	ata_set_dma(bdev, had_dma);
	free_pages((unsigned long)buf, BIG_REQUEST_ORDER);
	kfree(bios);
}
