/*
 * ext2fault: an ext2 disk (hdc) whose blocks fail, for tools/ext2faulttests.py.
 * QEMU's blkdebug makes chosen sectors fail; each mode prints one line
 * per observation, which the suite compares with what Linux's ext2 gives.
 * The disks' files hold fill_pattern(seed) data, which the host makes.
 *
 *   ext2fault read DEV    "bad" fails to read at BAD_OFF: read() is EIO there,
 *                         a mapped access SIGBUS; "good" and the rest of "bad" read
 *   ext2fault write DEV   writes of "once" and "msync" fail once, of "always" for
 *                         good: the page stays dirty and the next fsync / msync
 *                         MS_SYNC reports EIO once; "other" is written as usual
 *   ext2fault meta DEV    the inode bitmap, the block bitmap and an inode-table
 *                         block cannot be written: the calls that change them are EIO
 *   ext2fault crash DEV   writes files for ever, printing "fsynced NAME SIZE SEED"
 *                         once one is on the disk; the host kills QEMU meanwhile
 *   ext2fault nodes DEV   a FIFO and a serial port's node on the disk, opened (they kept
 *                         their state in i_private, which is ext2's: the fuzzer's panic)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "../common/report.h"

#define MNT "/mnt"
#define FILE_SIZE (64 * 1024)       /* read mode's files */
#define BAD_OFF (32 * 1024)         /* where "bad" fails (the host injects there) */
#define PAGE 4096
#define BAD_SEED 1                  /* page i of "bad" holds fill_pattern(BAD_SEED + i) */
#define GOOD_SEED 2
#define WRITE_SIZE (16 * 1024)      /* write mode's files */
#define CRASH_MAX (96 * 1024)       /* crash mode's largest file */
#define CRASH_SYNC_EVERY 3          /* every third file is fsynced */
#define CRASH_KEEP 8                /* files not fsynced are unlinked this many files later */
#define SERIAL2_DEV ((4 << 8) | 66) /* /dev/serial2: COM3 raw (kernel/fs/devices.c) */

static unsigned char buf[CRASH_MAX];

static void mount_disk(const char *dev, unsigned long flags)
{
	show("mount", mount(dev, MNT, "ext2", flags, NULL));
}

/* A file of len pattern(seed) bytes, read back whole: does it hold them? */
static int intact(const char *path, size_t len, unsigned int seed)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)len && check_pattern(buf, len, seed) < 0;
}

/* ---- read errors -------------------------------------------------------- */

