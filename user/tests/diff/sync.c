/*
 * fsync, fdatasync, syncfs, sync and msync: what each answers for every
 * kind of descriptor and range (EBADF, EINVAL for files with nothing to
 * sync, ENOMEM for unmapped parts, EBUSY for MS_INVALIDATE of locked
 * pages), stores through a shared mapping reaching the file after
 * msync; and truncate under mappings: SIGBUS beyond the new end for
 * shared pages and private COW copies alike, the cut page's tail zeroed,
 * and zeros -- not the old data -- once the file grows again.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)

static void sync_calls(const char *what, int fd)
{
	char line[80];

	snprintf(line, sizeof(line), "fsync %s", what);
	show(line, fsync(fd));
	snprintf(line, sizeof(line), "fdatasync %s", what);
	show(line, syscall(__NR_fdatasync, fd));
	snprintf(line, sizeof(line), "syncfs %s", what);
	show(line, syscall(__NR_syncfs, fd));
}

static void descriptors(void)
{
	int fd = open("file", O_CREAT | O_RDWR, 0644), pipefd[2];

	sync_calls("of -1", -1);
	sync_calls("of a closed descriptor", 999);
	write(fd, "data", 4);
	sync_calls("of a written file", fd);
	close(fd);
	fd = open("file", O_RDONLY);
	sync_calls("of a read-only file", fd);
	close(fd);
	fd = open("file", O_PATH);
	sync_calls("of an O_PATH file", fd);
	close(fd);
	fd = open(".", O_RDONLY | O_DIRECTORY);
	sync_calls("of a directory", fd);
	close(fd);
	pipe(pipefd);
	show("fsync of a pipe", fsync(pipefd[0]));
	show("fdatasync of a pipe's write end", syscall(__NR_fdatasync, pipefd[1]));
	close(pipefd[0]);
	close(pipefd[1]);
	fd = open("/dev/null", O_RDWR);
	show("fsync of /dev/null", fsync(fd));
	close(fd);
	fd = open("/proc/self/status", O_RDONLY);
	show("fsync of /proc/self/status", fsync(fd));
	close(fd);
	show("sync", syscall(__NR_sync));
}

static void msync_ranges(void)
{
	int fd = open("mapped", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char *p, buf[4];

	ftruncate(fd, 4 * PGSZ);
	p = mmap(NULL, 4 * PGSZ, RW, MAP_SHARED, fd, 0);
	show_map("MAP_SHARED of a 4-page file", p);
	memcpy(p + PGSZ, "abc", 3);
	show("msync MS_SYNC", msync(p, 4 * PGSZ, MS_SYNC));
	show("  pread after it", pread(fd, buf, 3, PGSZ) == 3 && !memcmp(buf, "abc", 3));
	show("msync MS_ASYNC", msync(p, 4 * PGSZ, MS_ASYNC));
	show("msync MS_INVALIDATE", msync(p, 4 * PGSZ, MS_INVALIDATE));
	show("msync MS_SYNC|MS_INVALIDATE", msync(p, 4 * PGSZ, MS_SYNC | MS_INVALIDATE));
	show("msync no flags", msync(p, PGSZ, 0));
	show("msync length 0", msync(p, 0, MS_SYNC));
	show("msync length 0, unaligned", msync(p + 1, 0, MS_SYNC));
	show("msync a partial page", msync(p, 10, MS_SYNC));
	show("msync wrapping around", msync(p, (size_t)-PGSZ, MS_SYNC));
	munmap(p + PGSZ, PGSZ);
	show("MS_ASYNC over a hole", msync(p, 4 * PGSZ, MS_ASYNC));
	show("MS_SYNC over a hole", msync(p, 4 * PGSZ, MS_SYNC));
	show("MS_ASYNC starting in the hole", msync(p + PGSZ, 2 * PGSZ, MS_ASYNC));
	show("MS_SYNC starting in the hole", msync(p + PGSZ, 2 * PGSZ, MS_SYNC));
	show("mlock a page", mlock(p, PGSZ));
	show("MS_INVALIDATE of locked pages", msync(p, PGSZ, MS_INVALIDATE));
	show("MS_SYNC of locked pages", msync(p, PGSZ, MS_SYNC));
	munmap(p, 4 * PGSZ);
	p = mmap(NULL, PGSZ, RW, MAP_PRIVATE, fd, 0);
	p[0] = 'x';
	show("msync of a private file mapping", msync(p, PGSZ, MS_SYNC));
	show("  the file unchanged", pread(fd, buf, 1, 0) == 1 && buf[0] == 0);
	munmap(p, PGSZ);
	close(fd);
}

int main(void)
{
	enter_scratch("sync");
	descriptors();
	msync_ranges();
	show_truncated_mappings();
	leave_scratch();
	return 0;
}
