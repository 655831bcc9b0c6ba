/*
 * Opening, creating and removing names: open/openat/creat, mkdir, rmdir,
 * unlink, rename, link, chdir/getcwd, truncate, access, umask, chmod,
 * chown (symbolic links are in symlink.c).  Every path argument is a user
 * pointer; all the checks happen here, before the file system's
 * operation is called.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>

/* flags that matter only while opening */
#define OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)
#define CHOWN_UNCHANGED ((unsigned int)-1)   /* chown's "leave this id alone" */

static int truncate_inode(struct inode *inode, loff_t size)
{
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) || !inode->i_op || !inode->i_op->truncate)
		return -EINVAL;
	return inode->i_op->truncate(inode, size);
}

/*
 * Find or create path's inode for open(); returns it with a reference.
 * A symbolic link in the last component is followed unless O_NOFOLLOW
 * (then opening it is -ELOOP) or O_CREAT|O_EXCL (it exists: -EEXIST).
 * O_CREAT through a dangling link creates what the link names, as
 * Linux does: its target, walked from the link's directory (links
 * counts the links gone through: a chain stops at MAX_NESTED_LINKS, as
 * a chain being followed does).
 */
static struct inode *open_namei(struct inode *base, const char *path, unsigned int flags,
				umode_t mode, unsigned int links, int *err)
{
	bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL);
	struct inode *inode = path_lookup(base, path, excl || (flags & O_NOFOLLOW) ? 0 :
					  LOOKUP_FOLLOW, err), *dir, *link;
	const char *last;
	size_t len;

	if (inode) {
		*err = excl ? -EEXIST : S_ISLNK(inode->i_mode) ? -ELOOP : 0;
		if (*err) {
			iput(inode);
			return NULL;
		}
		return inode;
	}
	if (*err != -ENOENT || !(flags & O_CREAT))
		return NULL;
	dir = path_parent(base, path, &last, &len, err);
	if (!dir)
		return NULL;
	link = excl ? NULL : path_lookup(base, path, 0, err);
	if (link && S_ISLNK(link->i_mode)) {             /* a dangling link */
		if (links < MAX_NESTED_LINKS)
			inode = open_namei(dir, link->i_link, flags, mode, links + 1, err);
		else
			*err = -ELOOP;
	} else if (path[strlen(path) - 1] == '/') {
		*err = -EISDIR;
	} else {
		*err = vfs_create(dir, last, len, S_IFREG | (mode & 07777 & ~current->umask), 0,
				  &inode);
	}
	iput(link);
	iput(dir);
	return inode;
}

/* O_PATH files: no operation works through them (fget refuses them). */
static const struct file_operations path_fops;

/*
 * open(O_PATH): a descriptor naming path without opening it -- no access
 * mode, no open operation (a FIFO does not wait), only O_DIRECTORY and
 * O_NOFOLLOW (which names the link itself) count, as Linux's O_PATH_FLAGS.
 */
static struct file *open_path(struct inode *base, const char *path, unsigned int flags,
			      int *err)
{
	struct inode *inode = path_lookup(base, path, flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW, err);
	struct file *f;

	if (!inode)
		return NULL;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode)) {
		*err = -ENOTDIR;
		iput(inode);
		return NULL;
	}
	f = alloc_file(inode, flags & (O_PATH | O_DIRECTORY | O_NOFOLLOW), &path_fops);
	iput(inode);
	*err = f ? 0 : -ENOMEM;
	return f;
}

static struct file *do_open(struct inode *base, const char *path, unsigned int flags,
			    umode_t mode, int *err)
{
	unsigned int acc = flags & O_ACCMODE;
	struct inode *inode;
	struct file *f;

	if (flags & O_PATH)
		return open_path(base, path, flags, err);
	if (acc == O_ACCMODE) {
		*err = -EINVAL;
		return NULL;
	}
	inode = open_namei(base, path, flags, mode, 0, err);
	if (!inode)
		return NULL;
	*err = 0;
	if (S_ISDIR(inode->i_mode) && acc != O_RDONLY)
		*err = -EISDIR;
	else if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		*err = -ENOTDIR;
	else if (!inode->i_fop)
		*err = -ENXIO;            /* a device node with no driver */
	else if (flags & O_DIRECT)
		*err = -EINVAL;           /* no anvil file does direct I/O */
	else if ((flags & O_TRUNC) && S_ISREG(inode->i_mode))   /* even O_RDONLY, as Linux */
		*err = truncate_inode(inode, 0);
	if (*err) {
		iput(inode);
		return NULL;
	}
	f = alloc_file(inode, flags & ~OPEN_ONLY_FLAGS, inode->i_fop);
	iput(inode);
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	if (f->f_op->open) {
		*err = f->f_op->open(f->f_inode, f);
		if (*err) {
			f->f_op = NULL;       /* never opened: no release, as in Linux */
			fput(f);
			return NULL;
		}
	}
	return f;
}

