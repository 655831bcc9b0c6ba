/*
 * Tests of VMA management (mm/mmap.c, mm/mprotect.c, mm/mremap.c): the
 * eight vma_merge cases of Linux's comment, splitting and merging back,
 * anon_vma compatibility blocking a merge, and mremap moving page-table
 * entries without copying a page.  Each test ends with rmap_verify.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <abi/mman.h>
#include "test_vm.h"
#include "internal.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define MOVE_PAGES 1024

/* Cases 1-3: a new mapping fills a gap, extends prev, or extends next. */
KTEST(vma_merge_cases_1_2_3_new_mapping)
{
	struct mm_struct *mm = tvm_create();
	struct vm_area_struct *vma;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	/* case 1: PPPP[AA]NNNN -> one VMA */
	KT_EQ(t, tvm_map(B, 2 * P, RW), 0);
	KT_EQ(t, tvm_map(B + 3 * P, 2 * P, RW), 0);
	KT_EQ(t, mm->map_count, 2);
	KT_EQ(t, tvm_map(B + 2 * P, P, RW), 0);
	KT_EQ(t, mm->map_count, 1);
	KT_ASSERT(t, tvm_one_vma(mm, B, B + 5 * P));
	/* case 2: PPPP then A just after -> P grows */
	KT_EQ(t, tvm_map(B + 5 * P, P, RW), 0);
	KT_EQ(t, mm->map_count, 1);
	KT_ASSERT(t, tvm_one_vma(mm, B, B + 6 * P));
	/* case 3: A just before NNNN (nothing before A) -> N grows down, pgoff too */
	KT_EQ(t, tvm_map(B + 20 * P, 2 * P, RW), 0);
	KT_EQ(t, tvm_map(B + 19 * P, P, RW), 0);
	KT_EQ(t, mm->map_count, 2);
	KT_ASSERT(t, tvm_one_vma(mm, B + 19 * P, B + 22 * P));
	vma = tvm_vma(mm, B + 19 * P);
	KT_EQ(t, vma->vm_pgoff, (B + 19 * P) >> PAGE_SHIFT);   /* still the linear page number */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/* Sets up PPPP NNNN (RW, then R): mprotect moves the boundary (cases 4 and 5). */
KTEST(vma_merge_cases_4_5_boundary_moves)
{
	struct mm_struct *mm = tvm_create();

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, 4 * P, RW), 0);
	KT_EQ(t, tvm_map(B + 4 * P, 4 * P, PROT_READ), 0);
	KT_EQ(t, mm->map_count, 2);
	/* case 4: the tail of P becomes like N: P shrinks, N grows down */
	KT_EQ(t, sys_mprotect(B + 2 * P, 2 * P, PROT_READ), 0);
	KT_EQ(t, mm->map_count, 2);
	KT_ASSERT(t, tvm_one_vma(mm, B, B + 2 * P));
	KT_ASSERT(t, tvm_one_vma(mm, B + 2 * P, B + 8 * P));
	KT_EQ(t, tvm_vma(mm, B + 2 * P)->vm_pgoff, (B + 2 * P) >> PAGE_SHIFT);
	/* case 5: the head of N becomes like P: P grows, N shrinks */
	KT_EQ(t, sys_mprotect(B + 2 * P, 3 * P, RW), 0);
	KT_EQ(t, mm->map_count, 2);
	KT_ASSERT(t, tvm_one_vma(mm, B, B + 5 * P));
	KT_ASSERT(t, tvm_one_vma(mm, B + 5 * P, B + 8 * P));
	KT_EQ(t, tvm_vma(mm, B + 5 * P)->vm_pgoff, (B + 5 * P) >> PAGE_SHIFT);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/* PPPP NNNN XXXX with N different: mprotect all of N like P and/or X. */
static void three_vmas(struct ktest *t, unsigned long pflags, unsigned long nflags,
		       unsigned long xflags, unsigned long newflags, unsigned int want_count)
{
	struct mm_struct *mm = tvm_create();

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, 4 * P, pflags), 0);
	KT_EQ(t, tvm_map(B + 4 * P, 4 * P, nflags), 0);
	KT_EQ(t, tvm_map(B + 8 * P, 4 * P, xflags), 0);
	KT_EQ(t, mm->map_count, 3);
	KT_EQ(t, sys_mprotect(B + 4 * P, 4 * P, newflags), 0);
	KT_EQ(t, mm->map_count, want_count);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

