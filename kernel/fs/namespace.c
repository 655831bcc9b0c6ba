/*
 * Mounts: the table of mounted file systems -- the root (the boot ramfs,
 * or the disk root= names), /proc, /dev/shm and any tmpfs or ext2 a
 * program mounts -- which /proc/mounts lists, and mount(2) (new mounts
 * and MS_REMOUNT) and umount2(2) (MNT_DETACH, MNT_EXPIRE).  A mount hangs
 * a file system's root on a directory (dir->i_mount), which path lookup
 * (namei.c) steps into.  What keeps a file system busy (s_active) and
 * read-only mounts' writers (mnt_want_write) are counted here.  Not done:
 * stacking mounts on one directory, bind and move.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/fs_struct.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mount.h>

#define MNT_NAME_MAX 64             /* a device name or type longer is cut */
#define UNSUPPORTED_MS (MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)
#define UMOUNT_FLAGS (MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)
/* what a mount keeps of mount(2)'s flags: the rest only say what to do */
#define MS_KEPT (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_MANDLOCK | \
		 MS_DIRSYNC | MS_NOSYMFOLLOW | MS_NOATIME | MS_NODIRATIME | MS_RELATIME |      \
		 MS_STRICTATIME | MS_LAZYTIME)
#define MS_ATIME (MS_NOATIME | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME)

struct mount {
	struct list_head list;
	char devname[MNT_NAME_MAX];
	const char *fstype;
	struct inode *mountpoint;       /* the directory covered; NULL for the root */
	struct inode *root;             /* holds a reference, and one of s_active */
	unsigned long flags;            /* MS_* (MS_KEPT), as the super_block's */
	bool user;                      /* made by mount(2): umount2 may take it away */
};

static LIST_HEAD(mounts);

/*
 * Linux's mnt_want_write: a write to inode's file system is starting --
 * refused with EROFS on a read-only mount -- and until mnt_drop_write it
 * keeps remounting read-only away (EBUSY).  A file open for writing
 * holds it for its life (FMODE_WRITER).
 */
int mnt_want_write(struct inode *inode)
{
	if (__mnt_is_readonly(inode))
		return -EROFS;
	inode->i_sb->s_writers++;
	return 0;
}

void mnt_drop_write(struct inode *inode)
{
	BUG_ON(!inode->i_sb->s_writers);
	inode->i_sb->s_writers--;
}

void activate_super(struct super_block *sb)
{
	atomic_inc(&sb->s_active);
}

/*
 * One user of sb fewer.  Any use ends umount2(MNT_EXPIRE)'s mark, as
 * Linux's mntput; the last user of an unmounted tmpfs (a lazy umount's
 * open files and cwds) frees it with all its files.
 */
void deactivate_super(struct super_block *sb)
{
	sb->s_expiry_mark = false;
	if (atomic_dec_and_test(&sb->s_active) && sb->s_op && sb->s_op->kill_sb)
		sb->s_op->kill_sb(sb);
}

struct inode *path_get(struct inode *dir)
{
	activate_super(dir->i_sb);
	return igrab(dir);
}

void path_put(struct inode *dir)
{
	struct super_block *sb;

	if (!dir)
		return;
	sb = dir->i_sb;
	iput(dir);
	deactivate_super(sb);
}

/* A mount of root's file system, holding root and one of its users. */
static struct mount *new_mount(const char *devname, const char *fstype, struct inode *root,
			       unsigned long flags)
{
	struct mount *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return NULL;
	strncpy(m->devname, devname, sizeof(m->devname) - 1);
	m->fstype = fstype;
	m->root = path_get(root);
	m->flags = flags & MS_KEPT;
	root->i_sb->s_flags = m->flags;
	return m;
}

/* The root file system's entry: /proc/mounts starts with it. */
void mnt_init(struct inode *root)
{
	struct mount *m = new_mount("rootfs", "rootfs", root, 0);

	BUG_ON(!m);
	list_add_tail(&m->list, &mounts);
}

/*
 * Make root -- a disk's file system the kernel mounted at boot (root=) --
 * the root of the namespace and init's cwd, in the place of the boot
 * ramfs, which stays beneath, unreachable, as Linux's rootfs.  Nothing
 * is mounted yet on the ramfs but /dev's nodes, which nothing uses once
 * the new root has its own.  The caller keeps its reference to root.
 */
int mnt_set_root(const char *devname, const char *fstype, struct inode *root,
		 unsigned long flags)
{
	struct mount *old = list_first_entry(&mounts, struct mount, list);
	struct mount *m = new_mount(devname, fstype, root, flags);

	if (!m)
		return -ENOMEM;
	list_add(&m->list, &mounts);            /* first: /proc/mounts starts with the root */
	list_del(&old->list);
	path_put(old->root);
	kfree(old);
	set_root_inode(igrab(root));
	path_put(init_task.fs->cwd);
	init_task.fs->cwd = path_get(root);
	return 0;
}

