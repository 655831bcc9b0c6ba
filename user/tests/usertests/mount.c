/*
 * mount(2) and umount2(2) of tmpfs: size= bounds the pages (ENOSPC past
 * it), statfs reports the blocks and the flags, a busy mount (an open
 * file, a cwd inside) cannot go, and after umount2 the directory is the
 * empty one it covered; Linux's errors for each misuse.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <abi/mount.h>
#include "ut.h"

#define TMPFS_PAGES 16
#define PAGE 4096

static long do_mount(const char *dev, const char *dir, const char *type, unsigned long flags,
		     const char *data)
{
	return syscall(__NR_mount, dev, dir, type, flags, data);
}

static long do_umount(const char *dir, int flags)
{
	return syscall(__NR_umount2, dir, flags);
}

/* Fill the tmpfs page by page: exactly TMPFS_PAGES fit. */
static void t_tmpfs_size(void)
{
	char dir[128];
	static char page[PAGE];
	struct statfs64 s;
	char file[128];
	int fd, n = 0;

	snprintf(dir, sizeof(dir), "%s", scratch_path("mnt"));
	CHECK_OK(mkdir(dir, 0755));
	CHECK_OK(do_mount("scratch", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=700"));
	CHECK_OK(statfs64(dir, &s));
	CHECK(s.f_type == TMPFS_MAGIC && s.f_blocks == TMPFS_PAGES && s.f_bfree == TMPFS_PAGES &&
	      s.f_flags == (ST_VALID | ST_NOSUID | ST_NODEV),
	      "statfs: type %#lx blocks %llu free %llu flags %#lx", s.f_type, s.f_blocks,
	      s.f_bfree, s.f_flags);
	snprintf(file, sizeof(file), "%s/f", dir);
	fd = CHECK_OK(open(file, O_CREAT | O_RDWR, 0600));
	while (write(fd, page, sizeof(page)) == sizeof(page))
		n++;
	CHECK(n == TMPFS_PAGES && errno == ENOSPC, "%d pages fit, then %s", n, errno_name(errno));
	CHECK_OK(statfs64(dir, &s));
	CHECK(s.f_bfree == 0, "a full tmpfs has %llu blocks free", s.f_bfree);
	CHECK_ERR(do_umount(dir, 0), EBUSY);           /* the file is open */
	CHECK_ERR(do_umount(dir, MNT_DETACH), EBUSY);  /* no lazy umount */
	close(fd);
	CHECK_OK(chdir(dir));
	CHECK_ERR(do_umount(dir, 0), EBUSY);           /* our cwd is in it */
	CHECK_OK(chdir("/"));
	CHECK_OK(do_umount(dir, 0));
	CHECK_ERR(access(file, F_OK), ENOENT);
	CHECK_OK(statfs64(dir, &s));
	CHECK(s.f_type == RAMFS_MAGIC, "after umount the directory is on %#lx", s.f_type);
	CHECK_OK(rmdir(dir));
}

static void t_mount_errors(void)
{
	char dir[128], file[128], none[128], inside[128];

	snprintf(dir, sizeof(dir), "%s", scratch_path("mnt"));
	snprintf(file, sizeof(file), "%s", scratch_path("file"));
	snprintf(none, sizeof(none), "%s", none);
	snprintf(inside, sizeof(inside), "%s", inside);

	CHECK_OK(mkdir(dir, 0755));
	close(CHECK_OK(open(file, O_CREAT | O_WRONLY, 0644)));
	CHECK_ERR(do_mount("x", dir, "nosuchfs", 0, NULL), ENODEV);
	CHECK_ERR(do_mount("x", dir, "tmpfs", 0, "size=lots"), EINVAL);
	CHECK_ERR(do_mount("x", dir, "tmpfs", 0, "colour=blue"), EINVAL);
	CHECK_ERR(do_mount("x", file, "tmpfs", 0, NULL), ENOTDIR);
	CHECK_ERR(do_mount("x", scratch_path("none"), "tmpfs", 0, NULL), ENOENT);
	CHECK_ERR(do_mount("x", dir, (const char *)1, 0, NULL), EFAULT);
	CHECK_ERR(do_mount("x", dir, "tmpfs", MS_REMOUNT, NULL), EINVAL);
	CHECK_OK(do_mount("x", dir, "tmpfs", MS_MGC_VAL | MS_RDONLY, NULL));
	CHECK_ERR(do_mount("x", dir, "tmpfs", 0, NULL), EBUSY);     /* no stacking */
	CHECK_ERR(do_umount(file, 0), EINVAL);                     /* not a mount point */
	CHECK_ERR(do_umount(dir, 0x100), EINVAL);
	CHECK_ERR(do_umount("/proc", 0), EBUSY);                    /* the kernel's */
	CHECK_ERR(rename(file, scratch_path("mnt/file")), EXDEV);
	CHECK_OK(syscall(__NR_umount, dir));
	CHECK_OK(rmdir(dir));
}

const struct subtest mount_tests[] = {
	{ "tmpfs_size", t_tmpfs_size, 0 },
	{ "mount_errors", t_mount_errors, 0 },
	{ NULL },
};
