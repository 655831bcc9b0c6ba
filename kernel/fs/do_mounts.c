/*
 * The root file system at boot (Linux's init/do_mounts.c): root=/dev/hdX
 * puts that ext2 disk at / -- read-only unless rw is given, as Linux --
 * with a tmpfs on its /dev for the device nodes (Linux's devtmpfs).
 * Without root=, or when that disk cannot be the root, the initramfs
 * unpacked into the boot ramfs is.  Then /proc, /dev/shm and /tmp are
 * mounted on whichever root it is.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/blkdev.h>
#include <anvil/cmdline.h>
#include <abi/errno.h>
#include <abi/mount.h>

#define DEV_PREFIX "/dev/"
#define DEV_PREFIX_LEN 5
#define DEVTMPFS_OPTIONS "mode=755"

/* Cover the new root's /dev with a tmpfs and make the device nodes in it. */
static void mount_devtmpfs(void)
{
	int err;
	struct inode *dev = tmpfs_mount(DEVTMPFS_OPTIONS, 0, &err);

	if (dev) {
		struct super_block *sb = dev->i_sb;

		err = vfs_mount("/dev", "devtmpfs", "devtmpfs", dev);
		iput(dev);                       /* the mount holds it now (or it goes) */
		deactivate_super(sb);
	}
	if (err) {
		printk(KERN_ERR "VFS: cannot mount a tmpfs on /dev (%d)\n", err);
		return;
	}
	devices_init();
	block_devices_make_nodes();
}

/* Let go of a mounted ext2 that will not be the root after all. */
static void put_root(struct inode *root)
{
	struct super_block *sb = root->i_sb;

	iput(root);
	deactivate_super(sb);
}

/*
 * The root file system's flags: read-only unless rw is given, as Linux
 * (its root_mountflags); ro wins over rw.
 */
static unsigned long root_mountflags(void)
{
	return kernel_flag("rw") && !kernel_flag("ro") ? 0 : MS_RDONLY;
}

/*
 * Mount the ext2 disk root= names as /; false, after saying why, to keep
 * the initramfs.  A disk that cannot be written is mounted read-only, as
 * Linux's mount_block_root retries.  It needs a /dev to cover.
 */
static bool mount_root(const char *name)
{
	unsigned long flags = root_mountflags();
	char devname[DEV_PREFIX_LEN + BDEV_NAME_LEN];
	struct inode *root, *dev;
	int err;

	if (!strncmp(name, DEV_PREFIX, DEV_PREFIX_LEN))
		name += DEV_PREFIX_LEN;
	if (!block_device_by_name(name)) {
		printk(KERN_ERR "VFS: root=%s: no such disk; the initramfs stays the root\n",
		       name);
		return false;
	}
	snprintf(devname, sizeof(devname), DEV_PREFIX "%s", name);
	root = ext2_mount(devname, flags, &err);
	if (!root && err == -EROFS && !(flags & MS_RDONLY)) {
		printk(KERN_NOTICE "VFS: %s cannot be written (%d); mounting it read-only\n",
		       devname, err);
		flags |= MS_RDONLY;
		root = ext2_mount(devname, flags, &err);
	}
	if (!root) {
		printk(KERN_ERR "VFS: cannot mount root=%s as ext2 (error %d); the initramfs stays "
		       "the root\n", devname, err);
		return false;
	}
	dev = path_lookup(root, "dev", LOOKUP_FOLLOW, &err);
	if (!dev || !S_ISDIR(dev->i_mode)) {
		printk(KERN_ERR "VFS: root=%s has no /dev directory; the initramfs stays the "
		       "root\n", devname);
		if (dev)
			iput(dev);
		put_root(root);
		return false;
	}
	iput(dev);
	err = mnt_set_root(devname, "ext2", root, flags);
	put_root(root);
	if (err) {
		printk(KERN_ERR "VFS: cannot make %s the root (%d); the initramfs stays the root\n",
		       devname, err);
		return false;
	}
	mount_devtmpfs();
	printk(KERN_NOTICE "VFS: mounted root (ext2 filesystem) %s from %s\n",
	       flags & MS_RDONLY ? "readonly" : "read-write", devname);
	return true;
}

void prepare_namespace(void)
{
	const char *root = kernel_param("root");

	if (root && *root && mount_root(root))
		free_initrd_mem();
	else
		populate_rootfs();
	proc_root_init();
	tmpfs_init();
}