/* open() for the kernel's own use (exec, init's console), relative to the cwd. */
struct file *file_open_path(const char *path, unsigned int flags, umode_t mode, int *err)
{
	struct inode *base = current->cwd ? current->cwd : root_inode();

	return do_open(base, path, flags, mode, err);
}

long sys_openat(int dirfd, const char *upath, unsigned int flags, umode_t mode)
{
	char *kpath = kmalloc(PATH_MAX, GFP_KERNEL);
	struct inode *base = NULL;
	struct file *f = NULL;
	int err = 0;
	long n;

	if (!kpath)
		return -ENOMEM;
	n = strncpy_from_user(kpath, upath, PATH_MAX);
	if (n < 0) {
		err = n;
		goto out;
	}
	if (kpath[0] == '/' || dirfd == AT_FDCWD) {
		base = igrab(current->cwd);
	} else {
		struct file *d = fget_raw(dirfd);

		if (!d) {
			err = -EBADF;
			goto out;
		}
		base = igrab(d->f_inode);
		fput(d);
		if (!S_ISDIR(base->i_mode)) {
			err = -ENOTDIR;
			goto out;
		}
	}
	f = do_open(base, kpath, flags, mode, &err);
	if (f) {
		err = fd_install_new(f, 0, flags & O_CLOEXEC);
		if (err < 0)
			fput(f);
	}
out:
	iput(base);
	kfree(kpath);
	return err;
}

long sys_open(const char *upath, unsigned int flags, umode_t mode)
{
	return sys_openat(AT_FDCWD, upath, flags, mode);
}

long sys_creat(const char *upath, umode_t mode)
{
	return sys_openat(AT_FDCWD, upath, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

long sys_mkdirat(int dirfd, const char *upath, umode_t mode)
{
	char *kpath;
	const char *last;
	size_t len;
	int err;
	struct inode *dir = user_path_parent_at(dirfd, upath, &kpath, &last, &len, &err), *inode;

	if (!dir)
		return err;
	err = vfs_create(dir, last, len, S_IFDIR | (mode & 07777 & ~current->umask), 0, &inode);
	iput(inode);
	iput(dir);
	kfree(kpath);
	return err;
}

/* The file types mknod makes: not directories (EPERM), nothing unknown (EINVAL). */
static int may_mknod(umode_t mode)
{
	switch (mode & S_IFMT) {
	case 0:
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 0;
	case S_IFDIR:
		return -EPERM;
	default:
		return -EINVAL;
	}
}

/*
 * mknod: a regular file (type 0 too), a device node or a FIFO.  dev is
 * Linux's 32-bit device encoding, which anvil's dev_t is for majors and
 * minors below 256; sockets get a node that cannot be opened (ENXIO).
 */
long sys_mknodat(int dirfd, const char *upath, umode_t mode, unsigned int dev)
{
	char *kpath;
	const char *last;
	size_t len;
	int err = may_mknod(mode);
	struct inode *dir, *inode = NULL;

	if (err)
		return err;
	dir = user_path_parent_at(dirfd, upath, &kpath, &last, &len, &err);
	if (!dir)
		return err;
	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	err = vfs_create(dir, last, len, (mode & S_IFMT) | (mode & 07777 & ~current->umask),
			 S_ISCHR(mode) || S_ISBLK(mode) ? dev : 0, &inode);
	iput(inode);
	iput(dir);
	kfree(kpath);
	return err;
}

long sys_mknod(const char *upath, umode_t mode, unsigned int dev)
{
	return sys_mknodat(AT_FDCWD, upath, mode, dev);
}

/* Is mode one operation that Linux knows, with KEEP_SIZE where it is allowed? */
static bool falloc_mode_known(int mode)
{
	switch (mode & ~FALLOC_FL_KEEP_SIZE) {
	case 0:                                   /* allocate */
	case FALLOC_FL_UNSHARE_RANGE:
	case FALLOC_FL_ZERO_RANGE:
		return true;
	case FALLOC_FL_PUNCH_HOLE:
		return mode & FALLOC_FL_KEEP_SIZE;
	case FALLOC_FL_COLLAPSE_RANGE:
	case FALLOC_FL_INSERT_RANGE:
		return !(mode & FALLOC_FL_KEEP_SIZE);
	default:
		return false;
	}
}

/* fallocate's checks in Linux's vfs_fallocate order (6.x), then the file system's own. */
static long vfs_fallocate(struct file *f, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = f->f_inode;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	if (!falloc_mode_known(mode))
		return -EOPNOTSUPP;
	if (!file_writable(f))
		return -EBADF;
	if (S_ISFIFO(inode->i_mode))
		return -ESPIPE;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode))
		return -ENODEV;
	if (offset > MAX_LFS_FILESIZE || len > MAX_LFS_FILESIZE - offset)
		return -EFBIG;
	if (!f->f_op->fallocate)
		return -EOPNOTSUPP;
	return f->f_op->fallocate(f, mode, offset, len);
}

