/*
 * ext2 names (Linux's namei.c): lookup, create (files, directories,
 * device nodes, FIFOs), unlink, rmdir, rename, link and symlink.  The
 * VFS (kernel/fs/namei.c) has checked the names, permissions and kinds;
 * these change the directory entries and the link counts under s_lock,
 * on the disk before they return.  A directory found holds its parent,
 * for "..": the VFS has no dentries, so a directory inode stands in for
 * one.  Inodes are let go (iput) only after s_lock: the last iput of an
 * unlinked one takes s_lock to delete it.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/blkdev.h>
#include <anvil/time.h>
#include <abi/errno.h>
#include "ext2.h"

/*
 * name in dir: its inode with a reference, or NULL (no such name, or it
 * cannot be read).  Lookups take no lock: a name found may be unlinked
 * and its inode deleted before the inode is read -- no name then, unless
 * the entry is still there, which is a damaged directory.
 */
static struct inode *ext2_lookup(struct inode *dir, const char *name, size_t len)
{
	int err;
	unsigned long ino = ext2_inode_by_name(dir, name, len, &err);
	struct inode *inode;

	if (!ino)
		return NULL;
	inode = ext2_iget(dir->i_sb, ino, &err);
	if (!inode && err == -ENOENT && ext2_inode_by_name(dir, name, len, &err) == ino)
		printk(KERN_ERR "ext2: %s: deleted inode %lu referenced in directory #%lu\n",
		       dir->i_sb->s_bdev->name, ino, dir->i_ino);
	if (inode && !inode->i_parent)
		inode->i_parent = igrab(dir);       /* inode_path's; ext2_evict_inode lets go */
	return inode;
}

/* End a change: its metadata to the disk, then s_lock let go; the first error. */
static int ext2_end_change(struct super_block *sb, int err)
{
	int e = ext2_sync_meta(sb);

	ext2_unlock(sb);
	return err ? err : e;
}

/*
 * A new inode of mode in dir, filled as its kind needs (a directory's
 * "." and "..", a device's number), written, entered under name.  On
 * failure its link count is 0: the caller's iput, after s_lock, frees it.
 */
static struct inode *ext2_new_child(struct inode *dir, const char *name, size_t len,
				    umode_t mode, dev_t rdev, int *err)
{
	struct inode *inode;

	if (S_ISDIR(mode) && dir->i_nlink >= EXT2_LINK_MAX) {
		*err = -EMLINK;
		return NULL;
	}
	inode = ext2_new_inode(dir, mode, err);
	if (!inode)
		return NULL;
	if (S_ISCHR(mode) || S_ISBLK(mode))
		EXT2_I(inode)->i_data[0] = rdev;     /* the old 8:8 form, as anvil's dev_t */
	*err = ext2_set_ops(inode);
	if (!*err && S_ISDIR(mode)) {
		inode->i_nlink = 2;
		*err = ext2_make_empty(inode, dir);
	}
	if (!*err)
		*err = ext2_write_inode(inode);
	if (!*err)
		*err = ext2_add_link(dir, name, len, inode);
	if (*err) {
		inode->i_nlink = 0;
		return inode;
	}
	inode->i_parent = igrab(dir);
	if (S_ISDIR(mode)) {
		dir->i_nlink++;
		ext2_write_inode(dir);
	}
	return inode;
}

/* create, mkdir and mknod: the new inode with a reference in *res. */
static int ext2_create(struct inode *dir, const char *name, size_t len, umode_t mode,
		       dev_t rdev, struct inode **res)
{
	struct super_block *sb = dir->i_sb;
	int err;

	ext2_lock(sb);
	*res = ext2_new_child(dir, name, len, mode, rdev, &err);
	err = ext2_end_change(sb, err);
	if (err && *res) {
		iput(*res);
		*res = NULL;
	}
	return err;
}

/* Drop one link of inode (its ctime now) and write it. */
static void ext2_dec_count(struct inode *inode)
{
	inode->i_nlink--;
	inode->i_ctime = current_time_sec();
	ext2_write_inode(inode);
}

/*
 * Remove name (an inode the VFS holds, so its icache entry is found)
 * from dir; isdir: rmdir's checks, and the directory's two links go.
 */
static int ext2_remove(struct inode *dir, const char *name, size_t len, bool isdir)
{
	struct super_block *sb = dir->i_sb;
	struct inode *inode = NULL;
	struct page *page;
	int err;
	struct ext2_dir_entry_2 *de;

	ext2_lock(sb);
	de = ext2_find_entry(dir, name, len, &page, &err);
	if (!de)
		return ext2_end_change(sb, err);
	inode = ext2_iget(sb, de->inode, &err);
	if (inode && isdir && !S_ISDIR(inode->i_mode))
		err = -ENOTDIR;
	else if (inode && !isdir && S_ISDIR(inode->i_mode))
		err = -EISDIR;
	else if (inode && isdir && inode->i_mount)
		err = -EBUSY;
	else if (inode && isdir && !ext2_empty_dir(inode))
		err = -ENOTEMPTY;
	else if (inode)
		err = ext2_delete_entry(dir, de, page);
	put_page(page);
	if (inode && !err) {
		if (isdir) {
			inode->i_nlink = 1;              /* its "." goes with its name */
			ext2_dec_count(dir);             /* its ".." */
		}
		ext2_dec_count(inode);
	}
	err = ext2_end_change(sb, err);
	iput(inode);
	return err;
}

static int ext2_unlink(struct inode *dir, const char *name, size_t len)
{
	return ext2_remove(dir, name, len, false);
}

static int ext2_rmdir(struct inode *dir, const char *name, size_t len)
{
	return ext2_remove(dir, name, len, true);
}

