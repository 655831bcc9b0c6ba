/*
 * tmpfs: a ramfs tree (kernel/fs/ramfs.c) whose files are shmem, their
 * pages swap-backed (mm/shmem.c), with a size.  Each mount gets its own
 * super_block, whose pages -- in memory or on swap -- count against size=
 * (by default half of RAM, as Linux): a full tmpfs says ENOSPC.  statfs
 * reports the blocks and inodes; nr_inodes= is reported, not enforced.
 * mount(2) makes one (kernel/fs/namespace.c), remount changes its limits,
 * and its last user after umount frees it; /dev/shm and /tmp are two.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <abi/errno.h>
#include <abi/statfs.h>

#define TMPFS_DEFAULT_MODE 01777          /* a sticky, world-writable directory */
#define MODE_MASK 07777
#define DECIMAL 10
#define OCTAL 8

static int tmpfs_statfs(struct super_block *sb, struct kstatfs *buf)
{
	buf->f_type = TMPFS_MAGIC;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	buf->f_blocks = sb->s_max_blocks;
	buf->f_bfree = buf->f_bavail = sb->s_max_blocks - min(sb->s_blocks, sb->s_max_blocks);
	buf->f_files = sb->s_max_inodes;
	buf->f_ffree = sb->s_max_inodes - min(sb->s_inodes, sb->s_max_inodes);
	return 0;
}

/* "123", "64k", "8m", "1g" or (percent of RAM) "50%" into *v; -EINVAL if not such a number. */
static int parse_size(const char *s, size_t len, unsigned long long *v, bool percent_ok)
{
	unsigned long long n = 0;
	size_t i = 0;

	if (!len)
		return -EINVAL;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		n = n * DECIMAL + (unsigned long long)(s[i] - '0');
	if (i == 0 || i < len - 1)
		return -EINVAL;
	if (i == len - 1) {
		switch (s[i] | 0x20) {          /* either case */
		case 'k': n <<= 10; break;
		case 'm': n <<= 20; break;
		case 'g': n <<= 30; break;
		default:
			if (s[i] != '%' || !percent_ok)
				return -EINVAL;
			n = (unsigned long long)totalram_pages * PAGE_SIZE * n / 100;
		}
	}
	*v = n;
	return 0;
}

static int parse_mode(const char *s, size_t len, umode_t *mode)
{
	umode_t m = 0;

	if (!len)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '7')
			return -EINVAL;
		m = m * OCTAL + (umode_t)(s[i] - '0');
	}
	*mode = m & MODE_MASK;
	return 0;
}

/* What mount's data asks of a tmpfs; a key not given keeps the value set before parsing. */
struct tmpfs_options {
	unsigned long max_blocks, max_inodes;
	umode_t mode;
};

/* One "key=value" of the comma-separated options; unknown keys are EINVAL, as Linux. */
static int parse_option(struct tmpfs_options *o, const char *opt, size_t len)
{
	const char *eq = memchr(opt, '=', len);
	size_t klen = eq ? (size_t)(eq - opt) : len;
	const char *val = eq ? eq + 1 : opt + len;
	size_t vlen = len - klen - (eq ? 1 : 0);
	unsigned long long v;
	int err;

	if (klen == 4 && !memcmp(opt, "size", 4)) {
		err = parse_size(val, vlen, &v, true);
		o->max_blocks = (unsigned long)DIV_ROUND_UP(v, PAGE_SIZE);
	} else if (klen == 9 && !memcmp(opt, "nr_inodes", 9)) {
		err = parse_size(val, vlen, &v, false);
		o->max_inodes = (unsigned long)v;
	} else if (klen == 4 && !memcmp(opt, "mode", 4)) {
		err = parse_mode(val, vlen, &o->mode);
	} else {
		err = -EINVAL;
	}
	return err;
}

