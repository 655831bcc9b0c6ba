/*
 * ramfs: the root file system, entirely in memory.  A directory is a list
 * of (name, inode) entries, each holding a reference on its inode; a
 * regular file's data is its page cache (mm/filemap.c) and nothing else.
 * The initramfs fills it at boot; after that it is an ordinary writable
 * file system for the life of the machine.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/sched.h>
#include <abi/statfs.h>
#include <abi/errno.h>
#include <abi/misc.h>
#include <abi/fcntl.h>

static const struct file_operations ramfs_file_operations;
static const struct file_operations ramfs_dir_operations;
static const struct inode_operations ramfs_file_inode_operations;

static struct dir_entry *find_entry(struct inode *dir, const char *name, size_t len)
{
	struct dir_entry *de;

	list_for_each_entry(de, &dir->i_entries, list)
		if (de->len == len && !memcmp(de->name, name, len))
			return de;
	return NULL;
}

static struct inode *ramfs_lookup(struct inode *dir, const char *name, size_t len)
{
	struct dir_entry *de = find_entry(dir, name, len);

	return de ? igrab(de->inode) : NULL;
}

/* Enter inode under name in dir (the entry takes its own reference). */
int simple_dir_add(struct inode *dir, const char *name, size_t len, struct inode *inode)
{
	struct dir_entry *de;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	/* removed (Linux's IS_DEADDIR): nothing would free the entry */
	if (!dir->i_nlink)
		return -ENOENT;
	if (find_entry(dir, name, len))
		return -EEXIST;
	de = kmalloc(sizeof(*de) + len + 1, GFP_KERNEL);
	if (!de)
		return -ENOMEM;
	de->inode = igrab(inode);
	de->len = len;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	list_add_tail(&de->list, &dir->i_entries);
	if (!S_ISDIR(inode->i_mode))
		inode->i_parent = dir;           /* its latest name, for inode_path */
	dir->i_mtime = dir->i_ctime = current_time_sec();
	return 0;
}

/* Does dir still hold a name for inode? */
static bool dir_holds(struct inode *dir, struct inode *inode)
{
	struct dir_entry *de;

	list_for_each_entry(de, &dir->i_entries, list)
		if (de->inode == inode)
			return true;
	return false;
}

/*
 * A file whose remembered name goes is left nameless for inode_path,
 * even if another hard link remains elsewhere (finding it would mean
 * searching the whole tree).
 */
static void remove_entry(struct inode *dir, struct dir_entry *de)
{
	list_del(&de->list);
	if (!S_ISDIR(de->inode->i_mode) && de->inode->i_parent == dir && !dir_holds(dir, de->inode))
		de->inode->i_parent = NULL;
	dir->i_mtime = dir->i_ctime = current_time_sec();
	iput(de->inode);
	kfree(de);
}

static void set_ops(struct inode *inode)
{
	if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &ramfs_dir_operations;
	} else if (S_ISREG(inode->i_mode)) {
		inode->i_op = &ramfs_file_inode_operations;
		inode->i_fop = &ramfs_file_operations;
	} else if (S_ISFIFO(inode->i_mode)) {
		inode->i_fop = &fifo_fops;
	} else {
		inode->i_fop = chrdev_fops(inode->i_rdev);   /* NULL: opening gives -ENXIO */
	}
}

struct inode *ramfs_create_child(struct inode *dir, const char *name, size_t len,
				 umode_t mode, dev_t rdev, int *err)
{
	struct inode *inode = new_inode(dir->i_sb, mode);

	if (!inode) {
		*err = -ENOMEM;
		return NULL;
	}
	inode_init_owner(inode, dir, mode);
	inode->i_rdev = rdev;
	if (S_ISDIR(mode)) {
		inode->i_nlink = 2;            /* its "." and the parent's entry */
		inode->i_parent = dir;
	}
	set_ops(inode);
	*err = 0;
	if (S_ISREG(mode) && dir->i_sb->s_magic == TMPFS_MAGIC)
		*err = shmem_init_inode(inode);     /* a tmpfs file's pages may go to swap */
	if (!*err)
		*err = simple_dir_add(dir, name, len, inode);
	if (*err) {
		inode->i_nlink = 0;
		iput(inode);
		return NULL;
	}
	if (S_ISDIR(mode))
		dir->i_nlink++;                /* the child's ".." */
	return inode;                          /* with the caller's reference */
}

static int ramfs_create(struct inode *dir, const char *name, size_t len, umode_t mode,
			dev_t rdev, struct inode **res)
{
	int err;

	*res = ramfs_create_child(dir, name, len, mode, rdev, &err);
	return err;
}

static bool dir_empty(const struct inode *dir)
{
	return list_empty(&dir->i_entries);
}

