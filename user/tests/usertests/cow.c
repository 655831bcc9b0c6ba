/*
 * Copy-on-write after fork: parent and child each see their own copy,
 * the parent can still write once the child is gone, and a fork tree of
 * 200 processes COWing one 1 MiB region, each writing its own pattern to
 * some pages and checking every page.  rmap_verify runs at every step.
 */
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "ut.h"

#define RW (PROT_READ | PROT_WRITE)
#define COW_PAGES 64

struct cow {
	char *p, *ro;
	int up[2], down[2];
};

static void cow_child(void *arg)
{
	struct cow *c = arg;
	char x;

	close(c->up[0]);
	close(c->down[1]);
	CHECK(check_pages(c->p, COW_PAGES, 40) < 0, "the child does not see the parent's data");
	CHECK(touch_signal(c->ro, 1) == SIGSEGV, "a read-only region became writable in the child");
	fill_pages(c->p, COW_PAGES / 2, 41);
	check_rmap("after the child's COW faults");
	write(c->up[1], "c", 1);
	read(c->down[0], &x, 1);
	CHECK(check_pages(c->p, COW_PAGES / 2, 41) < 0 &&
	      check_pages(c->p + COW_PAGES / 2 * PGSZ, COW_PAGES / 2, 40 + COW_PAGES / 2) < 0,
	      "the child's copy changed when the parent wrote");
}

static void t_cow_fork(void)
{
	struct cow c;
	pid_t pid;
	char x;

	c.p = (char *)CHECK_OK(mmap(NULL, COW_PAGES * PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	c.ro = (char *)CHECK_OK(mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	fill_pages(c.p, COW_PAGES, 40);
	CHECK_OK(pipe(c.up));
	CHECK_OK(pipe(c.down));
	pid = CHECK_OK(spawn(cow_child, &c));
	close(c.up[1]);
	close(c.down[0]);
	CHECK(read(c.up[0], &x, 1) == 1, "the child died (see its message)");
	CHECK(check_pages(c.p, COW_PAGES, 40) < 0, "the parent sees the child's writes");
	fill_pages(c.p + COW_PAGES / 4 * PGSZ, COW_PAGES / 2, 42);   /* overlaps the child's half */
	check_rmap("after both wrote");
	close(c.down[1]);
	check_child_ok(wait_status(pid, 0), "child");
	CHECK(check_pages(c.p, COW_PAGES / 4, 40) < 0 &&
	      check_pages(c.p + COW_PAGES / 4 * PGSZ, COW_PAGES / 2, 42) < 0,
	      "the parent's copy changed");
	fill_pages(c.p, COW_PAGES, 43);        /* pages the child shared are ours alone now */
	CHECK(check_pages(c.p, COW_PAGES, 43) < 0, "writing after the child exited");
	check_rmap("after the child exited");
	CHECK_OK(munmap(c.p, COW_PAGES * PGSZ));
}

/* ---- a fork tree ---- */

#define TREE_PROCS 200
#define REGION_PAGES 256       /* 1 MiB */
#define PAGES_EACH 3

/* What every page of the region should hold in this process: a seed. */
static unsigned expect[REGION_PAGES];
static unsigned *region;

/* Check every page: its first, middle and last words hold expect[]'s pattern. */
static void check_region(int node, const char *when)
{
	for (int i = 0; i < REGION_PAGES; i++) {
		const unsigned *w = region + i * (PGSZ / 4);
		unsigned seed = expect[i];

		CHECK(w[0] == pattern_word(seed, 0) && w[PGSZ / 8] == pattern_word(seed, PGSZ / 8) &&
		      w[PGSZ / 4 - 1] == pattern_word(seed, PGSZ / 4 - 1),
		      "node %d, %s: page %d does not hold seed %u", node, when, i, seed);
	}
}

/* Node n (1-based, heap order): write own pages, fork children 2n and 2n+1, wait, check again. */
static void tree_node(int node)
{
	pid_t kids[2];
	int nkids = 0;

	check_region(node, "at start");
	for (int k = 0; k < PAGES_EACH; k++) {
		int page = (node * 7 + k * 101) % REGION_PAGES;

		fill_pattern(region + page * (PGSZ / 4), PGSZ, 1000 + node);
		expect[page] = 1000 + node;
	}
	for (int c = 2 * node; c <= 2 * node + 1 && c <= TREE_PROCS; c++) {
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			tree_node(c);
			_exit(0);
		}
		CHECK(pid > 0, "node %d: fork: %s", node, errno_name(errno));
		kids[nkids++] = pid;
	}
	if (node == 1)
		check_rmap("with the tree's processes alive");
	for (int k = 0; k < nkids; k++)
		check_child_ok(wait_status(kids[k], 0), "a child node");
	check_region(node, "after its children exited");
}

static void t_fork_tree(void)
{
	region = (unsigned *)CHECK_OK(mmap(NULL, REGION_PAGES * PGSZ, RW,
					   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	for (int i = 0; i < REGION_PAGES; i++) {
		fill_pattern(region + i * (PGSZ / 4), PGSZ, i);
		expect[i] = i;
	}
	tree_node(1);
	check_rmap("after the tree");
	CHECK_OK(munmap(region, REGION_PAGES * PGSZ));
}

const struct subtest cow_tests[] = {
	{ "cow_fork", t_cow_fork, T_VM },
	{ "fork_tree", t_fork_tree, T_VM },
	{ NULL },
};
