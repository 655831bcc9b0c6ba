/*
 * exec's working state (kernel/exec.c), passed to the format loaders
 * (kernel/binfmt_elf.c, and #! scripts in exec.c itself), and the limits
 * on the arguments, Linux's since 2.6.23.
 */
#ifndef ANVIL_BINFMTS_H
#define ANVIL_BINFMTS_H

#include <anvil/types.h>
#include <anvil/mm.h>
#include <anvil/cred.h>
#include <asm/ptrace.h>

#define BINPRM_BUF_SIZE 128
#define MAX_ARG_STRLEN (32 * PAGE_SIZE)   /* one argument or environment string, its NUL included */
#define MAX_INTERP_DEPTH 4                /* #! scripts running #! scripts */
#define STACK_TOP TASK_SIZE
#define STACK_INIT_EXTRA (128 * 1024)     /* stack mapped beyond the arguments */
/*
 * The argument and environment strings and their pointers may fill a
 * quarter of the stack limit (RLIMIT_STACK, fixed on anvil), so that the
 * program keeps most of its stack to run in.
 */
#define ARG_STACK_LIMIT (STACK_RLIMIT / 4)
#define MAX_ARG_PAGES (ARG_STACK_LIMIT / PAGE_SIZE)

struct file;
struct page;

/*
 * The strings are copied, last first, into pages that are an image of
 * the top of the new stack: page[i] will be [STACK_TOP - (i + 1) pages,
 * STACK_TOP - i pages), and p, a new-stack address, moves down as they
 * come in, exactly as Linux copies them into the new mm's stack pages.
 * Pages are allocated as p reaches them: a short argv costs one page.
 */
struct linux_binprm {
	char buf[BINPRM_BUF_SIZE];   /* the first bytes of the file */
	struct file *file;
	char *filename;              /* the path being executed (kernel copy) */
	struct page *page[MAX_ARG_PAGES];
	unsigned long p;             /* the lowest string byte so far: argv[0] once all are in */
	unsigned long argmin;        /* p may not go below this: the limit */
	unsigned long exec;          /* where the path given to execve is (AT_EXECFN) */
	int argc, envc;
	int depth;                   /* #! nesting */
	uid_t euid;                  /* the ids the program gets (set-user-ID...) */
	gid_t egid;
	bool secureexec;             /* AT_SECURE: they are not the real ids */
	bool enforce_nondump;        /* a file was not readable: not dumpable */
};

int load_elf_binary(struct linux_binprm *bprm, struct pt_regs *regs);
int do_execve(const char *filename, const char *const *argv, const char *const *envp,
	      struct pt_regs *regs);
/* The address just past the string at pos in the argument pages. */
unsigned long arg_string_end(struct linux_binprm *bprm, unsigned long pos);
/* Copy the argument pages, from bprm->p up to STACK_TOP, into the new (current) mm. */
int copy_arg_pages_to_user(struct linux_binprm *bprm);
/* After a successful load: the commit point shared by every format. */
void exec_commit(struct linux_binprm *bprm, struct mm_struct *old_mm);

#endif
