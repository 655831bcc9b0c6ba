/*
 * Red-black tree rebalancing (the classic algorithm, as in CLRS and
 * Linux's lib/rbtree.c).  Invariants: the root is black, a red node has
 * black children, and every root-to-leaf path has the same number of
 * black nodes -- so the height stays below 2 log2(n + 1).  An augmented
 * tree (the interval tree, mm/interval_tree.c) also keeps a value per node
 * computed from its subtree: the nodes whose subtree changes -- the path
 * from an inserted or removed node to the root, both nodes of a rotation --
 * are handed to its rb_augment_f.
 */
#include <anvil/compiler.h>
#include <anvil/rbtree.h>

#define rb_color(r) ((r)->rb_parent_color & 1)
#define rb_is_red(r) (!rb_color(r))
#define rb_is_black(r) rb_color(r)
#define rb_set_red(r) ((r)->rb_parent_color &= ~1UL)
#define rb_set_black(r) ((r)->rb_parent_color |= 1UL)

static void rb_set_parent(struct rb_node *rb, struct rb_node *p)
{
	rb->rb_parent_color = (rb->rb_parent_color & 3UL) | (unsigned long)p;
}

static void rb_set_color(struct rb_node *rb, unsigned long color)
{
	rb->rb_parent_color = (rb->rb_parent_color & ~1UL) | color;
}

/* Make `child` take `old`'s place under old's parent (or as the root). */
static void rb_replace_child(struct rb_node *old, struct rb_node *child,
			     struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = child;
	else if (parent->rb_left == old)
		parent->rb_left = child;
	else
		parent->rb_right = child;
}

/*
 * A rotation moved node down under new_top, which took its place: node's
 * subtree lost new_top's outer side and new_top's gained node's other one,
 * so node (now the child) is recomputed first.  The pair still holds the
 * same set of nodes, so nothing above them changes.
 */
static void rb_augment_rotated(struct rb_node *node, struct rb_node *new_top,
			       rb_augment_f augment)
{
	if (augment) {
		augment(node);
		augment(new_top);
	}
}

/*
 * Recompute every node from node up to the root: the path whose subtrees
 * changed -- or, called from outside, whose values did (a key that moved
 * without moving the node: the VMA gap tree's vm_start and vm_end).
 */
void rb_augment_path(struct rb_node *node, rb_augment_f augment)
{
	if (augment)
		for (; node; node = rb_parent(node))
			augment(node);
}

static void rb_rotate_left(struct rb_node *node, struct rb_root *root, rb_augment_f augment)
{
	struct rb_node *right = node->rb_right;
	struct rb_node *parent = rb_parent(node);

	node->rb_right = right->rb_left;
	if (node->rb_right)
		rb_set_parent(node->rb_right, node);
	right->rb_left = node;
	rb_set_parent(right, parent);
	rb_replace_child(node, right, parent, root);
	rb_set_parent(node, right);
	rb_augment_rotated(node, right, augment);
}

static void rb_rotate_right(struct rb_node *node, struct rb_root *root, rb_augment_f augment)
{
	struct rb_node *left = node->rb_left;
	struct rb_node *parent = rb_parent(node);

	node->rb_left = left->rb_right;
	if (node->rb_left)
		rb_set_parent(node->rb_left, node);
	left->rb_right = node;
	rb_set_parent(left, parent);
	rb_replace_child(node, left, parent, root);
	rb_set_parent(node, left);
	rb_augment_rotated(node, left, augment);
}

static void __rb_insert(struct rb_node *node, struct rb_root *root, rb_augment_f augment)
{
	struct rb_node *parent, *gparent;

	while ((parent = rb_parent(node)) && rb_is_red(parent)) {
		gparent = rb_parent(parent);
		if (parent == gparent->rb_left) {
			struct rb_node *uncle = gparent->rb_right;

			if (uncle && rb_is_red(uncle)) {    /* recolour and move up */
				rb_set_black(uncle);
				rb_set_black(parent);
				rb_set_red(gparent);
				node = gparent;
				continue;
			}
			if (parent->rb_right == node) {     /* rotate into the outer case */
				struct rb_node *tmp;

				rb_rotate_left(parent, root, augment);
				tmp = parent;
				parent = node;
				node = tmp;
			}
			rb_set_black(parent);
			rb_set_red(gparent);
			rb_rotate_right(gparent, root, augment);
		} else {
			struct rb_node *uncle = gparent->rb_left;

			if (uncle && rb_is_red(uncle)) {
				rb_set_black(uncle);
				rb_set_black(parent);
				rb_set_red(gparent);
				node = gparent;
				continue;
			}
			if (parent->rb_left == node) {
				struct rb_node *tmp;

				rb_rotate_right(parent, root, augment);
				tmp = parent;
				parent = node;
				node = tmp;
			}
			rb_set_black(parent);
			rb_set_red(gparent);
			rb_rotate_left(gparent, root, augment);
		}
	}
	rb_set_black(root->rb_node);
}

