/*
 * No VMA's page offsets wrap round (the CVE-2011-2496
 * class): a file mapping near the largest page offset cannot grow by
 * mremap past it (-EINVAL, as 32-bit Linux; a 64-bit host has room and
 * says yes, so these are anvil-only), mmap refuses such a range
 * (-EOVERFLOW), and a stack moved up by mremap, keeping the small pgoff
 * of its old place, cannot grow down past pgoff 0.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "ut.h"

#define LAST_PGOFF 0xffffffffUL       /* the largest page offset an unsigned long holds */
#define RW (PROT_READ | PROT_WRITE)

static int scratch_file(void)
{
	int fd = CHECK_OK(open(scratch_path("f"), O_RDWR | O_CREAT | O_TRUNC, 0600));

	CHECK(write(fd, "x", 1) == 1, "writing the scratch file");
	return fd;
}

/* mmap2: the page offset is an unsigned long of its own, as the overflow needs. */
static long map_pgoff(void *addr, size_t len, int flags, int fd, unsigned long pgoff)
{
	return syscall(__NR_mmap2, addr, len, PROT_READ, flags, fd, pgoff);
}

/* A free range of pages (mapped, then unmapped), so mappings placed there have room to grow. */
static char *free_range(size_t pages)
{
	char *p = (char *)CHECK_OK(mmap(NULL, pages * PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	CHECK_OK(munmap(p, pages * PGSZ));
	return p;
}

/* The case and every way mremap grows: in place, moving, MREMAP_FIXED, old_len 0. */
static void check_no_wrap(int flags)
{
	int fd = scratch_file();
	char *area = free_range(8), *p = area, *q = area + 4 * PGSZ;

	CHECK_OK(map_pgoff(p, PGSZ, flags | MAP_FIXED, fd, LAST_PGOFF - 1));
	CHECK_ERR(mremap(p, PGSZ, 2 * PGSZ, 0), EINVAL);
	CHECK_ERR(mremap(p, PGSZ, 2 * PGSZ, MREMAP_MAYMOVE), EINVAL);
	CHECK_ERR(mremap(p, PGSZ, 2 * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, area + 2 * PGSZ), EINVAL);
	if (flags & MAP_SHARED)
		CHECK_ERR(mremap(p, 0, 2 * PGSZ, MREMAP_MAYMOVE), EINVAL);
	CHECK(count_vmas((unsigned long)area, (unsigned long)area + 8 * PGSZ) == 1 &&
	      count_vmas((unsigned long)p, (unsigned long)p + PGSZ) == 1,
	      "a refused mremap changed the mappings");
	/* a move that does not grow is fine */
	CHECK((char *)mremap(p, PGSZ, PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, area + 2 * PGSZ) ==
	      area + 2 * PGSZ, "moving the last-but-one page failed");
	CHECK_OK(munmap(area + 2 * PGSZ, PGSZ));
	/* the boundary: up to the largest page offset, and not one page past it */
	CHECK_OK(map_pgoff(q, PGSZ, flags | MAP_FIXED, fd, LAST_PGOFF - 2));
	CHECK((char *)mremap(q, PGSZ, 2 * PGSZ, 0) == q, "growing up to the last page offset failed");
	CHECK_ERR(mremap(q, 2 * PGSZ, 3 * PGSZ, 0), EINVAL);
	CHECK_ERR(mremap(q + PGSZ, PGSZ, 2 * PGSZ, MREMAP_MAYMOVE), EINVAL);
	CHECK_OK(munmap(q, 2 * PGSZ));
	close(fd);
	check_rmap("after the refused mremaps");
}

static void t_pgoff_mremap_shared(void)
{
	check_no_wrap(MAP_SHARED);
}

static void t_pgoff_mremap_private(void)
{
	check_no_wrap(MAP_PRIVATE);
}

/* mmap's own check, for a file and for anonymous memory (32-bit Linux checks the offset first). */
static void t_pgoff_mmap_overflow(void)
{
	int fd = scratch_file();
	long p;

	CHECK_ERR(map_pgoff(NULL, PGSZ, MAP_SHARED, fd, LAST_PGOFF), EOVERFLOW);
	CHECK_ERR(map_pgoff(NULL, 2 * PGSZ, MAP_SHARED, fd, LAST_PGOFF - 1), EOVERFLOW);
	CHECK_ERR(map_pgoff(NULL, PGSZ, MAP_PRIVATE | MAP_ANONYMOUS, -1, LAST_PGOFF), EOVERFLOW);
	p = CHECK_OK(map_pgoff(NULL, PGSZ, MAP_SHARED, fd, LAST_PGOFF - 1));
	CHECK_OK(munmap((void *)p, PGSZ));
	close(fd);
}

/*
 * A stack made at 64 KiB has pgoff 16; once it has a page, mremap keeps
 * that pgoff wherever it moves the stack, so there it may grow down by
 * 16 pages and no more (Linux's expand_downwards: grow <= vm_pgoff).
 */
static void t_pgoff_stack_underflow(void)
{
	char *low = ADDR(0x10000), *area = free_range(64), *stack = area + 48 * PGSZ;
	unsigned long pgoff = (unsigned long)low / PGSZ;
	char *bottom = stack - pgoff * PGSZ;      /* where pgoff would reach 0; esp there throughout */
	int fds[2];
	static const char data[64];

	CHECK_OK(pipe(fds));
	CHECK(write(fds[1], data, sizeof(data)) == sizeof(data), "filling the pipe");
	CHECK_OK(mmap(low, PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1, 0));
	low[0] = 1;                  /* a page: the move keeps the pgoff */
	CHECK((char *)mremap(low, PGSZ, PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, stack) == stack,
	      "moving the stack failed");
	CHECK(read_with_esp(bottom, fds[0], bottom - PGSZ, 16) == -EFAULT, "the stack grew past pgoff 0");
	CHECK(count_vmas((unsigned long)area, (unsigned long)stack) == 0, "the stack grew past pgoff 0");
	CHECK(read_with_esp(bottom, fds[0], bottom, 16) == 16, "the stack did not grow down to pgoff 0");
	CHECK(read_with_esp(bottom, fds[0], bottom - PGSZ, 16) == -EFAULT, "the stack grew below pgoff 0");
	CHECK(count_vmas((unsigned long)area, (unsigned long)bottom) == 0, "the stack grew below pgoff 0");
	CHECK(stack[0] == 1, "the moved page lost its data");
	check_rmap("after the stack grew");
	CHECK_OK(munmap(bottom, (pgoff + 1) * PGSZ));
}

const struct subtest pgoff_tests[] = {
	{ "pgoff_mremap_shared", t_pgoff_mremap_shared, T_VM },
	{ "pgoff_mremap_private", t_pgoff_mremap_private, T_VM },
	{ "pgoff_mmap_overflow", t_pgoff_mmap_overflow, T_VM },
	{ "pgoff_stack_underflow", t_pgoff_stack_underflow, T_VM },
	{ NULL },
};
