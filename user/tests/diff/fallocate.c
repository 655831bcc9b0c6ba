/*
 * fallocate on tmpfs (/dev/shm): allocation grows the file (or not, with
 * FALLOC_FL_KEEP_SIZE), a punched hole reads as zeros while shared
 * mappings see it and a private COW copy keeps its data, and every error
 * of Linux's vfs_fallocate in its order.  Also what tmpfs is to statfs,
 * and EXDEV for rename and link out of it.
 */
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define SHM_FILE "/dev/shm/anvil-diff-fallocate"
#define PAGE 4096
#define PAGES 3
#define HUGE (1LL << 62)      /* twice it wraps past the largest loff_t: EFBIG */

static long do_fallocate(int fd, int mode, long long offset, long long len)
{
	return syscall(__NR_fallocate, fd, mode, (uint32_t)offset, (uint32_t)(offset >> 32),
		       (uint32_t)len, (uint32_t)(len >> 32));
}

static long file_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) < 0 ? -1 : (long)st.st_size;
}

static void allocation(int fd)
{
	static char buf[PAGES * PAGE];

	show("fallocate 0..10000", do_fallocate(fd, 0, 0, 10000));
	printf("  size %ld\n", file_size(fd));
	show("  read back", pread(fd, buf, sizeof(buf), 0));
	show_bool("  all zeros", all_zero(buf, 10000));
	show("KEEP_SIZE 10000..20000", do_fallocate(fd, FALLOC_FL_KEEP_SIZE, 10000, 10000));
	printf("  size %ld\n", file_size(fd));
	show("fallocate inside the file", do_fallocate(fd, 0, 100, 200));
	printf("  size %ld\n", file_size(fd));
}

static void punching(int fd)
{
	static char buf[PAGES * PAGE];
	char *shared, *private;

	memset(buf, 'a', sizeof(buf));
	pwrite(fd, buf, sizeof(buf), 0);
	shared = mmap(NULL, sizeof(buf), PROT_READ, MAP_SHARED, fd, 0);
	private = mmap(NULL, sizeof(buf), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	private[PAGE + 1] = 'p';                    /* a COW copy of page 1 */
	show("PUNCH_HOLE without KEEP_SIZE", do_fallocate(fd, FALLOC_FL_PUNCH_HOLE, 1000, 8000));
	show("PUNCH_HOLE|KEEP_SIZE 1000..9000",
	     do_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1000, 8000));
	printf("  size %ld\n", file_size(fd));
	memset(buf, 0, sizeof(buf));
	pread(fd, buf, sizeof(buf), 0);
	printf("  bytes 999 1000 8999 9000: %c %d %d %c\n", buf[999], buf[1000], buf[8999], buf[9000]);
	printf("  the shared mapping at 999 1000 4096 9000: %c %d %d %c\n", shared[999], shared[1000],
	       shared[PAGE], shared[9000]);
	printf("  the private COW page keeps %c %c; its untouched page 2 reads %d\n", private[PAGE],
	       private[PAGE + 1], private[2 * PAGE]);
	munmap(shared, sizeof(buf));
	munmap(private, sizeof(buf));
}

static void errors(int fd)
{
	int p[2], d, ro, path, null;

	show("offset -1", do_fallocate(fd, 0, -1, 10));
	show("length 0", do_fallocate(fd, 0, 0, 0));
	show("length -1", do_fallocate(fd, 0, 0, -1));
	show("an unknown mode bit", do_fallocate(fd, 0x100, 0, 10));
	show("PUNCH_HOLE|ZERO_RANGE", do_fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE |
						   FALLOC_FL_KEEP_SIZE, 0, 10));
	show("COLLAPSE_RANGE|KEEP_SIZE", do_fallocate(fd, FALLOC_FL_COLLAPSE_RANGE |
						      FALLOC_FL_KEEP_SIZE, 0, PAGE));
	show("ZERO_RANGE on tmpfs", do_fallocate(fd, FALLOC_FL_ZERO_RANGE, 0, 10));
	show("past the largest offset", do_fallocate(fd, 0, HUGE, HUGE));
	show("a closed fd", do_fallocate(200, 0, 0, 10));
	ro = open(SHM_FILE, O_RDONLY);
	show("a read-only fd", do_fallocate(ro, 0, 0, 10));
	show("a read-only fd, unknown mode", do_fallocate(ro, 0x100, 0, 10));
	close(ro);
	path = open(SHM_FILE, O_PATH);
	show("an O_PATH fd", do_fallocate(path, 0, 0, 10));
	close(path);
	pipe(p);
	show("a pipe", do_fallocate(p[1], 0, 0, 10));
	close(p[0]);
	close(p[1]);
	d = open("/dev/shm", O_RDONLY | O_DIRECTORY);
	show("a directory", do_fallocate(d, 0, 0, 10));
	close(d);
	null = open("/dev/null", O_RDWR);
	show("/dev/null", do_fallocate(null, 0, 0, 10));
	close(null);
}

int main(void)
{
	struct statfs64 s;
	int fd;

	show("statfs64(/dev/shm)", statfs64("/dev/shm", &s));
	printf("  type %#lx bsize %lu namelen %lu\n", s.f_type, s.f_bsize, s.f_namelen);
	unlink(SHM_FILE);
	fd = open(SHM_FILE, O_CREAT | O_RDWR | O_TRUNC, 0600);
	show_bool("a file in /dev/shm", fd >= 0);
	allocation(fd);
	punching(fd);
	errors(fd);
	close(fd);
	show("rename to /tmp", rename(SHM_FILE, "/tmp/anvil-diff-fallocate"));
	show("link into /tmp", link(SHM_FILE, "/tmp/anvil-diff-fallocate"));
	show("unlink", unlink(SHM_FILE));
	return 0;
}
