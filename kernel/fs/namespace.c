/*
 * Mounts: the table of mounted file systems -- the root ramfs, /proc,
 * /dev/shm and any tmpfs or ramfs a program mounts -- which /proc/mounts
 * lists, and mount(2) and umount2(2).  A mount hangs a file system's root
 * on a directory (dir->i_mount), which path lookup (namei.c) steps into.
 * Not done: stacking mounts on one directory, bind, move and remount.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/mount.h>

#define MNT_NAME_MAX 64             /* a device name or type longer is cut */
#define UNSUPPORTED_MS (MS_REMOUNT | MS_BIND | MS_MOVE | MS_SHARED | MS_PRIVATE | MS_SLAVE | \
			MS_UNBINDABLE)
#define UMOUNT_FLAGS (MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)

struct mount {
	struct list_head list;
	char devname[MNT_NAME_MAX];
	const char *fstype;
	struct inode *mountpoint;       /* the directory covered; NULL for the root */
	struct inode *root;             /* holds a reference */
	unsigned long flags;            /* MS_* */
	bool user;                      /* made by mount(2): umount2 may take it away */
};

static LIST_HEAD(mounts);

static struct mount *new_mount(const char *devname, const char *fstype, struct inode *root,
			       unsigned long flags)
{
	struct mount *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return NULL;
	strncpy(m->devname, devname, sizeof(m->devname) - 1);
	m->fstype = fstype;
	m->root = root;
	m->flags = flags;
	return m;
}

/* The root file system's entry: /proc/mounts starts with it. */
void mnt_init(struct inode *root)
{
	struct mount *m = new_mount("rootfs", "rootfs", igrab(root), 0);

	BUG_ON(!m);
	list_add_tail(&m->list, &mounts);
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
	m->mountpoint = igrab(dir);
	list_add_tail(&m->list, &mounts);
	return 0;
}

/* Mount a file system the kernel made (/proc, /dev/shm) on path, for good. */
int vfs_mount(const char *path, const char *devname, const char *fstype, struct inode *root)
{
	int err;
	struct inode *dir = path_lookup(root_inode(), path, LOOKUP_FOLLOW, &err);
	struct mount *m;

	if (!dir)
		return err;
	m = new_mount(devname, fstype, igrab(root), 0);
	err = m ? attach(m, dir) : -ENOMEM;
	if (err && m) {
		iput(m->root);
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

static struct inode *make_fs(const char *fstype, const char *data, unsigned long flags,
			     const char **name, int *err)
{
	if (!strcmp(fstype, "tmpfs")) {
		*name = "tmpfs";
		return tmpfs_mount(data, flags, err);
	}
	*err = -ENODEV;
	return NULL;
}

/*
 * mount(2) for tmpfs (the one file system a program can make here):
 * options in data, as Linux's "size=16m,mode=755".  Flags are recorded
 * for statfs and /proc/mounts; remount, bind and move are EINVAL.
 */
long sys_mount(const char *udev, const char *udir, const char *utype, unsigned long flags,
	       const void *udata)
{
	char devname[MNT_NAME_MAX] = "none", fstype[MNT_NAME_MAX];
	char *data = NULL;
	const char *name;
	struct inode *dir, *root;
	struct mount *m;
	int err;

	if ((flags & MS_MGC_MSK) == MS_MGC_VAL)
		flags &= ~MS_MGC_MSK;
	if (flags & UNSUPPORTED_MS)
		return -EINVAL;
	if (!utype)
		return -EINVAL;
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
	root = err ? NULL : make_fs(fstype, data, flags, &name, &err);
	if (root) {
		m = new_mount(devname, name, root, flags);
		err = m ? attach(m, dir) : -ENOMEM;
		if (m)
			m->user = true;
		if (err) {
			struct super_block *sb = root->i_sb;

			kfree(m);
			iput(root);
			tmpfs_kill_sb(sb);
		}
	}
	kfree(data);
	iput(dir);
	return err;
}

static bool file_in(const struct file *f, const struct super_block *sb)
{
	return f && f->f_inode->i_sb == sb;
}

/* Does a task work in sb: a cwd, an open file or a mapped file there, or a mount on it? */
static bool sb_busy(const struct super_block *sb)
{
	struct task_struct *t;
	struct mount *m;

	list_for_each_entry(m, &mounts, list)
		if (m->mountpoint && m->mountpoint->i_sb == sb)
			return true;
	list_for_each_entry(t, &task_list, tasks) {
		if (t->cwd && t->cwd->i_sb == sb)
			return true;
		for (int fd = 0; t->files && fd < NR_OPEN_DEFAULT; fd++)
			if (file_in(t->files->fd[fd], sb))
				return true;
		for (struct vm_area_struct *vma = t->mm ? t->mm->mmap : NULL; vma; vma = vma->vm_next)
			if (file_in(vma->vm_file, sb))
				return true;
	}
	return false;
}

/*
 * umount2(2): take away a mount made by mount(2), and the tmpfs with all
 * its files.  EBUSY while anything is in use there -- MNT_DETACH too:
 * anvil does no lazy unmounting.  Not a mount point: EINVAL, as Linux.
 */
long sys_umount2(const char *upath, int flags)
{
	struct inode *inode;
	struct super_block *sb;
	struct mount *m, *found = NULL;
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
	list_for_each_entry(m, &mounts, list)
		if (m->root == inode)
			found = m;
	iput(inode);
	if (!found)
		return -EINVAL;
	sb = found->root->i_sb;
	if (!found->user || sb_busy(sb))
		return -EBUSY;
	list_del(&found->list);
	found->mountpoint->i_mount = NULL;
	iput(found->root);                   /* the mount point's */
	iput(found->mountpoint);
	ramfs_kill_tree(found->root);
	iput(found->root);
	kfree(found);
	tmpfs_kill_sb(sb);
	return 0;
}

long sys_umount(const char *upath)
{
	return sys_umount2(upath, 0);
}