KTEST(vma_merge_case_6_all_three)
{
	three_vmas(t, RW, PROT_READ, RW, RW, 1);
}

KTEST(vma_merge_case_7_prev_and_middle)
{
	three_vmas(t, RW, PROT_READ, RW | PROT_EXEC, RW, 2);
}

KTEST(vma_merge_case_8_middle_and_next)
{
	three_vmas(t, PROT_READ | PROT_EXEC, PROT_READ, RW, RW, 2);
}

KTEST(vma_split_and_merge_back)
{
	struct mm_struct *mm = tvm_create();
	u8 v;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, 8 * P, RW), 0);
	for (int i = 0; i < 8; i++)
		KT_EQ(t, tvm_poke(B + i * P, i + 1), 0);
	KT_EQ(t, sys_mprotect(B + 3 * P, 2 * P, PROT_READ), 0);
	KT_EQ(t, mm->map_count, 3);
	KT_ASSERT(t, tvm_one_vma(mm, B + 3 * P, B + 5 * P));
	KT_ASSERT(t, tvm_poke(B + 3 * P, 9) != 0);       /* read-only now: the copy fails */
	KT_EQ(t, sys_mprotect(B + 3 * P, 2 * P, RW), 0);
	KT_EQ(t, mm->map_count, 1);                      /* merged back */
	KT_ASSERT(t, tvm_one_vma(mm, B, B + 8 * P));
	for (int i = 0; i < 8; i++) {
		KT_EQ(t, tvm_peek(B + i * P, &v), 0);
		KT_EQ(t, v, i + 1);                      /* pages kept across split and merge */
	}
	/* a hole in the middle: munmap splits */
	KT_EQ(t, do_munmap(mm, B + 2 * P, P), 0);
	KT_EQ(t, mm->map_count, 2);
	KT_ASSERT(t, tvm_peek(B + 2 * P, &v) != 0);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/* A move carries page-table entries: the same frames, no page allocated or copied. */
KTEST(mremap_moves_ptes_not_pages)
{
	struct mm_struct *mm = tvm_create();
	unsigned long pfns[MOVE_PAGES], free_before, dst = B + 0x1000000, ret;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, MOVE_PAGES * P, RW), 0);
	for (int i = 0; i < MOVE_PAGES; i++) {
		KT_EQ(t, tvm_poke(B + i * P, (u8)i), 0);
		pfns[i] = page_to_pfn(tvm_page(mm, B + i * P));
	}
	KT_EQ(t, tvm_poke(dst, 0) != 0, 1);             /* nothing there yet */
	free_before = nr_free_pages();
	ret = sys_mremap(B, MOVE_PAGES * P, MOVE_PAGES * P, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	KT_EQ(t, ret, dst);
	/* only page tables for the destination may have been allocated */
	KT_ASSERT(t, free_before - nr_free_pages() <= DIV_ROUND_UP(MOVE_PAGES, PTRS_PER_PTE) + 1);
	for (int i = 0; i < MOVE_PAGES; i++) {
		struct page *page = tvm_page(mm, dst + i * P);

		KT_ASSERT(t, page && page_to_pfn(page) == pfns[i]);
		KT_EQ(t, page_mapcount(page), 1);
		KT_ASSERT(t, rmap_walk_reaches(page, mm, dst + i * P));
		KT_ASSERT(t, !tvm_page(mm, B + i * P));
	}
	KT_EQ(t, tvm_vma(mm, dst)->vm_pgoff, B >> PAGE_SHIFT);  /* pgoff kept across the move */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

KTEST(page_tables_freed_with_the_mm)
{
	unsigned long ptes = nr_page_table_pages;
	struct mm_struct *mm = tvm_create();

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, 16 * PGDIR_SIZE, RW), 0);
	for (int i = 0; i < 16; i++)
		KT_EQ(t, tvm_poke(B + i * PGDIR_SIZE, 1), 0);
	KT_EQ(t, nr_page_table_pages, ptes + 16);
	KT_EQ(t, do_munmap(mm, B, 8 * PGDIR_SIZE), 0);
	KT_EQ(t, nr_page_table_pages, ptes + 8);        /* empty tables go with munmap */
	tvm_destroy(mm);
	KT_EQ(t, nr_page_table_pages, ptes);
}

