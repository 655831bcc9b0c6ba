/*
 * Opening, creating and removing names: open/openat/creat, mkdir, rmdir,
 * unlink, rename, link, chdir/getcwd, truncate, access, umask, chmod,
 * chown (symbolic links are in symlink.c).  Every path argument is a user
 * pointer; all the checks happen here and in namei.c's permission
 * helpers, before the file system's operation is called.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/fs_struct.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>

/* flags that matter only while opening */
#define OPEN_ONLY_FLAGS (O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)

static int truncate_inode(struct inode *inode, loff_t size)
{
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode) || !inode->i_op || !inode->i_op->truncate)
		return -EINVAL;
	file_remove_privs(inode);
	return inode->i_op->truncate(inode, size);
}

/*
 * Find or create path's inode for open(); returns it with a reference.
 * A symbolic link in the last component is followed unless O_NOFOLLOW
 * (then opening it is -ELOOP) or O_CREAT|O_EXCL (it exists: -EEXIST).
 * O_CREAT through a dangling link creates what the link names, as
 * Linux does: its target, walked from the link's directory (links
 * counts the links gone through: a chain stops at MAX_NESTED_LINKS, as
 * a chain being followed does).  *created says whether it did.
 */
static struct inode *open_namei(struct inode *base, const char *path, unsigned int flags,
				umode_t mode, unsigned int links, bool *created, int *err)
{
	bool excl = (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL), retried = false;
	struct inode *inode, *dir, *link;
	const char *last;
	size_t len;

again:
	inode = path_lookup(base, path, excl || (flags & O_NOFOLLOW) ? 0 : LOOKUP_FOLLOW, err);
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
			inode = open_namei(dir, link->i_link, flags, mode, links + 1, created, err);
		else
			*err = -ELOOP;
	} else if (path[strlen(path) - 1] == '/') {
		*err = -EISDIR;
	} else {
		*err = vfs_create(dir, last, len, S_IFREG | (mode & 07777 & ~current->fs->umask), 0,
				  &inode);
		*created = !*err;
	}
	iput(link);
	iput(dir);
	if (*err == -EEXIST && !excl && !retried) {
		retried = true;                  /* made meanwhile (ext2 slept): open that one */
		goto again;
	}
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

/* The permission an open asks for: its access mode's, and write for O_TRUNC (even O_RDONLY). */
static int open_acc_mode(unsigned int flags)
{
	static const int acc[] = { [O_RDONLY] = MAY_READ, [O_WRONLY] = MAY_WRITE,
				   [O_RDWR] = MAY_READ | MAY_WRITE };

	return acc[flags & O_ACCMODE] | (flags & O_TRUNC ? MAY_WRITE : 0);
}

/*
 * What the file's type allows an open asking for acc_mode, then the
 * permission itself (Linux's may_open): no writing a directory, no
 * executing anything but a regular file, nor one on a noexec mount.
 */
static int may_open(struct inode *inode, int acc_mode)
{
	if (S_ISDIR(inode->i_mode) && (acc_mode & MAY_WRITE))
		return -EISDIR;
	if ((!S_ISREG(inode->i_mode) || path_noexec(inode)) && (acc_mode & MAY_EXEC))
		return -EACCES;
	return inode_permission(inode, acc_mode);
}

/* What may refuse an open once the file is found or made, in Linux's order. */
static int open_checks(struct inode *inode, unsigned int flags, int acc_mode, bool created)
{
	int err;

	if ((flags & O_CREAT) && S_ISDIR(inode->i_mode))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	if (!created) {           /* a file just made is not checked: open(O_CREAT, 0444) writes */
		err = may_open(inode, acc_mode);
		if (err)
			return err;
	}
	if (!inode->i_fop)
		return -ENXIO;            /* a device node with no driver */
	if (flags & O_DIRECT)
		return -EINVAL;           /* no anvil file does direct I/O */
	if ((flags & O_TRUNC) && S_ISREG(inode->i_mode) && !created)   /* even O_RDONLY */
		return truncate_inode(inode, 0);
	return 0;
}

