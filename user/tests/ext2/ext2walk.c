/*
 * ext2walk: mounts an ext2 disk read-only and lists every file on it --
 * path, mode, owner, size, links, sectors, mtime, a link's target, and a
 * CRC-32 of the data as read() and as MAP_PRIVATE and MAP_SHARED mappings
 * see it -- for tools/ext2tests.py to compare with the listing it makes
 * of the same tree on the host.  Also: exec of a program on the disk,
 * statfs, EROFS for writing on a read-only mount, EBUSY for a second
 * mount of the disk, permissions as another user, umount.
 *
 *   ext2walk walk DEV        the above, DEV mounted on /mnt
 *   ext2walk mount DEV ro|rw a mount that may be refused: its result, then "still running"
 *   ext2walk hello           what the copy on the disk runs
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <abi/mount.h>
#include "../common/report.h"

#define MNT "/mnt"
#define HELLO_STATUS 7
#define CHUNK 3000                 /* read() in pieces that straddle pages */
#define WINDOW (1024 * 1024)       /* a big file is checksummed at its head and tail */
#define BIG (4 * WINDOW)
#define DENTS_BUF 512              /* small: getdents64 must resume mid-directory */
#define PAGE 4096
#define OTHER_ID 1000              /* the unprivileged user of the permission checks */

static long do_mount(const char *dev, const char *dir, const char *type, unsigned long flags)
{
	return syscall(__NR_mount, dev, dir, type, flags, NULL);
}

/* The byte ranges checksummed: all of a small file, the head and tail of a big one. */
static int ranges(long long size, long long start[2], long long len[2])
{
	if (size <= BIG) {
		start[0] = 0;
		len[0] = size;
		return 1;
	}
	start[0] = 0;
	len[0] = WINDOW;
	start[1] = size - WINDOW;
	len[1] = WINDOW;
	return 2;
}

static unsigned int crc_read(int fd, long long size)
{
	static unsigned char buf[CHUNK];
	long long start[2], len[2];
	unsigned int crc = 0;
	int n = ranges(size, start, len);

	for (int r = 0; r < n; r++) {
		lseek(fd, start[r], SEEK_SET);
		for (long long done = 0; done < len[r]; ) {
			ssize_t got = read(fd, buf, len[r] - done < CHUNK ? len[r] - done : CHUNK);

			if (got <= 0) {
				printf("read error at %lld: %ld\n", start[r] + done, (long)got);
				return 0;
			}
			crc = crc32(crc, buf, got);
			done += got;
		}
	}
	return crc;
}

/*
 * The same through a mapping.  A MAP_PRIVATE one is then written: the
 * copy-on-write must leave the file (pread) as it was.  Past the end of
 * the file the last page must read as zeros.
 */
static unsigned int crc_map(const char *path, int fd, long long size, int flags)
{
	long long start[2], len[2];
	unsigned int crc = 0;
	int n = ranges(size, start, len);

	for (int r = 0; r < n && len[r]; r++) {
		long long off = start[r] & ~(long long)(PAGE - 1);
		size_t maplen = (size_t)(start[r] + len[r] - off + PAGE - 1) & ~(size_t)(PAGE - 1);
		int prot = PROT_READ | (flags == MAP_PRIVATE ? PROT_WRITE : 0);
		unsigned char *p = mmap(NULL, maplen, prot, flags, fd, (off_t)off);
		unsigned char first;

		if (p == MAP_FAILED) {
			printf("%s: mmap: %s\n", path, errno_name(errno));
			return 0;
		}
		crc = crc32(crc, p + (start[r] - off), len[r]);
		for (size_t i = (size_t)(size - off); r == n - 1 && i < maplen; i++)
			if (p[i]) {
				printf("%s: byte %lu past the end is %d\n", path,
				       (unsigned long)i, p[i]);
				break;
			}
		if (flags == MAP_PRIVATE) {
			first = p[0];
			p[0] ^= 0xff;
			if (pread(fd, &first, 1, (off_t)off) != 1 || first == p[0])
				printf("%s: a private write reached the file\n", path);
		}
		munmap(p, maplen);
	}
	return crc;
}

