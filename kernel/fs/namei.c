/*
 * Path lookup and permissions.  A path is walked one component at a time
 * from the root ("/...") or a starting directory, through "." and "..",
 * crossing into file systems mounted on a directory (/proc), and
 * following symbolic links: a relative target from the link's directory,
 * an absolute one from the root, at most MAX_NESTED_LINKS deep and
 * MAXSYMLINKS in all (Linux 2.6's limits, -ELOOP beyond).  Every
 * directory whose entries a walk reads must grant search (execute)
 * permission.  Everything returned carries a reference the caller must
 * iput.  The permission rules themselves -- inode_permission, and
 * may_create/may_delete for changing a directory -- are Linux's.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/fs_struct.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <abi/errno.h>

static struct inode *fs_root;

struct inode *root_inode(void)
{
	return fs_root;
}

void set_root_inode(struct inode *root)
{
	fs_root = root;
}

/*
 * May the caller, by its fs ids, access inode as mask (MAY_READ, MAY_WRITE,
 * MAY_EXEC) asks?  Linux's generic_permission, without ACLs: the owner's
 * bits for the owner -- and only those, even if the group or others may
 * do more --, the group's for a member of its group, the others' for the
 * rest.  Then the capabilities: CAP_DAC_READ_SEARCH reads anything and
 * searches any directory, CAP_DAC_OVERRIDE does anything but execute a
 * file that has no execute bit at all.  Before all that, writing a file,
 * directory or link on a read-only mount is EROFS (Linux's sb_permission):
 * devices and FIFOs there still take writes.  Then a file system may
 * have its own rule in place of the mode checks (i_op->permission: /proc/sys's).
 */
int inode_permission(struct inode *inode, int mask)
{
	umode_t mode = inode->i_mode;

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if ((mask & MAY_WRITE) && sb_rdonly(inode->i_sb) && !special_file(mode))
		return -EROFS;
	if (inode->i_op && inode->i_op->permission)
		return inode->i_op->permission(inode, mask);
	if (current->fsuid == inode->i_uid)
		mode >>= 6;
	else if (in_group_p(inode->i_gid))
		mode >>= 3;
	if (!(mask & ~mode))
		return 0;
	if (S_ISDIR(inode->i_mode)) {
		if (!(mask & MAY_WRITE) && capable(CAP_DAC_READ_SEARCH))
			return 0;
		return capable(CAP_DAC_OVERRIDE) ? 0 : -EACCES;
	}
	if (mask == MAY_READ && capable(CAP_DAC_READ_SEARCH))
		return 0;
	if ((!(mask & MAY_EXEC) || (inode->i_mode & S_IXUGO)) && capable(CAP_DAC_OVERRIDE))
		return 0;
	return -EACCES;
}

/* One step: name (not NUL-terminated) inside dir, which must be searchable (may_lookup). */
static struct inode *lookup_one(struct inode *dir, const char *name, size_t len, int *err)
{
	struct inode *next;

	if (!S_ISDIR(dir->i_mode)) {
		*err = -ENOTDIR;
		return NULL;
	}
	*err = inode_permission(dir, MAY_EXEC);
	if (*err)
		return NULL;
	if (len > NAME_MAX) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	if (len == 1 && name[0] == '.')
		return igrab(dir);
	if (len == 2 && name[0] == '.' && name[1] == '.')
		return igrab(dir->i_parent ? dir->i_parent : dir);
	next = dir->i_op && dir->i_op->lookup ? dir->i_op->lookup(dir, name, len) : NULL;
	if (!next) {
		*err = -ENOENT;
		return NULL;
	}
	if (next->i_mount) {                     /* a mount point: continue in the mounted fs */
		struct inode *mounted = igrab(next->i_mount);

		iput(next);
		next = mounted;
	}
	return next;
}

/* Links being followed by one lookup: how deep now, and how many so far. */
struct nameidata {
	unsigned int depth, total;
};

static struct inode *walk(struct nameidata *nd, struct inode *base, const char *path,
			  const char *stop, bool follow_last, int *err);

/*
 * Replace link (found in dir) by what its target names, resolved the
 * way the target would be as a path of its own starting in dir -- or,
 * for a link with get_link, by the inode it yields (Linux's
 * nd_jump_link: /proc/<pid>/fd/N reaches the open file, even a pipe or
 * a deleted file, whose text names nothing).
 */
