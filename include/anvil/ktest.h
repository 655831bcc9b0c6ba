/*
 * In-kernel tests.  A test is declared next to the code it tests:
 *
 *     KTEST(buddy_split_coalesce)
 *     {
 *             KT_ASSERT(t, alloc_pages(GFP_KERNEL, 3) != NULL);
 *             KT_EQ(t, nr_free_pages(), before);
 *     }
 *
 * KTEST places a descriptor in the .ktests section; kernel/ktest.c runs
 * the ones the command line selects (test=all, or test=prefix1,prefix2)
 * and prints one line per test, then "ktest: N passed, M failed".
 * A failed assertion records where and returns from the test.
 */
#ifndef ANVIL_KTEST_H
#define ANVIL_KTEST_H

#include <anvil/compiler.h>

#define KTEST_MSG_LEN 200

struct ktest {
	const char *name;
	int failed;
	char msg[KTEST_MSG_LEN];
};

struct ktest_case {
	const char *name;
	void (*fn)(struct ktest *t);
};

#define KTEST(tname)                                                            \
	static void ktest_fn_##tname(struct ktest *t);                          \
	static const struct ktest_case ktest_case_##tname                       \
		__used __section(".ktests") __aligned(4) = { #tname, ktest_fn_##tname }; \
	static void ktest_fn_##tname(struct ktest *t)

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt, ...)
	__printf(4, 5);
/* A number below bound from a xorshift32 stream: *state (not 0) makes it repeatable. */
u32 ktest_random(u32 *state, u32 bound);

#define KT_ASSERT(t, cond)                                                      \
	do {                                                                    \
		if (!(cond)) {                                                  \
			ktest_fail(t, __FILE__, __LINE__, "%s", #cond);         \
			return;                                                 \
		}                                                               \
	} while (0)

#define KT_EQ(t, a, b)                                                          \
	do {                                                                    \
		long long __a = (long long)(a), __b = (long long)(b);           \
		if (__a != __b) {                                               \
			ktest_fail(t, __FILE__, __LINE__, "%s == %s (%lld != %lld)", \
				   #a, #b, __a, __b);                           \
			return;                                                 \
		}                                                               \
	} while (0)

#define KT_STREQ(t, a, b)                                                       \
	do {                                                                    \
		const char *__a = (a), *__b = (b);                              \
		if (!__a || !__b || strcmp(__a, __b)) {                         \
			ktest_fail(t, __FILE__, __LINE__, "%s == %s (\"%s\" != \"%s\")", \
				   #a, #b, __a ? __a : "(null)", __b ? __b : "(null)"); \
			return;                                                 \
		}                                                               \
	} while (0)

/* Does name start with one of the comma-separated prefixes ("all" = yes)? */
bool name_selected(const char *name, const char *selection);
/* Run the selected tests; returns the number that failed. */
int run_ktests(const char *selection);

#endif
