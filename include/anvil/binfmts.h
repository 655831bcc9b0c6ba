/*
 * exec's working state (kernel/exec.c), passed to the format loaders
 * (kernel/binfmt_elf.c, and #! scripts in exec.c itself).
 */
#ifndef ANVIL_BINFMTS_H
#define ANVIL_BINFMTS_H

#include <anvil/types.h>
#include <asm/ptrace.h>

#define BINPRM_BUF_SIZE 128
#define ARG_MAX (128 * 1024)         /* argv + envp strings, bytes */
#define ARG_PAGES_ORDER 5            /* 2^5 pages = ARG_MAX */
#define MAX_ARG_STRINGS 32768
#define MAX_INTERP_DEPTH 4           /* #! scripts running #! scripts */
#define STACK_INIT_EXTRA (128 * 1024) /* stack mapped beyond the arguments */

struct file;
struct mm_struct;

struct linux_binprm {
	char buf[BINPRM_BUF_SIZE];   /* the first bytes of the file */
	struct file *file;
	char *filename;              /* the path being executed (kernel copy) */
	char *strings;               /* argv then envp strings, each NUL-terminated */
	size_t strings_len;
	int argc, envc;
	int depth;                   /* #! nesting */
};

int load_elf_binary(struct linux_binprm *bprm, struct pt_regs *regs);
int do_execve(const char *filename, const char *const *argv, const char *const *envp,
	      struct pt_regs *regs);
/* After a successful load: the commit point shared by every format. */
void exec_commit(struct linux_binprm *bprm, struct mm_struct *old_mm);

#endif
