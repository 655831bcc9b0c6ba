/*
 * Loud invariant checks.  BUG_ON is for conditions that mean the kernel
 * itself is broken: it panics with file and line.  WARN_ON prints a
 * backtrace and carries on.  Anything a user can cause must instead be
 * a clean error return.
 */
#ifndef ANVIL_BUG_H
#define ANVIL_BUG_H

#include <anvil/compiler.h>

void panic(const char *fmt, ...) __noreturn __printf(1, 2);
void panic_after_oops(const char *fmt, ...) __noreturn __printf(1, 2);
void warn_slowpath(const char *file, int line, const char *cond);
void dump_stack(void);      /* backtrace of the caller (arch/i386/stacktrace.c) */

#define BUG() panic("kernel BUG at %s:%d!", __FILE__, __LINE__)

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("kernel BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#define WARN_ON(cond)                                                   \
	({                                                              \
		int __ret = !!(cond);                                   \
		if (unlikely(__ret))                                    \
			warn_slowpath(__FILE__, __LINE__, #cond);       \
		__ret;                                                  \
	})

/* Set once panic() starts, so a panic inside panic() just halts. */
extern int oops_in_progress;

#endif