static void read_mode(const char *dev)
{
	int fd;
	char *map;

	mount_disk(dev, MS_RDONLY);
	fd = open(MNT "/bad", O_RDONLY);
	show("pread before the bad block", pread(fd, buf, PAGE, 0));
	show_bool("it holds the file's data", check_pattern(buf, PAGE, BAD_SEED) < 0);
	show("pread of the bad block", pread(fd, buf, PAGE, BAD_OFF));
	show("pread of the bad block again", pread(fd, buf, PAGE, BAD_OFF));
	show("pread after the bad block", pread(fd, buf, PAGE, BAD_OFF + PAGE));
	show_bool("it holds the file's data",
		  check_pattern(buf, PAGE, BAD_SEED + (BAD_OFF + PAGE) / PAGE) < 0);
	lseek(fd, 0, SEEK_SET);
	show("read of the whole file", read(fd, buf, FILE_SIZE));
	show("read on at the bad block", read(fd, buf, FILE_SIZE));
	map = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	show_map("mmap shared", map);
	show_touch("shared: touch before the bad block", map, 0);
	show_touch("shared: touch the bad block", map + BAD_OFF, 0);
	show_touch("shared: touch after the bad block", map + BAD_OFF + PAGE, 0);
	munmap(map, FILE_SIZE);
	map = mmap(NULL, FILE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	show_map("mmap private", map);
	show_touch("private: write the bad block", map + BAD_OFF, 1);
	munmap(map, FILE_SIZE);
	show("close", close(fd));
	fd = open(MNT "/good", O_RDONLY);
	show_bool("good: intact", read(fd, buf, FILE_SIZE) == FILE_SIZE &&
		  check_pages(buf, FILE_SIZE / PAGE, GOOD_SEED) < 0);
	close(fd);
	show("umount", umount(MNT));
}

/* ---- write errors during writeback -------------------------------------- */

static int open_and_write(const char *name, unsigned int seed)
{
	int fd = open(name, O_RDWR);

	fill_pattern(buf, WRITE_SIZE, seed);
	show("pwrite", pwrite(fd, buf, WRITE_SIZE, 0));
	return fd;
}

static void write_mode(const char *dev)
{
	int fd;
	char *map;

	mount_disk(dev, 0);
	if (chdir(MNT) < 0)
		return;
	/* sync() writes, meets the error and says nothing: the next fsync does, once */
	fd = open_and_write("once", 11);
	show("sync", (sync(), 0));
	show("fsync after the failed writeback", fsync(fd));
	show("fsync again", fsync(fd));
	show("close", close(fd));

	fd = open("msync", O_RDWR);
	map = mmap(NULL, WRITE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	fill_pattern(map, WRITE_SIZE, 12);
	show("msync MS_ASYNC", msync(map, WRITE_SIZE, MS_ASYNC));
	show("sync", (sync(), 0));
	show("msync MS_SYNC after the failed writeback", msync(map, WRITE_SIZE, MS_SYNC));
	show("msync MS_SYNC again", msync(map, WRITE_SIZE, MS_SYNC));
	munmap(map, WRITE_SIZE);
	show("close", close(fd));

	/* a block that never takes a write: every fsync tries again, and fails */
	fd = open_and_write("always", 13);
	show("fsync always", fsync(fd));
	show("fsync always again", fsync(fd));
	show_bool("still the new data in memory",
		  pread(fd, buf, WRITE_SIZE, 0) == WRITE_SIZE && check_pattern(buf, WRITE_SIZE, 13) < 0);
	show("close", close(fd));

	fd = open_and_write("other", 14);
	show("fsync other", fsync(fd));
	show("close", close(fd));
	if (chdir("/") < 0)
		return;
	show("umount", umount(MNT));
}

/* ---- metadata write errors ---------------------------------------------- */

static void meta_mode(const char *dev)
{
	int fd;

	mount_disk(dev, 0);
	show("creat (inode bitmap)", creat(MNT "/new", 0644));
	fd = open(MNT "/grow", O_WRONLY | O_APPEND);
	fill_pattern(buf, WRITE_SIZE, 21);
	show("append (block bitmap)", write(fd, buf, WRITE_SIZE));
	show("close", close(fd));
	show("truncate up (inode table)", truncate(MNT "/victim", 1 << 20));
	show_bool("other: intact", intact(MNT "/other", WRITE_SIZE, 22));
	show("umount", umount(MNT));
}

/* ---- a write load to be cut ----------------------------------------------- */

/* File n's size: 1 KiB up to CRASH_MAX, whole words of the pattern, in no block's step. */
static size_t crash_size(unsigned int n)
{
	return (1024 + (n * 7919u) % (CRASH_MAX - 1024)) & ~3u;
}

static void crash_mode(const char *dev)
{
	char name[32], dir[32];

	mount_disk(dev, 0);
	fflush(stdout);
	for (unsigned int n = 0; ; n++) {
		size_t size = crash_size(n);
		int fd;

		snprintf(dir, sizeof(dir), MNT "/d%u", n % 4);
		mkdir(dir, 0755);
		snprintf(name, sizeof(name), "%s/f%u", dir, n);
		fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
		if (fd < 0) {
			printf("open %s: %s\n", name, errno_name(errno));
			return;
		}
		fill_pattern(buf, size, n);
		if (n % CRASH_SYNC_EVERY == 1) {      /* through a shared mapping */
			char *map;

			ftruncate(fd, size);
			map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
			memcpy(map, buf, size);
			if (!msync(map, size, MS_SYNC))
				printf("fsynced %s %zu %u\n", name + strlen(MNT), size, n);
			munmap(map, size);
		} else if (write(fd, buf, size) == (ssize_t)size && n % CRASH_SYNC_EVERY == 0 &&
			   !fsync(fd)) {
			printf("fsynced %s %zu %u\n", name + strlen(MNT), size, n);
		}
		fflush(stdout);
		close(fd);
		if (n >= CRASH_KEEP && (n - CRASH_KEEP) % CRASH_SYNC_EVERY == 2) {
			snprintf(name, sizeof(name), MNT "/d%u/f%u", (n - CRASH_KEEP) % 4,
				 n - CRASH_KEEP);
			unlink(name);                     /* never one fsynced */
		}
	}
}

/* ---- device nodes and FIFOs on the disk ----------------------------------- */

static void nodes_mode(const char *dev)
{
	int fd;

	mount_disk(dev, 0);
	show("mknod fifo", mknod(MNT "/fifo", S_IFIFO | 0644, 0));
	fd = open(MNT "/fifo", O_RDWR);
	show("open fifo O_RDWR", fd < 0 ? fd : 0);
	show("write fifo", write(fd, "hello", 5));
	show("read fifo", read(fd, buf, sizeof(buf)));
	show("close", close(fd));
	show("open fifo O_WRONLY|O_NONBLOCK, no reader",
	     open(MNT "/fifo", O_WRONLY | O_NONBLOCK));
	show("mknod serial2", mknod(MNT "/serial2", S_IFCHR | 0600, SERIAL2_DEV));
	fd = open(MNT "/serial2", O_RDONLY | O_NONBLOCK);
	show("open serial2", fd < 0 ? fd : 0);
	show("close", close(fd));
	show("unlink fifo", unlink(MNT "/fifo"));
	show("unlink serial2", unlink(MNT "/serial2"));
	show("umount", umount(MNT));
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: ext2fault read|write|meta|crash|nodes DEV\n");
		return 2;
	}
	mkdir(MNT, 0755);
	if (!strcmp(argv[1], "read"))
		read_mode(argv[2]);
	else if (!strcmp(argv[1], "write"))
		write_mode(argv[2]);
	else if (!strcmp(argv[1], "meta"))
		meta_mode(argv[2]);
	else if (!strcmp(argv[1], "crash"))
		crash_mode(argv[2]);
	else if (!strcmp(argv[1], "nodes"))
		nodes_mode(argv[2]);
	else
		return 2;
	return 0;
}
