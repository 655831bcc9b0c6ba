/*
 * Backtraces by walking the frame-pointer chain (the kernel is built
 * with -fno-omit-frame-pointer): at each frame, [ebp] is the caller's
 * ebp and [ebp+4] the return address.  The walk stops at ebp == 0 (set
 * by boot.asm and at every kernel-stack base), when the chain leaves the
 * running task's kernel stack -- a trap from user mode saved the user's
 * ebp, which may point anywhere, kernel addresses included -- or when it
 * stops going up the stack (Linux's valid_stack_ptr).  A sleeping task's
 * walk starts from the frame switch_to left (/proc/<pid>/stack).
 */
#include <anvil/kernel.h>
#include <anvil/kallsyms.h>
#include <asm/page.h>
#include <anvil/thread_info.h>
#include <asm/processor.h>
#include <anvil/sched.h>
#include <anvil/switch.h>

#define MAX_BACKTRACE_FRAMES 32

static void print_frame(const char *level, unsigned long addr, bool return_address)
{
	char sym[KSYM_SYMBOL_LEN];

	if (return_address)
		sprint_backtrace(sym, sizeof(sym), addr);
	else
		sprint_symbol(sym, sizeof(sym), addr);
	printk("%s [<%08lx>] %s\n", level, addr, sym);
}

/* The frames from ebp up the kernel stack whose thread_info is at base. */
static unsigned int walk_frames(unsigned long base, unsigned long ebp, unsigned long *entries,
				unsigned int max)
{
	unsigned int n = 0;

	while (n < max) {
		unsigned long *frame = (unsigned long *)ebp;
		unsigned long next;

		if (ebp <= base || ebp > base + THREAD_SIZE - 2 * sizeof(long) || (ebp & 3))
			break;
		entries[n++] = frame[1];
		next = frame[0];
		if (next <= ebp)
			break;
		ebp = next;
	}
	return n;
}

unsigned int save_stack_trace(unsigned long ebp, unsigned long *entries, unsigned int max)
{
	return walk_frames((unsigned long)current_thread_info(), ebp, entries, max);
}

/*
 * Where task p sleeps: from the struct switch_frame switch_to left at
 * p->thread.esp (its return address is into arch_switch_to, its ebp the
 * chain's start).  Nothing for a task on a CPU now: its stack is
 * changing.  The caller holds the big kernel lock, so p cannot wake in
 * the kernel meanwhile.
 */
unsigned int save_stack_trace_tsk(struct task_struct *p, unsigned long *entries, unsigned int max)
{
	const struct switch_frame *frame = (const struct switch_frame *)p->thread.esp;
	unsigned long base = (unsigned long)task_thread_info(p);

	if (p == current)
		return save_stack_trace(read_ebp(), entries, max);
	if (task_curr(p) || !max || (unsigned long)frame <= base ||
	    (unsigned long)(frame + 1) > base + THREAD_SIZE)
		return 0;
	entries[0] = frame->ret;
	return 1 + walk_frames(base, frame->ebp, entries + 1, max - 1);
}

void print_stack_trace(const char *level, const unsigned long *entries, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		print_frame(level, entries[i], true);
}

void show_backtrace(unsigned long eip, unsigned long ebp)
{
	unsigned long entries[MAX_BACKTRACE_FRAMES];
	unsigned int n;

	printk(KERN_EMERG "Call Trace:\n");
	if (eip)
		print_frame(KERN_EMERG, eip, false);
	n = save_stack_trace(ebp, entries, MAX_BACKTRACE_FRAMES);
	print_stack_trace(KERN_EMERG, entries, n);
}

void dump_stack(void)
{
	show_backtrace(0, read_ebp());
}