/* i386 passes each 64-bit argument in two registers, low word first. */
long sys_fallocate(int fd, int mode, u32 offset_lo, u32 offset_hi, u32 len_lo, u32 len_hi)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = vfs_fallocate(f, mode, ((loff_t)offset_hi << 32) | offset_lo,
			    ((loff_t)len_hi << 32) | len_lo);
	fput(f);
	return err;
}

long sys_mkdir(const char *upath, umode_t mode)
{
	return sys_mkdirat(AT_FDCWD, upath, mode);
}

/* unlink(2) or rmdir(2) of the last component of upath. */
static long do_remove(int dirfd, const char *upath, bool dir_wanted)
{
	char *kpath;
	const char *last;
	size_t len;
	int err;
	struct inode *dir = user_path_parent_at(dirfd, upath, &kpath, &last, &len, &err);

	if (!dir)
		return err;
	if (dir_wanted && len == 1 && last[0] == '.')
		err = -EINVAL;
	else if (dir_wanted && len == 2 && !memcmp(last, "..", 2))
		err = -ENOTEMPTY;
	else if (!last_is_norm(last, len))
		err = dir_wanted ? -EBUSY : -EISDIR;            /* "/"; unlink of "." or ".." */
	else if (!dir->i_op || !dir->i_op->unlink)
		err = -EPERM;
	else if (dir_wanted)
		err = dir->i_op->rmdir(dir, last, len);
	else
		err = dir->i_op->unlink(dir, last, len);
	iput(dir);
	kfree(kpath);
	return err;
}

long sys_unlink(const char *upath)
{
	return do_remove(AT_FDCWD, upath, false);
}

long sys_rmdir(const char *upath)
{
	return do_remove(AT_FDCWD, upath, true);
}

long sys_unlinkat(int dirfd, const char *upath, int flags)
{
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	return do_remove(dirfd, upath, flags & AT_REMOVEDIR);
}

long sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew)
{
	char *kold, *knew;
	const char *old_last, *new_last;
	size_t old_len, new_len;
	int err;
	struct inode *old_dir, *new_dir;

	old_dir = user_path_parent_at(olddirfd, uold, &kold, &old_last, &old_len, &err);
	if (!old_dir)
		return err;
	new_dir = user_path_parent_at(newdirfd, unew, &knew, &new_last, &new_len, &err);
	if (!new_dir)
		goto out_old;
	if (!last_is_norm(old_last, old_len) || !last_is_norm(new_last, new_len))
		err = -EBUSY;
	else if (!old_dir->i_op || !old_dir->i_op->rename || old_dir->i_sb != new_dir->i_sb)
		err = -EXDEV;
	else
		err = old_dir->i_op->rename(old_dir, old_last, old_len, new_dir, new_last, new_len);
	iput(new_dir);
	kfree(knew);
out_old:
	iput(old_dir);
	kfree(kold);
	return err;
}

long sys_rename(const char *uold, const char *unew)
{
	return sys_renameat(AT_FDCWD, uold, AT_FDCWD, unew);
}

/* linkat(2): a link to a symbolic link names the link itself, unless AT_SYMLINK_FOLLOW. */
long sys_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew, int flags)
{
	char *knew;
	const char *last;
	size_t len;
	int err;
	struct inode *inode, *dir;

	if (flags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	inode = user_path_at(olddirfd, uold, flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0, &err);
	if (!inode)
		return err;
	dir = user_path_parent_at(newdirfd, unew, &knew, &last, &len, &err);
	if (!dir)
		goto out;
	if (inode->i_sb != dir->i_sb)
		err = -EXDEV;
	else if (!last_is_norm(last, len))
		err = -EEXIST;                   /* "/", "." or ".." */
	else if (!dir->i_op || !dir->i_op->link)
		err = S_ISDIR(inode->i_mode) ? -EPERM : -EXDEV;
	else
		err = dir->i_op->link(inode, dir, last, len);
	iput(dir);
	kfree(knew);
out:
	iput(inode);
	return err;
}

long sys_link(const char *uold, const char *unew)
{
	return sys_linkat(AT_FDCWD, uold, AT_FDCWD, unew, 0);
}

static long set_cwd(struct inode *inode)
{
	if (!S_ISDIR(inode->i_mode)) {
		iput(inode);
		return -ENOTDIR;
	}
	iput(current->cwd);
	current->cwd = inode;
	return 0;
}

long sys_chdir(const char *upath)
{
	int err;
	struct inode *inode = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &err);

	return inode ? set_cwd(inode) : err;
}