static struct inode *follow_link(struct nameidata *nd, struct inode *dir, struct inode *link,
				 int *err)
{
	struct inode *target = NULL;

	if (nd->depth >= MAX_NESTED_LINKS || nd->total >= MAXSYMLINKS) {
		*err = -ELOOP;
	} else {
		nd->depth++;
		nd->total++;
		if (link->i_op && link->i_op->get_link)
			target = link->i_op->get_link(link, err);
		else
			target = walk(nd, dir, link->i_link, link->i_link + link->i_size,
				      true, err);
		nd->depth--;
	}
	iput(link);
	return target;
}

/* Nothing but slashes between p and stop: the component just read was the last. */
static bool at_last_component(const char *p, const char *stop)
{
	while (p < stop && *p == '/')
		p++;
	return p >= stop;
}

/*
 * Walk path from base (or the root) up to stop.  Symbolic links met on
 * the way are followed; one in the last component only if follow_last.
 */
static struct inode *walk(struct nameidata *nd, struct inode *base, const char *path,
			  const char *stop, bool follow_last, int *err)
{
	struct inode *dir = igrab(*path == '/' ? fs_root : base);
	const char *p = path;

	while (p < stop) {
		const char *name;
		size_t len;
		struct inode *next;

		while (*p == '/')
			p++;
		if (p >= stop)
			break;
		name = p;
		len = strcspn(p, "/");
		if (name + len > stop)
			len = stop - name;
		p += len;
		next = lookup_one(dir, name, len, err);
		if (next && S_ISLNK(next->i_mode) && (follow_last || !at_last_component(p, stop)))
			next = follow_link(nd, dir, next, err);
		iput(dir);
		if (!next)
			return NULL;
		dir = next;
	}
	return dir;
}

/* flags: LOOKUP_FOLLOW follows a symbolic link in the last component (a trailing "/" does too). */
struct inode *path_lookup(struct inode *base, const char *path, unsigned int flags, int *err)
{
	struct nameidata nd = { 0, 0 };
	struct inode *inode;
	bool trailing_slash;
	size_t len = strlen(path);

	if (!len) {
		*err = -ENOENT;
		return NULL;
	}
	trailing_slash = path[len - 1] == '/';
	inode = walk(&nd, base, path, path + len, (flags & LOOKUP_FOLLOW) || trailing_slash, err);
	if (inode && trailing_slash && !S_ISDIR(inode->i_mode)) {
		iput(inode);
		*err = -ENOTDIR;
		return NULL;
	}
	return inode;
}

/*
 * The directory that would hold path's last component, and that
 * component (*last, *last_len; trailing slashes ignored), searchable by
 * the caller.  "/" has an empty last component.
 */
struct inode *path_parent(struct inode *base, const char *path, const char **last,
			  size_t *last_len, int *err)
{
	size_t len = strlen(path);
	const char *end, *start;

	if (!len) {
		*err = -ENOENT;
		return NULL;
	}
	end = path + len;
	while (end > path + 1 && end[-1] == '/')
		end--;
	start = end;
	while (start > path && start[-1] != '/')
		start--;
	struct inode *dir;
	struct nameidata nd = { 0, 0 };

	*last = start;
	*last_len = end - start;
	if (*last_len > NAME_MAX) {
		*err = -ENAMETOOLONG;
		return NULL;
	}
	dir = walk(&nd, base, path, start, true, err);
	if (!dir)
		return NULL;
	/* "file/x"; and the last component will be looked up in dir */
	*err = !S_ISDIR(dir->i_mode) ? -ENOTDIR : *last_len ? inode_permission(dir, MAY_EXEC) : 0;
	if (*err) {
		iput(dir);
		return NULL;
	}
	return dir;
}

static struct inode *dirfd_inode(int dirfd, const char *kpath, int *err)
{
	struct file *f;
	struct inode *inode;

