/*
 * Benchmarks of the page and object allocators (make bench): cycles per
 * order-0 buddy allocation+free against one slab object allocation+free,
 * measured back to back in the same boot.
 */
#include <anvil/kernel.h>
#include <anvil/kbench.h>
#include <anvil/mm.h>
#include <anvil/slab.h>

#define BENCH_ITERATIONS 20000
#define BENCH_OBJ_SIZE 64

KBENCH(allocators)
{
	struct kmem_cache *c = kmem_cache_create("bench-64", BENCH_OBJ_SIZE, 0, 0, NULL);
	u64 t0, buddy, slab, kmalloc_cycles;

	BUG_ON(!c);
	/* warm both paths once so neither pays for first-time splitting or slab growth */
	__free_page(alloc_page(GFP_KERNEL));
	kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));

	t0 = rdtsc();
	for (int i = 0; i < BENCH_ITERATIONS; i++)
		__free_page(alloc_page(GFP_KERNEL));
	buddy = (rdtsc() - t0) / BENCH_ITERATIONS;

	t0 = rdtsc();
	for (int i = 0; i < BENCH_ITERATIONS; i++)
		kmem_cache_free(c, kmem_cache_alloc(c, GFP_KERNEL));
	slab = (rdtsc() - t0) / BENCH_ITERATIONS;

	t0 = rdtsc();
	for (int i = 0; i < BENCH_ITERATIONS; i++)
		kfree(kmalloc(BENCH_OBJ_SIZE, GFP_KERNEL));
	kmalloc_cycles = (rdtsc() - t0) / BENCH_ITERATIONS;

	kbench_row(bench, "buddy order-0 alloc+free", buddy, "cycles");
	kbench_row(bench, "slab 64-byte object alloc+free", slab, "cycles");
	kbench_row(bench, "kmalloc(64)+kfree", kmalloc_cycles, "cycles");
	kbench_ratio(bench, "buddy / slab (cost of a page vs an object)", buddy, slab);
	kmem_cache_destroy(c);
}
