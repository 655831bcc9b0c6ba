/*
 * stat64/lstat64/fstat64/fstatat64, statx and getdents64: an inode
 * described in Linux's structures (abi/stat.h, abi/misc.h).
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/blkdev.h>
#include <abi/errno.h>
#include <abi/misc.h>

#define ANVIL_DEV_MAJOR 0
#define ANVIL_DEV_MINOR 1
#define ANVIL_DEV MKDEV(ANVIL_DEV_MAJOR, ANVIL_DEV_MINOR)   /* st_dev of a file in memory */
#define STAT_BLKSIZE 4096
#define STATX_FLAGS (AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)

BUILD_BUG_ON(sizeof(struct stat64) != 96);   /* Linux i386's layout */
BUILD_BUG_ON(sizeof(struct statx) != 256);   /* Linux's, on every architecture */
BUILD_BUG_ON(offsetof(struct statx, stx_ino) != 32 || offsetof(struct statx, stx_atime) != 64 ||
	     offsetof(struct statx, stx_rdev_major) != 128);

/* What both stat64 and statx report, read from the inode once (Linux's struct kstat). */
struct kstat {
	dev_t dev;
	unsigned long ino;
	umode_t mode;
	unsigned int nlink;
	uid_t uid;
	gid_t gid;
	dev_t rdev;
	loff_t size;
	unsigned long long blocks;
	u32 atime, mtime, ctime;
};

static void generic_fillattr(struct inode *inode, struct kstat *st)
{
	/* a disk's files: its device and the sectors they use there */
	st->dev = inode->i_sb->s_bdev ? inode->i_sb->s_bdev->dev : ANVIL_DEV;
	st->ino = inode->i_ino;
	st->mode = inode->i_mode;
	st->nlink = inode->i_nlink;
	st->uid = inode->i_uid;
	st->gid = inode->i_gid;
	st->rdev = inode->i_rdev;
	/* a link's size is its target's length; devices, pipes, directories have none */
	st->size = S_ISREG(inode->i_mode) || S_ISLNK(inode->i_mode) ? inode->i_size : 0;
	st->blocks = inode->i_sb->s_bdev ? inode->i_blocks :
		     (unsigned long long)inode->i_mapping->nrpages * SECTORS_PER_PAGE;
	st->atime = inode->i_atime;
	st->mtime = inode->i_mtime;
	st->ctime = inode->i_ctime;
}

/*
 * The inode a stat call names: dirfd and path as every *at() call takes
 * them, AT_EMPTY_PATH with "" for dirfd itself, the last symbolic link
 * followed unless AT_SYMLINK_NOFOLLOW.  With a reference, or NULL.
 */
static struct inode *stat_inode(int dirfd, const char *upath, int flags, int *err)
{
	return user_path_at(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
				  (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0), err);
}

/* kstat of what dirfd/upath/flags name, or -errno. */
static int vfs_statat(int dirfd, const char *upath, int flags, struct kstat *st)
{
	int err;
	struct inode *inode = stat_inode(dirfd, upath, flags, &err);

	if (!inode)
		return err;
	generic_fillattr(inode, st);
	iput(inode);
	return 0;
}

