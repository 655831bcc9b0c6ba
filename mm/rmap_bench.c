/*
 * Benchmark of the reverse-mapping walk (make bench): for a page shared
 * by k address spaces, each with other mappings too, how many VMAs and
 * PTEs try_to_unmap looks at through the anon_vma, against a scan of
 * every VMA of every mm (what finding the PTEs costs without rmap, or
 * with an mm-wide scheme that must check every VMA of each sharer); and
 * for a file page, the VMAs the i_mmap tree visits against the list of
 * all the file's VMAs that 2.6.6 walked.
 */
#include <anvil/kernel.h>
#include <anvil/kbench.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/vmstat.h>
#include <anvil/syscalls.h>
#include <abi/mman.h>
#include "test_vm.h"

#define OTHER_VMAS 20             /* unrelated mappings per process (code, heap, libs...) */
#define MAX_K 128

/*
 * try_to_unmap page (after a page_referenced, so no PTE refuses) and
 * count what the walk looked at: the VMAs it returns, the PTEs in *ptes,
 * the cycles it took in *cycles -- its locks taken and each PTE's flush
 * included (make bench runs it again under -smp 2: locked instructions
 * and the cpu_vm_mask checks on two CPUs).
 */
static unsigned long unmap_counting(struct page *page, unsigned long *ptes, u64 *cycles)
{
	unsigned long vmas_before, ptes_before;
	u64 t0;

	get_page(page);
	page_referenced(page);
	vmas_before = vm_events[RMAP_WALK_VMAS];
	ptes_before = vm_events[RMAP_WALK_PTES];
	t0 = rdtsc();
	BUG_ON(tvm_unmap_page(page) != SWAP_SUCCESS);   /* make bench boots with swap=hdb */
	*cycles = rdtsc() - t0;
	*ptes = vm_events[RMAP_WALK_PTES] - ptes_before;
	put_page(page);
	return vm_events[RMAP_WALK_VMAS] - vmas_before;
}

static void bench_sharers(const char *bench, int k)
{
	static struct mm_struct *mm[MAX_K];
	unsigned long rmap_vmas, rmap_ptes, scan_vmas = 0;
	u64 cycles;
	struct page *page;
	char what[64];

	mm[0] = tvm_create();
	BUG_ON(!mm[0]);
	tvm_enter(mm[0]);
	for (int i = 0; i < OTHER_VMAS; i++)   /* separate, unmergeable mappings */
		BUG_ON(tvm_map(TVM_BASE + (2 * i + 2) * PAGE_SIZE, PAGE_SIZE,
			       i % 2 ? PROT_READ : PROT_READ | PROT_WRITE));
	BUG_ON(tvm_map(TVM_BASE, PAGE_SIZE, PROT_READ | PROT_WRITE));
	BUG_ON(tvm_poke(TVM_BASE, 1));
	for (int i = 1; i < k; i++) {
		mm[i] = dup_mm(mm[0]);
		BUG_ON(!mm[i]);
	}
	for (int i = 0; i < k; i++)
		scan_vmas += mm[i]->map_count;
	page = tvm_page(mm[0], TVM_BASE);
	rmap_vmas = unmap_counting(page, &rmap_ptes, &cycles);

	snprintf(what, sizeof(what), "k=%d: VMAs visited by try_to_unmap", k);
	kbench_row(bench, what, rmap_vmas, "VMAs");
	snprintf(what, sizeof(what), "k=%d: PTEs examined by try_to_unmap", k);
	kbench_row(bench, what, rmap_ptes, "PTEs");
	snprintf(what, sizeof(what), "k=%d: try_to_unmap's walk, locks and flushes", k);
	kbench_row(bench, what, cycles, "cycles");
	snprintf(what, sizeof(what), "k=%d: VMAs in a scan of every mm", k);
	kbench_row(bench, what, scan_vmas, "VMAs");
	snprintf(what, sizeof(what), "k=%d: scan / rmap walk (VMAs)", k);
	kbench_ratio(bench, what, scan_vmas, rmap_vmas);
	for (int i = 0; i < k; i++)
		tvm_destroy(mm[i]);
}

KBENCH(rmap_walk)
{
	bench_sharers(bench, 2);
	bench_sharers(bench, 16);
	bench_sharers(bench, MAX_K);
}

/*
 * A shared memory object mapped in `windows` one-page VMAs, each holding
 * its own file page (alternate pages made read-only, so none merge): how
 * many VMAs try_to_unmap of the last window's page visits through the
 * tree, against the VMAs on i_mmap -- every one of which a list walk
 * (page_referenced's, or try_to_unmap's before it reaches the page) visits.
 */
static void bench_windows(const char *bench, int windows)
{
	struct mm_struct *mm = tvm_create();
	unsigned long last_page = TVM_BASE + (windows - 1) * PAGE_SIZE;
	unsigned long tree_vmas, list_vmas = 0, ptes;
	u64 cycles;                                  /* the file walk's: not reported */
	struct address_space *mapping;
	struct vm_area_struct *vma;
	struct page *page;
	char what[64];
	u8 byte;

	BUG_ON(!mm);
	tvm_enter(mm);
	BUG_ON(tvm_mmap(TVM_BASE, windows * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED));
	for (int i = 1; i < windows; i += 2)
		BUG_ON(sys_mprotect(TVM_BASE + i * PAGE_SIZE, PAGE_SIZE, PROT_READ));
	BUG_ON(tvm_peek(last_page, &byte));          /* faults the page in from the object */
	page = tvm_page(mm, last_page);
	mapping = page->mapping;
	vma_interval_tree_foreach(vma, &mapping->i_mmap, 0, ~0UL)
		list_vmas++;
	BUG_ON(list_vmas != (unsigned long)windows);
	tree_vmas = unmap_counting(page, &ptes, &cycles);

	snprintf(what, sizeof(what), "%d windows: VMAs visited by try_to_unmap (tree)", windows);
	kbench_row(bench, what, tree_vmas, "VMAs");
	snprintf(what, sizeof(what), "%d windows: VMAs on i_mmap (list walk)", windows);
	kbench_row(bench, what, list_vmas, "VMAs");
	snprintf(what, sizeof(what), "%d windows: list / tree (VMAs)", windows);
	kbench_ratio(bench, what, list_vmas, tree_vmas);
	tvm_destroy(mm);
}

KBENCH(rmap_file_walk)
{
	bench_windows(bench, 1);
	bench_windows(bench, 100);
	bench_windows(bench, 1000);
}
