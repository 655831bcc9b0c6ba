/*
 * Inodes: the in-memory objects behind every file, directory, device
 * node, pipe and /proc entry.  An inode lives while something refers to
 * it -- a directory entry, an open file, a cwd, a mapping's file -- and
 * i_count counts those.  At the last iput a disk file system may keep a
 * file that still has a name in its icache, unused, with its pages (the
 * inode_unused LRU, Linux 2.6's), for the next lookup to find; reclaim
 * prunes the oldest of those (prune_icache), umount evicts them all.
 * Any other inode is freed with its pages at the last iput.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/slab.h>
#include <anvil/mm.h>
#include <anvil/time.h>
#include <anvil/sched.h>
#include <anvil/vmstat.h>
#include <anvil/writeback.h>

#define DEFAULT_SEEKS 2          /* Linux's: an inode costs about two seeks to read again */
#define INVALIDATE_BATCH 16      /* pages looked up at once in the radix tree */

static struct kmem_cache *inode_cachep;
static unsigned long last_ino;

/*
 * Unused inodes (i_count 0) kept for their file system's next lookup,
 * least recently used first; nr_unused counts them.  Uniprocessor and
 * not preemptive: taking one off the list and evicting it without
 * sleeping is atomic.
 */
static LIST_HEAD(inode_unused);
static unsigned long nr_unused;

void inode_cache_init(void)
{
	inode_cachep = kmem_cache_create("inode", sizeof(struct inode), 0, 0, NULL);
	BUG_ON(!inode_cachep);
}

void address_space_init(struct address_space *mapping, struct inode *host)
{
	mapping->host = host;
	INIT_RADIX_TREE(&mapping->page_tree);
	spin_lock_init(&mapping->tree_lock, "mapping->tree_lock");
	mapping->nrpages = 0;
	mapping->i_mmap = RB_ROOT;
	spin_lock_init(&mapping->i_mmap_lock, "mapping->i_mmap_lock");
	mapping->swap_backed = false;
	mapping->a_ops = NULL;
	mapping->nrdirty = 0;
	mapping->writeback_index = 0;
	mapping->truncate_count = 0;
}

/*
 * A fresh inode of file system sb with one reference (the caller's),
 * owned by root: a file system gives the files users make to their
 * creator with inode_init_owner.
 */
struct inode *new_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = kmem_cache_zalloc(inode_cachep, GFP_KERNEL);
	u32 now = current_time_sec();

	BUG_ON(!sb);
	if (!inode)
		return NULL;
	inode->i_sb = sb;
	sb->s_inodes++;
	inode->i_ino = ++last_ino;
	inode->i_mode = mode;
	inode->i_nlink = 1;
	inode->i_atime = inode->i_mtime = inode->i_ctime = now;
	atomic_set(&inode->i_count, 1);
	inode->i_mapping = &inode->i_data;
	address_space_init(&inode->i_data, inode);
	INIT_LIST_HEAD(&inode->i_entries);
	INIT_LIST_HEAD(&inode->i_wb_list);
	INIT_LIST_HEAD(&inode->i_lru);
	return inode;
}

/*
 * A new file's owner and mode: the creator's fs ids, or the group of a
 * set-group-ID directory dir, whose subdirectories inherit the bit.
 */
void inode_init_owner(struct inode *inode, const struct inode *dir, umode_t mode)
{
	inode->i_uid = current->fsuid;
	if (dir && (dir->i_mode & S_ISGID)) {
		inode->i_gid = dir->i_gid;
		if (S_ISDIR(mode))
			mode |= S_ISGID;
	} else {
		inode->i_gid = current->fsgid;
	}
	inode->i_mode = mode;
}

static void inode_lru_del(struct inode *inode)
{
	if (list_empty(&inode->i_lru))
		return;
	list_del_init(&inode->i_lru);
	nr_unused--;
}

/* One reference more; an unused inode is in use again (Linux's __iget). */
struct inode *igrab(struct inode *inode)
{
	atomic_inc(&inode->i_count);
	inode_lru_del(inode);
	return inode;
}

/*
 * The last reference is gone and inode stays in its file system's
 * icache, unused, with its pages: the youngest on inode_unused (a
 * drop_inode's choice).
 */
void inode_add_lru(struct inode *inode)
{
	BUG_ON(atomic_read(&inode->i_count) || !list_empty(&inode->i_lru));
	list_add_tail(&inode->i_lru, &inode_unused);
	nr_unused++;
}

/*
 * The inode goes now, with no reference left (Linux 2.6's
 * generic_delete_inode): the file system's lookups wait for it
 * (I_FREEING), its pages are written if the file lives on, then dropped.
 */