	if (kpath[0] == '/' || dirfd == AT_FDCWD)
		return igrab(current->fs->cwd);
	f = fget_raw(dirfd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (!S_ISDIR(f->f_inode->i_mode)) {
		fput(f);
		*err = -ENOTDIR;
		return NULL;
	}
	inode = igrab(f->f_inode);
	fput(f);
	return inode;
}

/* A user path copied into a kmalloc'd PATH_MAX buffer (the caller kfrees it). */
char *getname(const char *upath, int *err)
{
	char *kpath = kmalloc(PATH_MAX, GFP_KERNEL);
	long n;

	if (!kpath) {
		*err = -ENOMEM;
		return NULL;
	}
	n = strncpy_from_user(kpath, upath, PATH_MAX);
	if (n < 0) {
		kfree(kpath);
		*err = n;
		return NULL;
	}
	return kpath;
}

/* LOOKUP_EMPTY's "": the file dirfd names, of any type (the cwd for AT_FDCWD). */
static struct inode *empty_path_inode(int dirfd, int *err)
{
	struct file *f;
	struct inode *inode;

	if (dirfd == AT_FDCWD)
		return igrab(current->fs->cwd);
	f = fget_raw(dirfd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	inode = igrab(f->f_inode);
	fput(f);
	return inode;
}

struct inode *user_path_at(int dirfd, const char *upath, unsigned int flags, int *err)
{
	char *kpath = getname(upath, err);
	struct inode *base, *inode = NULL;

	if (!kpath)
		return NULL;
	if (!kpath[0]) {                  /* "" is -ENOENT (getname's), whatever dirfd is */
		kfree(kpath);
		if (flags & LOOKUP_EMPTY)
			return empty_path_inode(dirfd, err);
		*err = -ENOENT;
		return NULL;
	}
	base = dirfd_inode(dirfd, kpath, err);
	if (base) {
		inode = path_lookup(base, kpath, flags, err);
		iput(base);
	}
	kfree(kpath);
	return inode;
}

/* path_parent for a user path; *kpath (holding *last) must be kfree'd by the caller. */
struct inode *user_path_parent_at(int dirfd, const char *upath, char **kpath,
				  const char **last, size_t *last_len, int *err)
{
	struct inode *base, *dir = NULL;

	*kpath = getname(upath, err);
	if (!*kpath)
		return NULL;
	base = dirfd_inode(dirfd, *kpath, err);
	if (base) {
		dir = path_parent(base, *kpath, last, last_len, err);
		iput(base);
	}
	if (!dir) {
		kfree(*kpath);
		*kpath = NULL;
	}
	return dir;
}

/*
 * Is path_parent's last component an ordinary name (Linux's LAST_NORM)?
 * Not "/" (empty), "." or "..": lookup resolves those without looking in
 * the directory, so an entry made under such a name could never be found
 * or removed, and its directory never emptied.  Calls that create a name
 * refuse them (-EEXIST, as Linux), and so do unlink and rename.
 */
bool last_is_norm(const char *last, size_t len)
{
	return len && !(len <= 2 && !memcmp(last, "..", len));
}

/* The inode named name in dir itself (no mount crossed), with a reference; or NULL. */
static struct inode *lookup_child(struct inode *dir, const char *name, size_t len)
{
	return dir->i_op && dir->i_op->lookup ? dir->i_op->lookup(dir, name, len) : NULL;
}

/*
 * May name be made in dir, as far as Linux's filename_create says: the
 * name must be free (-EEXIST comes before anything else), the directory
 * not removed, the mount not read-only.
 */
static int may_create_name(struct inode *dir, const char *name, size_t len)
{
	struct inode *existing = lookup_child(dir, name, len);

	if (existing) {
		iput(existing);
		return -EEXIST;
	}
	if (!dir->i_nlink)
		return -ENOENT;
	return __mnt_is_readonly(dir) ? -EROFS : 0;
}

/* May the caller make name in dir?  That, then Linux's may_create: write and search on dir. */
int may_create(struct inode *dir, const char *name, size_t len)
{
	int err = may_create_name(dir, name, len);

	return err ? err : inode_permission(dir, MAY_WRITE | MAY_EXEC);
}

/*
 * The sticky bit: in a sticky directory (/tmp) only the file's owner,
 * the directory's owner or CAP_FOWNER may remove or rename an entry,
 * whoever may write the directory.
 */
static bool check_sticky(const struct inode *dir, const struct inode *inode)
{
	if (!(dir->i_mode & S_ISVTX))
		return false;
	if (inode->i_uid == current->fsuid || dir->i_uid == current->fsuid)
		return false;
	return !capable(CAP_FOWNER);
}

/*
 * May the caller remove victim, found in dir, by unlink (isdir false) or
 * rmdir -- or rename it, or replace it by a rename?  Linux's may_delete:
 * write and search on dir, the sticky bit, then the type (a directory
 * only by rmdir, and the other way round; isdir is the type the caller
 * expects).
 */
int may_delete(struct inode *dir, struct inode *victim, bool isdir)
{
	int err = inode_permission(dir, MAY_WRITE | MAY_EXEC);

	if (err)
		return err;
	if (check_sticky(dir, victim))
		return -EPERM;
	if (isdir && !S_ISDIR(victim->i_mode))
		return -ENOTDIR;
	if (!isdir && S_ISDIR(victim->i_mode))
		return -EISDIR;
	return 0;
}

/* unlink(2) (isdir false) or rmdir(2) of name in dir: Linux's vfs_unlink and vfs_rmdir. */
int vfs_remove(struct inode *dir, const char *name, size_t len, bool isdir)
{
	struct inode *victim = lookup_child(dir, name, len);
	int err;

	if (!victim)
		return -ENOENT;
	err = may_delete(dir, victim, isdir);
	if (!err && !dir->i_op->unlink)
		err = -EPERM;                     /* /proc */
	if (!err)
		err = isdir ? dir->i_op->rmdir(dir, name, len) : dir->i_op->unlink(dir, name, len);
	iput(victim);
	return err;
}

/*
 * link(2): a new name, name in dir, for inode -- on the same file system
 * (EXDEV, after what filename_create refuses and before permissions).
 */
int vfs_link(struct inode *inode, struct inode *dir, const char *name, size_t len)
{
	int err = may_create_name(dir, name, len);

	if (!err && inode->i_sb != dir->i_sb)
		err = -EXDEV;
	if (!err)
		err = inode_permission(dir, MAY_WRITE | MAY_EXEC);
	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->link)
		return S_ISDIR(inode->i_mode) ? -EPERM : -EXDEV;
	return dir->i_op->link(inode, dir, name, len);
}

/* Is dir inside (or equal to) ancestor? Moving a directory there would cut it loose. */
static bool is_subdir(struct inode *dir, struct inode *ancestor)
{
	for (;;) {
		if (dir == ancestor)
			return true;
		if (!dir->i_parent || dir->i_parent == dir)
			return false;
		dir = dir->i_parent;
	}
}

/*
 * rename's checks, in Linux's order (do_renameat2, vfs_rename), before
 * the file system moves the entry: the source must exist; two names of
 * one file are left alone; a directory cannot move into itself; the
 * source must be removable and the target name creatable or removable
 * (of the same kind); and a directory changing parent needs write on
 * itself, for its "..".  The file system then refuses a non-empty
 * directory as the target.
 */
int vfs_rename(struct inode *old_dir, const char *old_name, size_t old_len,
	       struct inode *new_dir, const char *new_name, size_t new_len)
{
	struct inode *old = lookup_child(old_dir, old_name, old_len), *target;
	bool is_dir;
	int err = 0;

