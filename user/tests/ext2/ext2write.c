/*
 * ext2write: a scripted set of file operations for tools/ext2tests.py,
 * run on the Linux host in a scratch directory and on anvil in a
 * read-write ext2 mount; both print the same lines (each call's result,
 * then a listing of the tree with checksums), and the host's debugfs
 * must then find on the disk the same tree the host made.
 *
 *   ext2write script DIR   the operations in DIR (made here), then the listing
 *   ext2write disk DEV     on anvil: DEV mounted read-write on /mnt, the script in
 *                          /mnt/w, the listing again after umount and mount, then
 *                          the disk filled (ENOSPC) and emptied again, umount
 *   ext2write baddir DEV   DEV's directory /bad has a damaged entry: EIO, the rest works
 *   ext2write race DEV     RACERS processes create, append to, rename, unlink, truncate
 *                          and map files in one directory at once
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
#define KB 1024LL
#define PAGE 4096
#define MANY 150                   /* files in one directory: past a 4 KiB block */
#define FILL_CHUNK (64 * 1024)
#define FILL_FILES 64              /* at most, each up to FILL_MAX */
#define FILL_MAX (1024 * 1024)
#define CHOWN_UID 1234
#define RACERS 4
#define RACE_ROUNDS 60
#define APPEND 333                 /* bytes each round appends to the shared file */
#define OTHER_ID 1000              /* not root: root's reserve is not for it */
#define CHOWN_GID 5678
#define UTIME_A 1600000000
#define UTIME_M 1500000000
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define WHOLE (1024 * KB)           /* files up to this size are checksummed whole */

/* n bytes of a pattern that differs with seed and position. */
static void pattern(unsigned char *buf, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 9));
}

static unsigned char buf[FILL_CHUNK];

/* Write len pattern bytes (seed) at off in path, made if need be; the write()s' total. */
static long put(const char *path, long long off, size_t len, unsigned int seed, size_t piece)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);
	long total = 0;

	if (fd < 0)
		return -1;
	lseek(fd, off, SEEK_SET);
	for (size_t done = 0; done < len; ) {
		size_t n = len - done < piece ? len - done : piece;
		ssize_t w;

		pattern(buf, n, seed + done);
		w = write(fd, buf, n);
		if (w <= 0) {
			total = w;
			break;
		}
		total += w;
		done += w;
	}
	close(fd);
	return total;
}

static void show_put(const char *path, long long off, size_t len, unsigned int seed, size_t piece)
{
	char what[128];

	snprintf(what, sizeof(what), "write %s at %lld", path, off);
	show(what, put(path, off, len, seed, piece));
}

/* Sparse writes across the map's boundaries, for 1 KiB and 4 KiB blocks alike. */
static const long long sparse_offs[] = {
	12 * KB - 100, 48 * KB - 7, 268 * KB - 300, 4 * KB * KB + 48 * KB - 1000,
	65804 * KB - 500, 65804 * KB + 3 * KB * KB,
};

static void sparse_files(void)
{
	const long long *offs = sparse_offs;

	for (unsigned int i = 0; i < ARRAY_LEN(sparse_offs); i++)
		show_put("sparse", offs[i], 3000, i, 777);
	show_put("big", 0, 300 * KB + 33, 42, 7777);
	show_put("holes", 0, 1, 8, 1);
	show("truncate holes", truncate("holes", 1024 * KB));
	show_put("holes", 500000, 10, 9, 10);
	show_put("holes", 2000 * KB + 5, 100, 10, 100);
}

/* Shrinking frees blocks (indirect ones too) and zeroes the tail; growing leaves a hole. */
static void truncates(void)
{
	show_put("trunc", 0, 100000, 11, 4096);
	show("shrink trunc", truncate("trunc", 5000));
	show("grow trunc", truncate("trunc", 70000));
	show_put("trunc", 69000, 100, 12, 100);
	show_put("trunc2", 0, 300 * KB, 13, 65536);
	show("shrink trunc2", truncate("trunc2", 13 * KB));
	show_put("trunc2", 280 * KB, 5000, 14, 5000);
	show_put("trunc3", 0, 8000, 15, 8000);
	show("trunc3 to 0", truncate("trunc3", 0));
}

