/*
 * statfs, fstatfs, statfs64 and fstatfs64: what a file system says of
 * itself (its super_block's statfs operation) in Linux i386's two user
 * layouts.  anvil's file systems live in memory and count no blocks or
 * files, so each answers as Linux's simple_statfs does for ramfs and proc.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/statfs.h>
#include <abi/mount.h>

#define HIGH_WORD 0xffffffff00000000ULL
#define NO_COUNT (~0ULL)                /* f_files/f_ffree -1: "not counted", fits 32 bits */

int simple_statfs(struct super_block *sb, struct kstatfs *buf)
{
	buf->f_type = sb->s_magic;
	buf->f_bsize = sb->s_blocksize;
	buf->f_namelen = NAME_MAX;
	return 0;
}

const struct super_operations simple_super_operations = {
	.statfs = simple_statfs,
};

/* The mount flags statfs reports (Linux's flags_by_mnt): ST_ and MS_ agree but for relatime. */
static unsigned long statfs_flags(unsigned long ms)
{
	return (ms & (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_MANDLOCK |
		      MS_NOATIME | MS_NODIRATIME)) | (ms & MS_RELATIME ? ST_RELATIME : 0);
}

/* The file system inode is in; f_frsize defaults to the block size, as in vfs_statfs. */
static int vfs_statfs(struct inode *inode, struct kstatfs *st)
{
	struct super_block *sb = inode->i_sb;
	int err;

	memset(st, 0, sizeof(*st));
	err = sb->s_op->statfs(sb, st);
	if (err)
		return err;
	if (!st->f_frsize)
		st->f_frsize = st->f_bsize;
	st->f_flags = ST_VALID | statfs_flags(sb->s_flags);
	return 0;
}

/* Fill st for a user path (following a final link) or a descriptor. */
static int user_statfs(const char *upath, struct kstatfs *st)
{
	int err;
	struct inode *inode = user_path_at(AT_FDCWD, upath, LOOKUP_FOLLOW, &err);

	if (!inode)
		return err;
	err = vfs_statfs(inode, st);
	iput(inode);
	return err;
}

static int fd_statfs(unsigned int fd, struct kstatfs *st)
{
	struct file *f = fget_raw(fd);
	int err;

	if (!f)
		return -EBADF;
	err = vfs_statfs(f->f_inode, st);
	fput(f);
	return err;
}

static bool too_big(unsigned long long v)
{
	return v != NO_COUNT && (v & HIGH_WORD);
}

/* The fields both user layouts share, copied from a kstatfs (the rest stays zero). */
#define FILL_STATFS(buf, st) do {                                                   \
	memset(&(buf), 0, sizeof(buf));                                             \
	(buf).f_type = (st)->f_type;                                                \
	(buf).f_bsize = (st)->f_bsize;                                              \
	(buf).f_blocks = (st)->f_blocks;                                            \
	(buf).f_bfree = (st)->f_bfree;                                              \
	(buf).f_bavail = (st)->f_bavail;                                            \
	(buf).f_files = (st)->f_files;                                              \
	(buf).f_ffree = (st)->f_ffree;                                              \
	(buf).f_namelen = (st)->f_namelen;                                          \
	(buf).f_frsize = (st)->f_frsize;                                            \
	(buf).f_flags = (st)->f_flags;                                              \
} while (0)

/* The 32-bit layout: EOVERFLOW for a count it cannot hold, as Linux's do_statfs_native. */
static int put_statfs(const struct kstatfs *st, struct statfs *ubuf)
{
	struct statfs buf;

	if ((st->f_blocks | st->f_bfree | st->f_bavail) & HIGH_WORD ||
	    too_big(st->f_files) || too_big(st->f_ffree))
		return -EOVERFLOW;
	FILL_STATFS(buf, st);
	return copy_to_user(ubuf, &buf, sizeof(buf)) ? -EFAULT : 0;
}

static int put_statfs64(const struct kstatfs *st, struct statfs64 *ubuf)
{
	struct statfs64 buf;

	FILL_STATFS(buf, st);
	return copy_to_user(ubuf, &buf, sizeof(buf)) ? -EFAULT : 0;
}

long sys_statfs(const char *upath, struct statfs *ubuf)
{
	struct kstatfs st;
	int err = user_statfs(upath, &st);

	return err ? err : put_statfs(&st, ubuf);
}

long sys_fstatfs(unsigned int fd, struct statfs *ubuf)
{
	struct kstatfs st;
	int err = fd_statfs(fd, &st);

	return err ? err : put_statfs(&st, ubuf);
}

/* The 64-bit calls take the structure's size, which must be Linux's (84 bytes). */
long sys_statfs64(const char *upath, size_t size, struct statfs64 *ubuf)
{
	struct kstatfs st;
	int err;

	if (size != sizeof(*ubuf))
		return -EINVAL;
	err = user_statfs(upath, &st);
	return err ? err : put_statfs64(&st, ubuf);
}

long sys_fstatfs64(unsigned int fd, size_t size, struct statfs64 *ubuf)
{
	struct kstatfs st;
	int err;

	if (size != sizeof(*ubuf))
		return -EINVAL;
	err = fd_statfs(fd, &st);
	return err ? err : put_statfs64(&st, ubuf);
}