/* data, "size=16m,mode=1777" (or NULL), into o; 0 or -EINVAL. */
static int parse_options(struct tmpfs_options *o, const char *data)
{
	int err = 0;

	while (data && *data && !err) {
		const char *comma = strchr(data, ',');
		size_t len = comma ? (size_t)(comma - data) : strlen(data);

		if (len)
			err = parse_option(o, data, len);
		data = comma ? comma + 1 : NULL;
	}
	return err;
}

/*
 * remount: new limits, as Linux's shmem_reconfigure -- none below what
 * is in use, and none where there was none (0: no limit); mode= is
 * accepted and left alone.
 */
static int tmpfs_remount_fs(struct super_block *sb, unsigned long flags, const char *data)
{
	struct tmpfs_options o = { sb->s_max_blocks, sb->s_max_inodes, 0 };
	int err = parse_options(&o, data);

	if (err)
		return err;
	if (o.max_blocks != sb->s_max_blocks &&
	    (!sb->s_max_blocks || (o.max_blocks && o.max_blocks < sb->s_blocks)))
		return -EINVAL;
	if (o.max_inodes != sb->s_max_inodes &&
	    (!sb->s_max_inodes || (o.max_inodes && o.max_inodes < sb->s_inodes)))
		return -EINVAL;
	sb->s_max_blocks = o.max_blocks;
	sb->s_max_inodes = o.max_inodes;
	return 0;
}

/* Its last user gone, after umount: the files, the root, then the super_block. */
static void tmpfs_kill_sb(struct super_block *sb)
{
	ramfs_kill_tree(sb->s_root);
	iput(sb->s_root);
	BUG_ON(sb->s_inodes || sb->s_blocks);
	kfree(sb);
}

static const struct super_operations tmpfs_ops = {
	.statfs = tmpfs_statfs,
	.remount_fs = tmpfs_remount_fs,
	.kill_sb = tmpfs_kill_sb,
};

/*
 * A new tmpfs from mount's data string ("size=16m,mode=1777"): its root
 * directory, or NULL with *err.  The caller holds the root and the
 * file system's one user (s_active), for deactivate_super.
 */
struct inode *tmpfs_mount(const char *data, unsigned long flags, int *err)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	struct tmpfs_options o = { totalram_pages / 2, totalram_pages / 2, TMPFS_DEFAULT_MODE };
	struct inode *root;

	if (!sb) {
		*err = -ENOMEM;
		return NULL;
	}
	sb->s_magic = TMPFS_MAGIC;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_flags = flags;
	sb->s_op = &tmpfs_ops;
	*err = parse_options(&o, data);
	sb->s_max_blocks = o.max_blocks;
	sb->s_max_inodes = o.max_inodes;
	root = *err ? NULL : ramfs_fill_root(sb, o.mode);
	if (!root) {
		*err = *err ? *err : -ENOMEM;
		kfree(sb);
		return NULL;
	}
	sb->s_root = igrab(root);
	atomic_set(&sb->s_active, 1);
	return root;
}

/*
 * A tmpfs of the default size (half of RAM) on path, made if missing (a
 * read-only root disk may refuse even that; then its own must do).
 */
static void mount_boot_tmpfs(const char *path)
{
	int mkdir_err = vfs_mkdir(root_inode(), path, TMPFS_DEFAULT_MODE), err;
	struct inode *root = tmpfs_mount(NULL, 0, &err);

	err = root ? vfs_mount(path, "tmpfs", "tmpfs", root) : err;
	if (err)
		printk(KERN_ERR "tmpfs: cannot mount %s: %d (mkdir: %d)\n", path, err, mkdir_err);
	if (root) {
		struct super_block *sb = root->i_sb;

		iput(root);
		deactivate_super(sb);
	}
}

/*
 * The tmpfs mounts of a Linux system: /dev/shm for POSIX shared memory
 * (shm_open), and /tmp (systemd's tmp.mount, size=50%), whose files no
 * longer pin RAM now that they can go to swap.
 */
void tmpfs_init(void)
{
	mount_boot_tmpfs("/dev/shm");
	mount_boot_tmpfs("/tmp");
}
