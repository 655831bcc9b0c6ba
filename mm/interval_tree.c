/*
 * address_space->i_mmap: a file's VMAs in an interval tree keyed on the
 * file pages each maps, [vm_pgoff, vm_pgoff + pages - 1], so the VMAs that
 * may map page `index` are found in O(log n + k) -- an rbtree by vm_pgoff
 * whose nodes also keep the largest last page in their subtree.  Linux
 * 3.7's design (the rest of the build follows 2.6.11, whose prio tree
 * answers the same query but is far harder to read).
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>

static unsigned long vma_start_pgoff(const struct vm_area_struct *vma)
{
	return vma->vm_pgoff;
}

static unsigned long vma_last_pgoff(const struct vm_area_struct *vma)
{
	return vma->vm_pgoff + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;
}

static struct vm_area_struct *rb_to_vma(struct rb_node *rb)
{
	return rb ? rb_entry(rb, struct vm_area_struct, shared.rb) : NULL;
}

/* rb_augment_f: a node's subtree_last from its own last page and its children's. */
static void vma_subtree_last_recompute(struct rb_node *rb)
{
	struct vm_area_struct *vma = rb_to_vma(rb);
	unsigned long last = vma_last_pgoff(vma);

	if (rb->rb_left && rb_to_vma(rb->rb_left)->shared.rb_subtree_last > last)
		last = rb_to_vma(rb->rb_left)->shared.rb_subtree_last;
	if (rb->rb_right && rb_to_vma(rb->rb_right)->shared.rb_subtree_last > last)
		last = rb_to_vma(rb->rb_right)->shared.rb_subtree_last;
	vma->shared.rb_subtree_last = last;
}

/* By vm_pgoff; equal starts go right, so a VMA goes after those already there. */
void vma_interval_tree_insert(struct vm_area_struct *vma, struct rb_root *root)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (vma_start_pgoff(vma) < vma_start_pgoff(rb_to_vma(parent)))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&vma->shared.rb, parent, link);
	rb_insert_augmented(&vma->shared.rb, root, vma_subtree_last_recompute);
}

void vma_interval_tree_remove(struct vm_area_struct *vma, struct rb_root *root)
{
	rb_erase_augmented(&vma->shared.rb, root, vma_subtree_last_recompute);
}

/*
 * The leftmost VMA under vma (inclusive) that meets [start, last], given
 * that vma's subtree reaches start (subtree_last >= start).  A left
 * subtree that reaches start holds the answer if any does: everything to
 * the right starts later.  Otherwise vma itself, else its right subtree --
 * unless vma starts after last, and so does all that follows.
 */
static struct vm_area_struct *vma_subtree_search(struct vm_area_struct *vma,
						 unsigned long start, unsigned long last)
{
	for (;;) {
		struct vm_area_struct *left = rb_to_vma(vma->shared.rb.rb_left);
		struct vm_area_struct *right = rb_to_vma(vma->shared.rb.rb_right);

		if (left && left->shared.rb_subtree_last >= start) {
			vma = left;
			continue;
		}
		if (vma_start_pgoff(vma) > last)
			return NULL;
		if (vma_last_pgoff(vma) >= start)
			return vma;
		if (!right || right->shared.rb_subtree_last < start)
			return NULL;
		vma = right;
	}
}

struct vm_area_struct *vma_interval_tree_iter_first(struct rb_root *root, unsigned long start,
						    unsigned long last)
{
	struct vm_area_struct *top = rb_to_vma(root->rb_node);

	if (!top || top->shared.rb_subtree_last < start)
		return NULL;
	return vma_subtree_search(top, start, last);
}

/*
 * The next VMA after vma, in tree order, that meets [start, last]: search
 * vma's right subtree, else climb to the first ancestor vma is left of
 * and try it and then its right subtree, until one starts after last.
 */
struct vm_area_struct *vma_interval_tree_iter_next(struct vm_area_struct *vma,
						   unsigned long start, unsigned long last)
{
	struct rb_node *rb = vma->shared.rb.rb_right, *prev;

	for (;;) {
		if (rb && rb_to_vma(rb)->shared.rb_subtree_last >= start)
			return vma_subtree_search(rb_to_vma(rb), start, last);
		do {                      /* up, until we come from a left child */
			prev = &vma->shared.rb;
			rb = rb_parent(prev);
			if (!rb)
				return NULL;
			vma = rb_to_vma(rb);
			rb = vma->shared.rb.rb_right;
		} while (rb == prev);
		if (vma_start_pgoff(vma) > last)
			return NULL;
		if (vma_last_pgoff(vma) >= start)
			return vma;
	}
}