/* open: acc_mode is the permission to check (open_acc_mode, or exec's MAY_EXEC). */
static struct file *do_open(struct inode *base, const char *path, unsigned int flags,
			    umode_t mode, int acc_mode, int *err)
{
	struct inode *inode;
	struct file *f;
	bool created = false;

	if (flags & O_PATH)
		return open_path(base, path, flags, err);
	if ((flags & O_ACCMODE) == O_ACCMODE) {
		*err = -EINVAL;
		return NULL;
	}
	inode = open_namei(base, path, flags, mode, 0, &created, err);
	if (!inode)
		return NULL;
	*err = open_checks(inode, flags, acc_mode, created);
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
	if (file_writable(f) && !special_file(f->f_inode->i_mode)) {
		*err = mnt_want_write(f->f_inode);   /* held till the last close (FMODE_WRITER) */
		if (*err) {
			f->f_op = NULL;
			fput(f);
			return NULL;
		}
		f->f_mode |= FMODE_WRITER;
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

static struct inode *kernel_cwd(void)
{
	return current->fs->cwd ? current->fs->cwd : root_inode();
}

/* open() for the kernel's own use (init's console), relative to the cwd. */
struct file *file_open_path(const char *path, unsigned int flags, umode_t mode, int *err)
{
	return do_open(kernel_cwd(), path, flags, mode, open_acc_mode(flags), err);
}

/* exec's open: a regular file the caller may execute, if not read (Linux's do_open_execat). */
struct file *file_open_exec(const char *path, int *err)
{
	return do_open(kernel_cwd(), path, O_RDONLY, 0, MAY_EXEC, err);
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
		base = igrab(current->fs->cwd);
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
	f = do_open(base, kpath, flags, mode, open_acc_mode(flags), &err);
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
	err = vfs_create(dir, last, len, S_IFDIR | (mode & 07777 & ~current->fs->umask), 0, &inode);
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
	err = vfs_create(dir, last, len, (mode & S_IFMT) | (mode & 07777 & ~current->fs->umask),
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
#define FALLOC_FL_SUPPORTED_MASK (FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE | \
	FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_ZERO_RANGE | FALLOC_FL_INSERT_RANGE | \
	FALLOC_FL_UNSHARE_RANGE)

/*
 * fallocate's mode checks in Linux 6.1's order: unknown bits and pairs no file system
 * can do are EOPNOTSUPP; collapse and insert mixed with anything, or unshare with
 * anything but KEEP_SIZE, are EINVAL.
 */
static long falloc_mode_check(int mode)
{
	if (mode & ~FALLOC_FL_SUPPORTED_MASK)
		return -EOPNOTSUPP;
	if ((mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)) ==
	    (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_PUNCH_HOLE) && !(mode & FALLOC_FL_KEEP_SIZE))
		return -EOPNOTSUPP;
	if ((mode & FALLOC_FL_COLLAPSE_RANGE) && (mode & ~FALLOC_FL_COLLAPSE_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_INSERT_RANGE) && (mode & ~FALLOC_FL_INSERT_RANGE))
		return -EINVAL;
	if ((mode & FALLOC_FL_UNSHARE_RANGE) &&
	    (mode & ~(FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE)))
		return -EINVAL;
	return 0;
}

/* fallocate's checks in Linux 6.1's vfs_fallocate order, then the file system's own. */
static long vfs_fallocate(struct file *f, int mode, loff_t offset, loff_t len)
{
	struct inode *inode = f->f_inode;
	long err;

	if (offset < 0 || len <= 0)
		return -EINVAL;
	err = falloc_mode_check(mode);
	if (err)
		return err;
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
	else
		err = mnt_want_write(dir);              /* EROFS before ENOENT, as Linux */
	if (!err) {
		err = vfs_remove(dir, last, len, dir_wanted);
		mnt_drop_write(dir);
	}
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
		err = mnt_want_write(old_dir);          /* EROFS before ENOENT, as Linux */
	if (!err) {
		err = vfs_rename(old_dir, old_last, old_len, new_dir, new_last, new_len);
		mnt_drop_write(old_dir);
	}
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
	if (!last_is_norm(last, len))
		err = -EEXIST;                   /* "/", "." or ".." */
	else
		err = vfs_link(inode, dir, last, len);
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

/* chdir/fchdir: a directory the caller may search. */
static long set_cwd(struct inode *inode)
{
	int err = S_ISDIR(inode->i_mode) ? inode_permission(inode, MAY_EXEC) : -ENOTDIR;

	if (err) {
		iput(inode);
		return err;
	}
	path_put(current->fs->cwd);
	current->fs->cwd = path_get(inode);
	iput(inode);
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
	len = inode_path(current->fs->cwd, buf, PATH_MAX);
	if (len < 0)
		ret = len;
	else if ((unsigned long)len + 1 > size)
		ret = -ERANGE;
	else
		ret = copy_to_user(ubuf, buf, len + 1) ? -EFAULT : len + 1;
	kfree(buf);
	return ret;
}

/*
 * truncate(2) by name needs a writable mount (checked after the type, as
 * Linux's vfs_truncate) and write permission; through a descriptor, a
 * writable one.
 */
long sys_truncate64(const char *upath, loff_t size)
{
	int err;
	struct inode *inode = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &err);

	if (!inode)
		return err;
	if (size < 0)
		err = -EINVAL;
	else if (S_ISDIR(inode->i_mode))
		err = -EISDIR;
	else if (!S_ISREG(inode->i_mode))
		err = -EINVAL;
	else
		err = mnt_want_write(inode);
	if (!err) {
		err = inode_permission(inode, MAY_WRITE);
		if (!err)
			err = truncate_inode(inode, size);
		mnt_drop_write(inode);
	}
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

/*
 * access/faccessat/faccessat2: may the caller read, write or execute
 * (R_OK, W_OK, X_OK; F_OK: does it exist) the file -- checked, path walk
 * included, with its real ids in place of the fs ids, as a set-user-ID
 * program asks on behalf of the user who ran it; AT_EACCESS keeps the
 * effective (fs) ones.  Writing on a read-only mount is EROFS
 * (inode_permission), executing on a noexec one EACCES.
 */
static long do_faccessat(int dirfd, const char *upath, int mode, int flags)
{
	uid_t fsuid = current->fsuid;
	gid_t fsgid = current->fsgid;
	struct inode *inode;
	int err;

	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_EACCESS)) {
		current->fsuid = current->uid;
		current->fsgid = current->gid;
	}
	inode = user_path_at(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
				   (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0), &err);
	if (inode) {
		if ((mode & X_OK) && S_ISREG(inode->i_mode) && path_noexec(inode))
			err = -EACCES;                   /* nothing runs from a noexec mount */
		else
			err = inode_permission(inode, mode);
		iput(inode);
	}
	current->fsuid = fsuid;
	current->fsgid = fsgid;
	return err;
}

long sys_faccessat2(int dirfd, const char *upath, int mode, int flags)
{
	return do_faccessat(dirfd, upath, mode, flags);
}

long sys_faccessat(int dirfd, const char *upath, int mode)
{
	return do_faccessat(dirfd, upath, mode, 0);
}

long sys_access(const char *upath, int mode)
{
	return do_faccessat(AT_FDCWD, upath, mode, 0);
}

long sys_umask(int mask)
{
	umode_t old = current->fs->umask;

	current->fs->umask = mask & 0777;
	return old;
}

/* A change of attributes: EROFS on a read-only mount, before who may make it. */
static long notify_change_write(struct inode *inode, struct iattr *attr)
{
	int err = mnt_want_write(inode);

	if (err)
		return err;
	err = notify_change(inode, attr);
	mnt_drop_write(inode);
	return err;
}

/* chmod: the owner's or root's (attr.c), the type bits kept. */
static long chmod_common(struct inode *inode, umode_t mode)
{
	struct iattr attr = { .ia_valid = ATTR_MODE | ATTR_CTIME, .ia_mode = mode & 07777 };

	return notify_change_write(inode, &attr);
}

long sys_fchmodat(int dirfd, const char *upath, umode_t mode)
{
	int err;
	struct inode *inode = user_path_at(dirfd, upath, LOOKUP_FOLLOW, &err);

	if (!inode)
		return err;
	err = chmod_common(inode, mode);
	iput(inode);
	return err;
}

long sys_chmod(const char *upath, umode_t mode)
{
	return sys_fchmodat(AT_FDCWD, upath, mode);
}

long sys_fchmod(unsigned int fd, umode_t mode)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = chmod_common(f->f_inode, mode);
	fput(f);
	return err;
}

