/*
 * mmap: argument errors (EINVAL, EBADF, EACCES, ENODEV, ENOMEM), MAP_FIXED
 * replacing a mapping, MAP_FIXED_NOREPLACE, hints, file mappings against
 * the file's size (SIGBUS past the last page) and MAP_SHARED file writes.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static void *anon(void *addr, size_t len, int flags)
{
	return mmap(addr, len, RW, ANON | flags, -1, 0);
}

/* The old mmap (number 90), which takes its arguments in a block and a byte offset. */
static void *old_mmap(unsigned long len, int prot, int flags, int fd, unsigned long off)
{
	struct mmap_arg_struct a = { 0, len, prot, flags, fd, off };

	return (void *)syscall(__NR_mmap, &a);
}

static void argument_errors(void)
{
	int rd = open("file", O_RDONLY), wr = open("file", O_WRONLY), dir = open(".", O_RDONLY);
	int p[2];

	show_map("len 0", anon(NULL, 0, 0));
	show_map("neither MAP_SHARED nor MAP_PRIVATE", mmap(NULL, PGSZ, RW, MAP_ANONYMOUS, -1, 0));
	show_map("MAP_FIXED at an unaligned address", anon(ADDR(0x10000001), PGSZ, MAP_FIXED));
	show_map("len 0xfffff000", anon(NULL, 0xFFFFF000, 0));
	show_map("len 0xffffffff", anon(NULL, 0xFFFFFFFF, 0));
	show_map("old mmap, unaligned offset", old_mmap(PGSZ, PROT_READ, MAP_PRIVATE, rd, 100));
	show_map("old mmap, offset 1 page", old_mmap(PGSZ, PROT_READ, MAP_PRIVATE, rd, PGSZ));
	show_map("old mmap, anonymous", old_mmap(PGSZ, RW, ANON, -1, 0));
	show_map("fd -1 without MAP_ANONYMOUS", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, -1, 0));
	show_map("closed fd", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, 77, 0));
	show_map("O_RDONLY fd, MAP_SHARED, PROT_WRITE", mmap(NULL, PGSZ, RW, MAP_SHARED, rd, 0));
	show_map("O_RDONLY fd, MAP_SHARED, PROT_READ", mmap(NULL, PGSZ, PROT_READ, MAP_SHARED, rd, 0));
	show_map("O_RDONLY fd, MAP_PRIVATE, PROT_WRITE", mmap(NULL, PGSZ, RW, MAP_PRIVATE, rd, 0));
	show_map("O_WRONLY fd, MAP_PRIVATE, PROT_READ", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, wr, 0));
	show_map("O_WRONLY fd, MAP_SHARED, PROT_WRITE", mmap(NULL, PGSZ, PROT_WRITE, MAP_SHARED, wr, 0));
	show_map("a directory", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, dir, 0));
	pipe(p);
	show_map("a pipe", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, p[0], 0));
	close(p[0]);
	close(p[1]);
	close(rd);
	close(wr);
	close(dir);
}

static void fixed_and_hints(void)
{
	char *a = anon(NULL, 4 * PGSZ, 0), *b;

	memset(a, 'A', 4 * PGSZ);
	b = anon(a + PGSZ, PGSZ, MAP_FIXED);
	show_bool("MAP_FIXED: at the address asked", b == a + PGSZ);
	show("MAP_FIXED: the replaced page reads", b[0]);
	show("MAP_FIXED: the pages around it read", a[0] + a[2 * PGSZ]);
	b = anon(a + PGSZ, PGSZ, MAP_FIXED_NOREPLACE);
	show_map("MAP_FIXED_NOREPLACE over a mapping", b);
	b = anon(a + 3 * PGSZ, 2 * PGSZ, MAP_FIXED_NOREPLACE);
	show_map("MAP_FIXED_NOREPLACE half over a mapping", b);
	munmap(a + 2 * PGSZ, PGSZ);
	b = anon(a + 2 * PGSZ, PGSZ, MAP_FIXED_NOREPLACE);
	show_bool("MAP_FIXED_NOREPLACE into a hole: at the address asked", b == a + 2 * PGSZ);
	b = anon(a, PGSZ, 0);
	show_bool("a hint at a used address: placed elsewhere", b != MAP_FAILED && b != a);
	show("  and the old page still reads", a[0]);
	munmap(b, PGSZ);
	munmap(a, PGSZ);
	b = anon(a, PGSZ, 0);
	show_bool("a hint at a free address: taken", b == a);
	show("  and the new page reads", b[0]);
	munmap(a, 4 * PGSZ);
}

