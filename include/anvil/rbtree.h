/*
 * Red-black trees, Linux's interface (lib/rbtree.c).  The node lives in
 * the object; the user writes the search and the insertion walk
 * (comparing its own keys) and calls rb_link_node + rb_insert_color.
 * anvil keeps each mm's VMAs in an augmented one, keyed by address (the
 * gap search, mm/mmap.c), and each file's mapping VMAs in another
 * (mm/interval_tree.c).
 */
#ifndef ANVIL_RBTREE_H
#define ANVIL_RBTREE_H

#include <stddef.h>

struct rb_node {
	unsigned long rb_parent_color;   /* parent pointer | colour in bit 0 */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

#define RB_RED 0
#define RB_BLACK 1
#define RB_ROOT ((struct rb_root){ NULL })

#define rb_parent(r) ((struct rb_node *)((r)->rb_parent_color & ~3UL))
#define rb_entry(ptr, type, member) container_of(ptr, type, member)

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **link)
{
	node->rb_parent_color = (unsigned long)parent;   /* red */
	node->rb_left = node->rb_right = NULL;
	*link = node;
}

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

/*
 * Augmented trees: each node also keeps a value computed from its own key
 * and its children's values (the interval tree's subtree maximum).  The
 * rb_augment_f recomputes one node's value from its children's; the tree
 * calls it, bottom up, on every node whose subtree an insert, an erase or
 * a rotation changed -- O(log n) calls each.
 */
typedef void (*rb_augment_f)(struct rb_node *node);
void rb_insert_augmented(struct rb_node *node, struct rb_root *root, rb_augment_f augment);
void rb_erase_augmented(struct rb_node *node, struct rb_root *root, rb_augment_f augment);
/* A node's own value changed (not the tree's shape): recompute it and its ancestors. */
void rb_augment_path(struct rb_node *node, rb_augment_f augment);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_next(const struct rb_node *node);

#endif