/* The directory a mounted file system's root covers, or NULL (not a mounted root). */
struct inode *mount_covered(struct inode *root)
{
	struct mount *m;

	list_for_each_entry(m, &mounts, list)
		if (m->root == root)
			return m->mountpoint;
	return NULL;
}

/* Cover directory dir with root (not a mount point already: no stacking). */
static int attach(struct mount *m, struct inode *dir)
{
	struct mount *other;

	if (!S_ISDIR(dir->i_mode))
		return -ENOTDIR;
	list_for_each_entry(other, &mounts, list)
		if (other->root == dir)
			return -EBUSY;
	dir->i_mount = igrab(m->root);
	m->root->i_parent = dir->i_parent;   /* ".." from the mounted root leaves the mount */
	m->mountpoint = path_get(dir);       /* the file system under it is busy */
	list_add_tail(&m->list, &mounts);
	return 0;
}

/* Take m out of the namespace at once; its file system lives while it has users. */
static void detach_mount(struct mount *m)
{
	list_del(&m->list);
	m->mountpoint->i_mount = NULL;
	iput(m->root);                       /* the mount point's */
	m->root->i_parent = NULL;            /* ".." at a lazily unmounted root stays there */
	path_put(m->mountpoint);
	path_put(m->root);
	kfree(m);
}

/* A mount on a directory of sb, or NULL. */
static struct mount *child_mount(const struct super_block *sb)
{
	struct mount *m;

	list_for_each_entry(m, &mounts, list)
		if (m->mountpoint && m->mountpoint->i_sb == sb)
			return m;
	return NULL;
}

/* m and, first, every mount inside it (MNT_DETACH: Linux's umount_tree). */
static void umount_tree(struct mount *m)
{
	struct mount *child;

	while ((child = child_mount(m->root->i_sb)))
		umount_tree(child);
	detach_mount(m);
}

/* Mount a file system the kernel made (/proc, /dev/shm) on path, for good. */
int vfs_mount(const char *path, const char *devname, const char *fstype, struct inode *root)
{
	int err;
	struct inode *dir = path_lookup(root_inode(), path, LOOKUP_FOLLOW, &err);
	struct mount *m;

	if (!dir)
		return err;
	m = new_mount(devname, fstype, root, 0);
	err = m ? attach(m, dir) : -ENOMEM;
	if (err && m) {
		path_put(m->root);
		kfree(m);
	}
	iput(dir);
	return err;
}

void iterate_mounts(void (*fn)(void *ctx, const char *devname, struct inode *mountpoint,
			       const char *fstype, unsigned long flags), void *ctx)
{
	struct mount *m;

	list_for_each_entry(m, &mounts, list)
		fn(ctx, m->devname, m->mountpoint ? m->mountpoint : m->root, m->fstype, m->flags);
}

/* A user string into buf (cut at size - 1); -EFAULT if it cannot be read. */
static int copy_mount_string(const char *ustr, char *buf, size_t size)
{
	long n = strncpy_from_user(buf, ustr, size);

	if (n < 0)
		return n;
	buf[size - 1] = '\0';
	return 0;
}

static struct inode *make_fs(const char *fstype, const char *devname, const char *data,
			     unsigned long flags, const char **name, int *err)
{
	if (!strcmp(fstype, "tmpfs")) {
		*name = "tmpfs";
		return tmpfs_mount(data, flags, err);
	}
	if (!strcmp(fstype, "ext2")) {
		*name = "ext2";
		return ext2_mount(devname, flags, err);
	}
	*err = -ENODEV;
	return NULL;
}

/* The mount whose root dir is (dir a mount point's mounted root), or NULL. */
static struct mount *lookup_mount(struct inode *dir)
{
	struct mount *m;

	list_for_each_entry(m, &mounts, list)
		if (m->root == dir)
			return m;
	return NULL;
}

static bool orphan_in(const struct inode *inode, const struct super_block *sb)
{
	return inode && inode->i_sb == sb && !inode->i_nlink;
}

/*
 * Is an unlinked file or removed directory of sb still in use -- open,
 * mapped or a cwd, the only ways one lives on?  Linux counts them
 * (s_remove_count) and will not remount read-only under them; anvil
 * looks, on that rare path.
 */
static bool sb_has_orphans(const struct super_block *sb)
{
	struct task_struct *t;

	list_for_each_entry(t, &task_list, tasks) {
		if (t->fs && orphan_in(t->fs->cwd, sb))
			return true;
		for (int fd = 0; t->files && fd < NR_OPEN_DEFAULT; fd++)
			if (t->files->fd[fd] && orphan_in(t->files->fd[fd]->f_inode, sb))
				return true;
		for (struct vm_area_struct *vma = t->mm ? t->mm->mmap : NULL; vma;
		     vma = vma->vm_next)
			if (vma->vm_file && orphan_in(vma->vm_file->f_inode, sb))
				return true;
	}
	return false;
}

