/*
 * Benchmark of clear_page and copy_page (make bench): cycles per page
 * against memset's and memcpy's `rep stosl`/`rep movsl`, measured back to
 * back in the same boot (arch/i386/page_ops.c says where the gap comes from).
 */
#include <anvil/kernel.h>
#include <anvil/kbench.h>
#include <anvil/mm.h>

#define BENCH_PAGES 2000

KBENCH(page_ops)
{
	struct page *a = alloc_page(GFP_KERNEL), *b = alloc_page(GFP_KERNEL);
	void *to, *from;
	u64 t0, cleared, memset_cycles, copied, memcpy_cycles;

	BUG_ON(!a || !b);
	to = page_address(a);
	from = page_address(b);

	t0 = rdtsc();
	for (int i = 0; i < BENCH_PAGES; i++)
		clear_page(to);
	cleared = (rdtsc() - t0) / BENCH_PAGES;
	t0 = rdtsc();
	for (int i = 0; i < BENCH_PAGES; i++)
		memset(to, 0, PAGE_SIZE);
	memset_cycles = (rdtsc() - t0) / BENCH_PAGES;
	t0 = rdtsc();
	for (int i = 0; i < BENCH_PAGES; i++)
		copy_page(to, from);
	copied = (rdtsc() - t0) / BENCH_PAGES;
	t0 = rdtsc();
	for (int i = 0; i < BENCH_PAGES; i++)
		memcpy(to, from, PAGE_SIZE);
	memcpy_cycles = (rdtsc() - t0) / BENCH_PAGES;

	kbench_row(bench, "clear_page", cleared, "cycles");
	kbench_row(bench, "memset (rep stosl)", memset_cycles, "cycles");
	kbench_ratio(bench, "memset / clear_page", memset_cycles, cleared);
	kbench_row(bench, "copy_page", copied, "cycles");
	kbench_row(bench, "memcpy (rep movsl)", memcpy_cycles, "cycles");
	kbench_ratio(bench, "memcpy / copy_page", memcpy_cycles, copied);
	__free_page(a);
	__free_page(b);
}
