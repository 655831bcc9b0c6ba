/*
 * Segments at the user/kernel boundary (docs/processes.md): which TLS descriptors
 * set_thread_area() accepts, what a program sees after clearing the
 * slot its %ds, %es, %fs, %gs or %ss names and making a system call,
 * a sigreturn with forged %fs/%gs, the direction flag in a handler, and
 * sigaltstack's rules (EPERM on the stack, what rt_sigreturn installs).
 * Slot numbers differ (Linux x86-64 keeps TLS in GDT 12-14, i386 in
 * 6-8), so only whether a slot was given is printed, never its number.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <abi/ldt.h>
#include "../common/report.h"

#define FLAT_LIMIT_PAGES 0xfffff
#define NO_SLOT ((unsigned int)-1)
#define LDT_SELECTOR 0x77              /* no LDT exists: loading it faults */
#define BEYOND_GDT_SELECTOR 0xfffb
#define EFLAGS_DF 0x400
#define ALT_STACK_SIZE 16384
#define TOO_SMALL_STACK 1024           /* under MINSIGSTKSZ */

static const struct user_desc flat_data = {
	.entry_number = NO_SLOT, .limit = FLAT_LIMIT_PAGES, .seg_32bit = 1, .limit_in_pages = 1,
};

static long set_area(struct user_desc *d)
{
	return syscall(__NR_set_thread_area, d);
}

/* A flat TLS data segment in a free slot; its selector, or 0. */
static unsigned short new_tls_selector(void)
{
	struct user_desc d = flat_data;

	if (set_area(&d) < 0)
		return 0;
	return d.entry_number * 8 + 3;
}

/* The empty request for sel's slot (Linux's LDT_empty form). */
static struct user_desc empty_slot(unsigned short sel)
{
	return (struct user_desc){ .entry_number = sel >> 3, .read_exec_only = 1,
				   .seg_not_present = 1 };
}

/* Ask for d and show the answer; a slot given is emptied again unless keep is set. */
static void try_desc(const char *what, struct user_desc *d, int keep)
{
	long r = set_area(d);

	show(what, r);
	if (r != 0)
		return;
	show_bool("  slot given", d->entry_number != NO_SLOT);
	if (!keep) {
		struct user_desc empty = empty_slot(d->entry_number * 8);

		set_area(&empty);
	}
}

static void show_desc(const struct user_desc *d)
{
	printf("  base %#x limit %#x 32bit %u contents %u ro %u pages %u np %u useable %u\n",
	       d->base_addr, d->limit, d->seg_32bit, d->contents, d->read_exec_only,
	       d->limit_in_pages, d->seg_not_present, d->useable);
}

static void requests(void)
{
	struct user_desc d;

	d = flat_data;
	d.seg_not_present = 1;
	try_desc("not-present data", &d, 0);
	d = flat_data;
	d.seg_32bit = 0;
	try_desc("16-bit data", &d, 0);
	d = flat_data;
	d.contents = MODIFY_LDT_CONTENTS_CODE;
	try_desc("code", &d, 0);
	d = flat_data;
	d.contents = MODIFY_LDT_CONTENTS_CODE + 1;
	try_desc("conforming code", &d, 0);
	d = flat_data;
	d.contents = MODIFY_LDT_CONTENTS_STACK;
	try_desc("expand-down data", &d, 0);
	d = (struct user_desc){ .entry_number = NO_SLOT };
	try_desc("all-zero form", &d, 0);
	d = flat_data;
	d.entry_number = 3;
	try_desc("slot out of range", &d, 0);
	show("bad pointer", set_area((struct user_desc *)16));

	/* get_thread_area gives back what was asked, and the empty form empties */
	d = flat_data;
	d.read_exec_only = 1;
	d.useable = 1;
	try_desc("read-only, useable", &d, 1);
	show("get_thread_area", syscall(__NR_get_thread_area, &d));
	show_desc(&d);
	d = empty_slot(d.entry_number * 8);
	show("empty form", set_area(&d));
	show("get_thread_area of the emptied slot", syscall(__NR_get_thread_area, &d));
	show_desc(&d);
}