/* An unlinked file stays readable and writable while open; its blocks go at close. */
static void open_unlinked(void)
{
	int fd = open("tmpopen", O_RDWR | O_CREAT, 0600);
	unsigned char back[1000];

	pattern(buf, 50000, 16);
	show("write tmpopen", write(fd, buf, 50000));
	show("unlink tmpopen", unlink("tmpopen"));
	show("access tmpopen", access("tmpopen", F_OK));
	show("write tmpopen again", pwrite(fd, buf, 20000, 60000));
	show("pread tmpopen", pread(fd, back, sizeof(back), 40000));
	show_bool("tmpopen as written", !memcmp(back, buf + 40000, sizeof(back)));
	show("close tmpopen", close(fd));
}

/*
 * Names the kernel builds back from inodes: the working directory and
 * an open file's /proc/self/fd link, deep in directories just renamed --
 * printed below the script's base, the one part host and anvil share.
 */
static void show_paths(const char *base)
{
	char path[512], link[512];
	int fd = open("r4", O_RDONLY);
	ssize_t n;

	show("chdir d2/sub2/d5", chdir("d2/sub2/d5"));
	if (!getcwd(path, sizeof(path)))
		printf("getcwd: %s\n", strerror(errno));
	else
		printf("getcwd +%s\n", strncmp(path, base, strlen(base)) ? path : path + strlen(base));
	show("chdir back", chdir("../../.."));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	printf("fd link +%s\n", strncmp(link, base, strlen(base)) ? link : link + strlen(base));
	close(fd);
}

static void renames(void)
{
	char base[512];

	show_put("r1", 0, 10, 20, 10);
	show_put("r3", 0, 3000, 21, 3000);
	show_put("r4", 0, 5000, 22, 5000);
	show_put("r5", 0, 70, 23, 70);
	show_put("d2/r6", 0, 80, 24, 80);
	show("rename r1 r2", rename("r1", "r2"));
	show("rename r3 over r4", rename("r3", "r4"));
	show("rename r5 d2/r5", rename("r5", "d2/r5"));
	show("rename d2/r5 over d2/r6", rename("d2/r5", "d2/r6"));
	show("rename d1/sub d2/sub2", rename("d1/sub", "d2/sub2"));
	show("stat d2/sub2/..", access("d2/sub2/../r6", F_OK));
	show("mkdir d3", mkdir("d3", 0755));
	show("mkdir d4", mkdir("d4", 0700));
	show_put("d3/inside", 0, 10, 25, 10);
	show("rename d3 over d4", rename("d3", "d4"));
	show("rename d4 over d2", rename("d4", "d2"));
	show("rename d4 d2/sub2/d5", rename("d4", "d2/sub2/d5"));
	if (getcwd(base, sizeof(base)))
		show_paths(base);
	show("mkdir gone", mkdir("gone", 0755));
	show("rmdir gone", rmdir("gone"));
	show("rmdir d2", rmdir("d2"));
	show("unlink d2", unlink("d2"));
	show("rmdir r2", rmdir("r2"));
}

static void links_and_attrs(void)
{
	char slow[1000];
	struct timespec ts[2] = { { UTIME_A, 0 }, { UTIME_M, 0 } };

	show_put("small", 0, 6, 30, 6);
	show("link small small.link", link("small", "small.link"));
	show("link d2/r6 d1/r6link", link("d2/r6", "d1/r6link"));
	show("link small.link d1/third", link("small.link", "d1/third"));
	show("unlink small.link", unlink("small.link"));
	show("link d1 dlink", link("d1", "dlink"));
	show("symlink fast", symlink("small", "sl_fast"));
	memset(slow, 'x', sizeof(slow));
	memcpy(slow, "d1/", 3);
	slow[200] = '\0';
	show("symlink slow", symlink(slow, "sl_slow"));
	slow[200] = 'y';
	slow[sizeof(slow) - 1] = '\0';
	show("symlink slower", symlink(slow, "d1/sl_slower"));
	show("symlink 59", symlink("0123456789012345678901234567890123456789012345678901234567"
				   "8", "sl_59"));
	show("symlink 60", symlink("0123456789012345678901234567890123456789012345678901234567"
				   "89", "sl_60"));
	show("chmod small", chmod("small", 0640));
	show("chmod d1", chmod("d1", 02751));
	show("chown big", chown("big", CHOWN_UID, CHOWN_GID));
	show("utimes big", utimensat(AT_FDCWD, "big", ts, 0));
	show("mkfifo", mkfifo("fifo", 0620));
	show("mknod chr", mknod("chr", S_IFCHR | 0600, (1 << 8) | 3));
	show("mknod blk", mknod("blk", S_IFBLK | 0600, (3 << 8) | 1));
}