void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	__rb_insert(node, root, NULL);
}

/* After removing a black node: restore equal black heights starting at `node`. */
static void rb_erase_color(struct rb_node *node, struct rb_node *parent, struct rb_root *root,
			   rb_augment_f augment)
{
	struct rb_node *other;

	while ((!node || rb_is_black(node)) && node != root->rb_node) {
		if (parent->rb_left == node) {
			other = parent->rb_right;
			if (rb_is_red(other)) {
				rb_set_black(other);
				rb_set_red(parent);
				rb_rotate_left(parent, root, augment);
				other = parent->rb_right;
			}
			if ((!other->rb_left || rb_is_black(other->rb_left)) &&
			    (!other->rb_right || rb_is_black(other->rb_right))) {
				rb_set_red(other);
				node = parent;
				parent = rb_parent(node);
			} else {
				if (!other->rb_right || rb_is_black(other->rb_right)) {
					rb_set_black(other->rb_left);
					rb_set_red(other);
					rb_rotate_right(other, root, augment);
					other = parent->rb_right;
				}
				rb_set_color(other, rb_color(parent));
				rb_set_black(parent);
				rb_set_black(other->rb_right);
				rb_rotate_left(parent, root, augment);
				node = root->rb_node;
				break;
			}
		} else {
			other = parent->rb_left;
			if (rb_is_red(other)) {
				rb_set_black(other);
				rb_set_red(parent);
				rb_rotate_right(parent, root, augment);
				other = parent->rb_left;
			}
			if ((!other->rb_left || rb_is_black(other->rb_left)) &&
			    (!other->rb_right || rb_is_black(other->rb_right))) {
				rb_set_red(other);
				node = parent;
				parent = rb_parent(node);
			} else {
				if (!other->rb_left || rb_is_black(other->rb_left)) {
					rb_set_black(other->rb_right);
					rb_set_red(other);
					rb_rotate_left(other, root, augment);
					other = parent->rb_left;
				}
				rb_set_color(other, rb_color(parent));
				rb_set_black(parent);
				rb_set_black(other->rb_left);
				rb_rotate_right(parent, root, augment);
				node = root->rb_node;
				break;
			}
		}
	}
	if (node)
		rb_set_black(node);
}

void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_f augment)
{
	struct rb_node *child, *parent;
	unsigned long color;

	if (!node->rb_left) {
		child = node->rb_right;
	} else if (!node->rb_right) {
		child = node->rb_left;
	} else {
		/* two children: splice out the successor and put it in node's place */
		struct rb_node *old = node, *left;

		node = node->rb_right;
		while ((left = node->rb_left))
			node = left;
		rb_replace_child(old, node, rb_parent(old), root);
		child = node->rb_right;
		parent = rb_parent(node);
		color = rb_color(node);
		if (parent == old) {
			parent = node;
		} else {
			if (child)
				rb_set_parent(child, parent);
			parent->rb_left = child;
			node->rb_right = old->rb_right;
			rb_set_parent(old->rb_right, node);
		}
		node->rb_parent_color = old->rb_parent_color;
		node->rb_left = old->rb_left;
		rb_set_parent(old->rb_left, node);
		rb_augment_path(parent, augment);   /* up through node, in old's place */
		if (color == RB_BLACK)
			rb_erase_color(child, parent, root, augment);
		return;
	}
	parent = rb_parent(node);
	color = rb_color(node);
	if (child)
		rb_set_parent(child, parent);
	rb_replace_child(node, child, parent, root);
	rb_augment_path(parent, augment);
	if (color == RB_BLACK)
		rb_erase_color(child, parent, root, augment);
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	rb_erase_augmented(node, root, NULL);
}

/* node was linked by rb_link_node, so it is a leaf: its path, then the rebalancing. */
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_f augment)
{
	rb_augment_path(node, augment);
	__rb_insert(node, root, augment);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	if (!n)
		return NULL;
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *parent;

	if (node->rb_right) {
		node = node->rb_right;
		while (node->rb_left)
			node = node->rb_left;
		return (struct rb_node *)node;
	}
	while ((parent = rb_parent(node)) && node == parent->rb_right)
		node = parent;
	return parent;
}