void generic_delete_inode(struct inode *inode)
{
	BUG_ON(atomic_read(&inode->i_count));
	inode->i_state |= I_FREEING;
	inode_lru_del(inode);
	inode_wb_evict(inode);               /* a file that lives on keeps its data */
	truncate_inode_pages(inode->i_mapping, 0);
	inode->i_sb->s_inodes--;
	if (inode->i_evict)                  /* last: it may let the file system go (ext2) */
		inode->i_evict(inode);
	kfree(inode->i_link);
	kmem_cache_free(inode_cachep, inode);
}

void iput(struct inode *inode)
{
	const struct super_operations *op;

	if (!inode || !atomic_dec_and_test(&inode->i_count))
		return;
	/* nothing maps it any more (a mapping holds a file, a file holds the inode) */
	BUG_ON(inode->i_mapping->i_mmap.rb_node);
	BUG_ON(!list_empty(&inode->i_entries));
	op = inode->i_sb->s_op;
	if (op && op->drop_inode)
		op->drop_inode(inode);
	else
		generic_delete_inode(inode);
}

/*
 * Drop the pages of mapping that only the page cache holds -- clean,
 * not under writeback, unmapped, unlocked -- without sleeping (Linux's
 * invalidate_mapping_pages).
 */
static void invalidate_inode_pages(struct address_space *mapping)
{
	struct page *pages[INVALIDATE_BATCH];
	unsigned long index = 0;
	unsigned int n;

	do {
		n = find_get_pages(mapping, index, ARRAY_SIZE(pages), pages);
		if (n)
			index = pages[n - 1]->index + 1;
		for (unsigned int i = 0; i < n; i++) {
			struct page *page = pages[i];

			if (!TestSetPageLocked(page)) {
				/* ours and the cache's references only: nobody is using it */
				if (page->mapping == mapping && !PageDirty(page) &&
				    !PageWriteback(page) && !page_mapped(page) &&
				    page_count(page) == 2) {
					remove_from_page_cache(page);
					put_page(page);      /* the cache's reference */
				}
				unlock_page(page);
			}
			put_page(page);
		}
	} while (n == ARRAY_SIZE(pages));
}

/*
 * Look at up to nr_to_scan unused inodes, oldest first, and evict those
 * with no pages left -- reclaim took them from the LRU, so the inode is
 * all there is to free.  With drop_pages, an inode's clean pages are
 * dropped first; otherwise one with pages is left to the LRU and moves
 * to the young end.  One with pages that cannot go (dirty, being
 * written) stays.  Nothing here sleeps: a lookup never meets an inode
 * half evicted.  The inodes' memory reaches the page allocator through
 * kmem_cache_shrink_all.
 */
static void prune_icache(unsigned long nr_to_scan, bool drop_pages)
{
	for (; nr_to_scan && !list_empty(&inode_unused); nr_to_scan--) {
		struct inode *inode = list_first_entry(&inode_unused, struct inode, i_lru);

		if (inode->i_mapping->nrpages && drop_pages)
			invalidate_inode_pages(inode->i_mapping);
		if (inode->i_mapping->nrpages || inode->i_mapping->nrdirty) {
			list_move_tail(&inode->i_lru, &inode_unused);
			continue;
		}
		generic_delete_inode(inode);
	}
}

/*
 * Reclaim's shrinker of the icache (Linux's shrink_icache_memory through
 * shrink_slab): for nr_scanned LRU pages looked at, the same share of
 * the unused inodes, twice over for the seeks an inode costs to read
 * again.  Not for an allocation inside a file system (GFP_NOFS): its
 * icache may be in the middle of a change.
 */
void shrink_icache_memory(unsigned long nr_scanned, gfp_t gfp)
{
	unsigned long lru = vm_stat[NR_ACTIVE] + vm_stat[NR_INACTIVE] + 1;
	unsigned long weight = nr_scanned * (4 / DEFAULT_SEEKS);

	if (!(gfp & __GFP_FS) || !nr_unused)
		return;
	/* nr_unused * weight / lru, rounded up, without overflowing */
	prune_icache(nr_unused / lru * weight + DIV_ROUND_UP(nr_unused % lru * weight, lru),
			    false);
}

/* /proc/sys/vm/drop_caches 1: the clean pages of every unused inode go (Linux's drop_pagecache). */
void drop_pagecache(void)
{
	struct inode *inode;

	list_for_each_entry(inode, &inode_unused, i_lru)
		invalidate_inode_pages(inode->i_mapping);
}

/* /proc/sys/vm/drop_caches 2: every unused inode goes that can, its clean pages first. */
void drop_unused_inodes(void)
{
	prune_icache(nr_unused, true);
}

/*
 * umount: every unused inode of sb goes, after the file system has
 * written them back (Linux's invalidate_inodes).  Eviction may sleep, so
 * the list is looked at afresh after each.
 */
void invalidate_inodes(struct super_block *sb)
{
	for (;;) {
		struct inode *inode, *victim = NULL;

		list_for_each_entry(inode, &inode_unused, i_lru) {
			if (inode->i_sb == sb) {
				victim = inode;
				break;
			}
		}
		if (!victim)
			return;
		generic_delete_inode(victim);
	}
}
