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

/* ---- the gap tree ------------------------------------------------------ */

#define GAP_OPS 1500
#define GAP_WINDOW_PAGES 64               /* each window's size */
#define GAP_BIG_SLACK_PAGES 160           /* "nearly everything" lengths go this far below */
#define GAP_SEED 0x9e3779b9u

static u32 gap_random_state;

static u32 gap_random(u32 bound)
{
	return ktest_random(&gap_random_state, bound);
}

/*
 * rb's subtree in address order, each VMA's gap counted afresh from the
 * end of the one visited before it (*last_end): true if every node's
 * rb_subtree_gap is the largest of those gaps under it (*max_gap).
 */
static bool gaps_match(struct rb_node *rb, unsigned long *last_end, unsigned long *max_gap)
{
	struct vm_area_struct *vma;
	unsigned long left = 0, right = 0, own;

	*max_gap = 0;
	if (!rb)
		return true;
	vma = rb_entry(rb, struct vm_area_struct, vm_rb);
	if (!gaps_match(rb->rb_left, last_end, &left))
		return false;
	own = vma->vm_start - *last_end;
	*last_end = vma->vm_end;
	if (!gaps_match(rb->rb_right, last_end, &right))
		return false;
	*max_gap = max(own, max(left, right));
	return vma->rb_subtree_gap == *max_gap;
}

/* vm_prev is the list read backwards */
static bool prev_links_match(struct mm_struct *mm)
{
	struct vm_area_struct *prev = NULL;

	for (struct vm_area_struct *vma = mm->mmap; vma; prev = vma, vma = vma->vm_next)
		if (vma->vm_prev != prev)
			return false;
	return true;
}

/* get_unmapped_area's search before the gap tree: down from the top, past one VMA a step. */
static unsigned long linear_topdown(struct mm_struct *mm, unsigned long len)
{
	unsigned long addr = TASK_UNMAPPED_TOP;

	for (;;) {
		struct vm_area_struct *vma, *prev;

		if (addr < len || addr - len < MMAP_MIN_ADDR)
			return -ENOMEM;
		vma = find_vma_prev(mm, addr - len, &prev);
		if (!vma || addr <= vma->vm_start)
			return addr - len;
		addr = vma->vm_start;
	}
}

#define GAP_LOW_WINDOW MMAP_MIN_ADDR
#define GAP_HIGH_WINDOW (TASK_UNMAPPED_TOP - GAP_WINDOW_PAGES / 2 * P)

/* A page in one of the two windows: just above MMAP_MIN_ADDR, and across TASK_UNMAPPED_TOP. */
static unsigned long gap_random_addr(void)
{
	unsigned long page = gap_random(GAP_WINDOW_PAGES) * P;

	return (gap_random(2) ? GAP_LOW_WINDOW : GAP_HIGH_WINDOW) + page;
}

/* One random change: a map (insert, merge, replace), unmap (erase, split), mprotect, growth. */
static void gap_random_op(struct mm_struct *mm)
{
	unsigned long addr = gap_random_addr(), len = (1 + gap_random(4)) * P;
	unsigned long prot = gap_random(2) ? RW : PROT_READ;
	struct vm_area_struct *vma;

	switch (gap_random(6)) {
	case 0:
	case 1:
		tvm_map(addr, len, prot);
		break;
	case 2:
		do_munmap(mm, addr, len);
		break;
	case 3:
		sys_mprotect(addr, len, prot);
		break;
	case 4:                         /* mremap growing in place: vma_adjust moves vm_end */
		vma = tvm_vma(mm, addr);
		if (vma)
			sys_mremap(vma->vm_start, vma->vm_end - vma->vm_start,
				   vma->vm_end - vma->vm_start + P, 0, 0);
		break;
	default:                        /* a stack growing down: vm_start moves */
		if (tvm_mmap(addr, P, RW, MAP_PRIVATE | MAP_GROWSDOWN) == 0) {
			vma = tvm_vma(mm, addr);
			down_write(&mm->mmap_sem);
			expand_stack(vma, vma->vm_start - (1 + gap_random(3)) * P);
			up_write(&mm->mmap_sem);
		}
		break;
	}
}

/*
 * The gap tree against a recount and get_unmapped_area against the walk
 * it replaced, after each of GAP_OPS random changes in two windows, for
 * lengths that fit in many gaps, in few, and (nearly all the space) in
 * one or none.  Halfway, one mapping fills the space between the windows,
 * so that small lengths too run out of gaps and reach MMAP_MIN_ADDR.
 */
KTEST(vma_gap_tree_random_against_linear_walk)
{
	struct mm_struct *mm = tvm_create(), *child;
	unsigned long span = TASK_UNMAPPED_TOP - MMAP_MIN_ADDR, last_end = 0, max_gap;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	gap_random_state = GAP_SEED;
	for (int op = 0; op < GAP_OPS; op++) {
		last_end = 0;
		if (op == GAP_OPS / 2)
			KT_EQ(t, tvm_map(GAP_LOW_WINDOW + GAP_WINDOW_PAGES * P,
					 GAP_HIGH_WINDOW - GAP_LOW_WINDOW - GAP_WINDOW_PAGES * P,
					 PROT_READ), 0);
		gap_random_op(mm);
		KT_ASSERT(t, prev_links_match(mm));
		KT_ASSERT(t, gaps_match(mm->mm_rb.rb_node, &last_end, &max_gap));
		for (int i = 0; i < 6; i++) {
			unsigned long len = (1 + gap_random(6)) * P;

			if (i >= 3)
				len = span - gap_random(GAP_BIG_SLACK_PAGES) * P;
			KT_EQ(t, get_unmapped_area(NULL, 0, len, 0, 0), linear_topdown(mm, len));
		}
	}
	KT_ASSERT(t, mm->map_count > 0);
	validate_mm(mm);
	child = dup_mm(mm);                     /* fork builds its gaps in one pass */
	last_end = 0;
	KT_ASSERT(t, child);
	KT_ASSERT(t, prev_links_match(child));
	KT_ASSERT(t, gaps_match(child->mm_rb.rb_node, &last_end, &max_gap));
	mmput(child);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}
