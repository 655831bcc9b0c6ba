/*
 * File permission checks as Linux's generic_permission makes them: the
 * owner's bits for the owner (and only those), the group's for a member
 * of the file's group (the fs gid or a supplementary group), the others'
 * for everyone else; root passes all but needs one execute bit to run a
 * file.  Then what each call checks: open by its access mode (O_TRUNC
 * needs write; a file just created is not checked), exec, search on
 * every directory of a path, write and search on a directory to create,
 * remove or rename in it, the sticky bit, a directory moved to another
 * parent needing write on itself, chdir/fchdir, truncate, access with
 * the real ids (faccessat2's AT_EACCESS with the effective ones),
 * utimensat's owner rules; and who owns a new file (the fs ids, or a
 * set-group-ID directory's group).  Children drop root with setresuid.
 */
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define OWNER 1000
#define GROUP 2000
#define MEMBER 3000
#define OTHER 4000
#define STICKY_OWNER 5000
#define DIRENTS 1024
#define NULL_DEV 0x103          /* 1:3, /dev/null's numbers */

struct who {
	const char *name;
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[2];
};

static const struct who owner = { "owner", OWNER, OWNER, 0, { 0 } };
static const struct who member = { "member", MEMBER, MEMBER, 1, { GROUP } };
static const struct who fs_member = { "fs-gid member", MEMBER, GROUP, 0, { 0 } };
static const struct who other = { "other", OTHER, OTHER, 0, { 0 } };

/* "ok", or the errno name of a failed call. */
static const char *res(long r)
{
	return r < 0 ? errno_name(errno) : "ok";
}

static const char *open_res(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd >= 0)
		close(fd);
	return res(fd);
}

/* exec of a file of garbage: ENOEXEC once the permission check has passed */
static const char *exec_res(const char *path)
{
	char *argv[] = { (char *)path, NULL };

	execve(path, argv, argv + 1);
	return errno_name(errno);
}

static void make_file(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);

	write(fd, "garbage\n", 8);
	close(fd);
	chown(path, uid, gid);
	chmod(path, mode);
}

static void make_dir(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	mkdir(path, 0700);
	chown(path, uid, gid);
	chmod(path, mode);
}

static const mode_t file_modes[] = {
	0400, 0200, 0100, 0040, 0020, 0010, 0004, 0002, 0001, 0000, 0077, 0707, 0770, 0640,
};

struct mode_case {
	const struct who *who;
	mode_t mode;
};

static void try_file(void *arg)
{
	const struct mode_case *c = arg;
	char path[16];

	snprintf(path, sizeof(path), "m%04o", c->mode);
	if (c->who)
		become(c->who->uid, c->who->gid, c->who->ngroups, c->who->groups);
	printf("%04o %s: read %s, write %s, exec %s\n", c->mode, c->who ? c->who->name : "root",
	       open_res(path, O_RDONLY), open_res(path, O_WRONLY), exec_res(path));
}

static void file_bits(void)
{
	const struct who *whos[] = { &owner, &member, &fs_member, &other, NULL };

	printf("-- the owner, group and other bits\n");
	for (size_t i = 0; i < sizeof(file_modes) / sizeof(file_modes[0]); i++) {
		char path[16];

		snprintf(path, sizeof(path), "m%04o", file_modes[i]);
		make_file(path, OWNER, GROUP, file_modes[i]);
		for (size_t w = 0; w < sizeof(whos) / sizeof(whos[0]); w++) {
			struct mode_case c = { whos[w], file_modes[i] };

			in_child(path, try_file, &c);
		}
	}
}

static int count_entries(const char *path)
{
	char buf[DIRENTS];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n;

	if (fd < 0)
		return -1;
	n = getdents64(fd, buf, sizeof(buf));
	close(fd);
	return n < 0 ? -1 : n > 0;
}

