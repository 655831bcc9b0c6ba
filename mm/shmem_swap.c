/*
 * shmem's swap half, Linux 2.6's design: shmem_writepage moves a page
 * from the inode's page cache to the swap cache under a fresh slot and
 * records the slot in the inode's swap map (shmem_inode_info: a radix
 * tree of swap entries by page index, where 2.6 had its i_direct and
 * indirect vectors); shmem_swapin moves it back.  Truncate frees the
 * slots, swapoff finds them here (shmem_unuse), and size= counts a page
 * on swap as a block of its tmpfs, as Linux's blocks used.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/writeback.h>
#include "shmem.h"

#define SHMEM_BATCH 16           /* swap map entries looked up at once */

/* A shmem inode's swap map (inode->i_private), made with the inode. */
struct shmem_inode_info {
	spinlock_t lock;                 /* swap_tree, swapped */
	struct radix_tree_root swap_tree;   /* index -> swp_entry_t.val of a page on swap */
	unsigned long swapped;           /* entries in swap_tree */
	struct list_head swaplist;       /* on shmem_swaplist */
	struct inode *inode;
};

/* Every shmem inode, for swapoff and rmap_verify (Linux's shmem_swaplist). */
static LIST_HEAD(shmem_swaplist);
static DEFINE_SPINLOCK(shmem_swaplist_lock);

static struct shmem_inode_info *SHMEM_I(struct inode *inode)
{
	return inode->i_private;
}

swp_entry_t shmem_swp_lookup(struct inode *inode, unsigned long index)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	swp_entry_t entry;

	spin_lock(&info->lock);
	entry.val = (unsigned long)radix_tree_lookup(&info->swap_tree, index);
	spin_unlock(&info->lock);
	return entry;
}

/* Forget the entry at index (the caller frees its slot); the block stays the caller's. */
static void shmem_swp_clear(struct shmem_inode_info *info, unsigned long index)
{
	spin_lock(&info->lock);
	radix_tree_delete(&info->swap_tree, index);
	info->swapped--;
	spin_unlock(&info->lock);
}

/*
 * Reclaim's writepage (wbc->for_reclaim) for a shmem page: locked,
 * unmapped by try_to_unmap, its dirty bit cleared.  The page leaves the
 * page cache for the swap cache under a new slot, dirty there, and is
 * unlocked: reclaim writes it (swap_writepage) and frees it at a later
 * pass like any swap-cache page.  The swap map holds a slot reference
 * of its own, as a swap PTE does.  Without a slot (or with the page
 * mapped again meanwhile) the page stays dirty and locked, and
 * AOP_WRITEPAGE_ACTIVATE sends it back to the active list.  fsync and
 * background writeback leave shmem pages alone: swap is for memory
 * pressure, so they only get the page back dirty.
 */
static int shmem_writepage(struct page *page, struct writeback_control *wbc)
{
	struct inode *inode = page->mapping->host;
	struct shmem_inode_info *info = SHMEM_I(inode);
	swp_entry_t swap;
	int err;

	BUG_ON(!PageLocked(page));
	set_page_dirty(page);                /* until it is safe in the swap cache */
	if (!wbc->for_reclaim) {
		unlock_page(page);
		return 0;
	}
	if (page_mapped(page))
		return AOP_WRITEPAGE_ACTIVATE;
	swap = get_swap_page();
	if (!swap.val)
		return AOP_WRITEPAGE_ACTIVATE;
	if (radix_tree_preload(GFP_NOIO))
		goto free_swap;
	spin_lock(&info->lock);
	err = radix_tree_insert(&info->swap_tree, page->index, (void *)swap.val);
	if (!err)
		info->swapped++;
	spin_unlock(&info->lock);
	radix_tree_preload_end();
	BUG_ON(err == -EEXIST);              /* a page in the cache and on swap at once */
	if (err)
		goto free_swap;
	if (add_to_swap_cache(page, swap)) {
		shmem_swp_clear(info, page->index);
		goto free_swap;
	}
	swap_duplicate(swap);                /* the swap map's reference */
	remove_from_page_cache(page);
	put_page(page);                      /* the page cache's reference */
	inode->i_sb->s_blocks++;             /* still the file's block, on swap: size= counts it */
	unlock_page(page);
	return 0;
free_swap:
	swap_free(swap);
	return AOP_WRITEPAGE_ACTIVATE;
}

