/*
 * fsync, fdatasync, sync and syncfs: a file's (or every file's) dirty
 * pages written through its mapping's writepage and waited for -- for
 * sync and syncfs, then the file system's own metadata
 * (super_operations->sync_fs).  An error an
 * earlier writeback met (AS_EIO, AS_ENOSPC) is reported by the next
 * fsync of the file, once, as Linux does.  The writing is
 * mm/page-writeback.c's.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/writeback.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/statfs.h>

/*
 * Has the file something fsync can do?  Linux's file_operations without
 * ->fsync (pipes, sockets, devices, /proc) answer EINVAL; a file
 * system's regular files and directories sync (ramfs' and tmpfs' at
 * once: noop_fsync).
 */
static bool file_can_fsync(const struct inode *inode)
{
	return (S_ISREG(inode->i_mode) || S_ISDIR(inode->i_mode)) &&
	       inode->i_sb->s_magic != PROC_SUPER_MAGIC;
}

/* sb's metadata to the disk, through the file system's hook if it has one. */
static int sync_fs(struct super_block *sb, bool wait)
{
	if (!sb->s_op || !sb->s_op->sync_fs || sb_rdonly(sb))
		return 0;
	return sb->s_op->sync_fs(sb, wait);
}

/*
 * Everything of sb's that is dirty now on the disk: the files' pages
 * (started, then waited for), then the file system's own metadata.
 * syncfs(2), and what umount must call before a disk file system goes.
 */
int sync_filesystem(struct super_block *sb)
{
	int err = sync_inodes_sb(sb, false);
	int err2 = sync_inodes_sb(sb, true);
	int err3 = sync_fs(sb, true);

	return err ? err : err2 ? err2 : err3;
}

/*
 * fsync and fdatasync: the file's dirty pages written and waited for.
 * That is all there is to write: anvil's ext2 writes an inode and the
 * blocks holding its map whenever they change (metadata is synchronous).
 * The error of an earlier failed writeback comes out here, once.
 */
static long do_fsync(unsigned int fd)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = file_can_fsync(f->f_inode) ? filemap_write_and_wait(f->f_inode->i_mapping) :
					   -EINVAL;
	fput(f);
	return err;
}

long sys_fsync(unsigned int fd)
{
	return do_fsync(fd);
}

/* No timestamps are kept apart from the data here: fdatasync is fsync. */
long sys_fdatasync(unsigned int fd)
{
	return do_fsync(fd);
}

struct sync_sbs {
	struct super_block **sbs;
	unsigned int nr, max;
};

/* iterate_mounts' fn: note (and hold) each mounted file system with a sync_fs hook. */
static void note_sb(void *ctx, const char *devname, struct inode *mountpoint,
		    const char *fstype, unsigned long flags)
{
	struct sync_sbs *s = ctx;
	/* a mount's entry gives the directory it covers; the mounted root is i_mount */
	struct super_block *sb = (mountpoint->i_mount ? mountpoint->i_mount : mountpoint)->i_sb;

	if (!sb->s_op || !sb->s_op->sync_fs)
		return;
	if (s->sbs && s->nr < s->max) {
		activate_super(sb);              /* kept while sync sleeps on its disk */
		s->sbs[s->nr] = sb;
	}
	s->nr++;
}

/*
 * sync(2): every file's dirty pages written (started for all, then
 * waited for), then each mounted file system's metadata.  Errors are
 * not reported (Linux's sync returns nothing); the files keep them for
 * their next fsync.
 */
long sys_sync(void)
{
	struct sync_sbs s = { 0 };

	sync_inodes_sb(NULL, false);
	sync_inodes_sb(NULL, true);
	iterate_mounts(note_sb, &s);             /* count them first: the list may not sleep */
	if (!s.nr)
		return 0;
	s.max = s.nr;
	s.nr = 0;
	s.sbs = kmalloc(s.max * sizeof(*s.sbs), GFP_KERNEL);
	if (!s.sbs)
		return 0;
	iterate_mounts(note_sb, &s);
	for (unsigned int i = 0; i < min(s.nr, s.max); i++) {
		sync_fs(s.sbs[i], true);
		deactivate_super(s.sbs[i]);
	}
	kfree(s.sbs);
	return 0;
}

/* syncfs(2): sync of the file system fd's file is on; its first error. */
long sys_syncfs(unsigned int fd)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = sync_filesystem(f->f_inode->i_sb);
	fput(f);
	return err;
}
