/*
 * mmap's argument checks when more than one argument is wrong: Linux
 * looks up the descriptor first (EBADF before any EINVAL), the old mmap
 * checks its offset's alignment before that, then come the length, the
 * address, MAP_FIXED_NOREPLACE and only then the mapping type and flags
 * -- where MAP_SHARED_VALIDATE refuses flags it does not know
 * (EOPNOTSUPP) and MAP_SHARED ignores them.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define BAD_FD 77
#define BAD_TYPE 0                /* neither MAP_SHARED nor MAP_PRIVATE */
#define OTHER_TYPE 5
#define UNKNOWN_FLAG 0x800000     /* no MAP_ flag has this bit */
#define HUGE_LEN 0xFFFFFFFFUL     /* rounds up past any address space */

static void *old_mmap(unsigned long len, int prot, int flags, int fd, unsigned long off)
{
	struct mmap_arg_struct a = { 0, len, prot, flags, fd, off };

	return (void *)syscall(__NR_mmap, &a);
}

static void two_wrongs(int fd)
{
	char *p = mmap(NULL, 2 * PGSZ, RW, ANON, -1, 0);

	show_map("bad fd, length 0", mmap(NULL, 0, PROT_READ, MAP_PRIVATE, BAD_FD, 0));
	show_map("bad fd, no type", mmap(NULL, PGSZ, PROT_READ, BAD_TYPE, BAD_FD, 0));
	show_map("bad fd, type 5", mmap(NULL, PGSZ, PROT_READ, OTHER_TYPE, BAD_FD, 0));
	show_map("bad fd, MAP_FIXED unaligned", mmap(p + 1, PGSZ, PROT_READ, MAP_PRIVATE | MAP_FIXED,
						     BAD_FD, 0));
	show_map("bad fd, MAP_ANONYMOUS", mmap(NULL, PGSZ, RW, ANON, BAD_FD, 0));
	show_map("fd -1, length 0, not anonymous", mmap(NULL, 0, PROT_READ, MAP_PRIVATE, -1, 0));
	show_map("old mmap: unaligned offset, bad fd", old_mmap(PGSZ, PROT_READ, MAP_PRIVATE, BAD_FD, 1));
	show_map("old mmap: bad fd, length 0", old_mmap(0, PROT_READ, MAP_PRIVATE, BAD_FD, 0));
	show_map("no type, length 0", mmap(NULL, 0, RW, MAP_ANONYMOUS, -1, 0));
	show_map("no type, huge length", mmap(NULL, HUGE_LEN, RW, MAP_ANONYMOUS, -1, 0));
	show_map("no type, MAP_FIXED unaligned", mmap(p + 1, PGSZ, RW, MAP_ANONYMOUS | MAP_FIXED,
						      -1, 0));
	show_map("no type, a file", mmap(NULL, PGSZ, PROT_READ, BAD_TYPE, fd, 0));
	show_map("type 5, a file", mmap(NULL, PGSZ, PROT_READ, OTHER_TYPE, fd, 0));
	show_map("no type, MAP_FIXED_NOREPLACE over a mapping",
		 mmap(p, PGSZ, RW, MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	show_map("length 0, MAP_FIXED_NOREPLACE over a mapping",
		 mmap(p, 0, RW, ANON | MAP_FIXED_NOREPLACE, -1, 0));
	show_map("MAP_FIXED_NOREPLACE unaligned", mmap(p + 1, PGSZ, RW, ANON | MAP_FIXED_NOREPLACE,
						       -1, 0));
	show_map("MAP_HUGETLB with a file", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE | MAP_HUGETLB,
						 fd, 0));
	show_map("MAP_HUGETLB with a bad fd", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE | MAP_HUGETLB,
						   BAD_FD, 0));
	show_map("MAP_GROWSDOWN, a file", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN,
					       fd, 0));
	show_map("MAP_GROWSDOWN, shared anonymous", mmap(NULL, PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS |
							 MAP_GROWSDOWN, -1, 0));
	munmap(p, 2 * PGSZ);
}

static void validate(int fd, int ro)
{
	char *p;

	show_map("MAP_SHARED_VALIDATE, a file", p = mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE, fd, 0));
	if (p != MAP_FAILED) {
		p[0] = 'V';
		munmap(p, PGSZ);
		pread(fd, &p, 1, 0);
		printf("  the file's byte 0 after writing through it: %c\n", *(char *)&p);
	}
	show_map("MAP_SHARED_VALIDATE, an unknown flag",
		 mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE | UNKNOWN_FLAG, fd, 0));
	show_map("MAP_SHARED_VALIDATE, MAP_SYNC", mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE | MAP_SYNC,
						       fd, 0));
	show_map("MAP_SHARED_VALIDATE, known flags",
		 p = mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE | MAP_POPULATE | MAP_NORESERVE |
			  MAP_LOCKED | MAP_STACK | MAP_DENYWRITE | MAP_EXECUTABLE, fd, 0));
	munmap(p, PGSZ);
	show_map("MAP_SHARED, an unknown flag", p = mmap(NULL, PGSZ, RW, MAP_SHARED | UNKNOWN_FLAG,
							 fd, 0));
	munmap(p, PGSZ);
	show_map("MAP_PRIVATE, an unknown flag", p = mmap(NULL, PGSZ, RW, MAP_PRIVATE | UNKNOWN_FLAG,
							  fd, 0));
	munmap(p, PGSZ);
	show_map("MAP_SHARED_VALIDATE, anonymous", mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE |
							MAP_ANONYMOUS, -1, 0));
	show_map("MAP_SHARED_VALIDATE, an unknown flag, length 0",
		 mmap(NULL, 0, RW, MAP_SHARED_VALIDATE | UNKNOWN_FLAG, fd, 0));
	show_map("MAP_SHARED_VALIDATE, an unknown flag, bad fd",
		 mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE | UNKNOWN_FLAG, BAD_FD, 0));
	show_map("MAP_SHARED_VALIDATE, an unknown flag, PROT_WRITE of an O_RDONLY file",
		 mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE | UNKNOWN_FLAG, ro, 0));
	show_map("MAP_SHARED_VALIDATE, PROT_WRITE of an O_RDONLY file",
		 mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE, ro, 0));
	show_map("MAP_SHARED_VALIDATE of /dev/zero, an unknown flag",
		 mmap(NULL, PGSZ, RW, MAP_SHARED_VALIDATE | UNKNOWN_FLAG, open("/dev/zero", O_RDWR), 0));
}

int main(void)
{
	int fd, ro;

	enter_scratch("mmapargs");
	fd = open("file", O_CREAT | O_RDWR, 0644);
	write(fd, "0123456789", 10);
	ro = open("file", O_RDONLY);
	two_wrongs(fd);
	validate(fd, ro);
	close(fd);
	close(ro);
	leave_scratch();
	return 0;
}
