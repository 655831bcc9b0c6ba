/*
 * icache: the page cache outlives the open file, for tools/ext2tests.py.
 * Mounts the ext2 disk (hdc) read-write on /mnt and watches /proc/vmstat's
 * pgpgin: a program run from the disk twice, and a file read, closed,
 * opened and read again, reach the disk only the first time (the last
 * close keeps the inode and its pages in the icache); after
 * /proc/sys/vm/drop_caches = 3 the disk is read again.  A file written
 * and closed (its inode unused, its pages dirty) survives umount -- which
 * unused inodes must not keep busy -- and a mount again.  Then every one
 * of the many small files under /mnt/many, more than the RAM holds, is
 * read: no OOM, each holds what the host wrote, and reclaim pruned unused
 * inodes (fewer inode objects than files read); drop_caches = 2 frees the
 * rest.  With "child" it is the program run from the disk: exit 7.
 *
 *   icache DEV NDIRS NFILES
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "../common/testlib.h"

#define MNT "/mnt"
#define PROG MNT "/bin/icache"
#define CHILD_EXIT 7
#define DATA MNT "/data"             /* the host's: DATA_LINES lines "data NNNNN\n" */
#define DATA_LINES 5000
#define DATA_LINE_LEN 11
#define WRITTEN MNT "/written"       /* written here: WRITTEN_LINES lines "written NNNNN\n" */
#define WRITTEN_LINES 1500
#define WRITTEN_LINE_LEN 14
#define SMALL_LINE_LEN 6             /* a small file: SMALL_LINES lines "NNNNN\n", its number */
#define SMALL_LINES 170
#define DROP_ALL "3"
#define DROP_INODES "2"

static unsigned long pgpgin(void)
{
	static char buf[8192];
	int fd = open("/proc/vmstat", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	char *at;

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	at = strstr(buf, "\npgpgin ");
	return at ? strtoul(at + strlen("\npgpgin "), NULL, 10) : 0;
}

static void say_result(const char *what, long r)
{
	if (r < 0)
		printf("%s: -1 %s\n", what, errno_name(errno));
	else
		printf("%s: %ld\n", what, r);
}

static long do_mount(const char *dev)
{
	return mount(dev, MNT, "ext2", 0, NULL);
}

/* Run the program on the disk; its exit status, or -1. */
static int run_from_disk(void)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { PROG, "child", NULL };

		execv(PROG, argv);
		_exit(99);
	}
	return pid < 0 ? -1 : WEXITSTATUS(wait_status(pid, 0));
}

/* Do the count bytes of path equal the lines fmt makes of 0, 1, ... (len bytes each)? */
static int file_holds(const char *path, size_t count, const char *fmt, size_t len)
{
	static char buf[64 * 1024];
	char line[32];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)count)
		return 0;
	for (size_t i = 0; i < count / len; i++) {
		snprintf(line, sizeof(line), fmt, (int)i);
		if (memcmp(buf + i * len, line, len))
			return 0;
	}
	return 1;
}

static int data_ok(void)
{
	return file_holds(DATA, DATA_LINES * DATA_LINE_LEN, "data %05d\n", DATA_LINE_LEN);
}

static int write_drop_caches(const char *value)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY);
	ssize_t n = fd < 0 ? -1 : write(fd, value, strlen(value));
	int err = errno;

	if (fd >= 0)
		close(fd);
	errno = err;
	return n < 0 ? -1 : 0;
}

static int write_file(void)
{
	int fd = open(WRITTEN, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	char line[32];

	if (fd < 0)
		return -1;
	for (int i = 0; i < WRITTEN_LINES; i++) {
		snprintf(line, sizeof(line), "written %05d\n", i);
		if (write(fd, line, WRITTEN_LINE_LEN) != WRITTEN_LINE_LEN)
			return -1;
	}
	return close(fd);
}

static long inode_objects(void)
{
	struct slab_count c[MAX_SLAB_CACHES];
	int n = read_slab_counts(c, MAX_SLAB_CACHES);

	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].name, "inode"))
			return c[i].active;
	return -1;
}

