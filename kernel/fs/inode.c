/*
 * Inodes: the in-memory objects behind every file, directory, device
 * node, pipe and /proc entry.  An inode lives while something refers to
 * it -- a directory entry, an open file, a cwd, a mapping's file -- and
 * i_count counts those.  The last iput frees it and its pages.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/slab.h>
#include <anvil/mm.h>
#include <anvil/time.h>
#include <anvil/sched.h>
#include <anvil/writeback.h>

static struct kmem_cache *inode_cachep;
static unsigned long last_ino;

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

struct inode *igrab(struct inode *inode)
{
	atomic_inc(&inode->i_count);
	return inode;
}

void iput(struct inode *inode)
{
	if (!inode || !atomic_dec_and_test(&inode->i_count))
		return;
	/* nothing maps it any more (a mapping holds a file, a file holds the inode) */
	BUG_ON(inode->i_mapping->i_mmap.rb_node);
	BUG_ON(!list_empty(&inode->i_entries));
	inode_wb_evict(inode);               /* a file that lives on keeps its data */
	truncate_inode_pages(inode->i_mapping, 0);
	inode->i_sb->s_inodes--;
	if (inode->i_evict)                  /* last: it may let the file system go (ext2) */
		inode->i_evict(inode);
	kfree(inode->i_link);
	kmem_cache_free(inode_cachep, inode);
}