static int ramfs_unlink(struct inode *dir, const char *name, size_t len)
{
	struct dir_entry *de = find_entry(dir, name, len);

	if (!de)
		return -ENOENT;
	if (S_ISDIR(de->inode->i_mode))
		return -EISDIR;
	de->inode->i_nlink--;
	de->inode->i_ctime = current_time_sec();
	remove_entry(dir, de);
	return 0;
}

static int ramfs_rmdir(struct inode *dir, const char *name, size_t len)
{
	struct dir_entry *de = find_entry(dir, name, len);

	if (!de)
		return -ENOENT;
	if (!S_ISDIR(de->inode->i_mode))
		return -ENOTDIR;
	if (de->inode->i_mount)
		return -EBUSY;
	if (!dir_empty(de->inode))
		return -ENOTEMPTY;
	de->inode->i_nlink = 0;
	dir->i_nlink--;
	remove_entry(dir, de);
	return 0;
}

/*
 * rename(2): the VFS (vfs_rename) has checked the names, the permissions
 * and the kinds of source and target; an existing target is replaced, a
 * directory only if empty.
 */
static int ramfs_rename(struct inode *old_dir, const char *old_name, size_t old_len,
			struct inode *new_dir, const char *new_name, size_t new_len)
{
	struct dir_entry *old = find_entry(old_dir, old_name, old_len);
	struct dir_entry *target = find_entry(new_dir, new_name, new_len);
	struct inode *inode = old->inode;
	int err;

	if (target) {
		struct inode *t = target->inode;

		if (S_ISDIR(t->i_mode)) {
			if (!dir_empty(t))
				return -ENOTEMPTY;
			if (t->i_mount)
				return -EBUSY;
			t->i_nlink = 0;
			new_dir->i_nlink--;
		} else {
			t->i_nlink--;
		}
		remove_entry(new_dir, target);
	}
	igrab(inode);
	remove_entry(old_dir, old);
	err = simple_dir_add(new_dir, new_name, new_len, inode);
	iput(inode);
	/* only -ENOMEM can get here; the name is lost, as on a crash */
	if (err)
		return err;
	if (S_ISDIR(inode->i_mode) && old_dir != new_dir) {
		inode->i_parent = new_dir;
		old_dir->i_nlink--;
		new_dir->i_nlink++;
	}
	inode->i_ctime = current_time_sec();
	return 0;
}

/*
 * link(2): a second name for a file.  Not for directories (a cycle would
 * make ".." ambiguous), and only for files of this file system.
 */
static int ramfs_link(struct inode *inode, struct inode *dir, const char *name, size_t len)
{
	int err;

	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (inode->i_fop != &ramfs_file_operations && !S_ISCHR(inode->i_mode) &&
	    !S_ISLNK(inode->i_mode))
		return -EXDEV;                   /* a /proc file or a pipe */
	err = simple_dir_add(dir, name, len, inode);
	if (err)
		return err;
	inode->i_nlink++;
	inode->i_ctime = current_time_sec();
	return 0;
}

/*
 * symlink(2): the target is kept whole in i_link (as Linux's shmem keeps
 * a short one), so following a link never touches the page cache.
 */
static int ramfs_symlink(struct inode *dir, const char *name, size_t len, const char *target,
			 size_t target_len)
{
	char *link = kmalloc(target_len + 1, GFP_KERNEL);
	struct inode *inode;
	int err;

	if (!link)
		return -ENOMEM;
	memcpy(link, target, target_len);
	link[target_len] = '\0';
	inode = ramfs_create_child(dir, name, len, S_IFLNK | 0777, 0, &err);
	if (!inode) {
		kfree(link);
		return err;
	}
	inode->i_link = link;
	inode->i_size = target_len;
	iput(inode);
	return 0;
}

/* truncate/ftruncate/O_TRUNC: drop mappings and pages past the new end. */
static int ramfs_truncate(struct inode *inode, loff_t size)
{
	if (size < 0 || size > MAX_LFS_FILESIZE)
		return -EINVAL;
	truncate_setsize(inode, size);
	inode->i_mtime = inode->i_ctime = current_time_sec();
	return 0;
}

/*
 * getdents positions: 0 is ".", 1 is "..", n >= 2 the (n-2)th entry.
 * Positions of later entries shift if an earlier one is removed while a
 * directory is being read, as with any simple list-based file system.
 */