	if (!old)
		return -ENOENT;
	is_dir = S_ISDIR(old->i_mode);
	target = lookup_child(new_dir, new_name, new_len);
	if (target == old)
		goto out;                         /* two names of one file: nothing to do */
	err = is_dir && is_subdir(new_dir, old) ? -EINVAL : may_delete(old_dir, old, is_dir);
	if (err)
		goto out;
	if (target)
		err = may_delete(new_dir, target, is_dir);
	else                                      /* may_create, the name known to be free */
		err = new_dir->i_nlink ? inode_permission(new_dir, MAY_WRITE | MAY_EXEC) : -ENOENT;
	if (!err && is_dir && new_dir != old_dir)
		err = inode_permission(old, MAY_WRITE);
	if (!err)
		err = old_dir->i_op->rename(old_dir, old_name, old_len, new_dir, new_name, new_len);
out:
	iput(target);
	iput(old);
	return err;
}

/*
 * The mode a new file really gets: S_ISGID of a group-executable file
 * made in a set-group-ID directory -- whose group it takes -- stays only
 * if the creator is in that group (Linux's mode_strip_sgid).
 */
static umode_t mode_strip_sgid(const struct inode *dir, umode_t mode)
{
	if ((mode & (S_ISGID | S_IXGRP)) != (S_ISGID | S_IXGRP) || S_ISDIR(mode) ||
	    !(dir->i_mode & S_ISGID))
		return mode;
	return in_group_p(dir->i_gid) || capable(CAP_FSETID) ? mode : mode & ~S_ISGID;
}

/*
 * Create the entry last (len bytes) in dir, returning the new inode with
 * a reference in *res.  Used by open(O_CREAT), mkdir, mknod and the boot
 * code that builds /dev and /proc.  Device nodes need CAP_MKNOD.
 */
int vfs_create(struct inode *dir, const char *last, size_t len, umode_t mode, dev_t rdev,
	       struct inode **res)
{
	int err;