/*
 * chown: uid or gid -1 leaves that id alone.  Who may give what to whom
 * is attr.c's; anything but a directory loses S_ISUID, and S_ISGID as
 * setattr_should_drop_sgid says -- whoever does it, root included.
 */
static long chown_common(struct inode *inode, uid_t uid, gid_t gid)
{
	struct iattr attr = { .ia_valid = ATTR_CTIME, .ia_uid = uid, .ia_gid = gid };

	if (uid != INVALID_UID)
		attr.ia_valid |= ATTR_UID;
	if (gid != INVALID_GID)
		attr.ia_valid |= ATTR_GID;
	if (!S_ISDIR(inode->i_mode))
		attr.ia_valid |= ATTR_KILL_SUID | setattr_should_drop_sgid(inode);
	return notify_change_write(inode, &attr);
}

long sys_fchownat(int dirfd, const char *upath, uid_t uid, gid_t gid, int flags)
{
	int err;
	struct inode *inode;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	inode = user_path_at(dirfd, upath, (flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW) |
				   (flags & AT_EMPTY_PATH ? LOOKUP_EMPTY : 0), &err);
	if (!inode)
		return err;
	err = chown_common(inode, uid, gid);
	iput(inode);
	return err;
}

long sys_chown32(const char *upath, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, 0);
}

long sys_lchown32(const char *upath, uid_t uid, gid_t gid)
{
	return sys_fchownat(AT_FDCWD, upath, uid, gid, AT_SYMLINK_NOFOLLOW);
}

long sys_fchown32(unsigned int fd, uid_t uid, gid_t gid)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = chown_common(f->f_inode, uid, gid);
	fput(f);
	return err;
}