static int ramfs_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	struct inode *dir = f->f_inode;
	struct dir_entry *de;
	loff_t pos = 0;

	if (f->f_pos == 0) {
		if (!filldir(ctx, ".", 1, 1, dir->i_ino, DT_DIR))
			return 0;
		f->f_pos = 1;
	}
	if (f->f_pos == 1) {
		struct inode *parent = dir->i_parent ? dir->i_parent : dir;

		if (!filldir(ctx, "..", 2, 2, parent->i_ino, DT_DIR))
			return 0;
		f->f_pos = 2;
	}
	list_for_each_entry(de, &dir->i_entries, list) {
		if (pos++ < f->f_pos - 2)
			continue;
		if (!filldir(ctx, de->name, de->len, f->f_pos + 1, de->inode->i_ino,
			     (de->inode->i_mode & S_IFMT) >> 12))
			return 0;
		f->f_pos++;
	}
	return 0;
}

const struct inode_operations ramfs_dir_inode_operations = {
	.lookup = ramfs_lookup,
	.create = ramfs_create,
	.unlink = ramfs_unlink,
	.rmdir = ramfs_rmdir,
	.rename = ramfs_rename,
	.link = ramfs_link,
	.symlink = ramfs_symlink,
};

static const struct inode_operations ramfs_file_inode_operations = {
	.truncate = ramfs_truncate,
};

static const struct file_operations ramfs_dir_operations = {
	.readdir = ramfs_readdir,
	.llseek = generic_file_llseek,
};

/*
 * fallocate: mode 0 and FALLOC_FL_KEEP_SIZE put zeroed pages in the
 * range now, so writing there later cannot run out of room; PUNCH_HOLE
 * (with KEEP_SIZE, as Linux requires) unmaps and drops the whole pages
 * inside and zeroes the partial ends, leaving private COW copies alone.
 * As tmpfs does -- Linux's ramfs has no fallocate, but a program meets
 * anvil's ramfs as /tmp, which on Linux does.  Pages a failed allocation
 * made stay (zeroed, past no size): the file reads the same.
 */
static long ramfs_fallocate(struct file *f, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = f->f_inode;
	struct address_space *mapping = inode->i_mapping;
	loff_t end = offset + len;

	if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE))
		return -EOPNOTSUPP;
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		unmap_mapping_range(mapping, ALIGN_UP(offset, PAGE_SIZE),
				    ALIGN_DOWN(end, PAGE_SIZE) - ALIGN_UP(offset, PAGE_SIZE),
				    false);
		truncate_inode_pages_range(mapping, offset, end - 1);
	} else {
		for (loff_t pos = ALIGN_DOWN(offset, PAGE_SIZE); pos < end; pos += PAGE_SIZE) {
			struct page *page;

			if (fatal_signal_pending(current))
				return -EINTR;
			page = find_or_create_page(mapping, pos >> PAGE_SHIFT, GFP_KERNEL);
			if (!page)
				return -ENOSPC;
			put_page(page);
		}
		if (!(mode & FALLOC_FL_KEEP_SIZE) && end > inode->i_size)
			inode->i_size = end;
	}
	inode->i_mtime = inode->i_ctime = current_time_sec();
	return 0;
}

static const struct file_operations ramfs_file_operations = {
	.read = generic_file_read,
	.write = generic_file_write,
	.llseek = generic_file_llseek,
	.mmap = generic_file_mmap,
	.fallocate = ramfs_fallocate,
};

/* The root file system's; a tmpfs brings its own (kernel/fs/tmpfs.c). */
static struct super_block ramfs_sb = {
	.s_magic = RAMFS_MAGIC,
	.s_blocksize = PAGE_SIZE,
	.s_op = &simple_super_operations,
};

/* A new empty directory tree of file system sb: its root, or NULL. */
struct inode *ramfs_fill_root(struct super_block *sb, umode_t mode)
{
	struct inode *root = new_inode(sb, S_IFDIR | (mode & 07777));

	if (!root)
		return NULL;
	inode_init_owner(root, NULL, root->i_mode);     /* a tmpfs's: the mounter's */
	root->i_nlink = 2;
	root->i_parent = root;
	set_ops(root);
	return root;
}

struct inode *ramfs_new_root(void)
{
	struct inode *root = ramfs_fill_root(&ramfs_sb, 0755);

	BUG_ON(!root);
	return root;
}

/*
 * Remove every name under dir, depth first (unmounting a tmpfs: Linux's
 * kill_litter_super).  Nothing may be open in it: the caller checked.
 */
void ramfs_kill_tree(struct inode *dir)
{
	struct dir_entry *de, *next;

	list_for_each_entry_safe(de, next, &dir->i_entries, list) {
		if (S_ISDIR(de->inode->i_mode)) {
			ramfs_kill_tree(de->inode);
			de->inode->i_nlink = 0;
			dir->i_nlink--;
		} else {
			de->inode->i_nlink--;
		}
		remove_entry(dir, de);
	}
}
