/*
 * In-kernel benchmarks for `make bench`.  Like KTEST, KBENCH(name)
 * registers a function in a linker section; kernel/kbench.c runs the
 * selected ones (bench=all).  Each reports rows that tools/run-bench
 * gathers into a table:
 *     kbench: <bench> | <what> | <value> | <unit>
 * Speed goals are ratios of two rows measured in the same run, so a
 * slow or busy host changes both sides alike.
 */
#ifndef ANVIL_KBENCH_H
#define ANVIL_KBENCH_H

#include <anvil/compiler.h>
#include <anvil/types.h>

struct kbench_case {
	const char *name;
	void (*fn)(const char *name);
};

#define KBENCH(bname)                                                           \
	static void kbench_fn_##bname(const char *bench);                       \
	static const struct kbench_case kbench_case_##bname                     \
		__used __section(".kbench") __aligned(4) = { #bname, kbench_fn_##bname }; \
	static void kbench_fn_##bname(const char *bench)

void kbench_row(const char *bench, const char *what, u64 value, const char *unit);
/* A ratio num/den printed with two decimals. */
void kbench_ratio(const char *bench, const char *what, u64 num, u64 den);
void run_kbench(const char *selection);

#endif
