/*
 * stat64/lstat64/fstat64/fstatat64 and getdents64: an inode described in
 * Linux i386's structures (abi/stat.h, abi/misc.h).
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/misc.h>

#define ANVIL_DEV 0x00000001        /* st_dev of every anvil file */
#define STAT_BLKSIZE 4096
#define SECTORS_PER_PAGE (PAGE_SIZE / 512)

BUILD_BUG_ON(sizeof(struct stat64) != 96);   /* Linux i386's layout */

static int fill_stat(struct inode *inode, struct stat64 *ust)
{
	struct stat64 st;

	memset(&st, 0, sizeof(st));
	st.st_dev = ANVIL_DEV;
	st.__st_ino = inode->i_ino;
	st.st_ino = inode->i_ino;
	st.st_mode = inode->i_mode;
	st.st_nlink = inode->i_nlink;
	st.st_rdev = inode->i_rdev;
	st.st_size = S_ISREG(inode->i_mode) ? inode->i_size : 0;
	st.st_blksize = STAT_BLKSIZE;
	st.st_blocks = (unsigned long long)inode->i_mapping->nrpages * SECTORS_PER_PAGE;
	st.st_atime_sec = inode->i_atime;
	st.st_mtime_sec = inode->i_mtime;
	st.st_ctime_sec = inode->i_ctime;
	return copy_to_user(ust, &st, sizeof(st)) ? -EFAULT : 0;
}

long sys_fstatat64(int dirfd, const char *upath, struct stat64 *ust, int flags)
{
	int err;
	struct inode *inode;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (flags & AT_EMPTY_PATH) {
		char c;

		if (get_user(c, upath))
			return -EFAULT;
		if (!c)
			return sys_fstat64(dirfd, ust);
	}
	inode = user_path_at(dirfd, upath, &err);
	if (!inode)
		return err;
	err = fill_stat(inode, ust);
	iput(inode);
	return err;
}

long sys_stat64(const char *upath, struct stat64 *ust)
{
	return sys_fstatat64(AT_FDCWD, upath, ust, 0);
}

long sys_fstat64(unsigned int fd, struct stat64 *ust)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = fill_stat(f->f_inode, ust);
	fput(f);
	return err;
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
