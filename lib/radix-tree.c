/*
 * Radix trees: a tree of 64-way nodes, `height` levels deep; an index is
 * split into 6-bit digits, most significant first, each choosing a slot.
 * A tree of height h holds indices below 64^h; inserting a bigger index
 * first grows the tree by adding roots above.  Deleting the last item of
 * a node frees it, and the tree shrinks while the root has only slot 0.
 */
#include <anvil/kernel.h>
#include <anvil/radix-tree.h>
#include <anvil/slab.h>
#include <abi/errno.h>

static struct kmem_cache *radix_tree_node_cachep;

/* Nodes set aside by radix_tree_preload() for an insertion under a lock. */
static struct radix_tree_node *preload_nodes[RADIX_TREE_MAX_PATH];
static int preload_nr;

void radix_tree_init(void)
{
	radix_tree_node_cachep = kmem_cache_create("radix_tree_node",
						   sizeof(struct radix_tree_node), 0, 0, NULL);
	BUG_ON(!radix_tree_node_cachep);
	/* stock the reserve now, so that it is never counted as a leak later */
	if (radix_tree_preload(GFP_KERNEL))
		panic("radix tree: no memory for the node reserve");
	radix_tree_preload_end();
}

static struct radix_tree_node *node_alloc(void)
{
	if (preload_nr)
		return preload_nodes[--preload_nr];
	return kmem_cache_zalloc(radix_tree_node_cachep, GFP_ATOMIC);
}

static void node_free(struct radix_tree_node *node)
{
	memset(node, 0, sizeof(*node));
	if (preload_nr < RADIX_TREE_MAX_PATH)
		preload_nodes[preload_nr++] = node;    /* keep it for the next insertion */
	else
		kmem_cache_free(radix_tree_node_cachep, node);
}

int radix_tree_preload(gfp_t gfp)
{
	preempt_disable();     /* paired with radix_tree_preload_end: the pool is ours */
	while (preload_nr < RADIX_TREE_MAX_PATH) {
		struct radix_tree_node *node;

		preempt_enable();
		node = kmem_cache_zalloc(radix_tree_node_cachep, gfp);
		preempt_disable();
		if (!node) {
			preempt_enable();
			return -ENOMEM;
		}
		/*
		 * The allocation may have reclaimed memory, and reclaim inserts
		 * into the swap cache, preloading too: the pool may be full now.
		 */
		if (preload_nr < RADIX_TREE_MAX_PATH)
			preload_nodes[preload_nr++] = node;
		else
			kmem_cache_free(radix_tree_node_cachep, node);
	}
	return 0;
}

void radix_tree_preload_end(void)
{
	preempt_enable();
}

/* Give the reserve back (leak checks: only nodes in trees stay allocated). */
void radix_tree_drain_preload(void)
{
	while (preload_nr)
		kmem_cache_free(radix_tree_node_cachep, preload_nodes[--preload_nr]);
}

static unsigned long max_index(unsigned int height)
{
	unsigned int bits = height * RADIX_TREE_MAP_SHIFT;

	return bits >= 32 ? ~0UL : (1UL << bits) - 1;
}

/* Add levels on top until index fits. */
static int extend_tree(struct radix_tree_root *root, unsigned long index)
{
	unsigned int height = root->height ? root->height : 1;

	while (index > max_index(height))
		height++;
	if (!root->rnode) {
		root->height = height;
		return 0;
	}
	while (root->height < height) {
		struct radix_tree_node *node = node_alloc();

		if (!node)
			return -ENOMEM;
		node->slots[0] = root->rnode;
		node->count = 1;
		root->rnode = node;
		root->height++;
	}
	return 0;
}

