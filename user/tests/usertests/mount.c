/*
 * mount(2) and umount2(2) of tmpfs: size= bounds the pages (ENOSPC past
 * it), statfs reports the blocks and the flags, a busy mount (an open
 * file, a cwd inside) cannot go, and after umount2 the directory is the
 * empty one it covered; Linux's errors for each misuse.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
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
	char file[128], *map;
	int fd, n = 0, sig;

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
	/* a store into a hole of a full tmpfs's file through a mapping: SIGBUS, as Linux */
	CHECK_OK(ftruncate(fd, (TMPFS_PAGES + 1) * PAGE));
	map = (char *)CHECK_OK(mmap(NULL, (TMPFS_PAGES + 1) * PAGE, PROT_READ | PROT_WRITE,
				    MAP_SHARED, fd, 0));
	sig = touch_signal(map + TMPFS_PAGES * PAGE, 1);
	CHECK(sig == SIGBUS, "a store past a full tmpfs's size= got %s", signal_name(sig));
	CHECK_OK(munmap(map, (TMPFS_PAGES + 1) * PAGE));
	CHECK_ERR(do_umount(dir, 0), EBUSY);           /* the file is open */
	close(fd);
	CHECK_OK(chdir(dir));
	CHECK_ERR(do_umount(dir, 0), EBUSY);           /* our cwd is in it */
	CHECK_OK(chdir("/"));
	CHECK_OK(do_umount(dir, 0));
	CHECK_ERR(access(file, F_OK), ENOENT);
	CHECK_OK(statfs64(dir, &s));
	CHECK(s.f_type == TMPFS_MAGIC && s.f_blocks != TMPFS_PAGES,     /* /tmp's */
	      "after umount the directory is on %#lx, %llu blocks", s.f_type, s.f_blocks);
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
	CHECK_ERR(do_mount("x", dir, "tmpfs", MS_REMOUNT, NULL), EINVAL);   /* not mounted yet */
	CHECK_ERR(do_mount("x", dir, "tmpfs", MS_BIND, NULL), EINVAL);
	CHECK_OK(do_mount("x", dir, "tmpfs", MS_MGC_VAL | MS_RDONLY, NULL));
	CHECK_ERR(do_mount("x", dir, "tmpfs", 0, NULL), EBUSY);     /* no stacking */
	CHECK_ERR(do_umount(file, 0), EINVAL);                     /* not a mount point */
	CHECK_ERR(do_umount(dir, 0x100), EINVAL);
	CHECK_ERR(do_umount("/proc", 0), EBUSY);                    /* the kernel's */
	CHECK_ERR(rename(file, scratch_path("mnt/file")), EXDEV);
	CHECK_OK(syscall(__NR_umount, dir));
	CHECK_OK(rmdir(dir));
}

/* A child whose cwd is the tmpfs (it says so on p[3]) until p[0] gives end-of-file. */
static void sit_in(void *arg)
{
	const int *p = arg;
	char c = 'x';

	close(p[1]);
	if (chdir(scratch_path("mnt")) < 0)
		fail("chdir into the tmpfs: %s", errno_name(errno));
	if (write(p[3], &c, 1) != 1 || read(p[0], &c, 1) != 0)
		fail("the pipes");
}

/*
 * MNT_DETACH's tmpfs is freed by its last user, whichever that is: a
 * shared mapping (munmap's fput) or a process's cwd (exit's path_put);
 * the runner's leak check sees its pages and inodes go.
 */
static void t_lazy_last_users(void)
{
	char dir[128];
	int fd, p[4], status;
	char c;
	pid_t child;
	char *map;

	snprintf(dir, sizeof(dir), "%s", scratch_path("mnt"));
	for (int last_is_cwd = 0; last_is_cwd < 2; last_is_cwd++) {
		CHECK_OK(mkdir(dir, 0755));
		CHECK_OK(do_mount("lazy", dir, "tmpfs", 0, NULL));
		fd = CHECK_OK(open(scratch_path("mnt/f"), O_CREAT | O_RDWR, 0600));
		CHECK_OK(ftruncate(fd, TMPFS_PAGES * PAGE));
		map = (char *)CHECK_OK(mmap(NULL, TMPFS_PAGES * PAGE, PROT_READ | PROT_WRITE,
					    MAP_SHARED, fd, 0));
		close(fd);
		fill_pages(map, TMPFS_PAGES, last_is_cwd);
		CHECK_OK(pipe(p));
		CHECK_OK(pipe(p + 2));
		child = CHECK_OK(spawn(sit_in, p));
		close(p[0]);
		close(p[3]);
		CHECK(read(p[2], &c, 1) == 1, "the child did not get in");
		close(p[2]);
		CHECK_OK(do_umount(dir, MNT_DETACH));
		CHECK_ERR(access(scratch_path("mnt/f"), F_OK), ENOENT);
		CHECK(check_pages(map, TMPFS_PAGES, last_is_cwd) < 0,
		      "the detached file's data changed");
		if (last_is_cwd)
			CHECK_OK(munmap(map, TMPFS_PAGES * PAGE));
		close(p[1]);
		status = CHECK_OK(wait_status(child, 0));
		check_child_ok(status, "the child in the tmpfs");
		if (!last_is_cwd)
			CHECK_OK(munmap(map, TMPFS_PAGES * PAGE));
		CHECK_OK(rmdir(dir));
	}
}

const struct subtest mount_tests[] = {
	{ "tmpfs_size", t_tmpfs_size, 0 },
	{ "mount_errors", t_mount_errors, 0 },
	{ "lazy_last_users", t_lazy_last_users, 0 },
	{ NULL },
};