static void file_mappings(void)
{
	int fd = open("file", O_RDWR), empty = open("empty", O_CREAT | O_RDWR, 0644);
	char *p = mmap(NULL, 3 * PGSZ, RW, MAP_SHARED, fd, 0), buf[8];
	struct stat st;

	show_map("MAP_SHARED of a 100-byte file, 3 pages", p);
	show("  byte 99", p[99]);
	show("  byte 100 (past the end, same page)", p[100]);
	show("  byte 4095", p[PGSZ - 1]);
	show_touch("  page 1 read", p + PGSZ, 0);
	show_touch("  page 2 write", p + 2 * PGSZ + 5, 1);
	p[0] = 'X';
	/* past the end: never reaches the file (what the page holds once the file grows
	 * depends on the file system, so that is not shown) */
	p[200] = 'Y';
	msync(p, PGSZ, MS_SYNC);
	fstat(fd, &st);
	show("  file size after writing through the map", (long)st.st_size);
	show("  pread of byte 0", pread(fd, buf, 1, 0) == 1 ? buf[0] : -2);
	ftruncate(fd, 2 * PGSZ);
	show_touch("  page 1 after growing the file", p + PGSZ, 1);
	show_touch("  page 2 still past the end", p + 2 * PGSZ, 0);
	munmap(p, 3 * PGSZ);
	p = mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, empty, 0);
	show_map("MAP_PRIVATE of an empty file", p);
	show_touch("  reading it", p, 0);
	munmap(p, PGSZ);
	p = mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, fd, 8 * PGSZ);
	show_map("an offset past the end of the file", p);
	show_touch("  reading it", p, 0);
	munmap(p, PGSZ);
	p = mmap(NULL, PGSZ, PROT_NONE, MAP_PRIVATE, fd, 0);
	show_touch("PROT_NONE file mapping read", p, 0);
	munmap(p, PGSZ);
	close(fd);
	close(empty);
}

static void shared_anon_child(void *arg)
{
	strcpy(arg, "from the child");
}

static void shared_anonymous(void)
{
	char *s = mmap(NULL, PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *p = anon(NULL, PGSZ, 0);

	strcpy(s, "unchanged");
	strcpy(p, "unchanged");
	show_child("child writing shared memory", shared_anon_child, s);
	show_child("child writing private memory", shared_anon_child, p);
	printf("shared memory after the child: %s\n", s);
	printf("private memory after the child: %s\n", p);
	munmap(s, PGSZ);
	munmap(p, PGSZ);
}

static void other_calls(void)
{
	char *p = anon(NULL, 2 * PGSZ, 0);

	show("msync unaligned", msync(p + 1, PGSZ, MS_SYNC));
	show("msync MS_SYNC|MS_ASYNC", msync(p, PGSZ, MS_SYNC | MS_ASYNC));
	show("msync bad flag", msync(p, PGSZ, 8));
	show("madvise unaligned", madvise(p + 1, PGSZ, MADV_DONTNEED));
	show("madvise bad advice", madvise(p, PGSZ, 999));
	munmap(p + PGSZ, PGSZ);
	show("msync over a hole", msync(p, 2 * PGSZ, MS_SYNC));
	show("madvise over a hole", madvise(p, 2 * PGSZ, MADV_DONTNEED));
	munmap(p, PGSZ);
}

int main(void)
{
	int fd;
	char data[100];

	enter_scratch("mmap");
	fd = open("file", O_CREAT | O_RDWR, 0644);
	for (int i = 0; i < 100; i++)
		data[i] = 'a' + i % 26;
	write(fd, data, sizeof(data));
	close(fd);
	argument_errors();
	fixed_and_hints();
	file_mappings();
	shared_anonymous();
	other_calls();
	leave_scratch();
	return 0;
}
