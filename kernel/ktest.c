/*
 * The in-kernel test runner.  It walks the .ktests section (filled by
 * KTEST() all over the kernel), runs the tests whose names start with
 * one of the selected prefixes, and prints the lines tools/run-tests
 * parses:
 *     ktest: PASS <name>
 *     ktest: FAIL <name>: <file>:<line>: <what>
 *     ktest: N passed, M failed
 * After the tests a final check, no_leaks, proves that the run returned
 * every page and slab object it took.
 *
 * Each test starts from a clean state: a test that fails half-way returns
 * without freeing what it built, and rmap_verify(), which many tests call,
 * checks the whole system -- one broken test would fail the ones after it.
 * So after each test the runner puts away the address spaces it left, as
 * their exit would, and checks the invariant; if that still fails, each
 * later failure names the test after which it first did.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/gfp.h>
#include <anvil/slab.h>
#include <anvil/mm.h>
#include <anvil/rmap.h>
#include <anvil/sched.h>
#include <anvil/switch.h>

#define KTEST_MAX_LEFTOVERS 64      /* address spaces put away after one test */

extern const struct ktest_case __ktests_start[], __ktests_end[];

u32 ktest_random(u32 *state, u32 bound)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state % bound;
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
{
	int n;
	va_list ap;

	if (t->failed++)
		return;         /* keep the first reason */
	n = snprintf(t->msg, sizeof(t->msg), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(t->msg + n, sizeof(t->msg) - n, fmt, ap);
	va_end(ap);
}

/* selection: "all", or comma-separated name prefixes (shared with kbench) */
bool name_selected(const char *name, const char *selection)
{
	const char *p = selection;

	if (!strcmp(selection, "all") || !*selection)
		return true;
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len && !strncmp(name, p, len))
			return true;
		p += len;
		if (*p == ',')
			p++;
	}
	return false;
}

/* Is mm some task's address space (else a test built it and left it)? */
static bool mm_has_task(const struct mm_struct *mm)
{
	struct task_struct *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->mm == mm)
			return true;
	return false;
}

/*
 * Put away what a test left: the address space it entered (tvm_enter) and
 * every address space no task owns (tvm_create, dup_mm) -- mmput, as exit
 * does, frees their pages and swap slots.
 */
static void put_leftover_mms(void)
{
	struct mm_struct *mm, *left[KTEST_MAX_LEFTOVERS];
	int n = 0;

	if (current->mm) {
		current->mm = current->active_mm = NULL;
		leave_mm();
	}
	spin_lock(&mmlist_lock);
	list_for_each_entry(mm, &mmlist, mmlist)
		if (n < KTEST_MAX_LEFTOVERS && !mm_has_task(mm))
			left[n++] = mm;
	spin_unlock(&mmlist_lock);
	while (n)
		mmput(left[--n]);
}

static void report(const struct ktest *t, const char *broken_by, int *passed, int *failed)
{
	if (t->failed && broken_by) {
		printk(KERN_NOTICE "ktest: FAIL %s: %s (rmap_verify has failed since %s)\n",
		       t->name, t->msg, broken_by);
		(*failed)++;
	} else if (t->failed) {
		printk(KERN_NOTICE "ktest: FAIL %s: %s\n", t->name, t->msg);
		(*failed)++;
	} else {
		printk(KERN_NOTICE "ktest: PASS %s\n", t->name);
		(*passed)++;
	}
}

int run_ktests(const char *selection)
{
	int passed = 0, failed = 0;
	unsigned long free_before, free_after;
	struct ktest leak = { .name = "no_leaks" };
	const char *broken_by = NULL;      /* the test after which rmap_verify failed */

	kmem_cache_shrink_all();
	free_before = nr_free_pages();
	for (const struct ktest_case *c = __ktests_start; c < __ktests_end; c++) {
		struct ktest t = { .name = c->name };

		if (!name_selected(c->name, selection))
			continue;
		c->fn(&t);
		report(&t, broken_by, &passed, &failed);
		put_leftover_mms();
		if (!broken_by && rmap_verify()) {
			broken_by = c->name;
			printk(KERN_NOTICE "ktest: rmap_verify fails after %s (above): a later "
			       "failure may be its doing\n", c->name);
		}
	}
	kmem_cache_shrink_all();
	free_after = nr_free_pages();
	if (free_after != free_before)
		ktest_fail(&leak, __FILE__, __LINE__, "free pages %lu before the tests, %lu after",
			   free_before, free_after);
	report(&leak, broken_by, &passed, &failed);
	printk(KERN_NOTICE "ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}
