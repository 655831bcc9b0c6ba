/*
 * Files and directories on anvil's ramfs (/tmp): read/write/lseek with
 * holes and O_APPEND, unlink of an open file, rename, mkdir/rmdir, links,
 * getdents64, stat, ftruncate, utimensat and statfs, with Linux's errno
 * for each misuse; nothing can be created in a removed directory.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "ut.h"

#define P(name) scratch_path(name)

static int make_file(const char *path, const char *data)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_RDWR, 0644));

	CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data), "write %s", path);
	return fd;
}

/* The whole file must read back as want (len bytes). */
static void check_contents(int fd, const char *want, size_t len)
{
	char buf[256];

	CHECK(len <= sizeof(buf), "check_contents: %zu bytes", len);
	CHECK(pread(fd, buf, sizeof(buf), 0) == (ssize_t)len, "file size is not %zu", len);
	CHECK(!memcmp(buf, want, len), "file contents differ");
}

static void t_file_rw(void)
{
	int fd = make_file(P("f"), "hello, world");
	char buf[32];

	CHECK(lseek(fd, 0, SEEK_CUR) == 12, "offset after write");
	CHECK(lseek(fd, 7, SEEK_SET) == 7, "SEEK_SET");
	CHECK(read(fd, buf, sizeof(buf)) == 5 && !memcmp(buf, "world", 5), "read after SEEK_SET");
	CHECK(read(fd, buf, sizeof(buf)) == 0, "read at EOF");
	CHECK(lseek(fd, -5, SEEK_END) == 7, "SEEK_END");
	CHECK(write(fd, "WORLD!", 6) == 6, "overwrite and extend");
	check_contents(fd, "hello, WORLD!", 13);
	CHECK(lseek(fd, 20, SEEK_SET) == 20 && write(fd, "x", 1) == 1, "write after a hole");
	check_contents(fd, "hello, WORLD!\0\0\0\0\0\0\0x", 21);
	CHECK_ERR(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERR(lseek(fd, 0, 5), EINVAL);    /* no such whence (3 and 4 are SEEK_DATA/HOLE) */
	close(fd);

	fd = CHECK_OK(open(P("f"), O_WRONLY | O_APPEND));
	CHECK(write(fd, "yz", 2) == 2 && lseek(fd, 0, SEEK_CUR) == 23, "O_APPEND write");
	CHECK(lseek(fd, 0, SEEK_SET) == 0 && write(fd, "!", 1) == 1, "O_APPEND after a seek");
	CHECK(lseek(fd, 0, SEEK_CUR) == 24, "O_APPEND did not write at the end");
	CHECK_ERR(read(fd, buf, 1), EBADF);
	close(fd);
	CHECK_ERR(open(P("f"), O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
	CHECK_ERR(read(fd, buf, 1), EBADF);
	CHECK_ERR(close(fd), EBADF);
	fd = CHECK_OK(open(P("f"), O_RDONLY | O_TRUNC));   /* Linux: O_TRUNC empties it even read-only */
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK(read(fd, buf, 1) == 0, "open(O_RDONLY | O_TRUNC) did not empty the file");
	close(fd);
}

static void t_file_unlink(void)
{
	int fd = make_file(P("u"), "still here");
	char buf[16];
	struct stat st;

	CHECK_OK(unlink(P("u")));
	CHECK_ERR(open(P("u"), O_RDONLY), ENOENT);
	CHECK_ERR(unlink(P("u")), ENOENT);
	CHECK_OK(fstat(fd, &st));
	CHECK(st.st_nlink == 0, "st_nlink %u after unlink", st.st_nlink);
	CHECK(pread(fd, buf, sizeof(buf), 0) == 10 && !memcmp(buf, "still here", 10),
	      "an unlinked open file lost its data");
	CHECK(write(fd, "!", 1) == 1, "writing an unlinked open file");
	close(fd);
	CHECK_ERR(unlink(scratch_dir()), EISDIR);
}

static void t_file_link(void)
{
	int fd = make_file(P("a"), "data");
	struct stat sa, sb;

	CHECK_OK(link(P("a"), P("b")));
	CHECK_OK(stat(P("a"), &sa));
	CHECK_OK(stat(P("b"), &sb));
	CHECK(sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev && sa.st_nlink == 2,
	      "two links: inodes %llu/%llu, st_nlink %u", sa.st_ino, sb.st_ino, sa.st_nlink);
	CHECK_ERR(link(P("a"), P("b")), EEXIST);
	CHECK_ERR(link(scratch_dir(), P("d")), EPERM);   /* no hard links to directories */
	CHECK_OK(unlink(P("a")));
	close(fd);
	fd = CHECK_OK(open(P("b"), O_RDONLY));
	check_contents(fd, "data", 4);
	CHECK_OK(fstat(fd, &sb));
	CHECK(sb.st_nlink == 1, "st_nlink %u after unlinking one name", sb.st_nlink);
	close(fd);
}

static void t_file_rename(void)
{
	int fd;

	close(make_file(P("old"), "old"));
	close(make_file(P("victim"), "victim"));
	CHECK_OK(rename(P("old"), P("victim")));
	CHECK_ERR(open(P("old"), O_RDONLY), ENOENT);
	fd = CHECK_OK(open(P("victim"), O_RDONLY));
	check_contents(fd, "old", 3);
	close(fd);
	CHECK_OK(rename(P("victim"), P("victim")));        /* same file: nothing happens */
	CHECK_ERR(rename(P("nonexistent"), P("x")), ENOENT);

	CHECK_OK(mkdir(P("d1"), 0755));
	CHECK_OK(mkdir(P("d2"), 0755));
	CHECK_OK(mkdir(P("d1/sub"), 0755));
	CHECK_ERR(rename(P("victim"), P("d2")), EISDIR);
	CHECK_ERR(rename(P("d2"), P("victim")), ENOTDIR);
	CHECK_ERR(rename(P("d2"), P("d1")), ENOTEMPTY);
	CHECK_ERR(rename(P("d1"), P("d1/sub/d1")), EINVAL);
	CHECK_OK(rename(P("d1"), P("d2")));                /* over an empty directory */
	CHECK_OK(access(P("d2/sub"), F_OK));
	CHECK_ERR(access(P("d1"), F_OK), ENOENT);
	CHECK_OK(rename(P("victim"), P("d2/sub/moved")));   /* across directories */
	fd = CHECK_OK(open(P("d2/sub/moved"), O_RDONLY));
	check_contents(fd, "old", 3);
	close(fd);
}

static void t_dir_errors(void)
{
	int fd;

	CHECK_OK(mkdir(P("d"), 0755));
	CHECK_ERR(mkdir(P("d"), 0755), EEXIST);
	close(make_file(P("d/f"), "x"));
	close(make_file(P("file"), "x"));
	CHECK_ERR(mkdir(P("file"), 0755), EEXIST);
	CHECK_ERR(rmdir(P("d")), ENOTEMPTY);
	CHECK_ERR(rmdir(P("file")), ENOTDIR);
	CHECK_ERR(rmdir(P("none")), ENOENT);
	CHECK_ERR(mkdir(P("none/sub"), 0755), ENOENT);
	CHECK_ERR(open(P("none/f"), O_CREAT | O_RDWR, 0644), ENOENT);
	CHECK_ERR(open(P("file/x"), O_RDONLY), ENOTDIR);
	CHECK_ERR(open(P("file/x"), O_CREAT | O_RDWR, 0644), ENOTDIR);
	CHECK_ERR(mkdir(P("file/x"), 0755), ENOTDIR);
	CHECK_ERR(open(P("file"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	CHECK_ERR(open(P("d"), O_WRONLY), EISDIR);
	CHECK_ERR(open(P("d"), O_RDWR), EISDIR);
	fd = CHECK_OK(open(P("d"), O_RDONLY | O_DIRECTORY));
	CHECK_ERR(write(fd, "x", 1), EBADF);
	CHECK_ERR(read(fd, &fd, 1), EISDIR);
	close(fd);
	CHECK_OK(unlink(P("d/f")));
	CHECK_OK(rmdir(P("d")));
	CHECK_ERR(access(P("d"), F_OK), ENOENT);
	CHECK_ERR(rmdir(P("file/.")), ENOTDIR);
}

#define NFILES 40

/* Read the whole directory through getdents64 with a small buffer; the names seen. */
static int scan_dir(int fd, char names[][16], int max, unsigned char *types)
{
	static char buf[200];       /* a few entries per call */
	int n = 0, r;

	CHECK(lseek(fd, 0, SEEK_SET) == 0, "rewinding the directory");
	while ((r = getdents64(fd, buf, sizeof(buf))) > 0)
		for (int off = 0; off < r; ) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			CHECK(d->d_reclen % 8 == 0 && d->d_reclen >= 20 && off + d->d_reclen <= r,
			      "bad d_reclen %u", d->d_reclen);
			CHECK(n < max && strlen(d->d_name) < 16, "unexpected entry %s", d->d_name);
			strcpy(names[n], d->d_name);
			types[n++] = d->d_type;
			off += d->d_reclen;
		}
	CHECK(r == 0, "getdents64: %s", errno_name(errno));
	return n;
}

static void t_getdents(void)
{
	static char names[NFILES + 8][16];
	unsigned char types[NFILES + 8], seen[NFILES + 2];
	char name[16], tiny[8];
	int fd, n;

	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "file%02d", i);
		close(make_file(P(name), "x"));
	}
	CHECK_OK(mkdir(P("subdir"), 0755));
	fd = CHECK_OK(open(scratch_dir(), O_RDONLY | O_DIRECTORY));
	CHECK_ERR(getdents64(fd, tiny, sizeof(tiny)), EINVAL);
	for (int round = 0; round < 2; round++) {
		n = scan_dir(fd, names, NFILES + 8, types);
		memset(seen, 0, sizeof(seen));
		for (int i = 0; i < n; i++) {
			int k, is_dir = 1;

			if (!strcmp(names[i], ".") || !strcmp(names[i], ".."))
				k = NFILES;
			else if (!strcmp(names[i], "subdir"))
				k = NFILES + 1;
			else {
				k = (names[i][4] - '0') * 10 + names[i][5] - '0';
				is_dir = 0;
				CHECK(!strncmp(names[i], "file", 4) && k >= 0 && k < NFILES,
				      "unexpected entry %s", names[i]);
			}
			CHECK(types[i] == (is_dir ? DT_DIR : DT_REG), "%s has d_type %d", names[i],
			      types[i]);
			CHECK(seen[k] < (k == NFILES ? 2 : 1), "%s listed twice", names[i]);
			seen[k]++;
		}
		CHECK(n == NFILES + 3 - round * (NFILES / 2), "round %d: %d entries", round, n);
		/* unlink every second file; the next scan must not show them */
		for (int i = 0; !round && i < NFILES; i += 2) {
			snprintf(name, sizeof(name), "file%02d", i);
			CHECK_OK(unlink(P(name)));
		}
		for (int i = 0; round && i < NFILES; i++)
			CHECK(seen[i] == (i % 2), "file%02d %s after unlinking", i,
			      seen[i] ? "listed" : "missing");
	}
	close(fd);
	fd = CHECK_OK(open(P("file01"), O_RDONLY));
	CHECK_ERR(getdents64(fd, names, sizeof(names)), ENOTDIR);
	close(fd);
}

static void t_stat(void)
{
	int fd = make_file(P("s"), "12345");
	struct stat st, st2;

	CHECK_OK(stat(P("s"), &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 5 && st.st_nlink == 1,
	      "file: mode %o, size %lld, nlink %u", st.st_mode, st.st_size, st.st_nlink);
	CHECK_OK(fstat(fd, &st2));
	CHECK(st2.st_ino == st.st_ino && st2.st_dev == st.st_dev && st2.st_size == 5,
	      "fstat and stat disagree");
	CHECK(write(fd, "678", 3) == 3 && fstat(fd, &st2) == 0 && st2.st_size == 8,
	      "st_size %lld after writing 8 bytes", st2.st_size);
	CHECK_OK(stat(scratch_dir(), &st));
	CHECK(S_ISDIR(st.st_mode), "the directory: mode %o", st.st_mode);
	CHECK_OK(stat("/dev/null", &st));
	CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3,
	      "/dev/null: mode %o, rdev %u:%u", st.st_mode, major(st.st_rdev), minor(st.st_rdev));
	CHECK_ERR(stat(P("none"), &st), ENOENT);
	CHECK_ERR(stat(P("s/x"), &st), ENOTDIR);
	CHECK_ERR(fstat(-1, &st), EBADF);
	close(fd);
}

static void t_ftruncate(void)
{
	int fd = make_file(P("t"), "abcdefgh");
	struct stat st;
	char buf[16];

	CHECK_OK(ftruncate(fd, 3));
	check_contents(fd, "abc", 3);
	CHECK(lseek(fd, 0, SEEK_CUR) == 8, "ftruncate moved the offset");
	CHECK_OK(ftruncate(fd, 6));
	check_contents(fd, "abc\0\0\0", 6);     /* grown with zeros, not the old bytes */
	CHECK_OK(fstat(fd, &st));
	CHECK(st.st_size == 6, "st_size %lld", st.st_size);
	CHECK_ERR(ftruncate(fd, -1), EINVAL);
	CHECK_OK(truncate(P("t"), 1));
	check_contents(fd, "a", 1);
	close(fd);
	fd = CHECK_OK(open(P("t"), O_RDONLY));
	CHECK_ERR(ftruncate(fd, 0), EINVAL);
	CHECK(read(fd, buf, sizeof(buf)) == 1, "size changed by a failed ftruncate");
	close(fd);
	CHECK_ERR(truncate(scratch_dir(), 0), EISDIR);
	CHECK_ERR(truncate(P("none"), 0), ENOENT);
}

/* _llseek(fd, offset, whence): the new offset, or -1 with errno. */
static long long llseek(int fd, long long offset, int whence)
{
	long long result;

	if (syscall(__NR__llseek, fd, (unsigned long)((unsigned long long)offset >> 32),
		    (unsigned long)offset, &result, whence) < 0)
		return -1;
	return result;
}

/*
 * No offset past the largest file anvil's file systems hold (s_maxbytes:
 * 2 GiB - 1, where a write there gets EFBIG) -- EINVAL, as Linux's
 * vfs_setpos() gives; the offset stays.  (The host's file systems hold
 * larger files, so diff/llseek cannot check this.)
 */
static void t_llseek_maxbytes(void)
{
	const long long max = 0x7fffffffLL;
	int fd = make_file(P("f"), "0123456789");

	CHECK(llseek(fd, max, SEEK_SET) == max, "_llseek to 2 GiB - 1 failed");
	CHECK_ERR(write(fd, "x", 1), EFBIG);
	CHECK_ERR(llseek(fd, 1, SEEK_CUR), EINVAL);
	CHECK_ERR(llseek(fd, max + 1, SEEK_SET), EINVAL);
	CHECK_ERR(llseek(fd, 1LL << 40, SEEK_SET), EINVAL);
	CHECK_ERR(llseek(fd, max - 9, SEEK_END), EINVAL);
	CHECK(llseek(fd, 0, SEEK_CUR) == max, "a failed _llseek moved the offset");
	CHECK(llseek(fd, max - 10, SEEK_END) == max, "_llseek SEEK_END to 2 GiB - 1 failed");
	CHECK(lseek(fd, 5, SEEK_SET) == 5, "lseek 5");
	close(fd);
}

/* utimensat(2) through syscall(): times, UTIME_OMIT/UTIME_NOW, NULL, a descriptor. */
static void t_utimensat(void)
{
	struct timespec ts[2] = { { 1000000, 0 }, { 2000000, 5 } };
	struct stat st;
	unsigned long before = time(NULL);
	int fd;

	close(make_file(P("u"), "x"));
	CHECK_OK(syscall(__NR_utimensat, AT_FDCWD, P("u"), ts, 0));
	CHECK(stat(P("u"), &st) == 0 && st.st_atime == 1000000 && st.st_mtime == 2000000,
	      "times %ld %ld", (long)st.st_atime, (long)st.st_mtime);
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_nsec = UTIME_NOW;
	CHECK_OK(syscall(__NR_utimensat, AT_FDCWD, P("u"), ts, 0));
	CHECK(stat(P("u"), &st) == 0 && st.st_atime == 1000000 && st.st_mtime >= before,
	      "UTIME_OMIT/UTIME_NOW: times %ld %ld", (long)st.st_atime, (long)st.st_mtime);
	fd = CHECK_OK(open(P("u"), O_RDONLY));
	CHECK_OK(syscall(__NR_utimensat, fd, NULL, NULL, 0));
	CHECK(fstat(fd, &st) == 0 && st.st_atime >= before, "futimens(NULL) did not set now");
	close(fd);
	ts[0].tv_nsec = 1000000000;
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, P("u"), ts, 0), EINVAL);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, P("u"), NULL, 0x1), EINVAL);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, P("none"), NULL, 0), ENOENT);
	CHECK_ERR(syscall(__NR_utimensat, AT_FDCWD, P("u"), (void *)0xC0000000, 0), EFAULT);
}

