/*
 * Tests of the i_mmap interval tree (mm/interval_tree.c, lib/rbtree.c's
 * augmented calls): random inserts and removes of page ranges, the tree's
 * invariants -- red-black and augmented -- checked after each, every query
 * compared with a scan of all ranges; and a file mapped in windows, whose
 * try_to_unmap visits only the window that holds the page; rmap_verify
 * catching a VMA left out of the tree.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <abi/mman.h>
#include "test_vm.h"

#define NR_RANGES 120
#define KEY_SPACE 64           /* starts in [0, KEY_SPACE): many overlaps, equal starts */
#define MAX_PAGES 16
#define NR_STEPS 1500
#define RANDOM_SEED 0x2545f491u

static struct vm_area_struct ranges[NR_RANGES];
static bool in_tree[NR_RANGES];
static unsigned int seen[NR_RANGES];     /* the query that last found it */

static u32 random_state;

static u32 next_random(u32 bound)
{
	return ktest_random(&random_state, bound);
}

static unsigned long range_last(const struct vm_area_struct *vma)
{
	return vma->vm_pgoff + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;
}

static bool rb_red(const struct rb_node *rb)
{
	return rb && (rb->rb_parent_color & 1) == RB_RED;
}

/*
 * rb's subtree: its black height (NULL leaves count one), or -1 with *why
 * set when a rule is broken -- a parent pointer, a red node's red child,
 * unequal black heights, or a rb_subtree_last that is not the subtree's
 * largest last page.  Counts the nodes into *count.
 */
static int verify_subtree(const struct rb_node *rb, const struct rb_node *parent, int *count,
			  const char **why)
{
	const struct vm_area_struct *vma;
	unsigned long last;
	int left, right;

	if (!rb)
		return 1;
	vma = rb_entry(rb, struct vm_area_struct, shared.rb);
	(*count)++;
	left = verify_subtree(rb->rb_left, rb, count, why);
	right = verify_subtree(rb->rb_right, rb, count, why);
	if (left < 0 || right < 0)
		return -1;
	last = range_last(vma);
	if (rb->rb_left)
		last = max(last, rb_entry(rb->rb_left, struct vm_area_struct,
					  shared.rb)->shared.rb_subtree_last);
	if (rb->rb_right)
		last = max(last, rb_entry(rb->rb_right, struct vm_area_struct,
					  shared.rb)->shared.rb_subtree_last);
	if (rb_parent(rb) != parent)
		*why = "parent pointer";
	else if (rb_red(rb) && (rb_red(rb->rb_left) || rb_red(rb->rb_right)))
		*why = "red node with a red child";
	else if (left != right)
		*why = "black heights differ";
	else if (vma->shared.rb_subtree_last != last)
		*why = "rb_subtree_last is not the subtree's largest last page";
	else
		return left + !rb_red(rb);
	return -1;
}

/* The whole tree: the rules above, a black root, in vm_pgoff order, every range in it. */
static const char *verify_tree(struct rb_root *root, int expected)
{
	const char *why = NULL;
	unsigned long prev_start = 0;
	int count = 0;

	if (verify_subtree(root->rb_node, NULL, &count, &why) < 0)
		return why;
	if (rb_red(root->rb_node))
		return "red root";
	for (struct rb_node *rb = rb_first(root); rb; rb = rb_next(rb)) {
		unsigned long start = rb_entry(rb, struct vm_area_struct, shared.rb)->vm_pgoff;

		if (start < prev_start)
			return "not in vm_pgoff order";
		prev_start = start;
	}
	return count == expected ? NULL : "a range is missing or extra";
}

/* The query [start, last] finds exactly the ranges a scan finds, each once. */
static bool query_matches_scan(struct rb_root *root, unsigned long start, unsigned long last,
			       unsigned int query)
{
	struct vm_area_struct *vma;
	int found = 0, expected = 0;

	vma_interval_tree_foreach(vma, root, start, last) {
		int i = vma - ranges;

		if (!in_tree[i] || seen[i] == query || vma->vm_pgoff > last ||
		    range_last(vma) < start)
			return false;
		seen[i] = query;
		found++;
	}
	for (int i = 0; i < NR_RANGES; i++)
		if (in_tree[i] && ranges[i].vm_pgoff <= last && range_last(&ranges[i]) >= start)
			expected++;
	return found == expected;
}

