/*
 * Backtraces by walking the frame-pointer chain (the kernel is built
 * with -fno-omit-frame-pointer): at each frame, [ebp] is the caller's
 * ebp and [ebp+4] the return address.  The walk stops at ebp == 0 (set
 * by boot.asm and at every kernel-stack base), at an address outside
 * the kernel, or when the chain stops going up the stack.
 */
#include <anvil/kernel.h>
#include <anvil/kallsyms.h>
#include <asm/page.h>
#include <asm/processor.h>

#define MAX_BACKTRACE_FRAMES 32

static void print_frame(unsigned long addr, bool return_address)
{
	char sym[96];

	if (return_address)
		sprint_backtrace(sym, sizeof(sym), addr);
	else
		sprint_symbol(sym, sizeof(sym), addr);
	printk(KERN_EMERG " [<%08lx>] %s\n", addr, sym);
}

void show_backtrace(unsigned long eip, unsigned long ebp)
{
	printk(KERN_EMERG "Call Trace:\n");
	if (eip)
		print_frame(eip, false);
	for (int i = 0; i < MAX_BACKTRACE_FRAMES; i++) {
		unsigned long *frame = (unsigned long *)ebp;
		unsigned long next;

		if (ebp < PAGE_OFFSET || (ebp & 3))
			break;
		print_frame(frame[1], true);
		next = frame[0];
		if (next <= ebp)
			break;
		ebp = next;
	}
}

void dump_stack(void)
{
	show_backtrace(0, read_ebp());
}
