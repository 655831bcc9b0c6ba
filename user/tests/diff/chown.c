/*
 * Who may change a file's owner, group and mode, and what happens to the
 * set-user-ID and set-group-ID bits: root gives a file to anyone; its
 * owner may only change its group, to one of theirs (-1 leaves an id
 * alone); chown clears S_ISUID -- and S_ISGID when the group may execute
 * -- on anything but a directory, even done by root; chmod is for the
 * owner and root, and a non-root chmod drops S_ISGID when the file's
 * group is not the caller's; writing to or truncating a file, unless
 * root does it, clears the bits as chown does.  chown, fchown, lchown,
 * fchownat (AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH), chmod, fchmod, fchmodat.
 */
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>
#include <sys/stat.h>
#include "../common/report.h"

#define USER 1000
#define GROUP_OF_USER 2000
#define STRANGER 3000
#define NONE ((unsigned int)-1)

static void show_file(const char *what, const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		printf("  %s: %s\n", what, errno_name(errno));
	else
		printf("  %s: %u:%u %05o\n", what, (unsigned)st.st_uid, (unsigned)st.st_gid,
		       st.st_mode & 07777);
}

static void fresh(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	unlink(path);
	close(creat(path, 0600));
	chown(path, uid, gid);
	chmod(path, mode);
}

static void by_root(void)
{
	int fd;

	printf("-- root\n");
	fresh("f", 0, 0, 0644);
	show("chown(f, 1000, 2000)", chown("f", USER, GROUP_OF_USER));
	show_file("f", "f");
	show("chown(f, -1, 70000)", chown("f", NONE, 70000));
	show_file("f", "f");
	show("chown(f, 4000000000, -1)", chown("f", 4000000000u, NONE));
	show_file("f", "f");
	symlink("f", "l");
	show("lchown(l, 5, 6)", lchown("l", 5, 6));
	show_file("l", "l");
	show_file("f", "f");
	show("fchownat(l, 7, 8, AT_SYMLINK_NOFOLLOW)", fchownat(AT_FDCWD, "l", 7, 8, AT_SYMLINK_NOFOLLOW));
	show_file("l", "l");
	show("fchownat(l, 9, 9, 0) follows", fchownat(AT_FDCWD, "l", 9, 9, 0));
	show_file("f", "f");
	fd = open("f", O_RDONLY);
	show("fchownat(fd, \"\", 10, 10, AT_EMPTY_PATH)", fchownat(fd, "", 10, 10, AT_EMPTY_PATH));
	show_file("f", "f");
	show("fchownat(fd, \"\", 10, 10, 0)", fchownat(fd, "", 10, 10, 0));
	show("fchownat(..., flag 1)", fchownat(AT_FDCWD, "f", 10, 10, 1));
	show("fchown(fd, 0, 0)", fchown(fd, 0, 0));
	show_file("f", "f");
	close(fd);
	show("chown(missing)", chown("missing", 0, 0));
	show("fchown(-1)", fchown(-1, 0, 0));

	printf("-- chown clears the set-id bits\n");
	fresh("s", 0, 0, 06755);
	show("chown(06755 file, 0, 0) by root", chown("s", 0, 0));
	show_file("s", "s");
	fresh("s", 0, 0, 06745);
	show("chown(06745 file: no group x, 0, 0)", chown("s", 0, 0));
	show_file("s", "s");
	fresh("s", 0, 0, 04755);
	show("chown(04755 file, -1, -1)", chown("s", NONE, NONE));
	show_file("s", "s");
	mkdir("sd", 06755);
	chmod("sd", 06755);
	show("chown(06755 directory, 1, 1)", chown("sd", 1, 1));
	show_file("sd", "sd");
	fresh("s", 0, 0, 06755);
	fd = open("s", O_RDONLY);
	show("fchown(06755 file, 1, -1)", fchown(fd, 1, NONE));
	close(fd);
	show_file("s", "s");

	printf("-- chmod\n");
	fresh("m", USER, STRANGER, 0644);
	show("chmod(m, 07777) by root", chmod("m", 07777));
	show_file("m", "m");
	show("chmod(m, 0100644) (type bits ignored)", chmod("m", 0100644));
	show_file("m", "m");
	show("fchmodat(AT_FDCWD, m, 0600, 0)", fchmodat(AT_FDCWD, "m", 0600, 0));
	show_file("m", "m");
	fd = open("m", O_RDONLY);
	show("fchmod(fd, 0640)", fchmod(fd, 0640));
	close(fd);
	show_file("m", "m");
}