/* A directory growing past a block, then with holes in its list. */
static void many_files(void)
{
	char name[128];
	long ok = 0;

	show("mkdir many", mkdir("many", 0755));
	for (int i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "many/a-rather-long-file-name-number-%03d%.*s", i,
			 i % 17, "________________");
		ok += put(name, 0, i, i, 100) == i;
	}
	show("many made", ok);
	ok = 0;
	for (int i = 0; i < MANY; i += 3) {
		snprintf(name, sizeof(name), "many/a-rather-long-file-name-number-%03d%.*s", i,
			 i % 17, "________________");
		ok += unlink(name) == 0;
	}
	show("many unlinked", ok);
	show_put("many/after", 0, 10, 31, 10);
}

/* A MAP_SHARED store into a hole: writeback allocates the block. */
static void mapped(void)
{
	int fd = open("mapped", O_RDWR | O_CREAT, 0644);
	char *p;

	show("truncate mapped", ftruncate(fd, 5 * PAGE + 100));
	p = mmap(NULL, 6 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	show_map("mmap mapped", p);
	if (p != MAP_FAILED) {
		memcpy(p + 2 * PAGE + 10, "stored through a mapping", 24);
		p[5 * PAGE + 99] = 'z';
		show("munmap", munmap(p, 6 * PAGE));
	}
	close(fd);
	show_truncated_mappings();
}

static void run_script(void)
{
	show("mkdir d1", mkdir("d1", 0755));
	show("mkdir d2", mkdir("d2", 0755));
	show("mkdir d1/sub", mkdir("d1/sub", 0755));
	sparse_files();
	truncates();
	open_unlinked();
	renames();
	links_and_attrs();
	many_files();
	mapped();
}

/*
 * A file's CRC-32: of all of it, or of a big one (the sparse file, whose
 * every byte debugfs compares anyway) the windows around its writes --
 * reading 70 MB of holes would take the test's time.
 */
static unsigned int crc_file(const char *path, long long size)
{
	int fd = open(path, O_RDONLY);
	unsigned int crc = 0;
	ssize_t n;

	if (size <= WHOLE) {
		while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
			crc = crc32(crc, buf, n);
	} else {
		for (unsigned int i = 0; i < ARRAY_LEN(sparse_offs); i++)
			if ((n = pread(fd, buf, 2 * PAGE, sparse_offs[i] - PAGE)) > 0)
				crc = crc32(crc, buf, n);
	}
	close(fd);
	return crc;
}

/* One line per file under dir (sorted by the caller): kind, mode, ids, size, links, data. */
static void list(const char *dir, const char *rel)
{
	char path[512], target[1100];
	struct dirent *d;
	DIR *dp = opendir(dir);

	while (dp && (d = readdir(dp))) {
		struct stat st;

		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
		    !strcmp(d->d_name, "lost+found"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (lstat(path, &st))
			continue;
		printf("file %s%s %o %u:%u links %u", rel, d->d_name, (unsigned)st.st_mode,
		       (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)st.st_nlink);
		if (S_ISREG(st.st_mode)) {
			printf(" size %lld crc %08x", (long long)st.st_size,
			       crc_file(path, st.st_size));
			if (st.st_uid == CHOWN_UID)
				printf(" mtime %ld", (long)st.st_mtime);
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(path, target, sizeof(target) - 1);

			target[n > 0 ? n : 0] = '\0';
			printf(" -> %ld %.20s", (long)n, target);
		} else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
			printf(" dev %x", (unsigned)st.st_rdev);
		}
		printf("\n");
		if (S_ISDIR(st.st_mode)) {
			char sub[512];

			snprintf(sub, sizeof(sub), "%s%s/", rel, d->d_name);
			list(path, sub);
		}
	}
	if (dp)
		closedir(dp);
}

/* Not root: write() is ENOSPC while root's reserve (s_r_blocks_count) is still free. */
static void fill_as_other(void *arg)
{
	struct statfs64 sf;
	ssize_t w = 0;
	int fd;

	(void)arg;
	if (setresgid(OTHER_ID, OTHER_ID, OTHER_ID) || setresuid(OTHER_ID, OTHER_ID, OTHER_ID))
		printf("cannot become user %d\n", OTHER_ID);
	fd = open(MNT "/pub/user", O_WRONLY | O_CREAT, 0644);
	while (fd >= 0 && (w = write(fd, buf, FILL_CHUNK)) > 0)
		;
	show_bool("user fill: write() ended in ENOSPC", fd >= 0 && w < 0 && errno == ENOSPC);
	/* less than a page's blocks (and an indirect one) to spare: write() takes a page at once */
	show_bool("user fill: root's reserve left", !statfs64(MNT, &sf) &&
		  sf.f_bavail * sf.f_bsize < 2 * PAGE &&
		  sf.f_bfree > sf.f_bavail + 2 * PAGE / sf.f_bsize);
	close(fd);
	fflush(NULL);
}

/* A MAP_SHARED store into a hole of a full disk: writeback cannot place it, nothing breaks. */
static void full_mapping(void)
{
	int fd = open(MNT "/holey", O_RDWR | O_CREAT, 0644);
	char *p;

	show("full: truncate holey", ftruncate(fd, 4 * PAGE));
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED) {
		p[3 * PAGE] = 'h';
		show("full: munmap holey", munmap(p, 4 * PAGE));
	}
	show("full: close holey", close(fd));
	show("full: unlink holey", unlink(MNT "/holey"));
}

