/*
 * Symbolic links: symlink/symlinkat make one, readlink/readlinkat read
 * its target back.  A link is an S_IFLNK inode whose target string is
 * in i_link; path lookup (namei.c) follows it, lstat and unlink act on
 * the link itself.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>

/* Create the link last (len bytes) in dir, pointing at target (target_len bytes). */
int vfs_symlink(struct inode *dir, const char *last, size_t len, const char *target,
		size_t target_len)
{
	int err;

	if (!target_len)
		return -ENOENT;                   /* Linux refuses an empty target */
	if (!last_is_norm(last, len))
		return -EEXIST;                   /* "/", "." or ".." */
	err = may_create(dir, last, len);
	if (err)
		return err;
	if (!dir->i_op || !dir->i_op->symlink)
		return -EPERM;                    /* /proc */
	return dir->i_op->symlink(dir, last, len, target, target_len);
}

long sys_symlinkat(const char *utarget, int newdirfd, const char *ulinkpath)
{
	char *kpath;
	const char *last;
	size_t len;
	int err;
	char *target = getname(utarget, &err);
	struct inode *dir;

	if (!target)
		return err;
	dir = user_path_parent_at(newdirfd, ulinkpath, &kpath, &last, &len, &err);
	if (dir) {
		err = vfs_symlink(dir, last, len, target, strlen(target));
		iput(dir);
		kfree(kpath);
	}
	kfree(target);
	return err;
}

long sys_symlink(const char *utarget, const char *ulinkpath)
{
	return sys_symlinkat(utarget, AT_FDCWD, ulinkpath);
}

/* The target, truncated to size bytes and not NUL-terminated, as Linux gives it. */
long sys_readlinkat(int dirfd, const char *upath, char *buf, int size)
{
	int err;
	struct inode *inode;
	size_t n;

	if (size <= 0)
		return -EINVAL;
	/* "" reads the link an O_PATH|O_NOFOLLOW dirfd names, as Linux */
	inode = user_path_at(dirfd, upath, LOOKUP_EMPTY, &err);
	if (!inode)
		return err;
	if (!S_ISLNK(inode->i_mode)) {
		char c = 0;

		err = get_user(c, upath) || c ? -EINVAL : -ENOENT;
	} else {
		n = min((size_t)size, (size_t)inode->i_size);
		err = copy_to_user(buf, inode->i_link, n) ? -EFAULT : (int)n;
	}
	iput(inode);
	return err;
}

long sys_readlink(const char *upath, char *buf, int size)
{
	return sys_readlinkat(AT_FDCWD, upath, buf, size);
}