int radix_tree_insert(struct radix_tree_root *root, unsigned long index, void *item)
{
	struct radix_tree_node *node = NULL, **slot;
	unsigned int shift;
	int err;

	BUG_ON(!item);
	if (index > max_index(root->height)) {
		err = extend_tree(root, index);
		if (err)
			return err;
	}
	if (!root->height)
		root->height = 1;
	slot = &root->rnode;
	shift = (root->height - 1) * RADIX_TREE_MAP_SHIFT;
	for (unsigned int level = root->height; level > 0; level--) {
		if (!*slot) {
			*slot = node_alloc();
			if (!*slot)
				return -ENOMEM;
			if (node)
				node->count++;
		}
		node = *slot;
		slot = (struct radix_tree_node **)&node->slots[(index >> shift) & RADIX_TREE_MAP_MASK];
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	if (*slot)
		return -EEXIST;
	*slot = item;
	node->count++;
	return 0;
}

void *radix_tree_lookup(const struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *node = root->rnode;
	unsigned int shift;

	if (!root->height || index > max_index(root->height))
		return NULL;
	shift = (root->height - 1) * RADIX_TREE_MAP_SHIFT;
	for (unsigned int level = root->height; level > 0 && node; level--) {
		node = node->slots[(index >> shift) & RADIX_TREE_MAP_MASK];
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	return node;
}

/* While the root has only its slot 0 in use, drop a level. */
static void shrink_tree(struct radix_tree_root *root)
{
	while (root->height > 1 && root->rnode->count == 1 && root->rnode->slots[0]) {
		struct radix_tree_node *top = root->rnode;

		root->rnode = top->slots[0];
		root->height--;
		node_free(top);
	}
}

void *radix_tree_delete(struct radix_tree_root *root, unsigned long index)
{
	struct radix_tree_node *path[RADIX_TREE_MAX_PATH + 1];
	unsigned int offsets[RADIX_TREE_MAX_PATH + 1];
	struct radix_tree_node *node = root->rnode;
	unsigned int shift, level;
	void *item;

	if (!root->height || index > max_index(root->height))
		return NULL;
	shift = (root->height - 1) * RADIX_TREE_MAP_SHIFT;
	for (level = 0; level < root->height; level++) {
		if (!node)
			return NULL;
		path[level] = node;
		offsets[level] = (index >> shift) & RADIX_TREE_MAP_MASK;
		node = node->slots[offsets[level]];
		shift -= RADIX_TREE_MAP_SHIFT;
	}
	item = node;
	if (!item)
		return NULL;
	/* clear the slot, then free every node that became empty, bottom up */
	while (level-- > 0) {
		path[level]->slots[offsets[level]] = NULL;
		if (--path[level]->count)
			break;
		node_free(path[level]);
		if (!level) {
			root->rnode = NULL;
			root->height = 0;
			return item;
		}
	}
	shrink_tree(root);
	return item;
}

static unsigned int gang_walk(struct radix_tree_node *node, unsigned int height,
			      unsigned long base, unsigned long first, void **results,
			      unsigned long *indices, unsigned int max, unsigned int found)
{
	unsigned int shift = (height - 1) * RADIX_TREE_MAP_SHIFT;

	for (unsigned long i = 0; i < RADIX_TREE_MAP_SIZE && found < max; i++) {
		unsigned long start = base + (i << shift);
		unsigned long last = start + max_index(height - 1);

		if (!node->slots[i] || last < first)
			continue;
		if (height == 1) {
			if (indices)
				indices[found] = start;
			results[found++] = node->slots[i];
		} else {
			found = gang_walk(node->slots[i], height - 1, start, first, results, indices,
					  max, found);
		}
	}
	return found;
}

unsigned int radix_tree_gang_lookup(const struct radix_tree_root *root, void **results,
				    unsigned long first, unsigned int max)
{
	return radix_tree_gang_lookup_index(root, results, NULL, first, max);
}

unsigned int radix_tree_gang_lookup_index(const struct radix_tree_root *root, void **results,
					  unsigned long *indices, unsigned long first,
					  unsigned int max)
{
	if (!root->rnode || !max)
		return 0;
	return gang_walk(root->rnode, root->height, 0, first, results, indices, max, 0);
}