/*
 * Load sel into one segment register, make the system call that clears
 * its slot, and read the register back before restoring it: nothing
 * between may touch memory through that register.
 */
#define CLEAR_UNDER(reg, sel, desc, after)                                        \
	__asm__ __volatile__("mov %%" reg ", %%si\n\t"                            \
			     "mov %w2, %%" reg "\n\t"                             \
			     "int $0x80\n\t"                                       \
			     "mov %%" reg ", %%cx\n\t"                            \
			     "mov %%si, %%" reg                                    \
			     : "=c"(after), "+a"(ret)                              \
			     : "r"(sel), "b"(desc) : "esi", "memory")

static void cleared_under(const char *reg)
{
	unsigned short sel = new_tls_selector(), after = 0xffff;
	struct user_desc empty = empty_slot(sel);
	long ret = __NR_set_thread_area;

	if (!strcmp(reg, "ds"))
		CLEAR_UNDER("ds", sel, &empty, after);
	else if (!strcmp(reg, "es"))
		CLEAR_UNDER("es", sel, &empty, after);
	else if (!strcmp(reg, "fs"))
		CLEAR_UNDER("fs", sel, &empty, after);
	else
		CLEAR_UNDER("gs", sel, &empty, after);
	printf("%%%s cleared under it: call %ld, selector null afterwards: %s\n", reg, ret,
	       after == 0 ? "yes" : "no");
}

/* Same for %ss: the return to user mode cannot load it, so the process gets SIGSEGV. */
static void cleared_under_ss(void *unused)
{
	unsigned short sel = new_tls_selector();
	struct user_desc empty = empty_slot(sel);
	long ret = __NR_set_thread_area;
	unsigned short after;

	CLEAR_UNDER("ss", sel, &empty, after);
	printf("survived with %%ss %#x\n", after);
	exit(0);
}

static void exit_seven(int sig)
{
	_exit(7);
}

/* ... and a SIGSEGV handler runs, on the user's own %ss again. */
static void cleared_under_ss_caught(void *unused)
{
	struct sigaction sa = { .sa_handler = exit_seven };

	sigaction(SIGSEGV, &sa, NULL);
	cleared_under_ss(NULL);
}

static unsigned short forged_fs, forged_gs;

static void forge_segments(int sig, siginfo_t *info, void *ucv)
{
	struct abi_ucontext *uc = ucv;

	uc->uc_mcontext.fs = forged_fs;
	uc->uc_mcontext.gs = forged_gs;
}

/* rt_sigreturn to selectors that will not load: each becomes null, the process lives. */
static void forged_sigreturn(const char *what, unsigned short sel)
{
	struct sigaction sa = { .sa_sigaction = forge_segments, .sa_flags = SA_SIGINFO };
	unsigned short fs, gs;

	sigaction(SIGUSR1, &sa, NULL);
	forged_fs = forged_gs = sel;
	raise(SIGUSR1);
	__asm__ __volatile__("mov %%fs, %0\n\tmov %%gs, %1" : "=r"(fs), "=r"(gs));
	__asm__ __volatile__("mov %0, %%fs\n\tmov %0, %%gs" : : "r"(0));
	printf("sigreturn to %s in %%fs/%%gs: now %s/%s\n", what, fs ? "not null" : "null",
	       gs ? "not null" : "null");
}

static void forged(void)
{
	unsigned short stale = new_tls_selector();
	struct user_desc empty = empty_slot(stale);

	set_area(&empty);
	forged_sigreturn("a cleared TLS slot", stale);
	forged_sigreturn("an LDT selector", LDT_SELECTOR);
	forged_sigreturn("a selector beyond the GDT", BEYOND_GDT_SELECTOR);
}

static volatile unsigned long handler_eflags;