	*res = NULL;
	if (!last_is_norm(last, len))
		return -EEXIST;                   /* "/", "." or ".." */
	err = may_create(dir, last, len);    /* first: EROFS on a read-only mount */
	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->create)
		return -EACCES;                   /* /proc and the like */
	if ((S_ISCHR(mode) || S_ISBLK(mode)) && !capable(CAP_MKNOD))
		return -EPERM;
	return dir->i_op->create(dir, last, len, mode_strip_sgid(dir, mode), rdev, res);
}

/* Create path (relative to base) as a directory, device node or file. */
static int vfs_create_at(struct inode *base, const char *path, umode_t mode, dev_t rdev)
{
	const char *last;
	size_t len;
	int err = 0;
	struct inode *dir = path_parent(base, path, &last, &len, &err), *inode;

	if (!dir)
		return err;
	err = vfs_create(dir, last, len, mode, rdev, &inode);
	iput(inode);
	iput(dir);
	return err;
}

int vfs_mkdir(struct inode *base, const char *path, umode_t mode)
{
	return vfs_create_at(base, path, S_IFDIR | (mode & 07777), 0);
}

int vfs_mknod(struct inode *base, const char *path, umode_t mode, dev_t rdev)
{
	return vfs_create_at(base, path, mode, rdev);
}

struct name_search {
	unsigned long ino;               /* the entry wanted */
	char *name;                      /* NAME_MAX + 1 bytes: its name, when found */
	size_t len;                      /* 0 until found */
};

static bool match_ino(void *ctx, const char *name, size_t len, loff_t next_pos,
		      unsigned long ino, unsigned int type)
{
	struct name_search *ns = ctx;

	if (ino != ns->ino || (len <= 2 && name[0] == '.' && (len == 1 || name[1] == '.')))
		return true;
	memcpy(ns->name, name, len);
	ns->len = len;
	return false;                    /* found: stop */
}

/*
 * The entry name of inode in its parent directory, copied to name
 * (NAME_MAX + 1 bytes), with its length; 0 if it has none (removed).  A
 * mounted root is named by the directory it covers.  ramfs keeps its
 * names in a list; a disk file system is asked to list the directory
 * (readdir) and the entry with inode's number is the one -- Linux's
 * exportfs get_name, which knfsd uses for the same lack of a dentry.
 */
static size_t name_in_parent(struct inode *inode, char *name)
{
	struct inode *named = mount_covered(inode) ?: inode;
	struct inode *dir = inode->i_parent;
	struct name_search ns = { .ino = named->i_ino, .name = name };
	struct file f = { .f_op = dir->i_fop, .f_inode = dir };
	struct dir_entry *de;

	list_for_each_entry(de, &dir->i_entries, list) {
		if (de->inode == inode || de->inode->i_mount == inode) {
			memcpy(name, de->name, de->len);
			return de->len;
		}
	}
	if (list_empty(&dir->i_entries) && dir->i_fop && dir->i_fop->readdir)
		dir->i_fop->readdir(&f, &ns, match_ino);
	return ns.len;
}

int inode_path(struct inode *inode, char *buf, size_t size)
{
	size_t pos = size - 1;

	buf[pos] = '\0';
	while (inode != fs_root) {
		char name[NAME_MAX + 1];
		size_t len;

		if (!inode->i_parent)
			return -ENOENT;
		len = name_in_parent(inode, name);
		if (!len)
			return -ENOENT;           /* removed: getcwd of a deleted directory */
		if (len + 1 > pos)
			return -ERANGE;
		pos -= len;
		memcpy(buf + pos, name, len);
		buf[--pos] = '/';
		inode = inode->i_parent;
	}
	if (pos == size - 1)
		buf[--pos] = '/';
	memmove(buf, buf + pos, size - pos);
	return size - 1 - pos;
}
