/*
 * Radix trees mapping an unsigned long index to a pointer (Linux's
 * lib/radix-tree.c interface).  Each address_space keeps its pages in
 * one, by page index: the page cache of a file, the pages of a shared
 * anonymous object, and the swap cache (indexed by swap entry).
 *
 * Insertion may need new nodes.  Callers that insert under a spinlock
 * first call radix_tree_preload(), which may sleep, to stock a reserve;
 * the insertion itself then never allocates with the lock held.
 */
#ifndef ANVIL_RADIX_TREE_H
#define ANVIL_RADIX_TREE_H

#include <anvil/types.h>

#define RADIX_TREE_MAP_SHIFT 6
#define RADIX_TREE_MAP_SIZE (1UL << RADIX_TREE_MAP_SHIFT)
#define RADIX_TREE_MAP_MASK (RADIX_TREE_MAP_SIZE - 1)
#define RADIX_TREE_MAX_PATH 6   /* ceil(32 / 6) levels cover every index */

struct radix_tree_node {
	unsigned int count;          /* non-empty slots */
	void *slots[RADIX_TREE_MAP_SIZE];
};

struct radix_tree_root {
	unsigned int height;         /* 0: empty, or the single item at index 0 */
	struct radix_tree_node *rnode;
};

#define RADIX_TREE_INIT { 0, NULL }
#define INIT_RADIX_TREE(root) do { (root)->height = 0; (root)->rnode = NULL; } while (0)

void radix_tree_init(void);
int radix_tree_preload(gfp_t gfp);    /* 0 or -ENOMEM; pair with radix_tree_preload_end */
void radix_tree_preload_end(void);
void radix_tree_drain_preload(void);
int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item);
void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index);
void *radix_tree_delete(struct radix_tree_root *root, unsigned long index);
/* Up to max items with index >= first, in index order; returns how many. */
unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
				    unsigned long first, unsigned int max);
/* The same, and each item's index in indices[] (for items that do not know their own). */
unsigned int radix_tree_gang_lookup_index(const struct radix_tree_root *root, void **results,
					  unsigned long *indices, unsigned long first,
					  unsigned int max);

#endif