/* mlock is not inherited -- fork clears VM_LOCKED in the child, as Linux */
KTEST(fork_clears_vm_locked_in_the_child)
{
	struct mm_struct *parent = tvm_create(), *child;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_mmap(B, 2 * P, RW, MAP_PRIVATE | MAP_LOCKED), 0);
	KT_ASSERT(t, tvm_vma(parent, B)->vm_flags & VM_LOCKED);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	KT_ASSERT(t, !(tvm_vma(child, B)->vm_flags & VM_LOCKED));
	KT_ASSERT(t, tvm_vma(parent, B)->vm_flags & VM_LOCKED);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/*
 * A fault writes a PTE only if it still holds what the fault read --
 * here the shared page was unmapped between the read and the write
 * (another CPU's munmap, on an SMP anvil), and must stay unmapped.
 */
KTEST(write_fault_rechecks_a_stale_pte)
{
	struct mm_struct *mm = tvm_create();
	struct vm_area_struct *vma;
	pte_t stale, *pte;
	u8 v;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_mmap(B, P, RW, MAP_SHARED), 0);
	KT_EQ(t, tvm_peek(B, &v), 0);
	pte = lookup_pte(mm, B);
	stale = pte_wrprotect(*pte);                     /* what a write fault would have read */
	KT_ASSERT(t, pte_present(stale));
	vma = tvm_vma(mm, B);
	zap_page_range(vma, B, P);
	KT_ASSERT(t, pte_none(*pte));
	KT_EQ(t, do_wp_page(mm, vma, B, pte, stale), VM_FAULT_MINOR);
	KT_ASSERT(t, pte_none(*pte));                   /* not brought back from the stale read */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/*
 * Moving the middle of a VMA takes a map slot for the new VMA and one
 * more for the hole in the old.  Close to MAX_MAP_COUNT, mremap refuses
 * with -ENOMEM before anything moves (Linux: map_count >= max - 3); a
 * move that fails must leave the data at the old address, one that
 * succeeds must leave it at the new one -- never neither.
 */
KTEST(mremap_near_map_count_limit_moves_all_or_nothing)
{
	struct mm_struct *mm = tvm_create();
	unsigned long filler = B + 16 * P, ret;
	int refused = 0;
	u8 v;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, 3 * P, RW), 0);
	for (int i = 0; i < 3; i++)
		KT_EQ(t, tvm_poke(B + i * P, 0x40 + i), 0);
	/* one-page VMAs a page apart (no merging) up to the limit */
	while (mm->map_count < MAX_MAP_COUNT)
		KT_EQ(t, tvm_map(filler + 2 * P * (mm->map_count - 1), P, PROT_READ), 0);
	KT_EQ(t, tvm_map(filler + 2 * P * (mm->map_count - 1), P, PROT_READ), -ENOMEM);
	for (int freed = 1; freed <= 4; freed++) {
		int count = mm->map_count - 1;

		KT_EQ(t, do_munmap(mm, filler + 2 * P * (freed - 1), P), 0);   /* one slot free */
		KT_EQ(t, mm->map_count, count);
		ret = sys_mremap(B + P, P, 2 * P, MREMAP_MAYMOVE, 0);
		if (!(ret & ~PAGE_MASK))
			break;
		refused++;
		KT_EQ(t, (long)ret, -ENOMEM);
		KT_EQ(t, tvm_peek(B + P, &v), 0);
		KT_EQ(t, v, 0x41);                       /* the data stayed where it was */
		KT_EQ(t, mm->map_count, count);          /* and nothing was mapped elsewhere */
	}
	KT_EQ(t, refused, 3);
	KT_ASSERT(t, !(ret & ~PAGE_MASK));
	KT_EQ(t, tvm_peek(ret, &v), 0);
	KT_EQ(t, v, 0x41);                               /* moved: the data is at the new address */
	KT_ASSERT(t, !tvm_vma(mm, B + P));               /* and only there */
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, v, 0x40);
	KT_EQ(t, tvm_peek(B + 2 * P, &v), 0);
	KT_EQ(t, v, 0x42);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}