static void show_file(const char *path, const char *rel, const struct stat *st)
{
	int fd = open(path, O_RDONLY);
	unsigned int r, priv, shared;

	if (fd < 0) {
		printf("%s: open: %s\n", rel, errno_name(errno));
		return;
	}
	r = crc_read(fd, st->st_size);
	priv = crc_map(rel, fd, st->st_size, MAP_PRIVATE);
	shared = crc_map(rel, fd, st->st_size, MAP_SHARED);
	printf("read=%08x private=%08x shared=%08x\n", r, priv, shared);
	close(fd);
}

static void walk(const char *path, const char *rel, const struct stat *dir_st,
		 const struct stat *parent_st)
{
	char dents[DENTS_BUF];                  /* one per level: the recursion needs its own */
	int fd = open(path, O_RDONLY | O_DIRECTORY), dots = 0;
	struct stat dotdot;
	char *up;
	long n;

	if (fd < 0) {
		printf("%s: open: %s\n", rel, errno_name(errno));
		return;
	}
	while ((n = getdents64(fd, dents, sizeof(dents))) > 0) {
		for (long at = 0; at < n; ) {
			struct linux_dirent64 *d = (void *)(dents + at);
			char *child, *child_rel;
			struct stat st;

			at += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..")) {
				dots++;
				continue;
			}
			child = malloc(strlen(path) + strlen(d->d_name) + 2);
			child_rel = malloc(strlen(rel) + strlen(d->d_name) + 2);
			sprintf(child, "%s/%s", path, d->d_name);
			sprintf(child_rel, "%s/%s", rel, d->d_name);
			if (lstat(child, &st)) {
				printf("%s: lstat: %s\n", child_rel, errno_name(errno));
			} else {
				if ((unsigned long long)st.st_ino != d->d_ino ||
				    (st.st_mode & S_IFMT) >> 12 != d->d_type)
					printf("%s: getdents64 says ino %llu type %d\n", child_rel,
					       d->d_ino, d->d_type);
				printf("%s %o %lu %lu ", child_rel, (unsigned)st.st_mode,
				       (unsigned long)st.st_uid, (unsigned long)st.st_gid);
				if (S_ISDIR(st.st_mode))
					printf("- ");
				else
					printf("%lld ", (long long)st.st_size);
				printf("%u %llu %ld", (unsigned)st.st_nlink,
				       (unsigned long long)st.st_blocks, (long)st.st_mtime);
				if (S_ISLNK(st.st_mode)) {
					char target[PAGE];
					ssize_t len = readlink(child, target, sizeof(target) - 1);

					target[len < 0 ? 0 : len] = '\0';
					printf(" -> %s\n", target);
				} else if (S_ISREG(st.st_mode)) {
					printf(" ");
					show_file(child, child_rel, &st);
				} else {
					printf("\n");
				}
				if (S_ISDIR(st.st_mode))
					walk(child, child_rel, &st, dir_st);
			}
			free(child);
			free(child_rel);
		}
	}
	if (n < 0)
		printf("%s: getdents64: %s\n", rel, errno_name(errno));
	if (dots != 2)
		printf("%s: %d of . and .. listed\n", rel, dots);
	up = malloc(strlen(path) + 4);
	sprintf(up, "%s/..", path);
	if (parent_st && (stat(up, &dotdot) || dotdot.st_ino != parent_st->st_ino))
		printf("%s: .. is not the parent\n", rel);
	free(up);
	close(fd);
}

/* Does reading path leave its atime alone (Linux's touch_atime on a read-only mount)? */
static int atime_kept(const char *path)
{
	struct stat before, after;
	char c;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &before) || read(fd, &c, 1) != 1 || fstat(fd, &after))
		return 0;
	close(fd);
	return before.st_atime == after.st_atime;
}

