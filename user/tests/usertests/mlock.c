/*
 * Locked memory and madvise against anvil's own invariant: rmap_verify
 * (which also checks that locked_vm is the pages of the locked VMAs)
 * after a locked region is forked, copied on write, split, moved and
 * unlocked; a locked stack growing; fork with MADV_WIPEONFORK (the flag
 * passes on to the grandchild) and MADV_DONTFORK; a private /dev/zero
 * mapping forked and moved; MADV_REMOVE under a child's feet; and
 * MADV_PAGEOUT without swap.  Linux's answers themselves are checked by
 * the diff programs (user/tests/diff/mlock.c, madvise.c, devzero.c).
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "ut.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define PAGES 16
#define STACK_DEPTH (256 * 1024)    /* bytes of stack the recursion touches: past exec's 128 KiB */
#define FRAME 1024

static void locked_child(void *p)
{
	CHECK(self_status_kb("VmLck") == 0, "the child inherited the lock");
	CHECK(check_pages(p, PAGES, 60) < 0, "the child does not see the locked data");
	fill_pages(p, PAGES / 2, 61);                   /* copies of locked pages */
	check_rmap("after the child's copy-on-write of locked pages");
}

static void t_mlock_fork_split_move(void)
{
	char *p = (char *)CHECK_OK(mmap(NULL, 2 * PAGES * PGSZ, RW, ANON | MAP_LOCKED, -1, 0)), *q;

	CHECK_OK(munmap(p + PAGES * PGSZ, PAGES * PGSZ));         /* room to grow */
	CHECK(self_status_kb("VmLck") == PAGES * PGSZ / 1024, "VmLck is not the locked mapping");
	fill_pages(p, PAGES, 60);
	check_child_ok(run_in_child(locked_child, p), "child");
	CHECK(check_pages(p, PAGES, 60) < 0, "the parent's locked data changed");
	CHECK_OK(munlock(p + 4 * PGSZ, 4 * PGSZ));
	CHECK_OK(mprotect(p + 10 * PGSZ, 2 * PGSZ, PROT_READ));
	CHECK(count_vmas((unsigned long)p, (unsigned long)p + PAGES * PGSZ) == 5,
	      "munlock and mprotect did not split the mapping in five");
	check_rmap("after munlock and mprotect of parts");
	CHECK_OK(mlock(p, PAGES * PGSZ));
	CHECK_OK(mprotect(p, PAGES * PGSZ, RW));
	CHECK(count_vmas((unsigned long)p, (unsigned long)p + PAGES * PGSZ) == 1,
	      "locked and read-write again, the pieces did not merge");
	q = mremap(p, PAGES * PGSZ, 2 * PAGES * PGSZ, 0);
	CHECK(q == p, "mremap could not grow the mapping in place");
	CHECK(self_status_kb("VmLck") == 2 * PAGES * PGSZ / 1024, "VmLck after growing in place");
	q = (char *)CHECK_OK(mremap(p, 2 * PAGES * PGSZ, 3 * PAGES * PGSZ, MREMAP_MAYMOVE));
	CHECK(self_status_kb("VmLck") == 3 * PAGES * PGSZ / 1024, "VmLck after a move");
	CHECK(check_pages(q, 4, 60) < 0, "the moved pages lost their data");
	check_rmap("after mremap of a locked mapping");
	CHECK_OK(munlockall());
	CHECK(self_status_kb("VmLck") == 0, "munlockall left something locked");
	CHECK_OK(munmap(q, 3 * PAGES * PGSZ));
}

/* Recurse, each level touching another kilobyte of stack. */
static unsigned long grow(unsigned long depth)
{
	volatile char frame[FRAME];

	frame[0] = (char)depth;
	if (depth * FRAME < STACK_DEPTH)
		return grow(depth + 1) + frame[0];
	return frame[0];
}

static void t_mlockall_stack_grows_locked(void)
{
	long size, locked;

	CHECK_OK(mlockall(MCL_CURRENT | MCL_FUTURE));
	size = self_status_kb("VmSize");
	locked = self_status_kb("VmLck");
	grow(0);
	CHECK(self_status_kb("VmSize") > size, "the stack did not grow: the test proves nothing");
	CHECK(self_status_kb("VmLck") - locked == self_status_kb("VmSize") - size,
	      "the locked stack grew, VmLck not as much");
	check_rmap("after a locked stack grew");
	CHECK_OK(munlockall());
}

static void wipe_grandchild(void *p)
{
	CHECK(all_zero(p, 2 * PGSZ), "a wiped range reached the grandchild");
}

static void wipe_child(void *p)
{
	char *c = p;

	CHECK(check_pages(c, 1, 70) < 0, "the kept page was not copied");
	CHECK(all_zero(c + PGSZ, 2 * PGSZ), "the wiped pages were copied");
	CHECK(touch_signal(c + 3 * PGSZ, 0) == SIGSEGV, "a MADV_DONTFORK page was copied");
	fill_pages(c + PGSZ, 2, 71);
	check_rmap("in the child, after writing its wiped pages");
	check_child_ok(run_in_child(wipe_grandchild, c + PGSZ), "grandchild");
}

