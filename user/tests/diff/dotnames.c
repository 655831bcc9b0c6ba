/*
 * "." and ".." as the last component of a name being created, removed or
 * renamed: lookup resolves them without looking in the directory, so
 * Linux refuses them (mkdir, symlink, link, open O_CREAT|O_EXCL: EEXIST;
 * unlink: EISDIR; rmdir: EINVAL or ENOTEMPTY; rename: EBUSY), and the
 * directories tried stay empty and removable.  anvil once made such
 * entries: after the fuzzer's symlink(".", ".") its scratch directory
 * could never be removed (a tree walk skips "."), and the entry's inode
 * and target stayed allocated for good.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define DIRENT64_RECLEN 16       /* offset of d_reclen in struct linux_dirent64 */

static const char *const dot_names[] = { ".", "..", "d/.", "d/..", "d/./", "./.", "d/../.." };

/* Every call that makes or removes a name, with each dot name as the name. */
static void each_call(const char *name)
{
	char what[64];

#define SHOW(call, r) \
	do { snprintf(what, sizeof(what), "%s %s", call, name); show(what, r); } while (0)
	SHOW("symlink", symlink(".", name));
	SHOW("symlinkat", syscall(__NR_symlinkat, "x", AT_FDCWD, name));
	SHOW("mkdir", mkdir(name, 0755));
	SHOW("mkdirat", syscall(__NR_mkdirat, AT_FDCWD, name, 0755));
	SHOW("link", link("f", name));
	SHOW("linkat", syscall(__NR_linkat, AT_FDCWD, "f", AT_FDCWD, name, 0));
	SHOW("open O_CREAT|O_EXCL", open(name, O_CREAT | O_EXCL | O_RDWR, 0644));
	SHOW("rename a file to", rename("f", name));
	SHOW("rename from", rename(name, "g"));
	SHOW("unlink", unlink(name));
	SHOW("unlinkat", syscall(__NR_unlinkat, AT_FDCWD, name, 0));
#undef SHOW
}

/* How many entries the directory lists, "." and ".." included: a made dot name would add one. */
static void show_entries(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	char buf[512];
	long n, total = 0;

	while (fd >= 0 && (n = syscall(__NR_getdents64, fd, buf, sizeof(buf))) > 0)
		for (long off = 0; off < n; off += *(unsigned short *)(buf + off + DIRENT64_RECLEN))
			total++;
	close(fd);
	printf("%s lists %ld entries\n", path, total);
}

int main(void)
{
	umask(022);
	enter_scratch("dotnames");
	close(open("f", O_CREAT | O_RDWR, 0644));
	mkdir("d", 0755);
	for (unsigned i = 0; i < sizeof(dot_names) / sizeof(dot_names[0]); i++)
		each_call(dot_names[i]);
	show("rmdir .", rmdir("."));
	show("rmdir ..", rmdir(".."));
	show("rmdir d/.", rmdir("d/."));
	show_entries(".");
	show_entries("d");
	/* the fuzzer's sequence: in a directory, symlink(".", "."), then remove the directory */
	show("chdir d", chdir("d"));
	show("symlink . .", symlink(".", "."));
	show("chdir ..", chdir(".."));
	show("unlink f", unlink("f"));
	show("rmdir d", rmdir("d"));
	leave_scratch();
	return 0;
}