/* As user OTHER_ID: what the odd permissions of the tree allow. */
static void as_other(void *arg)
{
	(void)arg;
	if (setresgid(OTHER_ID, OTHER_ID, OTHER_ID) || setresuid(OTHER_ID, OTHER_ID, OTHER_ID))
		printf("cannot become user %d\n", OTHER_ID);
	show("other: open perm/secret", open(MNT "/perm/secret", O_RDONLY) < 0 ? -1 : 0);
	show("other: open perm/public", open(MNT "/perm/public", O_RDONLY) < 0 ? -1 : 0);
	show("other: open perm/private/inside", open(MNT "/perm/private/inside", O_RDONLY) < 0 ?
	     -1 : 0);
	show("other: exec perm/noexec", execve(MNT "/perm/noexec", (char *[]){ "x", NULL },
					       (char *[]){ NULL }));
	fflush(NULL);
}

static void hello_child(void *arg)
{
	(void)arg;
	execve(MNT "/bin/ext2walk", (char *[]){ "ext2walk", "hello", NULL }, (char *[]){ NULL });
	printf("exec: %s\n", errno_name(errno));
	fflush(NULL);
	_exit(1);
}

/* umount while busy: EBUSY, then MNT_DETACH; what is open goes on working, then all goes. */
static void lazy_umount(const char *dev)
{
	char c = 0;
	int fd;

	show("mount again", do_mount(dev, MNT, "ext2", MS_RDONLY));
	fd = open(MNT "/small", O_RDONLY);
	show("umount busy", syscall(__NR_umount2, MNT, 0));
	show("chdir", chdir(MNT "/perm/private"));
	show("umount -l", syscall(__NR_umount2, MNT, MNT_DETACH));
	show("read after umount -l", read(fd, &c, 1));
	show("access .. after umount -l", access("../public", R_OK));
	close(fd);
	show("chdir /", chdir("/"));
	show("mount after", do_mount(dev, MNT, "ext2", MS_RDONLY));
	show("umount after", syscall(__NR_umount2, MNT, 0));
}

static int walk_disk(const char *dev)
{
	struct statfs64 sf;
	struct stat root;

	mkdir(MNT, 0755);
	mkdir("/mnt2", 0755);
	show("mount ro", do_mount(dev, MNT, "ext2", MS_RDONLY));
	show("mount again rw", do_mount(dev, "/mnt2", "ext2", 0));
	show("open for writing", open(MNT "/small", O_RDWR) < 0 ? -1 : 0);
	show("mkdir", mkdir(MNT "/new", 0755));
	if (statfs64(MNT, &sf) == 0)
		printf("statfs: type %x bsize %u blocks %llu bfree %llu bavail %llu files %llu "
		       "ffree %llu namelen %u rdonly %d\n", (unsigned)sf.f_type,
		       (unsigned)sf.f_bsize, (unsigned long long)sf.f_blocks,
		       (unsigned long long)sf.f_bfree, (unsigned long long)sf.f_bavail,
		       (unsigned long long)sf.f_files, (unsigned long long)sf.f_ffree,
		       (unsigned)sf.f_namelen, !!(sf.f_flags & ST_RDONLY));
	if (stat(MNT, &root) == 0) {
		printf("st_dev: %llx\n", (unsigned long long)root.st_dev);   /* the disk's: hdc 22:0 */
		printf("/ %o %lu %lu - %u %llu %ld\n", (unsigned)root.st_mode,
		       (unsigned long)root.st_uid, (unsigned long)root.st_gid,
		       (unsigned)root.st_nlink, (unsigned long long)root.st_blocks,
		       (long)root.st_mtime);
		walk(MNT, "", &root, NULL);
	}
	show_bool("atime kept on a read-only mount", atime_kept(MNT "/big"));
	show_child("other", as_other, NULL);
	show_child("exec from the disk", hello_child, NULL);
	show("umount", syscall(__NR_umount2, MNT, 0));
	lazy_umount(dev);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "hello")) {
		printf("hello from the disk\n");
		return HELLO_STATUS;
	}
	if (argc == 3 && !strcmp(argv[1], "walk"))
		return walk_disk(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "mount")) {
		unsigned long flags = strcmp(argv[3], "ro") ? 0 : MS_RDONLY;

		mkdir(MNT, 0755);
		show("mount", do_mount(argv[2], MNT, "ext2", flags));
		printf("still running\n");
		return 0;
	}
	fprintf(stderr, "usage: ext2walk walk DEV | mount DEV ro|rw | hello\n");
	return 2;
}
