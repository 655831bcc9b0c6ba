/*
 * The embedded symbol table (built by tools/gen-ksyms on a second link
 * pass) and the backtraces that use it: every address in an oops or a
 * panic is printed as function+offset/size.
 */
#ifndef ANVIL_KALLSYMS_H
#define ANVIL_KALLSYMS_H

#include <anvil/types.h>

/* Name of the function containing addr, or NULL; *offset and *size describe it. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset);
/* The i-th symbol by address and its address, or NULL past the last (/proc/kallsyms). */
const char *kallsyms_symbol(u32 i, unsigned long *addr);
/* Address of the function called name, or 0. */
unsigned long kallsyms_lookup_name(const char *name);
#define KSYM_SYMBOL_LEN 96       /* room for what sprint_symbol writes */
/* "name+0xoff/0xsize", or the bare hex address when unknown. */
int sprint_symbol(char *buf, size_t len, unsigned long addr);
/* The same for a return address (names the calling function). */
int sprint_backtrace(char *buf, size_t len, unsigned long addr);

/* Print a backtrace starting at a given frame pointer (dump_stack: anvil/bug.h). */
void show_backtrace(unsigned long eip, unsigned long ebp);
/* The return addresses up the frame-pointer chain from ebp, at most max; how many. */
unsigned int save_stack_trace(unsigned long ebp, unsigned long *entries, unsigned int max);
struct task_struct;
/* The same for task p where it sleeps (nothing if it is on a CPU): /proc/<pid>/stack. */
unsigned int save_stack_trace_tsk(struct task_struct *p, unsigned long *entries, unsigned int max);
/* One "[<addr>] caller+off/size" line per entry, at printk level (KERN_ERR ...). */
void print_stack_trace(const char *level, const unsigned long *entries, unsigned int n);

#endif