static const struct address_space_operations shmem_aops = {
	.writepage = shmem_writepage,
};

/* Its last reference gone, after truncate_inode_pages freed its slots: the swap map goes too. */
static void shmem_evict_inode(struct inode *inode)
{
	struct shmem_inode_info *info = SHMEM_I(inode);

	BUG_ON(info->swapped);
	spin_lock(&shmem_swaplist_lock);
	list_del(&info->swaplist);
	spin_unlock(&shmem_swaplist_lock);
	kfree(info);
}

/*
 * Make a new regular file's data shmem: swap-backed pages (shared
 * anonymous memory, tmpfs), with a swap map.  0 or -ENOMEM.
 */
int shmem_init_inode(struct inode *inode)
{
	struct shmem_inode_info *info = kzalloc(sizeof(*info), GFP_KERNEL);

	if (!info)
		return -ENOMEM;
	spin_lock_init(&info->lock, "shmem_inode_info->lock");
	INIT_RADIX_TREE(&info->swap_tree);
	info->inode = inode;
	spin_lock(&shmem_swaplist_lock);
	list_add_tail(&info->swaplist, &shmem_swaplist);
	spin_unlock(&shmem_swaplist_lock);
	inode->i_private = info;
	inode->i_mapping->swap_backed = true;
	inode->i_mapping->a_ops = &shmem_aops;
	inode->i_evict = shmem_evict_inode;
	return 0;
}

/*
 * Bring the page at index back from its slot: find it in the swap cache
 * or read it in, then move it from the swap cache to the page cache and
 * free the slot -- its only copy is in memory again, so it is dirty.
 * Returns it with a reference, or NULL: with *err 0 if a truncate or
 * another swap-in got there first (look again), else -ENOMEM or -EIO.
 */
struct page *shmem_swapin(struct inode *inode, unsigned long index, swp_entry_t entry,
			  gfp_t gfp, int *err)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct page *page = read_swap_cache_async(entry, gfp);

	*err = 0;
	if (!page) {
		if (shmem_swp_lookup(inode, index).val == entry.val)
			*err = -ENOMEM;              /* else the slot went meanwhile */
		return NULL;
	}
	lock_page(page);
	wait_on_page_writeback(page);
	if (!PageUptodate(page)) {
		*err = -EIO;
		goto out;
	}
	/* from here to the end nothing sleeps, so what we check stays true */
	if (radix_tree_preload(GFP_KERNEL)) {
		*err = -ENOMEM;
		goto out;
	}
	if (shmem_swp_lookup(inode, index).val != entry.val || !PageSwapCache(page) ||
	    page->private != entry.val) {
		radix_tree_preload_end();
		goto out;
	}
	inode->i_sb->s_blocks--;             /* add_to_page_cache charges the block again */
	*err = add_to_page_cache(page, inode->i_mapping, index, GFP_KERNEL);
	radix_tree_preload_end();
	if (*err) {
		inode->i_sb->s_blocks++;
		goto out;
	}
	delete_from_swap_cache(page);        /* the cache's slot and page references */
	shmem_swp_clear(info, index);
	swap_free(entry);                    /* the swap map's: the slot is free */
	set_page_dirty(page);
	unlock_page(page);
	return page;
out:
	unlock_page(page);
	put_page(page);
	return NULL;
}

/*
 * Free the slots of the pages [start, end) of a shmem object that are on
 * swap, and their blocks: truncate, unlink of the last name, the last
 * unmap of shared anonymous memory, a punched hole.  truncate_inode_pages
 * calls it after dropping the pages in memory.
 */
