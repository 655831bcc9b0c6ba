/*
 * ext2 names: looking a name up in a directory (the only directory
 * operation a read-only ext2 has; create, unlink, rename and the rest
 * come with writing).  A directory found holds its parent, for "..":
 * the VFS has no dentries, so a directory inode stands in for one.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include "ext2.h"

/* name in dir: its inode with a reference, or NULL (no such name, or it cannot be read). */
static struct inode *ext2_lookup(struct inode *dir, const char *name, size_t len)
{
	unsigned long ino = ext2_inode_by_name(dir, name, len);
	struct inode *inode;
	int err;

	if (!ino)
		return NULL;
	inode = ext2_iget(dir->i_sb, ino, &err);
	if (inode && S_ISDIR(inode->i_mode) && !inode->i_parent)
		inode->i_parent = igrab(dir);       /* let go of in ext2_evict_inode */
	return inode;
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
};
