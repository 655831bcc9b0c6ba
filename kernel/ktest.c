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
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/gfp.h>
#include <anvil/slab.h>

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

static void report(const struct ktest *t, int *passed, int *failed)
{
	if (t->failed) {
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

	kmem_cache_shrink_all();
	free_before = nr_free_pages();
	for (const struct ktest_case *c = __ktests_start; c < __ktests_end; c++) {
		struct ktest t = { .name = c->name };

		if (!name_selected(c->name, selection))
			continue;
		c->fn(&t);
		report(&t, &passed, &failed);
	}
	kmem_cache_shrink_all();
	free_after = nr_free_pages();
	if (free_after != free_before)
		ktest_fail(&leak, __FILE__, __LINE__, "free pages %lu before the tests, %lu after",
			   free_before, free_after);
	report(&leak, &passed, &failed);
	printk(KERN_NOTICE "ktest: %d passed, %d failed\n", passed, failed);
	return failed;
}
