/*
 * The rmap schemes side by side (`make bench-rmap`, which runs
 * bench=rmap_scheme on each scheme's kernel and tools/rmapbench.py puts
 * the rows into one table): memory from slab usage, walk steps after fork
 * chains, fork and exit, mremap of a shared region.  Only the generic
 * interface is used (anvil/rmap.h's slab bytes, vm_events, dup_mm,
 * sys_mremap, /proc/slabinfo's numbers), so it compiles unchanged under
 * every scheme.
 */
#include <anvil/kernel.h>
#include <anvil/kbench.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/swap.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <anvil/time.h>
#include <abi/mman.h>
#include "test_vm.h"

#define SHARED_PAGES 256          /* the region k sharers map (1 MiB) */
#define MAX_SHARERS 128
#define MAX_DEPTH 100             /* the longest fork chain */
#define FORK_VMAS 16              /* the forked process: FORK_VMAS VMAs of touched pages */
#define FORK_VMA_PAGES 16
#define FORK_ROUNDS 32            /* timed rounds: the fastest counts (a busy host only adds) */
#define MREMAP_PAGES 256
#define MREMAP_ROUNDS 8
#define MREMAP_TO (TVM_BASE + 0x4000000UL)   /* 64 MiB above: empty */
/* the event a scheme that copies on mremap counts its copies with, if it has one */
#define MREMAP_COPY_EVENT "anonmm_mremap_copies"

#define offsetofend(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/*
 * The bytes a scheme adds to every VMA and every mm: its fields sit
 * between vm_area_struct's shared and vm_ops, and after mm_struct's
 * nr_ptes (anvil/mm_types.h).  tools/rmapbench.py checks that the rest of
 * each struct is the same size in every kernel.
 */
#define VMA_RMAP_BYTES (offsetof(struct vm_area_struct, vm_ops) - \
			offsetofend(struct vm_area_struct, shared))
#define MM_RMAP_BYTES (sizeof(struct mm_struct) - offsetofend(struct mm_struct, nr_ptes))

static char text[PAGE_SIZE];      /* /proc/slabinfo's and /proc/vmstat's text */

