/*
 * The in-kernel benchmark runner: runs the KBENCH() functions the
 * command line selects (bench=all or bench=prefix,...) and prints their
 * rows for tools/run-bench.
 */
#include <anvil/kernel.h>
#include <anvil/kbench.h>
#include <anvil/ktest.h>

#define RATIO_SCALE 100

extern const struct kbench_case __kbench_start[], __kbench_end[];

void kbench_row(const char *bench, const char *what, u64 value, const char *unit)
{
	printk(KERN_NOTICE "kbench: %s | %s | %llu | %s\n", bench, what, value, unit);
}

void kbench_ratio(const char *bench, const char *what, u64 num, u64 den)
{
	u64 r = den ? num * RATIO_SCALE / den : 0;

	printk(KERN_NOTICE "kbench: %s | %s | %llu.%02llu | ratio\n", bench, what,
	       r / RATIO_SCALE, r % RATIO_SCALE);
}

void run_kbench(const char *selection)
{
	for (const struct kbench_case *b = __kbench_start; b < __kbench_end; b++)
		if (name_selected(b->name, selection))
			b->fn(b->name);
	printk(KERN_NOTICE "kbench: done\n");
}
