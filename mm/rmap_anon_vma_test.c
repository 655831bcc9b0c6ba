/*
 * Tests of the anon_vma scheme's own objects (mm/rmap_anon_vma.c): their
 * size, an anon_vma living exactly as long as some VMA is on its list,
 * different anon_vmas keeping two VMAs apart, and 2.6.9's merge rule for
 * forked VMAs.  mm/rmap_test.c has the tests every scheme passes.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <anvil/swap.h>
#include <abi/mman.h>
#include "test_vm.h"
#include "rmap_anon_vma.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)

static long anon_vmas_alive(void)
{
	return vm_events[NR_ANON_VMA_ALLOC] - vm_events[NR_ANON_VMA_FREE];
}

KTEST(rmap_memory_figures)
{
	size_t per_vma = sizeof(((struct vm_area_struct *)0)->anon_vma_node) +
			 sizeof(((struct vm_area_struct *)0)->anon_vma);

	printk(KERN_INFO "memory figure: sizeof(struct page) = %zu bytes\n", sizeof(struct page));
	printk(KERN_INFO "memory figure: per-VMA reverse-mapping overhead = %zu bytes "
	       "(anon_vma_node + anon_vma)\n", per_vma);
	printk(KERN_INFO "memory figure: sizeof(struct anon_vma) = %zu bytes\n",
	       sizeof(struct anon_vma));
	KT_ASSERT(t, sizeof(struct page) <= 32);
	/* the design's goal; Linux 2.6.9 UP: 8 */
	KT_ASSERT(t, sizeof(struct anon_vma) <= 12);
	KT_EQ(t, per_vma, 12);
}

/* An anon_vma lives exactly as long as some VMA is on its list. */
KTEST(anon_vma_lifetime)
{
	long alive = anon_vmas_alive();
	struct mm_struct *parent = tvm_create(), *child[3];

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, 4 * P, RW), 0);
	KT_EQ(t, anon_vmas_alive(), alive);               /* lazily: none before a fault */
	KT_EQ(t, tvm_poke(B, 1), 0);
	KT_EQ(t, anon_vmas_alive(), alive + 1);
	for (int i = 0; i < 3; i++) {
		child[i] = dup_mm(parent);                /* children join the parent's anon_vma */
		KT_ASSERT(t, child[i]);
		KT_ASSERT(t, tvm_vma(child[i], B)->anon_vma == tvm_vma(parent, B)->anon_vma);
	}
	KT_EQ(t, anon_vmas_alive(), alive + 1);
	tvm_enter(child[0]);                              /* COW in a child: same anon_vma */
	KT_EQ(t, tvm_poke(B, 2), 0);
	KT_EQ(t, sys_mremap(B, 4 * P, 4 * P, MREMAP_MAYMOVE | MREMAP_FIXED, B + 64 * P),
	      B + 64 * P);
	KT_EQ(t, anon_vmas_alive(), alive + 1);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(parent);                              /* the first user leaving frees nothing */
	KT_EQ(t, anon_vmas_alive(), alive + 1);
	for (int i = 0; i < 3; i++)
		tvm_destroy(child[i]);
	KT_EQ(t, anon_vmas_alive(), alive);               /* the last one does */
}

/*
 * Two VMAs whose pages belong to different anon_vmas never merge: the
 * pages of one would become unreachable through the other's anon_vma.
 */
KTEST(vma_merge_refused_for_different_anon_vmas)
{
	struct mm_struct *mm = tvm_create();

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);                     /* anon_vma #1 */
	KT_EQ(t, tvm_map(B + 2 * P, P, RW), 0);
	KT_EQ(t, tvm_poke(B + 2 * P, 2), 0);             /* anon_vma #2: no neighbour to share */
	KT_ASSERT(t, tvm_vma(mm, B)->anon_vma != tvm_vma(mm, B + 2 * P)->anon_vma);
	KT_EQ(t, tvm_map(B + P, P, PROT_READ), 0);
	KT_EQ(t, sys_mprotect(B + P, P, RW), 0);          /* flags now match all three */
	KT_EQ(t, mm->map_count, 2);                      /* but only case 2 may happen */
	KT_ASSERT(t, tvm_one_vma(mm, B, B + 2 * P));
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}


/*
 * 2.6.9's rule, which this scheme keeps: a fresh mapping right after a
 * VMA the child inherited merges into it.  One anon_vma serves the whole
 * family whatever the VMAs look like, so refusing would save no lock
 * (anon_vma_chain refuses: docs/rmap-schemes.md).
 */
KTEST(anon_vma_fresh_range_merges_into_forked_vma)
{
	struct mm_struct *parent = tvm_create(), *child;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, 2 * P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	tvm_enter(child);
	KT_EQ(t, tvm_poke(B, 2), 0);
	KT_EQ(t, tvm_map(B + 2 * P, 2 * P, RW), 0);
	KT_ASSERT(t, tvm_one_vma(child, B, B + 4 * P));
	KT_EQ(t, tvm_poke(B + 2 * P, 3), 0);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}