/* chown to root (0) or "unchanged" (-1) works, as for root on Linux. */
static void t_chown_root(void)
{
	int fd = make_file(P("c"), "x");

	CHECK_OK(syscall(__NR_chown32, P("c"), 0, 0));
	CHECK_OK(syscall(__NR_fchown32, fd, -1, 0));
	CHECK_OK(syscall(__NR_lchown32, P("c"), -1, -1));
	CHECK_ERR(syscall(__NR_chown32, P("none"), 0, 0), ENOENT);
	CHECK_ERR(syscall(__NR_fchown32, -1, 0, 0), EBADF);
	close(fd);
}

/*
 * Found by the fuzzer: a file created (or linked, or renamed) into a
 * directory already removed was never freed, and the directory's last
 * iput hit BUG_ON(!list_empty(&inode->i_entries)).  Linux: ENOENT.
 */
static void t_create_in_removed_dir(void)
{
	int dfd, fd;

	CHECK_OK(mkdir(P("gone"), 0755));
	dfd = CHECK_OK(open(P("gone"), O_RDONLY | O_DIRECTORY));
	fd = make_file(P("f"), "x");
	close(fd);
	CHECK_OK(rmdir(P("gone")));
	CHECK_ERR(openat(dfd, "new", O_CREAT | O_RDWR, 0644), ENOENT);
	CHECK_ERR(syscall(__NR_mkdirat, dfd, "sub", 0755), ENOENT);
	CHECK_ERR(syscall(__NR_linkat, AT_FDCWD, P("f"), dfd, "link", 0), ENOENT);
	CHECK_ERR(syscall(__NR_renameat, AT_FDCWD, P("f"), dfd, "moved"), ENOENT);
	CHECK_OK(access(P("f"), F_OK));          /* the failed rename kept the name */
	close(dfd);                               /* the directory's last reference */
}