/* Does small file number i hold SMALL_LINES lines of its number? */
static int small_file_ok(const char *path, int i)
{
	static char buf[SMALL_LINES * SMALL_LINE_LEN + 1];
	char want[SMALL_LINE_LEN + 1];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	if (n != SMALL_LINES * SMALL_LINE_LEN)
		return 0;
	snprintf(want, sizeof(want), "%05d\n", i);
	for (int l = 0; l < SMALL_LINES; l++)
		if (memcmp(buf + l * SMALL_LINE_LEN, want, SMALL_LINE_LEN))
			return 0;
	return 1;
}

/* Read every small file (open, read, close); how many hold what they should. */
static int read_small_files(int ndirs, int nfiles)
{
	char path[64];
	int good = 0;

	for (int d = 0; d < ndirs; d++) {
		for (int f = 0; f < nfiles; f++) {
			snprintf(path, sizeof(path), MNT "/many/d%02d/f%03d", d, f);
			good += small_file_ok(path, d * nfiles + f);
		}
	}
	return good;
}

int main(int argc, char **argv)
{
	unsigned long before, first, second;
	int ndirs, nfiles, good;
	long inodes_before, inodes_after;

	if (argc == 2 && !strcmp(argv[1], "child"))
		return CHILD_EXIT;
	if (argc != 4) {
		fprintf(stderr, "usage: icache DEV NDIRS NFILES\n");
		return 2;
	}
	ndirs = atoi(argv[2]);
	nfiles = atoi(argv[3]);
	mkdir(MNT, 0755);
	say_result("mount", do_mount(argv[1]));

	/* exec twice; the first exit leaves nothing holding the file */
	before = pgpgin();
	printf("first exec: exit %d\n", run_from_disk());
	first = pgpgin() - before;
	before = pgpgin();
	printf("second exec: exit %d\n", run_from_disk());
	second = pgpgin() - before;
	printf("first exec read the disk: %s\n", first ? "yes" : "no");
	printf("second exec read the disk: %lu KiB\n", second);

	/* read, close, open, read */
	before = pgpgin();
	printf("first read: %s\n", data_ok() ? "ok" : "wrong");
	first = pgpgin() - before;
	before = pgpgin();
	printf("second read: %s\n", data_ok() ? "ok" : "wrong");
	second = pgpgin() - before;
	printf("first read read the disk: %s\n", first ? "yes" : "no");
	printf("second read read the disk: %lu KiB\n", second);

	/* drop_caches */
	say_result("drop_caches 4", write_drop_caches("4"));
	say_result("drop_caches 0", write_drop_caches("0"));
	say_result("drop_caches 3", write_drop_caches(DROP_ALL));
	before = pgpgin();
	printf("read after drop_caches: %s\n", data_ok() ? "ok" : "wrong");
	printf("read after drop_caches read the disk: %s\n", pgpgin() != before ? "yes" : "no");

	/* an unused inode with dirty pages at umount */
	say_result("write and close", write_file());
	say_result("umount", umount(MNT));
	say_result("mount again", do_mount(argv[1]));
	printf("written file after mount again: %s\n",
	       file_holds(WRITTEN, WRITTEN_LINES * WRITTEN_LINE_LEN, "written %05d\n",
			  WRITTEN_LINE_LEN) ? "ok" : "wrong");

	/* more small files than the RAM holds */
	inodes_before = inode_objects();
	good = read_small_files(ndirs, nfiles);
	inodes_after = inode_objects();
	printf("small files holding their data: %d of %d\n", good, ndirs * nfiles);
	printf("unused inodes pruned by reclaim: %s\n",
	       inodes_after - inodes_before < ndirs * nfiles ? "yes" : "no");
	say_result("drop_caches 2", write_drop_caches(DROP_INODES));
	printf("drop_caches 2 freed the unused inodes: %s\n",
	       inode_objects() <= inodes_before ? "yes" : "no");
	fprintf(stderr, "inode objects: %ld before the small files, %ld after, %ld dropped\n",
		inodes_before, inodes_after, inode_objects());
	say_result("umount", umount(MNT));
	return 0;
}