static void try_dir(void *arg)
{
	const struct mode_case *c = arg;
	char path[16], file[32], made[32];
	const char *stat_r, *list_r, *create_r;
	struct stat st;

	snprintf(path, sizeof(path), "d%04o", c->mode);
	snprintf(file, sizeof(file), "%s/f", path);
	snprintf(made, sizeof(made), "%s/new", path);
	become(c->who->uid, c->who->gid, c->who->ngroups, c->who->groups);
	stat_r = res(stat(file, &st));
	list_r = res(count_entries(path));
	create_r = res(open(made, O_CREAT | O_WRONLY, 0644));
	printf("dir %04o %s: stat in %s, list %s, create %s", c->mode, c->who->name, stat_r,
	       list_r, create_r);
	printf(", unlink %s", res(unlink(made)));
	printf(", chdir %s\n", res(chdir(path)));
}

static void dir_bits(void)
{
	printf("-- directories: read lists, write creates and removes, execute searches\n");
	for (mode_t m = 0; m <= 7; m++) {
		char path[16], file[32];
		struct mode_case c = { &other, m };

		snprintf(path, sizeof(path), "d%04o", m);
		snprintf(file, sizeof(file), "%s/f", path);
		make_dir(path, OWNER, GROUP, 0777);
		make_file(file, 0, 0, 0644);
		chmod(path, m);
		in_child(path, try_dir, &c);
	}
}

static void names_in_a_root_dir(void *arg)
{
	become(OTHER, OTHER, 0, NULL);
	show("creat", creat("rootdir/new", 0644));
	show("open O_CREAT of an existing file", open("rootdir/file", O_CREAT | O_RDONLY, 0644) >= 0);
	show("open O_CREAT|O_EXCL of an existing file", open("rootdir/file", O_CREAT | O_EXCL | O_RDONLY, 0644));
	show("mkdir", mkdir("rootdir/newdir", 0755));
	show("mkdir of an existing name", mkdir("rootdir/file", 0755));
	show("mkfifo", mkfifo("rootdir/fifo", 0644));
	show("mknod of a device", mknod("rootdir/null", S_IFCHR | 0666, NULL_DEV));
	show("mknod of a device in a free directory", mknod("free/null", S_IFCHR | 0666, NULL_DEV));
	show("mkfifo in a free directory", mkfifo("free/fifo", 0644));
	show("symlink", symlink("file", "rootdir/link"));
	show("symlink onto an existing name", symlink("file", "rootdir/file"));
	close(creat("free/own", 0644));
	show("link of own file into it", link("free/own", "rootdir/own"));
	show("rename", rename("rootdir/file", "rootdir/file2"));
	show("rename into a free directory", rename("rootdir/file", "free/file2"));
	show("unlink", unlink("rootdir/file"));
	show("unlink of a missing name", unlink("rootdir/missing"));
	show("rmdir", rmdir("rootdir/sub"));
	show("rmdir of a file", rmdir("rootdir/file"));
	show("unlink of a directory", unlink("rootdir/sub"));
	show("truncate", truncate("rootdir/file", 0));
	show("truncate of the directory", truncate("rootdir", 0));
}

static void create_and_remove(void)
{
	printf("-- creating and removing names needs write and search on the directory\n");
	make_dir("rootdir", 0, 0, 0755);
	make_dir("free", 0, 0, 0777);
	make_file("rootdir/file", 0, 0, 0644);
	make_dir("rootdir/sub", 0, 0, 0777);
	in_child("root dir", names_in_a_root_dir, NULL);
}

static void sticky_creator(void *arg)
{
	become(OWNER, OWNER, 0, NULL);
	close(creat("sticky/mine", 0666));
	close(creat("sticky/mine2", 0666));
	mkdir("sticky/minedir", 0777);
}

static void sticky_stranger(void *arg)
{
	become(OTHER, OTHER, 0, NULL);
	show("stranger: unlink another's file", unlink("sticky/mine"));
	show("stranger: unlink root's file", unlink("sticky/rootfile"));
	show("stranger: rename another's file", rename("sticky/mine", "sticky/x"));
	show("stranger: rmdir another's directory", rmdir("sticky/minedir"));
	show("stranger: write another's file", open("sticky/mine", O_WRONLY) >= 0);
	close(creat("sticky/his", 0666));
	show("stranger: rename own file over another's", rename("sticky/his", "sticky/mine"));
	show("stranger: unlink own file", unlink("sticky/his"));
}

