/*
 * brk through the raw system call: it grows (new memory zeroed and
 * writable), shrinks (the pages go: SIGSEGV, and zeroed when they come
 * back), and a refused request returns the old break unchanged.
 */
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "ut.h"

static unsigned long sys_brk(unsigned long addr)
{
	return (unsigned long)syscall(__NR_brk, addr);
}

static void t_brk(void)
{
	unsigned long base = sys_brk(0), top;
	char *p, *blocker;

	CHECK(base != 0 && sys_brk(0) == base, "brk(0) is not stable");
	/* an unaligned break; the page holding it is mapped in full */
	top = base + 5 * PGSZ + 123;
	CHECK(sys_brk(top) == top, "growing by 5 pages: got %#lx, want %#lx", sys_brk(0), top);
	p = (char *)((base + PGSZ - 1) & ~(PGSZ - 1));
	CHECK(all_zero((void *)base, top - base), "new brk memory is not zeroed");
	memset((void *)base, 0x5a, top - base);
	((char *)((top + PGSZ - 1) & ~(PGSZ - 1)))[-1] = 1;    /* the rest of the last page */
	CHECK(touch_signal(ADDR((top + PGSZ - 1) & ~(PGSZ - 1)), 1) == SIGSEGV,
	      "the page after the break is writable");
	check_rmap("after growing brk");

	/* shrink: the pages above the new break are gone, and come back zeroed */
	CHECK(sys_brk((unsigned long)p + PGSZ) == (unsigned long)p + PGSZ, "shrinking");
	CHECK(touch_signal(p + PGSZ, 0) == SIGSEGV, "a page above the shrunk break is readable");
	CHECK(p[PGSZ - 1] == 0x5a, "shrinking lost data below the break");
	CHECK(sys_brk(top) == top, "growing again");
	CHECK(all_zero(p + PGSZ, top - (unsigned long)p - PGSZ),
	      "memory given back by brk came back with old data");

	/* refused: the old break comes back and nothing changes */
	blocker = (char *)CHECK_OK(mmap(ADDR(((top + PGSZ - 1) & ~(PGSZ - 1)) + 16 * PGSZ), PGSZ, PROT_READ,
					MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	CHECK(sys_brk(top + 32 * PGSZ) == top, "brk over another mapping did not return the old break");
	CHECK(touch_signal(blocker, 0) == 0, "brk removed the mapping in its way");
	CHECK_OK(munmap(blocker, PGSZ));
	CHECK(sys_brk(0xFFFFF000) == top, "brk(0xfffff000) did not return the old break");
	CHECK(sys_brk(base - 100 * PGSZ) == top, "brk below its start did not return the old break");
	CHECK(sys_brk(0) == top && ((char *)top)[-1] == 0, "a refused brk changed the break");
	CHECK(sys_brk(base) == base, "shrinking back to the start");
	check_rmap("after shrinking brk");
}

const struct subtest brk_tests[] = {
	{ "brk", t_brk, T_VM },
	{ NULL },
};