static void note_eflags(int sig)
{
	unsigned long f;

	__asm__ __volatile__("pushf\n\tpop %0" : "=r"(f));
	handler_eflags = f;
}

/* A signal arriving while the program runs with DF set: the handler starts with DF clear. */
static void direction_flag(void)
{
	struct sigaction sa = { .sa_handler = note_eflags };
	long ret = __NR_kill;
	unsigned long after;

	sigaction(SIGUSR1, &sa, NULL);
	__asm__ __volatile__("std\n\t"
			     "int $0x80\n\t"
			     "pushf\n\t"
			     "pop %1\n\t"
			     "cld"
			     : "+a"(ret), "=r"(after)
			     : "b"(getpid()), "c"(SIGUSR1) : "memory");
	printf("kill with DF set: %ld; DF in the handler %d, after it %d\n", ret,
	       !!(handler_eflags & EFLAGS_DF), !!(after & EFLAGS_DF));
}

static char alt_stack[ALT_STACK_SIZE], other_stack[ALT_STACK_SIZE];

static long altstack(const stack_t *ss, stack_t *old)
{
	return syscall(__NR_sigaltstack, ss, old);
}

static void show_altstack(const char *what)
{
	stack_t old;

	if (altstack(NULL, &old) < 0) {
		show(what, -1);
		return;
	}
	printf("%s: flags %d, stack %s, size %u\n", what, old.ss_flags,
	       old.ss_sp == alt_stack ? "alt" : old.ss_sp == other_stack ? "other" :
	       old.ss_sp ? "?" : "none", (unsigned)old.ss_size);
}

static void on_alt_stack(int sig)
{
	stack_t ss = { .ss_sp = other_stack, .ss_size = sizeof(other_stack) };

	show_altstack("  in a handler on it");
	show("  sigaltstack while on it", altstack(&ss, NULL));
}

static stack_t uc_stack_to_install;

static void rewrite_uc_stack(int sig, siginfo_t *info, void *ucv)
{
	struct abi_ucontext *uc = ucv;

	uc->uc_stack = uc_stack_to_install;
}

static void sigaltstack_rules(void)
{
	stack_t ss = { .ss_sp = alt_stack, .ss_size = TOO_SMALL_STACK };
	struct sigaction sa = { .sa_handler = on_alt_stack, .sa_flags = SA_ONSTACK };

	show_altstack("at start");
	show("too small", altstack(&ss, NULL));
	ss.ss_flags = SS_ONSTACK | SS_DISABLE;
	ss.ss_size = sizeof(alt_stack);
	show("bad flags", altstack(&ss, NULL));
	ss.ss_flags = SS_ONSTACK;
	show("SS_ONSTACK (taken as 0)", altstack(&ss, NULL));
	show_altstack("installed");
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);

	sa = (struct sigaction){ .sa_sigaction = rewrite_uc_stack, .sa_flags = SA_SIGINFO };
	sigaction(SIGUSR1, &sa, NULL);
	uc_stack_to_install = (stack_t){ .ss_sp = other_stack, .ss_size = sizeof(other_stack) };
	raise(SIGUSR1);
	show_altstack("after rt_sigreturn with another uc_stack");
	uc_stack_to_install.ss_size = TOO_SMALL_STACK;
	raise(SIGUSR1);
	show_altstack("after rt_sigreturn with a too small uc_stack");
	uc_stack_to_install = (stack_t){ .ss_flags = SS_DISABLE };
	raise(SIGUSR1);
	show_altstack("after rt_sigreturn with SS_DISABLE");
}

int main(void)
{
	requests();
	cleared_under("ds");
	cleared_under("es");
	cleared_under("fs");
	cleared_under("gs");
	show_child("%ss cleared under it", cleared_under_ss, NULL);
	show_child("%ss cleared under it, SIGSEGV caught", cleared_under_ss_caught, NULL);
	forged();
	direction_flag();
	sigaltstack_rules();
	return 0;
}