static void sticky_dir_owner(void *arg)
{
	become(STICKY_OWNER, STICKY_OWNER, 0, NULL);
	show("the directory's owner: unlink another's file", unlink("sticky/mine"));
}

static void sticky_file_owner(void *arg)
{
	become(OWNER, OWNER, 0, NULL);
	show("the file's owner: unlink it", unlink("sticky/mine2"));
	show("the file's owner: rmdir", rmdir("sticky/minedir"));
}

static void sticky(void)
{
	printf("-- a sticky directory\n");
	make_dir("sticky", STICKY_OWNER, STICKY_OWNER, 01777);
	make_file("sticky/rootfile", 0, 0, 0666);
	in_child("creator", sticky_creator, NULL);
	in_child("stranger", sticky_stranger, NULL);
	in_child("dir owner", sticky_dir_owner, NULL);
	in_child("file owner", sticky_file_owner, NULL);
	show("root: unlink another's file", unlink("sticky/rootfile"));
}

static void move_dirs(void *arg)
{
	become(OWNER, OWNER, 0, NULL);
	show("move root's directory to another parent", rename("pa/rootsub", "pb/rootsub"));
	show("rename root's directory in place", rename("pa/rootsub", "pa/rootsub2"));
	show("move own directory to another parent", rename("pa/own", "pb/own"));
	show("move own read-only directory to another parent", rename("pa/ownro", "pb/ownro"));
	show("move root's file to another parent", rename("pa/rootfile", "pb/rootfile"));
}

static void moving(void)
{
	printf("-- a directory moved to another parent needs write on itself ('..')\n");
	make_dir("pa", 0, 0, 0777);
	make_dir("pb", 0, 0, 0777);
	make_dir("pa/rootsub", 0, 0, 0755);
	make_dir("pa/own", OWNER, OWNER, 0755);
	make_dir("pa/ownro", OWNER, OWNER, 0555);
	make_file("pa/rootfile", 0, 0, 0644);
	in_child("move", move_dirs, NULL);
}

static void show_owner(const char *what, const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		printf("%s: %s\n", what, errno_name(errno));
	else
		printf("%s: uid %u gid %u mode %05o\n", what, (unsigned)st.st_uid,
		       (unsigned)st.st_gid, st.st_mode & 07777);
}

static void new_files_fs_ids(void *arg)
{
	setgroups(0, NULL);
	setresgid(OWNER, OWNER, 1600);
	setresuid(OWNER, OWNER, 1500);
	show("setfsgid(1600) (the saved gid)", setfsgid(1600));
	show("setfsuid(1500) (the saved uid)", setfsuid(1500));
	close(creat("w/a", 0640));
	show_owner("a file made with fs ids 1500 1600", "w/a");
	mkdir("w/d", 0750);
	show_owner("a directory", "w/d");
	symlink("a", "w/l");
	show_owner("a symbolic link", "w/l");
}

static void new_files_sgid_dir(void *arg)
{
	const struct who *w = arg;

	become(w->uid, w->gid, w->ngroups, w->groups);
	printf("%s:\n", w->name);
	close(creat(w == &member ? "g/m" : "g/o", 02755));
	show_owner("  a file created 02755 in a set-group-ID directory", w == &member ? "g/m" : "g/o");
	mkdir(w == &member ? "g/md" : "g/od", 0755);
	show_owner("  a directory in it", w == &member ? "g/md" : "g/od");
	close(creat("w/x", 02755));
	show_owner("  a file created 02755 elsewhere", "w/x");
	unlink("w/x");
}

static void ownership(void)
{
	printf("-- who owns a new file\n");
	make_dir("w", 0, 0, 0777);
	make_dir("g", 0, GROUP, 02777);
	in_child("fs ids", new_files_fs_ids, NULL);
	in_child("sgid member", new_files_sgid_dir, (void *)&member);
	in_child("sgid other", new_files_sgid_dir, (void *)&other);
	mkdir("g/rootdir", 0700);
	show_owner("root's directory in it", "g/rootdir");
}

