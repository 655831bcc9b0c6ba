/* Core dumps (kernel/coredump.c) and the file name pattern they are written under. */
#ifndef ANVIL_COREDUMP_H
#define ANVIL_COREDUMP_H

#include <anvil/types.h>
#include <asm/ptrace.h>

bool do_coredump(int sig, const struct pt_regs *regs);
#define CORE_PATTERN_MAX 128                /* the pattern's bytes, its NUL included */

/* /proc/sys/kernel/core_pattern: "core" unless root wrote another */
const char *core_pattern(void);
int set_core_pattern(const char *s, size_t len);

#endif