KTEST(vma_interval_tree_random_against_scan)
{
	struct rb_root root = RB_ROOT;
	unsigned int query = 0;
	int nr = 0;

	random_state = RANDOM_SEED;
	for (int i = 0; i < NR_RANGES; i++) {
		ranges[i].vm_start = 0;
		ranges[i].vm_end = (1 + next_random(MAX_PAGES)) << PAGE_SHIFT;
		ranges[i].vm_pgoff = next_random(KEY_SPACE);
		in_tree[i] = false;
		seen[i] = 0;
	}
	for (int step = 0; step < NR_STEPS; step++) {
		int i = next_random(NR_RANGES);
		unsigned long start = next_random(KEY_SPACE + MAX_PAGES);
		const char *why;

		if (in_tree[i]) {
			vma_interval_tree_remove(&ranges[i], &root);
			nr--;
		} else {
			vma_interval_tree_insert(&ranges[i], &root);
			nr++;
		}
		in_tree[i] = !in_tree[i];
		why = verify_tree(&root, nr);
		if (why) {
			ktest_fail(t, __FILE__, __LINE__, "step %d: %s", step, why);
			return;
		}
		KT_ASSERT(t, query_matches_scan(&root, start, start, ++query));
		KT_ASSERT(t, query_matches_scan(&root, start, start + next_random(MAX_PAGES),
						++query));
	}
	for (int i = 0; i < NR_RANGES; i++)
		if (in_tree[i])
			vma_interval_tree_remove(&ranges[i], &root);
	KT_ASSERT(t, !root.rb_node);
}

#define WINDOWS 8

/*
 * Shared memory mapped as WINDOWS one-page VMAs of alternating protection
 * (file pages 0..WINDOWS-1): try_to_unmap of each page visits the one
 * window that holds it, where walking a list visits VMAs until it comes to it.
 */
KTEST(try_to_unmap_file_visits_only_its_window)
{
	struct mm_struct *mm = tvm_create();
	u8 v;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_mmap(TVM_BASE, WINDOWS * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED), 0);
	for (int i = 1; i < WINDOWS; i += 2)
		KT_EQ(t, sys_mprotect(TVM_BASE + i * PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);
	for (int i = 0; i < WINDOWS; i++)
		KT_EQ(t, tvm_peek(TVM_BASE + i * PAGE_SIZE, &v), 0);
	KT_EQ(t, mm->map_count, WINDOWS);
	for (int i = 0; i < WINDOWS; i++) {
		struct page *page = tvm_page(mm, TVM_BASE + i * PAGE_SIZE);
		unsigned long walked;

		KT_ASSERT(t, page && page->index == (unsigned long)i);
		page_referenced(page);                /* clear the young bit the peek set */
		walked = vm_events[RMAP_WALK_VMAS];
		KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
		KT_EQ(t, vm_events[RMAP_WALK_VMAS] - walked, 1);
	}
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}

/* rmap_verify finds a file VMA left out of its mapping's tree. */
KTEST(rmap_verify_detects_vma_missing_from_i_mmap)
{
	struct mm_struct *mm = tvm_create();
	struct address_space *mapping;
	struct vm_area_struct *vma;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_mmap(TVM_BASE, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED), 0);
	vma = tvm_vma(mm, TVM_BASE);
	mapping = vma->vm_file->f_inode->i_mapping;
	KT_EQ(t, rmap_verify(), 0);
	spin_lock(&mapping->i_mmap_lock);
	vma_interval_tree_remove(vma, &mapping->i_mmap);
	spin_unlock(&mapping->i_mmap_lock);
	KT_EQ(t, rmap_verify(), 1);
	spin_lock(&mapping->i_mmap_lock);
	vma_interval_tree_insert(vma, &mapping->i_mmap);
	spin_unlock(&mapping->i_mmap_lock);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}