/*
 * Fill the disk: write() must end in ENOSPC with the files before it
 * intact; after they are deleted the room is there again.
 */
static void fill(const char *dir)
{
	char name[128];
	int nfiles = 0, enospc = 0;
	long long written[FILL_FILES] = { 0 };
	struct statfs64 sf;

	show("mkdir pub", mkdir(MNT "/pub", 0777));
	show("chmod pub", chmod(MNT "/pub", 0777));
	show_child("user fill", fill_as_other, NULL);
	for (int i = 0; i < FILL_FILES && !enospc; i++, nfiles++) {
		int fd;

		snprintf(name, sizeof(name), "%s/fill%02d", dir, i);
		fd = open(name, O_WRONLY | O_CREAT, 0644);
		if (fd < 0) {
			enospc = errno == ENOSPC;
			break;
		}
		while (written[i] < FILL_MAX) {
			ssize_t w;

			pattern(buf, FILL_CHUNK, i + written[i]);
			w = write(fd, buf, FILL_CHUNK - 1);
			if (w < 0) {
				enospc = errno == ENOSPC;
				break;
			}
			written[i] += w;
		}
		close(fd);
	}
	show_bool("fill: write() ended in ENOSPC", enospc);
	full_mapping();
	show_bool("fill: statfs shows no free block",
		  !statfs64(dir, &sf) && sf.f_bfree < FILL_CHUNK / sf.f_bsize);
	for (int i = 0; i < nfiles; i++) {
		int fd, good = 1;

		snprintf(name, sizeof(name), "%s/fill%02d", dir, i);
		fd = open(name, O_RDONLY);
		for (long long done = 0; done < written[i] && good; ) {
			unsigned char want[FILL_CHUNK - 1];
			ssize_t n = read(fd, buf, FILL_CHUNK - 1);

			pattern(want, FILL_CHUNK - 1, i + done);
			good = n > 0 && !memcmp(buf, want, n);
			done += n > 0 ? n : 0;
		}
		close(fd);
		if (!good)
			printf("fill: %s differs\n", name);
		unlink(name);
	}
	show("unlink pub/user", unlink(MNT "/pub/user"));
	show("rmdir pub", rmdir(MNT "/pub"));
	show("fill: after deleting, a file of 1 MiB", put(MNT "/w/refill", 0, FILL_MAX, 1, 65536));
	show("unlink refill", unlink(MNT "/w/refill"));
}

static int on_disk(const char *dev)
{
	show("mount rw", syscall(__NR_mount, dev, MNT, "ext2", 0, NULL));
	show("mkdir w", mkdir(MNT "/w", 0755));
	show("chdir w", chdir(MNT "/w"));
	run_script();
	fflush(stdout);
	printf("listing\n");
	list(".", "");
	show("chdir /", chdir("/"));
	show("mount again", syscall(__NR_mount, dev, "/mnt2", "ext2", MS_RDONLY, NULL));
	show("umount", syscall(__NR_umount2, MNT, 0));
	show("mount after umount", syscall(__NR_mount, dev, MNT, "ext2", 0, NULL));
	printf("listing\n");
	list(MNT "/w", "");
	fill(MNT);
	show("remount ro", syscall(__NR_mount, NULL, MNT, NULL, MS_REMOUNT | MS_RDONLY, NULL));
	show("mkdir on ro", mkdir(MNT "/x", 0755));
	show("remount rw", syscall(__NR_mount, NULL, MNT, NULL, MS_REMOUNT, NULL));
	show("umount", syscall(__NR_umount2, MNT, 0));
	return 0;
}