static void open_rules_user(void *arg)
{
	int fd;

	become(OWNER, OWNER, 0, NULL);
	show("O_RDONLY|O_TRUNC of a read-only file", open("ro", O_RDONLY | O_TRUNC));
	fd = open("w/created", O_CREAT | O_RDWR, 0444);
	show_bool("O_CREAT|O_RDWR making a 0444 file opens", fd >= 0);
	show("  and it writes", write(fd, "x", 1));
	close(fd);
	show("O_RDWR of it again", open("w/created", O_RDWR));
	show("O_CREAT|O_RDWR of it again", open("w/created", O_CREAT | O_RDWR, 0444));
	show("truncate of a read-only file", truncate("ro", 0));
	show("truncate of a writable one", truncate("rw", 1));
	fd = open("rw", O_RDONLY);
	show("ftruncate through O_RDONLY", ftruncate(fd, 0));
	close(fd);
}

static void open_rules(void)
{
	printf("-- open's rules\n");
	make_file("ro", OWNER, OWNER, 0444);
	make_file("rw", OWNER, OWNER, 0666);
	in_child("open rules", open_rules_user, NULL);
	show("root: O_WRONLY of a directory", open("w", O_WRONLY));
	show("root: O_RDONLY|O_TRUNC of a directory", open("w", O_RDONLY | O_TRUNC));
	show("root: O_RDONLY|O_CREAT of a directory", open("w", O_RDONLY | O_CREAT, 0644));
	make_file("none", OWNER, OWNER, 0000);
	printf("root: a 0000 file: read %s, write %s, exec %s\n", open_res("none", O_RDONLY),
	       open_res("none", O_RDWR), exec_res("none"));
	chmod("none", 0010);
	printf("root: a 0010 file: exec %s\n", exec_res("none"));
	mkfifo("fifo", 0777);
	printf("root: a 0777 FIFO: exec %s\n", exec_res("fifo"));
	printf("root: a 0777 directory: exec %s\n", exec_res("free"));
	show("root: access(0000 file, R_OK|W_OK)", access("none", R_OK | W_OK));
	chmod("none", 0644);
	show("root: access(0644 file, X_OK)", access("none", X_OK));
	chmod("d0000", 0000);
	show("root: access(0000 directory, X_OK)", access("d0000", X_OK));
}

static void access_real(void *arg)
{
	setresuid(OWNER, 0, 0);
	printf("real uid %d, effective 0:\n", OWNER);
	show("  access(root's 0600 file, R_OK)", access("secret", R_OK));
	show("  faccessat(AT_EACCESS)", faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS));
	show("  open", open("secret", O_RDONLY) >= 0);
}

static void access_effective(void *arg)
{
	setresuid(0, OWNER, 0);
	printf("real uid 0, effective %d:\n", OWNER);
	show("  access(root's 0600 file, R_OK)", access("secret", R_OK));
	show("  faccessat(AT_EACCESS)", faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS));
	show("  open", open("secret", O_RDONLY) >= 0);
	show("  setfsuid(0)", setfsuid(0));
	show("  open with fs uid 0", open("secret", O_RDONLY) >= 0);
	show("  access(R_OK)", access("secret", R_OK));
	show("  faccessat(AT_EACCESS) with fs uid 0", faccessat(AT_FDCWD, "secret", R_OK, AT_EACCESS));
}

static void access_fsuid(void *arg)
{
	printf("root with fs uid %d:\n", OWNER);
	setfsuid(OWNER);
	show("  open(root's 0600 file)", open("secret", O_RDONLY) >= 0);
	show("  access(R_OK)", access("secret", R_OK));
	show("  creat in root's 0755 directory", creat("rootdir/x", 0644));
	show("  setuid(2) still works", setuid(2));
}

static void access_ids(void)
{
	printf("-- access() checks with the real ids, open() with the fs ids\n");
	make_file("secret", 0, 0, 0600);
	in_child("access real", access_real, NULL);
	in_child("access effective", access_effective, NULL);
	in_child("access fsuid", access_fsuid, NULL);
	show("access with mode 8", access("secret", 8));
	show("faccessat2 with flag 1", faccessat(AT_FDCWD, "secret", R_OK, 1));
}