long sys_fchdir(unsigned int fd)
{
	struct file *f = fget_raw(fd);
	long err;

	if (!f)
		return -EBADF;
	err = set_cwd(igrab(f->f_inode));
	fput(f);
	return err;
}

long sys_getcwd(char *ubuf, unsigned long size)
{
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	int len;
	long ret;

	if (!buf)
		return -ENOMEM;
	len = inode_path(current->cwd, buf, PATH_MAX);
	if (len < 0)
		ret = len;
	else if ((unsigned long)len + 1 > size)
		ret = -ERANGE;
	else
		ret = copy_to_user(ubuf, buf, len + 1) ? -EFAULT : len + 1;
	kfree(buf);
	return ret;
}

long sys_truncate64(const char *upath, loff_t size)
{
	int err;
	struct inode *inode = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &err);

	if (!inode)
		return err;
	err = size < 0 ? -EINVAL : truncate_inode(inode, size);
	iput(inode);
	return err;
}

long sys_ftruncate64(unsigned int fd, loff_t size)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	if (!file_writable(f))
		err = -EINVAL;
	else
		err = size < 0 ? -EINVAL : truncate_inode(f->f_inode, size);
	fput(f);
	return err;
}

/* i386 passes the 64-bit length in two registers */
long sys_truncate64_split(const char *upath, unsigned long lo, unsigned long hi)
{
	return sys_truncate64(upath, ((loff_t)hi << 32) | lo);
}

long sys_ftruncate64_split(unsigned int fd, unsigned long lo, unsigned long hi)
{
	return sys_ftruncate64(fd, ((loff_t)hi << 32) | lo);
}

long sys_truncate(const char *upath, long size)
{
	return sys_truncate64(upath, size);
}

long sys_ftruncate(unsigned int fd, long size)
{
	return sys_ftruncate64(fd, size);
}

/* Everyone is root on anvil: access() checks existence and, for X_OK, an execute bit. */
long sys_faccessat(int dirfd, const char *upath, int mode)
{
	int err;
	struct inode *inode;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	inode = user_path_at(dirfd, upath, LOOKUP_FOLLOW, &err);
	if (!inode)
		return err;
	err = ((mode & X_OK) && !S_ISDIR(inode->i_mode) && !(inode->i_mode & 0111)) ? -EACCES : 0;
	iput(inode);
	return err;
}

long sys_access(const char *upath, int mode)
{
	return sys_faccessat(AT_FDCWD, upath, mode);
}

long sys_umask(int mask)
{
	umode_t old = current->umask;

	current->umask = mask & 0777;
	return old;
}

static long chmod_inode(struct inode *inode, umode_t mode)
{
	inode->i_mode = (inode->i_mode & S_IFMT) | (mode & 07777);
	inode->i_ctime = current_time_sec();
	return 0;
}

long sys_chmod(const char *upath, umode_t mode)
{
	int err;
	struct inode *inode = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &err);

	if (!inode)
		return err;
	err = chmod_inode(inode, mode);
	iput(inode);
	return err;
}

long sys_fchmod(unsigned int fd, umode_t mode)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = chmod_inode(f->f_inode, mode);
	fput(f);
	return err;
}

/*
 * chown: anvil has one user, root (uid and gid 0), and inodes keep no
 * owner.  An id of 0, or -1 for "unchanged", succeeds (touching ctime);
 * any other is -EINVAL, Linux's answer for an id that maps to no user.
 */
static long chown_inode(struct inode *inode, unsigned int uid, unsigned int gid)
{
	if ((uid && uid != CHOWN_UNCHANGED) || (gid && gid != CHOWN_UNCHANGED))
		return -EINVAL;
	inode->i_ctime = current_time_sec();
	return 0;
}

long sys_fchownat(int dirfd, const char *upath, unsigned int uid, unsigned int gid, int flags)
{
	int err;
	struct inode *inode;

	if (flags & ~AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	inode = user_path_at(dirfd, upath, flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW, &err);
	if (!inode)
		return err;
	err = chown_inode(inode, uid, gid);
	iput(inode);
	return err;
}

long sys_chown32(const char *upath, unsigned int uid, unsigned int gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long sys_lchown32(const char *upath, unsigned int uid, unsigned int gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown32(unsigned int fd, unsigned int uid, unsigned int gid)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = chown_inode(f->f_inode, uid, gid);
	fput(f);
	return err;
}

/* Everything is in memory: syncing is checking the descriptor. */
long sys_fsync(unsigned int fd)
{
	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

long sys_sync(void)
{
	return 0;
}