static void as_owner(void *arg)
{
	gid_t groups[] = { GROUP_OF_USER };
	int fd;

	become(USER, USER, 1, groups);
	show("owner: chown(own, 1000, -1) (no change)", chown("o", USER, NONE));
	show("owner: chown(own, 3000, -1)", chown("o", STRANGER, NONE));
	show("owner: chown(own, -1, 2000) (a supplementary group)", chown("o", NONE, GROUP_OF_USER));
	show_file("o", "o");
	show("owner: chown(own, -1, 1000) (the primary group)", chown("o", NONE, USER));
	show_file("o", "o");
	show("owner: chown(own, -1, 3000)", chown("o", NONE, STRANGER));
	show("owner: chown(own, 1000, 2000)", chown("o", USER, GROUP_OF_USER));
	show_file("o", "o");
	show("owner: chown(root's, -1, -1)", chown("r", NONE, NONE));
	show("owner: chown(root's, -1, 2000)", chown("r", NONE, GROUP_OF_USER));
	show("owner: chown(root's 04755, -1, -1)", chown("rs", NONE, NONE));
	show_file("rs", "rs");
	show("owner: chown(own 06755, -1, 1000)", chown("os", NONE, USER));
	show_file("os", "os");
	show("owner: chown(own 02745, -1, 1000)", chown("os2", NONE, USER));
	show_file("os2", "os2");
	show("owner: chmod(root's, 0777)", chmod("r", 0777));
	show("owner: chmod(own, 04777)", chmod("o", 04777));
	show_file("o", "o");
	show("owner: chmod(own, group 3000, 02755)", chmod("og", 02755));
	show_file("og", "og");
	show("owner: chmod(own, group 2000, 02755)", chmod("o", 02755));
	show_file("o", "o");
	fd = open("og", O_RDONLY);
	show("owner: fchmod(own, group 3000, 06777)", fchmod(fd, 06777));
	close(fd);
	show_file("og", "og");
}

static void writes_clear(void *arg)
{
	int fd;

	become(STRANGER, STRANGER, 0, NULL);
	fd = open("w1", O_WRONLY);
	show("non-root write to a 06777 file", write(fd, "x", 1));
	close(fd);
	show_file("w1", "w1");
	show("non-root truncate of a 06767 file", truncate("w2", 0));
	show_file("w2", "w2");
	fd = open("w3", O_WRONLY);
	show("non-root write to a 02767 file", write(fd, "x", 1));
	close(fd);
	show_file("w3", "w3");
	show("non-root open O_TRUNC of a 04777 file", open("w4", O_WRONLY | O_TRUNC) >= 0);
	show_file("w4", "w4");
	show("non-root open O_TRUNC of an empty 04777 file", open("w5", O_WRONLY | O_TRUNC) >= 0);
	show_file("w5", "w5");
	show("non-root open O_RDWR of a 04777 file", open("w6", O_RDWR) >= 0);
	show_file("w6", "w6");
}

int main(void)
{
	int fd;

	setgroups(0, NULL);
	umask(0);
	enter_scratch("chown");
	chmod(".", 0777);
	by_root();
	printf("-- an owner who is not root\n");
	fresh("o", USER, USER, 0644);
	fresh("r", 0, 0, 0644);
	fresh("rs", 0, 0, 04755);
	fresh("os", USER, USER, 06755);
	fresh("os2", USER, USER, 02745);
	fresh("og", USER, STRANGER, 0644);
	in_child("owner", as_owner, NULL);
	printf("-- writing clears the set-id bits\n");
	fresh("w1", 0, 0, 06777);
	fresh("w2", 0, 0, 06767);
	fresh("w3", 0, 0, 02767);
	fresh("w4", 0, 0, 04777);
	fresh("w5", 0, 0, 04777);
	fresh("w6", 0, 0, 04777);
	fd = open("w4", O_WRONLY);
	write(fd, "data", 4);
	close(fd);
	chmod("w4", 04777);
	in_child("writer", writes_clear, NULL);
	fd = open("w1", O_WRONLY);
	chmod("w1", 06777);
	show("root write to a 06777 file", write(fd, "x", 1));
	close(fd);
	show_file("w1", "w1");
	leave_scratch();
	return 0;
}