/*
 * MS_REMOUNT: new flags (and, for tmpfs, new size= or nr_inodes=) for
 * the mount whose root dir is; with MS_BIND, the flags alone.  Not
 * read-only while a file is open for writing there, or an unlinked one
 * is still in use (EBUSY).  Atime flags not given are kept, as Linux.
 */
static int do_remount(struct inode *dir, unsigned long flags, const char *data)
{
	struct mount *m = lookup_mount(dir);
	struct super_block *sb = dir->i_sb;
	int err = 0;

	if (!m)
		return -EINVAL;                  /* not the root of a mount */
	if ((flags & MS_RDONLY) && !sb_rdonly(sb) && (sb->s_writers || sb_has_orphans(sb)))
		return -EBUSY;
	if (!(flags & MS_BIND) && sb->s_op && sb->s_op->remount_fs)
		err = sb->s_op->remount_fs(sb, flags, data);
	if (err)
		return err;
	if (!(flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)))
		flags = (flags & ~MS_ATIME) | (m->flags & MS_ATIME);
	m->flags = sb->s_flags = flags & MS_KEPT;
	return 0;
}

/* A new tmpfs or ext2 on dir: made with one user, which its mount takes over. */
static int do_new_mount(struct inode *dir, const char *fstype, const char *devname,
			unsigned long flags, const char *data)
{
	const char *name;
	struct super_block *sb;
	struct mount *m;
	int err;
	struct inode *root = make_fs(fstype, devname, data, flags, &name, &err);

	if (!root)
		return err;
	m = new_mount(devname, name, root, flags);
	err = m ? attach(m, dir) : -ENOMEM;
	if (m)
		m->user = true;
	if (err && m) {
		path_put(m->root);
		kfree(m);
	}
	sb = root->i_sb;
	iput(root);
	deactivate_super(sb);                    /* a failed mount's tmpfs goes here */
	return err;
}

/*
 * mount(2): a tmpfs, its options in data as Linux's "size=16m,mode=755",
 * or an ext2 disk (devname "/dev/hdc", read-only); or MS_REMOUNT.  Bind
 * and move are EINVAL.  The type is needed only for a new mount.
 */
long sys_mount(const char *udev, const char *udir, const char *utype, unsigned long flags,
	       const void *udata)
{
	char devname[MNT_NAME_MAX] = "none", fstype[MNT_NAME_MAX] = "";
	char *data = NULL;
	struct inode *dir;
	int err = 0;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (utype)
		err = copy_mount_string(utype, fstype, sizeof(fstype));
	if (!err && udev)
		err = copy_mount_string(udev, devname, sizeof(devname));
	if (err)
		return err;
	dir = user_path_at(AT_FDCWD, udir, LOOKUP_FOLLOW, &err);
	if (!dir)
		return err;
	if (!capable(CAP_SYS_ADMIN))            /* checked once the path is found, as Linux */
		err = -EPERM;
	else if (udata) {
		data = kmalloc(PAGE_SIZE, GFP_KERNEL);
		err = data ? copy_mount_string(udata, data, PAGE_SIZE) : -ENOMEM;
	}
	if (!err) {
		if (flags & MS_REMOUNT)
			err = do_remount(dir, flags, data);
		else if ((flags & UNSUPPORTED_MS) || !utype)
			err = -EINVAL;
		else
			err = do_new_mount(dir, fstype, devname, flags, data);
	}
	kfree(data);
	iput(dir);
	return err;
}

/*
 * umount2(2): take away a mount made by mount(2), and the tmpfs with all
 * its files -- at once, or with MNT_DETACH out of the namespace at once
 * and the tmpfs when its last open file or cwd goes.  EBUSY while it has
 * users besides its mount (open or mapped files, cwds, mounts inside);
 * MNT_EXPIRE asks twice (EAGAIN the first time) with nobody using it
 * between.  Not a mount point: EINVAL, as Linux.
 */
long sys_umount2(const char *upath, int flags)
{
	struct inode *inode;
	struct super_block *sb;
	struct mount *m;
	int err;

	if (flags & ~UMOUNT_FLAGS)
		return -EINVAL;
	inode = user_path_at(AT_FDCWD, upath, flags & UMOUNT_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &err);
	if (!inode)
		return err;
	if (!capable(CAP_SYS_ADMIN)) {
		iput(inode);
		return -EPERM;
	}
	m = lookup_mount(inode);
	iput(inode);
	if (!m)
		return -EINVAL;
	sb = m->root->i_sb;
	if (flags & MNT_EXPIRE) {
		if (!m->mountpoint || (flags & (MNT_FORCE | MNT_DETACH)))
			return -EINVAL;
		if (atomic_read(&sb->s_active) > 1)
			return -EBUSY;
		if (!sb->s_expiry_mark) {
			sb->s_expiry_mark = true;
			return -EAGAIN;
		}
	}
	if (!m->user)
		return -EBUSY;
	if (!(flags & MNT_DETACH) && atomic_read(&sb->s_active) > 1)
		return -EBUSY;
	umount_tree(m);
	return 0;
}

long sys_umount(const char *upath)
{
	return sys_umount2(upath, 0);
}
