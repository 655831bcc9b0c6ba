/*
 * Benchmarks of swap (make bench, with a swap disk attached): swap-out
 * throughput through reclaim -- page_referenced, add_to_swap,
 * try_to_unmap, swap_writepage -- against raw sequential page writes by
 * the same driver to the same disk in the same boot; and the latency of
 * a major fault that reads its page back.
 */
#include <anvil/kernel.h>
#include <anvil/kbench.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/blkdev.h>
#include <anvil/slab.h>
#include <anvil/sched.h>
#include <anvil/vmstat.h>
#include <anvil/time.h>
#include <abi/mman.h>
#include "test_vm.h"

#define BENCH_PAGES 2048                 /* 8 MiB each way */
#define KB_PER_PAGE (PAGE_SIZE / 1024)

static DECLARE_WAIT_QUEUE_HEAD(raw_wait);
static volatile unsigned long raw_done;

static void raw_end_io(struct bio *bio)
{
	raw_done++;
	wake_up(&raw_wait);
}

/* KiB/s for `pages` pages in `cycles` */
static u64 kib_per_sec(unsigned long pages, u64 cycles)
{
	u64 ns = cycles_to_ns(cycles);

	return ns ? (u64)pages * KB_PER_PAGE * NSEC_PER_SEC / ns : 0;
}

/* Page-sized bios, all queued at once, to consecutive slots of the (empty) swap area. */
static u64 raw_write_cycles(struct block_device *bdev, void *buf)
{
	struct bio *bios = kzalloc(BENCH_PAGES * sizeof(*bios), GFP_KERNEL);
	u64 t0;

	BUG_ON(!bios);
	raw_done = 0;
	t0 = rdtsc();
	for (int i = 0; i < BENCH_PAGES; i++) {
		bios[i].bdev = bdev;
		bios[i].sector = (1 + i) * SECTORS_PER_PAGE;   /* slot 0 is the header */
		bios[i].nr_sectors = SECTORS_PER_PAGE;
		bios[i].buf = buf;
		bios[i].write = true;
		bios[i].end_io = raw_end_io;
		submit_bio(&bios[i]);
	}
	wait_event(raw_wait, raw_done == BENCH_PAGES);
	t0 = rdtsc() - t0;
	kfree(bios);
	return t0;
}

KBENCH(swap)
{
	struct swap_info_struct *si = &swap_info[0];
	unsigned long out0, maj0, written;
	struct mm_struct *mm;
	u64 raw, out, in;
	void *buf;

	if (!(si->flags & SWP_WRITEOK) || si->pages - si->inuse_pages < 2 * BENCH_PAGES) {
		kbench_row(bench, "no swap disk attached (swap=hdb): skipped", 0, "-");
		return;
	}
	buf = (void *)get_zeroed_page(GFP_KERNEL);
	BUG_ON(!buf);
	raw = raw_write_cycles(si->bdev, buf);
	free_page((unsigned long)buf);

	/* BENCH_PAGES of anonymous memory, then reclaim until they are all written out */
	mm = tvm_create();
	BUG_ON(!mm);
	tvm_enter(mm);
	BUG_ON(tvm_map(TVM_BASE, BENCH_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE));
	for (int i = 0; i < BENCH_PAGES; i++)
		BUG_ON(tvm_poke(TVM_BASE + i * PAGE_SIZE, (u8)i));
	out0 = vm_events[PSWPOUT];
	out = rdtsc();
	while (vm_events[PSWPOUT] - out0 < BENCH_PAGES && mm->anon_rss)
		shrink_all_memory(BENCH_PAGES);
	while (vm_stat[NR_WRITEBACK])
		schedule_timeout(1);
	out = rdtsc() - out;
	written = vm_events[PSWPOUT] - out0;

	/* read them back, one major fault at a time (readahead helps the next ones) */
	maj0 = vm_events[PSWPIN];
	in = rdtsc();
	for (int i = 0; i < BENCH_PAGES; i++) {
		u8 v;

		BUG_ON(tvm_peek(TVM_BASE + i * PAGE_SIZE, &v) || v != (u8)i);
	}
	in = rdtsc() - in;
	maj0 = vm_events[PSWPIN] - maj0;
	tvm_destroy(mm);

	kbench_row(bench, "raw sequential page writes (same driver and disk)",
		   kib_per_sec(BENCH_PAGES, raw), "KiB/s");
	kbench_row(bench, "swap-out through reclaim (rmap walk, unmap, write)",
		   kib_per_sec(written, out), "KiB/s");
	kbench_ratio(bench, "swap-out / raw write throughput",
		     kib_per_sec(written, out), kib_per_sec(BENCH_PAGES, raw));
	kbench_row(bench, "pages read back from swap", maj0, "pages");
	kbench_row(bench, "swap-in per page, faulting sequentially with readahead",
		   cycles_to_ns(in) / BENCH_PAGES, "ns");
}