/* A field of name's line in text ("name v1 v2 ..."), the nth number (0 first), or -1. */
static long text_field(const char *name, int nth)
{
	size_t len = strlen(name);
	char *line = text;

	while (line && *line) {
		if (!strncmp(line, name, len) && line[len] == ' ') {
			char *p = line + len;
			unsigned long v = simple_strtoul(p, &p, 10);

			while (nth--)
				v = simple_strtoul(p, &p, 10);
			return (long)v;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

/* /proc/slabinfo: the active objects of a cache, and its object size. */
static unsigned long slab_active(const char *cache, unsigned long *objsize)
{
	long active;

	BUG_ON(slabinfo_format(text, sizeof(text)) >= sizeof(text) - 1);
	active = text_field(cache, 0);
	BUG_ON(active < 0);
	if (objsize)
		*objsize = text_field(cache, 2);
	return active;
}

/* A counter of /proc/vmstat by name (a scheme's own event), or -1 if this kernel has none. */
static long vmstat_event(const char *name)
{
	BUG_ON(vmstat_format(text, sizeof(text)) >= sizeof(text) - 1);
	return text_field(name, 0);
}

/* What the rmap costs now: the scheme's slab objects, and the VMAs and mms carrying fields. */
struct rmap_cost {
	unsigned long slab, vmas, mms;
};

static void rmap_cost(struct rmap_cost *c)
{
	c->slab = anon_rmap_slab_bytes();
	c->vmas = slab_active("vm_area_struct", NULL);
	c->mms = slab_active("mm_struct", NULL);
}

static void __attribute__((format(printf, 4, 5)))
row(const char *bench, u64 value, const char *unit, const char *fmt, ...)
{
	char what[96];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	kbench_row(bench, what, value, unit);
}

/* The cycles since start, if fewer than *fastest (0: none yet). */
static void keep_fastest(u64 *fastest, u64 start)
{
	u64 cycles = rdtsc() - start;

	if (!*fastest || cycles < *fastest)
		*fastest = cycles;
}

static void touch(unsigned long addr, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++)
		BUG_ON(tvm_poke(addr + i * PAGE_SIZE, (u8)i));
}

/* One process with SHARED_PAGES touched pages and k-1 children forked from it. */
static void bench_sharers(const char *bench, int k)
{
	static struct mm_struct *mm[MAX_SHARERS];
	struct rmap_cost before, after;
	unsigned long ptes = 0;
	u64 bytes;

	rmap_cost(&before);
	mm[0] = tvm_create();
	BUG_ON(!mm[0]);
	tvm_enter(mm[0]);
	BUG_ON(tvm_map(TVM_BASE, SHARED_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE));
	touch(TVM_BASE, SHARED_PAGES);
	for (int i = 1; i < k; i++) {
		mm[i] = dup_mm(mm[0]);
		BUG_ON(!mm[i]);
	}
	rmap_cost(&after);
	for (int i = 0; i < k; i++)
		ptes += mm[i]->anon_rss;
	bytes = (after.slab - before.slab) + (after.vmas - before.vmas) * VMA_RMAP_BYTES +
		(after.mms - before.mms) * MM_RMAP_BYTES;
	row(bench, bytes, "B", "k=%d sharers: rmap bytes (slab + fields)", k);
	row(bench, ptes, "PTEs", "k=%d sharers: mapped PTEs", k);
	row(bench, after.vmas - before.vmas, "VMAs", "k=%d sharers: VMAs", k);
	for (int i = 0; i < k; i++)
		tvm_destroy(mm[i]);
}

struct walk {
	unsigned long vmas, ptes;
};

/*
 * The walk steps of try_to_unmap (which stops once the page is unmapped)
 * into *unmap; returns the VMAs page_referenced visited (the whole walk),
 * which runs first, as in reclaim, and clears the accessed bits that
 * would make try_to_unmap refuse.
 */
static unsigned long walk_page(struct page *page, struct walk *unmap)
{
	unsigned long vmas = vm_events[RMAP_WALK_VMAS], referenced;

	get_page(page);
	page_referenced(page);
	referenced = vm_events[RMAP_WALK_VMAS] - vmas;
	vmas = vm_events[RMAP_WALK_VMAS];
	unmap->ptes = vm_events[RMAP_WALK_PTES];
	BUG_ON(tvm_unmap_page(page) != SWAP_SUCCESS);
	unmap->vmas = vm_events[RMAP_WALK_VMAS] - vmas;
	unmap->ptes = vm_events[RMAP_WALK_PTES] - unmap->ptes;
	put_page(page);
	return referenced;
}

/*
 * A fork chain: a process touches a page, its child forks the next and
 * writes its own copy, and so on down to depth.  Then the walks for the
 * deepest child's copy and for the parent's original (which no child
 * maps any more).
 */
static void bench_chain(const char *bench, int depth)
{
	static struct mm_struct *mm[MAX_DEPTH + 1];
	struct walk child, parent;
	unsigned long parent_referenced;

	mm[0] = tvm_create();
	BUG_ON(!mm[0]);
	tvm_enter(mm[0]);
	BUG_ON(tvm_map(TVM_BASE, PAGE_SIZE, PROT_READ | PROT_WRITE));
	touch(TVM_BASE, 1);
	for (int i = 1; i <= depth; i++) {
		mm[i] = dup_mm(mm[i - 1]);
		BUG_ON(!mm[i]);
		tvm_enter(mm[i]);
		touch(TVM_BASE, 1);
	}
	walk_page(tvm_page(mm[depth], TVM_BASE), &child);
	parent_referenced = walk_page(tvm_page(mm[0], TVM_BASE), &parent);
	row(bench, child.vmas, "VMAs",
	    "depth %d, deepest child's page: VMAs visited by try_to_unmap", depth);
	row(bench, child.ptes, "PTEs",
	    "depth %d, deepest child's page: PTEs examined by try_to_unmap", depth);
	row(bench, parent.vmas, "VMAs",
	    "depth %d, parent's page: VMAs visited by try_to_unmap", depth);
	row(bench, parent.ptes, "PTEs",
	    "depth %d, parent's page: PTEs examined by try_to_unmap", depth);
	row(bench, parent_referenced, "VMAs",
	    "depth %d, parent's page: VMAs visited by page_referenced", depth);
	for (int i = depth; i >= 0; i--)
		tvm_destroy(mm[i]);
}

/* fork and exit of an address space: dup_mm and the last mmput, each timed. */
static void bench_fork_exit(const char *bench)
{
	struct mm_struct *mm = tvm_create(), *child;
	u64 fork = 0, exit = 0, t;    /* the fastest round of each */

	BUG_ON(!mm);
	tvm_enter(mm);
	for (int i = 0; i < FORK_VMAS; i++) {    /* a gap between them: no merging */
		unsigned long addr = TVM_BASE + 2 * i * FORK_VMA_PAGES * PAGE_SIZE;

		BUG_ON(tvm_map(addr, FORK_VMA_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE));
		touch(addr, FORK_VMA_PAGES);
	}
	for (int i = 0; i < FORK_ROUNDS; i++) {
		t = rdtsc();
		child = dup_mm(mm);
		keep_fastest(&fork, t);
		BUG_ON(!child);
		t = rdtsc();
		mmput(child);
		keep_fastest(&exit, t);
	}
	tvm_destroy(mm);
	row(bench, cycles_to_ns(fork), "ns",
	    "fork (dup_mm) of %d anon pages in %d VMAs", FORK_VMAS * FORK_VMA_PAGES, FORK_VMAS);
	row(bench, cycles_to_ns(exit), "ns",
	    "exit (last mmput) of %d anon pages in %d VMAs", FORK_VMAS * FORK_VMA_PAGES, FORK_VMAS);
}

/* A forked child moves the region it shares with its parent. */
static void bench_mremap(const char *bench)
{
	unsigned long len = MREMAP_PAGES * PAGE_SIZE, copied = 0;
	long event = vmstat_event(MREMAP_COPY_EVENT);
	u64 cycles = 0, t;            /* the fastest round */

	for (int i = 0; i < MREMAP_ROUNDS; i++) {
		struct mm_struct *parent = tvm_create(), *child;
		long anon;

		BUG_ON(!parent);
		tvm_enter(parent);
		BUG_ON(tvm_map(TVM_BASE, len, PROT_READ | PROT_WRITE));
		touch(TVM_BASE, MREMAP_PAGES);
		child = dup_mm(parent);
		BUG_ON(!child);
		tvm_enter(child);
		anon = vm_stat[NR_ANON_PAGES];
		t = rdtsc();
		BUG_ON(sys_mremap(TVM_BASE, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, MREMAP_TO) !=
		       (long)MREMAP_TO);
		keep_fastest(&cycles, t);
		copied += vm_stat[NR_ANON_PAGES] - anon;
		tvm_destroy(child);
		tvm_destroy(parent);
	}
	row(bench, cycles_to_ns(cycles), "ns",
	    "mremap of %d pages shared with the parent, by the child", MREMAP_PAGES);
	row(bench, copied / MREMAP_ROUNDS, "pages",
	    "mremap of %d shared pages: new anonymous pages (copies)", MREMAP_PAGES);
	if (event >= 0)
		row(bench, (vmstat_event(MREMAP_COPY_EVENT) - event) / MREMAP_ROUNDS, "pages",
		    "mremap of %d shared pages: the scheme's copy event", MREMAP_PAGES);
}

KBENCH(rmap_scheme)
{
	struct swap_info_struct *si = &swap_info[0];
	static const int sharers[] = { 1, 16, MAX_SHARERS };
	static const int depths[] = { 1, 10, MAX_DEPTH };
	unsigned long objsize;

	slab_active("vm_area_struct", &objsize);
	kbench_row(bench, "sizeof(struct vm_area_struct)", objsize, "B");
	kbench_row(bench, "rmap fields in vm_area_struct", VMA_RMAP_BYTES, "B");
	slab_active("mm_struct", &objsize);
	kbench_row(bench, "sizeof(struct mm_struct)", objsize, "B");
	kbench_row(bench, "rmap fields in mm_struct", MM_RMAP_BYTES, "B");
	for (unsigned int i = 0; i < ARRAY_SIZE(sharers); i++)
		bench_sharers(bench, sharers[i]);
	if (si->flags & SWP_WRITEOK) {       /* try_to_unmap gives an anonymous page a slot */
		for (unsigned int i = 0; i < ARRAY_SIZE(depths); i++)
			bench_chain(bench, depths[i]);
	} else {
		kbench_row(bench, "no swap disk attached (swap=hdb): walks skipped", 0, "-");
	}
	bench_fork_exit(bench);
	bench_mremap(bench);
	kbench_row(bench, "rmap_verify violations", rmap_verify(), "errors");
}