/*
 * link(2): a second name for a file -- not a directory (a cycle would
 * make ".." ambiguous), not past EXT2_LINK_MAX links.
 */
static int ext2_link(struct inode *inode, struct inode *dir, const char *name, size_t len)
{
	struct super_block *sb = dir->i_sb;
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (inode->i_nlink >= EXT2_LINK_MAX)
		return -EMLINK;
	ext2_lock(sb);
	err = ext2_add_link(dir, name, len, inode);
	if (!err) {
		inode->i_nlink++;
		inode->i_ctime = current_time_sec();
		ext2_write_inode(inode);
	}
	return ext2_end_change(sb, err);
}

/* symlink(2): a fast link keeps target in i_data, a longer one in one block (symlink.c). */
static int ext2_symlink(struct inode *dir, const char *name, size_t len, const char *target,
			size_t target_len)
{
	struct super_block *sb = dir->i_sb;
	struct inode *inode;
	int err;

	if (target_len + 1 > sb->s_blocksize)
		return -ENAMETOOLONG;
	ext2_lock(sb);
	inode = ext2_new_inode(dir, S_IFLNK | S_IRWXUGO, &err);
	if (inode) {
		err = ext2_set_ops(inode);
		if (!err)
			err = ext2_write_link(inode, target, target_len);
		if (!err)
			err = ext2_write_inode(inode);
		if (!err)
			err = ext2_add_link(dir, name, len, inode);
		if (err)
			inode->i_nlink = 0;
	}
	err = ext2_end_change(sb, err);
	iput(inode);
	return err;
}

/*
 * Point the ".." of directory inode (entry dotdot, in page) at new_dir,
 * which it leaves old_dir for: the links follow, and i_parent.
 */
static void ext2_move_dotdot(struct inode *inode, struct ext2_dir_entry_2 *dotdot,
			     struct page *page, struct inode *old_dir, struct inode *new_dir,
			     int *err)
{
	int e = ext2_set_link(inode, dotdot, page, new_dir);

	if (e && !*err)
		*err = e;
	ext2_dec_count(old_dir);
	if (inode->i_parent != new_dir) {
		struct inode *old_parent = inode->i_parent;

		inode->i_parent = igrab(new_dir);
		iput(old_parent);                    /* not the last: the caller holds old_dir */
	}
}

/*
 * rename(2), Linux's ext2_rename: the VFS has checked names, kinds and
 * permissions.  An existing target's entry is pointed at the source (a
 * directory target must be empty), else a new entry is added; then the
 * old entry goes, and a moved directory's ".." follows it.
 */
static int ext2_rename(struct inode *old_dir, const char *old_name, size_t old_len,
		       struct inode *new_dir, const char *new_name, size_t new_len)
{
	struct super_block *sb = old_dir->i_sb;
	struct inode *inode = NULL, *target = NULL;
	struct ext2_dir_entry_2 *de, *dotdot = NULL, *new_de;
	struct page *page, *dotdot_page = NULL, *new_page;
	int err;

	ext2_lock(sb);
	de = ext2_find_entry(old_dir, old_name, old_len, &page, &err);
	if (!de)
		return ext2_end_change(sb, err);
	inode = ext2_iget(sb, de->inode, &err);
	put_page(page);
	if (!inode)
		return ext2_end_change(sb, err);
	if (S_ISDIR(inode->i_mode)) {
		dotdot = ext2_dotdot(inode, &dotdot_page, &err);
		if (!dotdot)
			goto out;
	}
	new_de = ext2_find_entry(new_dir, new_name, new_len, &new_page, &err);
	if (new_de) {
		target = ext2_iget(sb, new_de->inode, &err);
		if (!target || (dotdot && !ext2_empty_dir(target))) {
			err = target ? -ENOTEMPTY : err;
			put_page(new_page);
			goto out;
		}
		if (dotdot && target->i_mount) {
			err = -EBUSY;
			put_page(new_page);
			goto out;
		}
		err = ext2_set_link(new_dir, new_de, new_page, inode);
		put_page(new_page);
		if (err)
			goto out;
		if (dotdot) {
			target->i_nlink = 1;
			ext2_dec_count(new_dir);         /* the target's ".." */
		}
		ext2_dec_count(target);
	} else if (err != -ENOENT) {
		goto out;
	} else {
		if (dotdot && new_dir->i_nlink >= EXT2_LINK_MAX) {
			err = -EMLINK;
			goto out;
		}
		err = ext2_add_link(new_dir, new_name, new_len, inode);
		if (err)
			goto out;
	}
	if (dotdot)
		new_dir->i_nlink++;
	inode->i_ctime = current_time_sec();
	ext2_write_inode(inode);
	/* found again: adding the new name may have split the old entry */
	de = ext2_find_entry(old_dir, old_name, old_len, &page, &err);
	if (de) {
		err = ext2_delete_entry(old_dir, de, page);
		put_page(page);
	}
	if (dotdot) {
		ext2_move_dotdot(inode, dotdot, dotdot_page, old_dir, new_dir, &err);
	} else if (inode->i_parent == old_dir && new_dir != old_dir) {
		inode->i_parent = igrab(new_dir);    /* its latest name, for inode_path */
		iput(old_dir);                       /* not the last: the caller holds old_dir */
	}
	ext2_write_inode(new_dir);
out:
	if (dotdot_page && dotdot)
		put_page(dotdot_page);
	err = ext2_end_change(sb, err);
	iput(target);
	iput(inode);
	return err;
}

const struct inode_operations ext2_dir_inode_operations = {
	.lookup = ext2_lookup,
	.create = ext2_create,
	.unlink = ext2_unlink,
	.rmdir = ext2_rmdir,
	.rename = ext2_rename,
	.link = ext2_link,
	.symlink = ext2_symlink,
};