/* A directory block with a bad rec_len: EIO for each use, a message, no panic. */
static int bad_dir(const char *dev)
{
	struct stat st;
	DIR *dp;

	show("mount rw", syscall(__NR_mount, dev, MNT, "ext2", 0, NULL));
	show("stat bad/f", stat(MNT "/bad/f", &st));
	show("create bad/new", open(MNT "/bad/new", O_WRONLY | O_CREAT, 0644));
	show("mkdir bad/dir", mkdir(MNT "/bad/dir", 0755));
	dp = opendir(MNT "/bad");
	errno = 0;
	show_bool("readdir bad: EIO", dp && !readdir(dp) && errno == EIO);
	if (dp)
		closedir(dp);
	show("rmdir bad", rmdir(MNT "/bad"));
	show("create good", put(MNT "/good", 0, 5000, 1, 5000));
	show("umount", syscall(__NR_umount2, MNT, 0));
	return 0;
}

/*
 * One of the racers: each round it makes or empties a file of its own,
 * appends to the shared one, renames, unlinks, truncates and maps --
 * lookups meeting inodes being read or evicted, names made meanwhile.
 */
static void racer(int id)
{
	char name[64], name2[64];

	memset(buf, 'a' + id, APPEND);
	for (int it = 0; it < RACE_ROUNDS; it++) {
		int fd, afd;
		char *p;

		snprintf(name, sizeof(name), MNT "/d/f%d_%d", id, it % 7);
		snprintf(name2, sizeof(name2), MNT "/d/g%d_%d", id, it % 5);
		fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
		afd = open(MNT "/d/shared", O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (fd < 0 || afd < 0 || write(afd, buf, APPEND) != APPEND)
			printf("racer %d round %d: errno %d\n", id, it, errno);
		close(afd);
		write(fd, buf, 1000 + it * 97);
		if (it % 3 == 0)
			rename(name, name2);
		if (it % 4 == 0)
			unlink(name2);
		if (it % 5 == 0 && !mkdir(MNT "/d/sub", 0755))
			rmdir(MNT "/d/sub");
		ftruncate(fd, 2 * PAGE);
		p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED) {
			p[PAGE + id] = 'x';
			munmap(p, 2 * PAGE);
		}
		close(fd);
	}
	exit(0);
}

static int race(const char *dev)
{
	int status, ok = 1, counts[RACERS] = { 0 }, fd;
	ssize_t n;

	show("mount rw", syscall(__NR_mount, dev, MNT, "ext2", 0, NULL));
	show("mkdir d", mkdir(MNT "/d", 0755));
	fflush(stdout);
	for (int i = 0; i < RACERS; i++)
		if (!fork())
			racer(i);
	for (int i = 0; i < RACERS; i++)
		ok &= wait(&status) > 0 && status == 0;
	show_bool("racers done", ok);
	fd = open(MNT "/d/shared", O_RDONLY);
	while (fd >= 0 && (n = read(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] >= 'a' && buf[i] < 'a' + RACERS)
				counts[buf[i] - 'a']++;
			else
				ok = 0;                      /* a hole: an append lost its data */
		}
	close(fd);
	for (int i = 0; i < RACERS; i++)
		ok &= counts[i] == RACE_ROUNDS * APPEND;
	show_bool("every append in the shared file", ok);
	show("umount", syscall(__NR_umount2, MNT, 0));
	return 0;
}

int main(int argc, char **argv)
{
	umask(022);
	if (argc == 3 && !strcmp(argv[1], "script")) {
		show("mkdir w", mkdir(argv[2], 0755));
		show("chdir w", chdir(argv[2]));
		run_script();
		printf("listing\n");
		list(".", "");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "disk")) {
		mkdir(MNT, 0755);
		mkdir("/mnt2", 0755);
		return on_disk(argv[2]);
	}
	if (argc == 3 && !strcmp(argv[1], "baddir")) {
		mkdir(MNT, 0755);
		return bad_dir(argv[2]);
	}
	if (argc == 3 && !strcmp(argv[1], "race")) {
		mkdir(MNT, 0755);
		return race(argv[2]);
	}
	fprintf(stderr, "usage: ext2write script DIR | disk DEV | baddir DEV | race DEV\n");
	return 2;
}