static void t_madvise_fork_advice(void)
{
	char *p = (char *)CHECK_OK(mmap(NULL, 4 * PGSZ, RW, ANON, -1, 0));

	fill_pages(p, 4, 70);
	CHECK_OK(madvise(p + PGSZ, 2 * PGSZ, MADV_WIPEONFORK));
	CHECK_OK(madvise(p + 3 * PGSZ, PGSZ, MADV_DONTFORK));
	check_child_ok(run_in_child(wipe_child, p), "child");
	CHECK(check_pages(p, 4, 70) < 0, "the parent's pages changed");
	check_rmap("after the children");
	CHECK_OK(munmap(p, 4 * PGSZ));
}

static void zero_child(void *p)
{
	CHECK(check_pages(p, 4, 80) < 0, "the child does not see the private /dev/zero data");
	fill_pages(p, 2, 81);
	check_rmap("after the child's copy-on-write of /dev/zero pages");
}

static void t_devzero_private_fork_move(void)
{
	int fd = CHECK_OK(open("/dev/zero", O_RDWR));
	char *p = (char *)CHECK_OK(mmap(NULL, 4 * PGSZ, RW, MAP_PRIVATE, fd, 0)), *q;

	close(fd);
	CHECK(all_zero(p, 4 * PGSZ), "/dev/zero does not read as zeros");
	fill_pages(p, 4, 80);
	check_child_ok(run_in_child(zero_child, p), "child");
	q = (char *)CHECK_OK(mremap(p, 4 * PGSZ, 8 * PGSZ, MREMAP_MAYMOVE));
	CHECK(check_pages(q, 4, 80) < 0 && all_zero(q + 4 * PGSZ, 4 * PGSZ),
	      "the moved /dev/zero mapping lost its data");
	check_rmap("after moving a private /dev/zero mapping");
	CHECK_OK(munmap(q, 8 * PGSZ));
}

struct shared_remove {
	char *p;
	int up[2], down[2];
};

static void remove_child(void *arg)
{
	struct shared_remove *r = arg;
	char x;

	fill_pages(r->p, 4, 90);
	write(r->up[1], "w", 1);
	read(r->down[0], &x, 1);                        /* the parent removed pages 1-2 */
	CHECK(all_zero(r->p + PGSZ, 2 * PGSZ), "the child still sees removed pages");
	CHECK(check_pages(r->p + 3 * PGSZ, 1, 93) < 0, "the child lost a page that was not removed");
}

/* MADV_REMOVE in one process empties the pages of every process sharing the object. */
static void t_madvise_remove_shared(void)
{
	struct shared_remove r;
	pid_t pid;
	char x;

	r.p = (char *)CHECK_OK(mmap(NULL, 4 * PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
	CHECK_OK(pipe(r.up));
	CHECK_OK(pipe(r.down));
	pid = CHECK_OK(spawn(remove_child, &r));
	CHECK(read(r.up[0], &x, 1) == 1, "the child died (see its message)");
	CHECK_OK(madvise(r.p + PGSZ, 2 * PGSZ, MADV_REMOVE));
	CHECK(all_zero(r.p + PGSZ, 2 * PGSZ), "removed pages still hold data");
	check_rmap("after MADV_REMOVE");
	write(r.down[1], "r", 1);
	check_child_ok(wait_status(pid, 0), "child");
	CHECK_OK(munmap(r.p, 4 * PGSZ));
}

/* Without a swap area MADV_PAGEOUT can take no anonymous page: they all stay. */
static void t_madvise_pageout_without_swap(void)
{
	char *p = (char *)CHECK_OK(mmap(NULL, PAGES * PGSZ, RW, ANON, -1, 0));
	unsigned char vec[PAGES];

	fill_pages(p, PAGES, 95);
	CHECK_OK(madvise(p, PAGES * PGSZ, MADV_PAGEOUT));
	CHECK_OK(madvise(p, PAGES * PGSZ, MADV_COLD));
	CHECK_OK(mincore(p, PAGES * PGSZ, vec));
	for (int i = 0; i < PAGES; i++)
		CHECK(vec[i] == 1, "page %d left memory with nowhere to go", i);
	CHECK(self_status_kb("VmSwap") == 0, "VmSwap without a swap area");
	CHECK(check_pages(p, PAGES, 95) < 0, "paged-out memory lost its data");
	check_rmap("after MADV_PAGEOUT");
	CHECK_OK(munmap(p, PAGES * PGSZ));
}

const struct subtest mlock_tests[] = {
	{ "mlock_fork_split_move", t_mlock_fork_split_move, T_VM },
	{ "mlockall_stack_grows_locked", t_mlockall_stack_grows_locked, T_VM },
	{ "madvise_wipeonfork_dontfork", t_madvise_fork_advice, T_VM },
	{ "devzero_private_fork_move", t_devzero_private_fork_move, T_VM },
	{ "madvise_remove_shared", t_madvise_remove_shared, T_VM },
	{ "madvise_pageout_without_swap", t_madvise_pageout_without_swap, T_VM },
	{ NULL },
};