static void search_user(void *arg)
{
	struct stat st;
	int root_fd = *(int *)arg;

	become(OWNER, OWNER, 0, NULL);
	show("stat of a file in a 0700 directory", stat("x/f", &st));
	show("stat of the directory", stat("x", &st));
	show("stat through a link to it", stat("lx", &st));
	show("lstat of the link", lstat("lx", &st));
	show("stat of x/..", stat("x/..", &st));
	show("open O_PATH of x/f", open("x/f", O_PATH));
	show("open O_PATH of x", open("x", O_PATH) >= 0);
	show("chdir to it", chdir("x"));
	show("fchdir to it (opened by root)", syscall(__NR_fchdir, root_fd));
	show("stat of a file in a 0711 directory", stat("y/f", &st));
	show("open of a 0711 directory", open("y", O_RDONLY));
	mkdir("own", 0700);
	close(creat("own/f", 0644));
	show("chdir to own directory", chdir("own"));
	show("chmod . 0600", chmod(".", 0600));
	show("  stat .", stat(".", &st));
	show("  stat f", stat("f", &st));
	show("  open .", open(".", O_RDONLY));
	show("  chmod . 0700 (by name: '.' needs search)", chmod(".", 0700));
}

static void search(void)
{
	int fd;

	printf("-- search permission on every directory of a path\n");
	make_dir("x", 0, 0, 0700);
	make_file("x/f", 0, 0, 0644);
	symlink("x/f", "lx");
	make_dir("y", 0, 0, 0711);
	make_file("y/f", 0, 0, 0644);
	chmod(".", 0777);
	fd = open("x", O_RDONLY);
	in_child("search", search_user, &fd);
	close(fd);
	chmod(".", 0755);
}

static void show_mtime(const char *what, const char *path)
{
	struct stat st;

	stat(path, &st);
	printf("%s: mtime %s\n", what, st.st_mtime == 1000000 ? "set" :
	       st.st_mtime > 1000000 ? "now" : "old");
}

static void utimes_user(void *arg)
{
	struct timespec set[2] = { { 1000000, 0 }, { 1000000, 0 } };
	struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
	struct timespec now_omit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };

	become(OWNER, OWNER, 0, NULL);
	show("utimensat(writable, NULL)", utimensat(AT_FDCWD, "uw", NULL, 0));
	show("utimensat(writable, NOW NOW)", utimensat(AT_FDCWD, "uw", now, 0));
	show("utimensat(writable, NOW OMIT)", utimensat(AT_FDCWD, "uw", now_omit, 0));
	show("utimensat(writable, a time)", utimensat(AT_FDCWD, "uw", set, 0));
	show("utimensat(read-only, NULL)", utimensat(AT_FDCWD, "ur", NULL, 0));
	show("utimensat(read-only, a time)", utimensat(AT_FDCWD, "ur", set, 0));
	show("utimensat(own, a time)", utimensat(AT_FDCWD, "uo", set, 0));
	show_mtime("  own", "uo");
	show("utimensat(own read-only, NULL)", utimensat(AT_FDCWD, "uor", NULL, 0));
	show_mtime("  own read-only", "uor");
}

static void times(void)
{
	struct timespec old[2] = { { 10, 0 }, { 10, 0 } };

	printf("-- utimensat: the owner sets any time, a writer only now\n");
	make_file("uw", 0, 0, 0666);
	make_file("ur", 0, 0, 0644);
	make_file("uo", OWNER, OWNER, 0644);
	make_file("uor", OWNER, OWNER, 0444);
	utimensat(AT_FDCWD, "uor", old, 0);
	in_child("utimes", utimes_user, NULL);
	show_mtime("writable", "uw");
}

int main(void)
{
	setgroups(0, NULL);
	umask(0);
	enter_scratch("perm");
	file_bits();
	dir_bits();
	create_and_remove();
	sticky();
	moving();
	ownership();
	open_rules();
	access_ids();
	search();
	times();
	leave_scratch();
	return 0;
}
