/*
 * utimensat(2): set a file's access and modification times (touch).
 * anvil keeps whole seconds, so the nanoseconds are checked and dropped;
 * UTIME_NOW and UTIME_OMIT work per time, as in Linux's fs/utimes.c.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/time.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/time.h>

static bool nsec_valid(long nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec < (long)NSEC_PER_SEC);
}

/* One time: the given seconds, now, or unchanged (UTIME_OMIT). */
static void set_time(u32 *field, const struct abi_timespec *t, u32 now)
{
	if (!t || t->tv_nsec == UTIME_NOW)
		*field = now;
	else if (t->tv_nsec != UTIME_OMIT)
		*field = t->tv_sec;
}

/*
 * Who may set the times: to now, the owner or anyone who may write the
 * file (-EACCES); to a given time -- or only one of them to now -- the
 * owner or CAP_FOWNER (-EPERM).
 */
static int may_set_times(struct inode *inode, const struct abi_timespec *t)
{
	bool both_now = !t || (t[0].tv_nsec == UTIME_NOW && t[1].tv_nsec == UTIME_NOW);

	if (inode_owner_or_capable(inode))
		return 0;
	return both_now ? inode_permission(inode, MAY_WRITE) : -EPERM;
}

/* times NULL: both now.  A path NULL means dirfd itself (futimens). */
long sys_utimensat(int dirfd, const char *upath, const struct abi_timespec *utimes, int flags)
{
	struct abi_timespec t[2];
	struct inode *inode;
	u32 now = current_time_sec();
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (utimes) {
		if (copy_from_user(t, utimes, sizeof(t)))
			return -EFAULT;
		if (!nsec_valid(t[0].tv_nsec) || !nsec_valid(t[1].tv_nsec))
			return -EINVAL;
		if (t[0].tv_nsec == UTIME_OMIT && t[1].tv_nsec == UTIME_OMIT)
			return 0;
	}
	if (!upath) {
		struct file *f;

		if (flags & AT_SYMLINK_NOFOLLOW)
			return -EINVAL;
		f = fget(dirfd);
		if (!f)
			return -EBADF;
		inode = igrab(f->f_inode);
		fput(f);
	} else {
		inode = user_path_at(dirfd, upath, flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW,
				     &err);
		if (!inode)
			return err;
	}
	err = mnt_want_write(inode);             /* EROFS first, as Linux's vfs_utimes */
	if (!err) {
		err = may_set_times(inode, utimes ? t : NULL);
		if (!err) {
			set_time(&inode->i_atime, utimes ? &t[0] : NULL, now);
			set_time(&inode->i_mtime, utimes ? &t[1] : NULL, now);
			inode->i_ctime = now;
		}
		mnt_drop_write(inode);
	}
	iput(inode);
	return err;
}