/* The root is a ramfs, which counts no blocks (Linux's simple_statfs); /tmp is a tmpfs. */
static void t_statfs_ramfs(void)
{
	struct statfs64 root, tmp;

	CHECK_OK(statfs64("/", &root));
	CHECK_OK(statfs64(scratch_dir(), &tmp));
	CHECK(root.f_type == RAMFS_MAGIC && tmp.f_type == TMPFS_MAGIC,
	      "f_type of / %#lx and of /tmp %#lx", root.f_type, tmp.f_type);
	CHECK(root.f_bsize == 4096 && root.f_namelen == 255 && root.f_blocks == 0 &&
	      root.f_flags == ST_VALID, "statfs of /: bsize %lu namelen %lu blocks %llu flags %#lx",
	      root.f_bsize, root.f_namelen, root.f_blocks, root.f_flags);
}

const struct subtest fs_tests[] = {
	{ "file_rw", t_file_rw, 0 },
	{ "file_unlink", t_file_unlink, 0 },
	{ "file_link", t_file_link, 0 },
	{ "file_rename", t_file_rename, 0 },
	{ "dir_errors", t_dir_errors, 0 },
	{ "getdents", t_getdents, 0 },
	{ "stat", t_stat, 0 },
	{ "ftruncate", t_ftruncate, 0 },
	{ "llseek_maxbytes", t_llseek_maxbytes, 0 },
	{ "utimensat", t_utimensat, 0 },
	{ "chown_root", t_chown_root, 0 },
	{ "create_in_removed_dir", t_create_in_removed_dir, 0 },
	{ "statfs_ramfs", t_statfs_ramfs, 0 },
	{ NULL },
};
