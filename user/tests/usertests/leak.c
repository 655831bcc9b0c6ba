/*
 * The runner's leak check: free pages once exiting processes are gone
 * (anvil_drop_caches gives empty slabs back first, so a slab page kept is
 * a page missing; the runner's own pages count as free, as its heap and
 * stack may grow), and every slab cache's objects in use (from
 * /proc/slabinfo): one leaked object rarely costs a slab page of its own.
 */
#include <string.h>
#include "ut.h"

void leak_snapshot(struct leak_state *s)
{
	long free_pages = anvil_free_pages();

	s->free_pages = free_pages < 0 ? free_pages : free_pages + self_mm_pages();
	s->nr_slabs = read_slab_counts(s->slabs, MAX_SLAB_CACHES);
}

static int same_state(const struct leak_state *a, const struct leak_state *b)
{
	return a->free_pages == b->free_pages &&
	       !slab_count_changes(a->slabs, a->nr_slabs, b->slabs, b->nr_slabs, NULL, 0);
}

int settled_leak_state(struct leak_state *now, const struct leak_state *want)
{
	leak_snapshot(now);
	for (int ms = 0; !same_state(now, want) && ms < SETTLE_MS; ms += 10) {
		msleep(10);
		leak_snapshot(now);
	}
	return same_state(now, want);
}

void slab_changes(const struct leak_state *before, const struct leak_state *after, char *out,
		  size_t size)
{
	slab_count_changes(before->slabs, before->nr_slabs, after->slabs, after->nr_slabs, out,
			   size);
}

/*
 * run-elf's init reads the pipe our exec closed, then closes it and
 * waits for us: on a loaded machine only after we have started.  The
 * pipe it frees then (its pages, inode and file) would make the leak
 * check's baseline short of pages the subtests never took.  Once init
 * sleeps in wait() (its /proc/1/stack), it has let the pipe go.
 */
void wait_for_init_to_wait(void)
{
	static char stack[2048];

	for (int ms = 0; ms < SETTLE_MS; ms += 10) {
		if (read_proc_text("/proc/1/stack", stack, sizeof(stack)) < 0)
			return;                  /* not anvil */
		if (strstr(stack, "] do_wait+"))  /* (empty while init is on a CPU) */
			return;
		msleep(10);
	}
}