void shmem_truncate_range(struct address_space *mapping, unsigned long start, unsigned long end)
{
	struct inode *inode = mapping->host;
	struct shmem_inode_info *info = SHMEM_I(inode);
	void *entries[SHMEM_BATCH];
	unsigned long indices[SHMEM_BATCH];
	unsigned int n;

	while (start < end && (n = radix_tree_gang_lookup_index(&info->swap_tree, entries, indices,
								start, SHMEM_BATCH))) {
		for (unsigned int i = 0; i < n && indices[i] < end; i++) {
			swp_entry_t entry = { (unsigned long)entries[i] };

			shmem_swp_clear(info, indices[i]);
			inode->i_sb->s_blocks--;
			free_swap_and_cache(entry);
		}
		if (indices[n - 1] >= end)
			break;
		start = indices[n - 1] + 1;
	}
}

/*
 * swapoff's walk of one inode's swap map: every page on area `type` comes
 * back into the page cache.  -EINTR if swapoff is killed meanwhile, as
 * unuse_mm; -ENOMEM or -EIO if a page cannot come back.
 */
static int shmem_unuse_inode(struct shmem_inode_info *info, unsigned int type)
{
	void *entries[SHMEM_BATCH];
	unsigned long indices[SHMEM_BATCH], start = 0;
	unsigned int n;
	int err = 0;

	while (!err && (n = radix_tree_gang_lookup_index(&info->swap_tree, entries, indices,
							 start, SHMEM_BATCH))) {
		for (unsigned int i = 0; i < n && !err; i++) {
			swp_entry_t entry = { (unsigned long)entries[i] };
			struct page *page;

			start = indices[i] + 1;
			if (swp_type(entry) != type)
				continue;
			if (fatal_signal_pending(current)) {
				err = -EINTR;
				break;
			}
			/* swapoff fails cleanly rather than have the OOM killer make room */
			page = shmem_getpage_gfp(info->inode, indices[i], SGP_READ,
						 GFP_HIGHUSER | __GFP_NORETRY | __GFP_NOWARN, &err);
			if (page)
				put_page(page);
			cond_resched();
		}
	}
	return err;
}

/*
 * swapoff: bring back every shmem page on area `type` (Linux's
 * shmem_unuse; the PTE walk finds the anonymous ones).  Each inode is
 * pinned across the sleeps, which keeps it on the list for the next
 * step, as unuse_pass pins each mm; one already dying frees its own.
 */
int shmem_unuse(unsigned int type)
{
	struct shmem_inode_info *info;
	struct inode *held = NULL;
	int err = 0;

	spin_lock(&shmem_swaplist_lock);
	list_for_each_entry(info, &shmem_swaplist, swaplist) {
		if (!info->swapped || !atomic_inc_not_zero(&info->inode->i_count))
			continue;
		spin_unlock(&shmem_swaplist_lock);
		iput(held);
		held = info->inode;
		err = shmem_unuse_inode(info, type);
		spin_lock(&shmem_swaplist_lock);
		if (err)
			break;
	}
	spin_unlock(&shmem_swaplist_lock);
	iput(held);
	return err;
}

/* rmap_verify: each entry of a swap map holds one reference on its slot, as a swap PTE does. */
void shmem_swap_verify(void)
{
	struct shmem_inode_info *info;

	spin_lock(&shmem_swaplist_lock);
	list_for_each_entry(info, &shmem_swaplist, swaplist) {
		void *entries[SHMEM_BATCH];
		unsigned long indices[SHMEM_BATCH], start = 0;
		unsigned int n;

		while ((n = radix_tree_gang_lookup_index(&info->swap_tree, entries, indices, start,
							 SHMEM_BATCH))) {
			for (unsigned int i = 0; i < n; i++)
				swap_verify_pte((swp_entry_t){ (unsigned long)entries[i] });
			start = indices[n - 1] + 1;
		}
	}
	spin_unlock(&shmem_swaplist_lock);
}