static int cp_new_stat64(const struct kstat *st, struct stat64 *ust)
{
	struct stat64 tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.st_dev = st->dev;
	tmp.__st_ino = st->ino;
	tmp.st_ino = st->ino;
	tmp.st_mode = st->mode;
	tmp.st_nlink = st->nlink;
	tmp.st_uid = st->uid;
	tmp.st_gid = st->gid;
	tmp.st_rdev = st->rdev;
	tmp.st_size = st->size;
	tmp.st_blksize = STAT_BLKSIZE;
	tmp.st_blocks = st->blocks;
	tmp.st_atime_sec = st->atime;
	tmp.st_mtime_sec = st->mtime;
	tmp.st_ctime_sec = st->ctime;
	return copy_to_user(ust, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

long sys_fstatat64(int dirfd, const char *upath, struct stat64 *ust, int flags)
{
	struct kstat st;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	err = vfs_statat(dirfd, upath, flags, &st);
	return err ? err : cp_new_stat64(&st, ust);
}

long sys_stat64(const char *upath, struct stat64 *ust)
{
	return sys_fstatat64(AT_FDCWD, upath, ust, 0);
}

long sys_lstat64(const char *upath, struct stat64 *ust)
{
	return sys_fstatat64(AT_FDCWD, upath, ust, AT_SYMLINK_NOFOLLOW);
}

long sys_fstat64(unsigned int fd, struct stat64 *ust)
{
	struct file *f = fget_raw(fd);
	struct kstat st;

	if (!f)
		return -EBADF;
	generic_fillattr(f->f_inode, &st);
	fput(f);
	return cp_new_stat64(&st, ust);
}

static int cp_statx(const struct kstat *st, struct statx *ubuf)
{
	struct statx tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.stx_mask = STATX_BASIC_STATS;       /* ramfs knows all of them, whatever was asked */
	tmp.stx_blksize = STAT_BLKSIZE;
	tmp.stx_nlink = st->nlink;
	tmp.stx_mode = st->mode;
	tmp.stx_uid = st->uid;
	tmp.stx_gid = st->gid;
	tmp.stx_ino = st->ino;
	tmp.stx_size = st->size;
	tmp.stx_blocks = st->blocks;
	tmp.stx_atime.tv_sec = st->atime;
	tmp.stx_mtime.tv_sec = st->mtime;
	tmp.stx_ctime.tv_sec = st->ctime;
	tmp.stx_rdev_major = MAJOR(st->rdev);
	tmp.stx_rdev_minor = MINOR(st->rdev);
	tmp.stx_dev_major = MAJOR(st->dev);
	tmp.stx_dev_minor = MINOR(st->dev);
	return copy_to_user(ubuf, &tmp, sizeof(tmp)) ? -EFAULT : 0;
}

/* statx(2), with Linux's checks on flags and mask (fs/stat.c). */
long sys_statx(int dirfd, const char *upath, int flags, unsigned int mask, struct statx *ubuf)
{
	struct kstat st;
	int err;

	if (flags & ~STATX_FLAGS)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (mask & STATX__RESERVED)
		return -EINVAL;
	err = vfs_statat(dirfd, upath, flags, &st);
	return err ? err : cp_statx(&st, ubuf);
}

/* getdents64 fills a kernel buffer through filldir, then copies it out. */
struct dirent_buf {
	char *buf;
	size_t size, used;
	bool full;        /* an entry did not fit */
};

static bool filldir64(void *ctx, const char *name, size_t len, loff_t next_pos,
		      unsigned long ino, unsigned int type)
{
	struct dirent_buf *db = ctx;
	size_t reclen = ALIGN_UP(offsetof(struct linux_dirent64, d_name) + len + 1, 8);
	struct linux_dirent64 *d;

	if (db->used + reclen > db->size) {
		db->full = true;
		return false;
	}
	d = (struct linux_dirent64 *)(db->buf + db->used);
	memset(d, 0, reclen);
	d->d_ino = ino;
	d->d_off = next_pos;
	d->d_reclen = reclen;
	d->d_type = type;
	memcpy(d->d_name, name, len);
	db->used += reclen;
	return true;
}

long sys_getdents64(unsigned int fd, void *dirent, unsigned int count)
{
	struct file *f = fget(fd);
	struct dirent_buf db;
	loff_t start;
	long ret;

	if (!f)
		return -EBADF;
	if (!f->f_op->readdir) {
		fput(f);
		return -ENOTDIR;
	}
	db.size = min(count, (unsigned int)PAGE_SIZE * 4);
	db.used = 0;
	db.full = false;
	db.buf = kmalloc(db.size ? db.size : 1, GFP_KERNEL);
	if (!db.buf) {
		fput(f);
		return -ENOMEM;
	}
	start = f->f_pos;
	ret = f->f_op->readdir(f, &db, filldir64);
	if (!ret) {
		if (!db.used && db.full) {
			ret = -EINVAL;           /* not even one record fits */
		} else if (copy_to_user(dirent, db.buf, db.used)) {
			f->f_pos = start;        /* the entries were not delivered: not used up */
			ret = -EFAULT;
		} else
			ret = db.used;
	}
	kfree(db.buf);
	fput(f);
	return ret;
}
