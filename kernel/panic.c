/*
 * panic() and WARN: the kernel's last words.  panic prints the message
 * and a symbolic backtrace, exits QEMU through isa-debug-exit when the
 * test runner attached it (so a panic fails the run at once), and
 * otherwise halts with the message on the screen.
 */
#include <anvil/kernel.h>
#include <anvil/reboot.h>
#include <anvil/spinlock.h>
#include <anvil/kallsyms.h>

int oops_in_progress;

static void __noreturn vpanic(bool backtrace, const char *fmt, va_list ap)
{
	char buf[256];

	local_irq_disable();
	if (oops_in_progress++) {   /* panic inside panic (its message oopsed): stop at once */
		if (oops_in_progress == 2)              /* once: printk itself may be what broke */
			printk(KERN_EMERG "Kernel panic - not syncing: a panic inside a panic\n");
		qemu_debug_exit(QEMU_EXIT_PANIC);       /* a test runner sees a panic, not a hang */
		machine_halt();
	}
	vsnprintf(buf, sizeof(buf), fmt, ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	if (backtrace)
		dump_stack();
	printk(KERN_EMERG "---[ end Kernel panic ]---\n");
	qemu_debug_exit(QEMU_EXIT_PANIC);
	machine_halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(true, fmt, ap);
}

/* After an oops, whose backtrace (from the faulting frame) is already printed. */
void panic_after_oops(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpanic(false, fmt, ap);
}

void warn_slowpath(const char *file, int line, const char *cond)
{
	printk(KERN_WARNING "WARNING: at %s:%d: %s\n", file, line, cond);
	dump_stack();
}

void spin_lock_deadlock(spinlock_t *lock)
{
	panic("spinlock %s already held: deadlock on a uniprocessor", lock->name);
}

void raw_spin_lock_deadlock(raw_spinlock_t *lock)
{
	panic("spinlock at %p already held: deadlock on a uniprocessor", lock);
}
