/*
 * Symbolic links and statx: symlink/readlink, lstat against stat, links
 * followed in the middle and at the end of a path (relative targets from
 * the link's directory, absolute ones from the root), -ELOOP, unlink of a
 * link, O_NOFOLLOW, O_CREAT through a dangling link; statx's fields,
 * flags and errors.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "ut.h"

#define P(name) scratch_path(name)
/* longer than MAX_NESTED_LINKS and MAXSYMLINKS: -ELOOP on anvil and Linux */
#define LONG_CHAIN 41

static void make_file(const char *path, const char *data)
{
	int fd = CHECK_OK(open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644));

	CHECK(write(fd, data, strlen(data)) == (ssize_t)strlen(data), "write %s", path);
	close(fd);
}

/* path must read back as want */
static void check_reads(const char *path, const char *want)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	CHECK(fd >= 0, "open %s: %s", path, errno_name(errno));
	n = read(fd, buf, sizeof(buf));
	close(fd);
	CHECK(n == (ssize_t)strlen(want) && !memcmp(buf, want, n), "%s reads %zd bytes, not \"%s\"",
	      path, n, want);
}

static char longest[PATH_MAX], too_long[PATH_MAX + 1];

static void t_symlink_readlink(void)
{
	char buf[64];
	struct stat st, lst;

	memset(too_long, 'b', PATH_MAX);                 /* no NUL within PATH_MAX bytes */

	make_file(P("target"), "through the link");
	CHECK_OK(symlink("target", P("link")));
	CHECK(readlink(P("link"), buf, sizeof(buf)) == 6 && !memcmp(buf, "target", 6),
	      "readlink does not give the target");
	CHECK(readlink(P("link"), buf, 3) == 3 && !memcmp(buf, "tar", 3), "a short readlink buffer");
	CHECK_OK(lstat(P("link"), &lst));
	CHECK(S_ISLNK(lst.st_mode) && lst.st_size == 6 && (lst.st_mode & 0777) == 0777,
	      "lstat: mode %o size %lld", lst.st_mode, lst.st_size);
	CHECK_OK(stat(P("link"), &st));
	CHECK(S_ISREG(st.st_mode) && st.st_size == 16 && st.st_ino != lst.st_ino,
	      "stat does not follow the link");
	check_reads(P("link"), "through the link");
	CHECK_ERR(readlink(P("target"), buf, sizeof(buf)), EINVAL);
	CHECK_ERR(readlink(P("link"), buf, 0), EINVAL);
	CHECK_ERR(readlink(P("none"), buf, sizeof(buf)), ENOENT);
	CHECK_ERR(symlink("x", P("link")), EEXIST);
	CHECK_ERR(symlink("x", P("target")), EEXIST);
	CHECK_ERR(symlink("", P("empty")), ENOENT);
	CHECK_ERR(symlink("x", P("none/l")), ENOENT);
	memset(longest, 'a', sizeof(longest) - 1);          /* PATH_MAX - 1 bytes: the limit */
	CHECK_OK(symlink(longest, P("long")));
	CHECK(readlink(P("long"), longest, sizeof(longest)) == (ssize_t)sizeof(longest) - 1,
	      "readlink of a %zu-byte target", sizeof(longest) - 1);
	CHECK_ERR(syscall(__NR_symlink, too_long, P("toolong")), ENAMETOOLONG);
	CHECK_ERR(open(P("link"), O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_ERR(open(P("link"), O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
	CHECK_ERR(rmdir(P("link")), ENOTDIR);
	CHECK_OK(unlink(P("link")));            /* the link goes, its target stays */
	CHECK_ERR(lstat(P("link"), &lst), ENOENT);
	check_reads(P("target"), "through the link");
}

static void t_symlink_dangling(void)
{
	struct stat st;
	char buf[64];
	int fd;

	CHECK_OK(symlink("nowhere", P("dangling")));
	CHECK_ERR(stat(P("dangling"), &st), ENOENT);
	CHECK_OK(lstat(P("dangling"), &st));
	CHECK(S_ISLNK(st.st_mode), "lstat of a dangling link: mode %o", st.st_mode);
	CHECK_ERR(open(P("dangling"), O_RDONLY), ENOENT);
	CHECK(readlink(P("dangling"), buf, sizeof(buf)) == 7, "readlink of a dangling link");
	CHECK_OK(rename(P("dangling"), P("moved")));
	CHECK(readlink(P("moved"), buf, sizeof(buf)) == 7 && !memcmp(buf, "nowhere", 7),
	      "rename changed the link");
	fd = CHECK_OK(open(P("moved"), O_CREAT | O_WRONLY, 0644));   /* creates "nowhere" */
	close(fd);
	CHECK_OK(stat(P("nowhere"), &st));
	CHECK(S_ISREG(st.st_mode), "O_CREAT through a dangling link: mode %o", st.st_mode);
	CHECK_OK(unlink(P("nowhere")));
	CHECK_OK(link(P("moved"), P("hard")));  /* a hard link to the link itself */
	CHECK_OK(lstat(P("hard"), &st));
	CHECK(S_ISLNK(st.st_mode) && st.st_nlink == 2, "link(2) of a symlink: mode %o nlink %u",
	      st.st_mode, st.st_nlink);
}

static void t_symlink_dirs(void)
{
	char cwd[128], abs_target[96];
	struct stat st;

	CHECK_OK(mkdir(P("d"), 0755));
	CHECK_OK(mkdir(P("d/sub"), 0755));
	make_file(P("d/sub/f"), "in sub");
	make_file(P("top"), "at the top");
	CHECK_OK(symlink("d/sub", P("dl")));
	check_reads(P("dl/f"), "in sub");                   /* a link in the middle */
	CHECK_OK(symlink("../../top", P("d/sub/up")));     /* relative: from the link's directory */
	check_reads(P("dl/up"), "at the top");
	snprintf(abs_target, sizeof(abs_target), "%s/top", scratch_dir());
	CHECK_OK(symlink(abs_target, P("d/abs")));          /* absolute: from the root */
	check_reads(P("d/abs"), "at the top");
	CHECK_OK(lstat(P("dl/"), &st));                     /* a trailing slash follows */
	CHECK(S_ISDIR(st.st_mode), "lstat(\"dl/\") did not follow: mode %o", st.st_mode);
	CHECK_ERR(lstat(P("d/abs/"), &st), ENOTDIR);
	CHECK_OK(chdir(P("dl")));
	CHECK(getcwd(cwd, sizeof(cwd)) && !strcmp(cwd + strlen(cwd) - 6, "/d/sub"),
	      "getcwd after chdir through a link: %s", cwd);
	CHECK_OK(chdir(".."));                              /* ".." of the real directory */
	CHECK_OK(stat("sub", &st));
	CHECK_OK(mkdir(P("dl/new"), 0755));
	CHECK_OK(stat(P("d/sub/new"), &st));
}

static void t_symlink_loop(void)
{
	char name[16], next[16];
	struct stat st;

	CHECK_OK(symlink("b", P("a")));
	CHECK_OK(symlink("a", P("b")));
	CHECK_ERR(stat(P("a"), &st), ELOOP);
	CHECK_ERR(open(P("a/x"), O_RDONLY), ELOOP);
	CHECK_OK(lstat(P("a"), &st));
	CHECK_OK(symlink("self", P("self")));
	CHECK_ERR(stat(P("self/x"), &st), ELOOP);
	CHECK_ERR(mkdir(P("self/x"), 0755), ELOOP);
	make_file(P("c0"), "end");
	for (int i = 1; i <= LONG_CHAIN; i++) {              /* c<i> -> c<i-1> */
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(next, sizeof(next), "c%d", i - 1);
		CHECK_OK(symlink(next, P(name)));
	}
	check_reads(P("c3"), "end");
	CHECK_ERR(stat(P("c41"), &st), ELOOP);
}

/* statx(2) through syscall(): the struct is abi/stat.h's. */
static long statx_(int dirfd, const char *path, int flags, unsigned int mask, struct statx *sx)
{
	return syscall(__NR_statx, dirfd, path, flags, mask, sx);
}

static void t_statx(void)
{
	struct statx sx;
	struct stat st;
	int dfd;

	make_file(P("sx"), "12345");
	CHECK_OK(symlink("sx", P("sxl")));
	CHECK_OK(stat(P("sx"), &st));
	memset(&sx, 0xff, sizeof(sx));
	CHECK_OK(statx_(AT_FDCWD, P("sx"), 0, STATX_BASIC_STATS, &sx));
	CHECK((sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS, "stx_mask %x", sx.stx_mask);
	CHECK(S_ISREG(sx.stx_mode) && (sx.stx_mode & 0777) == (st.st_mode & 0777) &&
	      sx.stx_size == 5 && sx.stx_nlink == 1 && sx.stx_ino == st.st_ino,
	      "statx: mode %o size %llu nlink %u", sx.stx_mode, sx.stx_size, sx.stx_nlink);
	CHECK(sx.stx_mtime.tv_sec == st.st_mtime && sx.stx_blksize == st.st_blksize &&
	      sx.stx_blocks == st.st_blocks, "statx and stat disagree on times or blocks");
	CHECK_OK(statx_(AT_FDCWD, P("sxl"), 0, STATX_BASIC_STATS, &sx));
	CHECK(S_ISREG(sx.stx_mode), "statx does not follow the link");
	CHECK_OK(statx_(AT_FDCWD, P("sxl"), AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
	CHECK(S_ISLNK(sx.stx_mode) && sx.stx_size == 2, "AT_SYMLINK_NOFOLLOW: mode %o", sx.stx_mode);
	dfd = CHECK_OK(open(scratch_dir(), O_RDONLY | O_DIRECTORY));
	CHECK_OK(statx_(dfd, "sx", 0, STATX_SIZE, &sx));
	CHECK(sx.stx_size == 5, "statx relative to a directory fd");
	CHECK_OK(statx_(dfd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
	CHECK(S_ISDIR(sx.stx_mode), "AT_EMPTY_PATH on a directory fd: mode %o", sx.stx_mode);
	CHECK_ERR(statx_(dfd, "", 0, STATX_BASIC_STATS, &sx), ENOENT);
	CHECK_ERR(statx_(AT_FDCWD, P("none"), 0, STATX_BASIC_STATS, &sx), ENOENT);
	CHECK_ERR(statx_(-1, "sx", 0, STATX_BASIC_STATS, &sx), EBADF);
	CHECK_ERR(statx_(AT_FDCWD, P("sx"), 0x1, STATX_BASIC_STATS, &sx), EINVAL);
	CHECK_ERR(statx_(AT_FDCWD, P("sx"), AT_STATX_SYNC_TYPE, STATX_BASIC_STATS, &sx), EINVAL);
	CHECK_ERR(statx_(AT_FDCWD, P("sx"), 0, STATX__RESERVED, &sx), EINVAL);
	CHECK_ERR(statx_(AT_FDCWD, P("sx"), 0, STATX_BASIC_STATS, (struct statx *)0xC0000000),
		  EFAULT);
	CHECK_ERR(statx_(AT_FDCWD, (const char *)1, 0, STATX_BASIC_STATS, &sx), EFAULT);
	close(dfd);
}

const struct subtest symlink_tests[] = {
	{ "symlink_readlink", t_symlink_readlink, 0 },
	{ "symlink_dangling", t_symlink_dangling, 0 },
	{ "symlink_dirs", t_symlink_dirs, 0 },
	{ "symlink_loop", t_symlink_loop, 0 },
	{ "statx", t_statx, 0 },
	{ NULL },
};
