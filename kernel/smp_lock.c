/*
 * The big kernel lock.  anvil's kernel code was written for one CPU: it
 * keeps interrupt handlers out with interrupts off and relies on nothing
 * else running between two sleeps.  On several CPUs that stays true
 * because each CPU holds this lock whenever it runs kernel code -- taken
 * on entry from user mode or from the idle halt (arch/i386/traps.c),
 * kept across schedule() (the CPU holds it, not the task), let go on the
 * way back to user mode and for the idle halt.  User code runs on every
 * CPU at once; kernel code on one at a time.  Linux 2.0 began SMP the
 * same way, and 2.2-2.6 spent years splitting it into the fine locks
 * whose order mm/rmap.c documents -- locks anvil takes too, so that the
 * order is checked (kernel/lockdep.c) before this lock can be split.
 *
 * Two things run without it: the TLB-flush interrupt (arch/i386/tlb.c),
 * which touches nothing but the CPU's TLB and its flush mailbox, and a
 * CPU spinning here, which answers flush requests while it waits -- the
 * holder may be waiting for exactly that answer with this lock held.
 */
#include <anvil/kernel.h>
#include <anvil/smp_lock.h>
#include <anvil/percpu.h>
#include <anvil/atomic.h>
#include <anvil/mm.h>
#include <anvil/smp.h>

#define NO_OWNER (~0U)

static volatile unsigned long kernel_flag;       /* 1: held */
static volatile unsigned int kernel_flag_owner = NO_OWNER;
unsigned long kernel_lock_contended;

bool kernel_locked(void)
{
	return kernel_flag_owner == smp_processor_id();
}

/* Called with interrupts off: an interrupt handler on this CPU would spin on its own CPU. */
void lock_kernel(void)
{
	bool contended = false;

	BUG_ON(kernel_locked());
	while (xchg(&kernel_flag, 1)) {
		contended = true;
		while (kernel_flag) {
			smp_invalidate_poll();
			cpu_relax();
		}
	}
	kernel_flag_owner = smp_processor_id();
	if (contended)
		kernel_lock_contended++;
}

void unlock_kernel(void)
{
	BUG_ON(!kernel_locked());
	kernel_flag_owner = NO_OWNER;
	barrier();
	kernel_flag = 0;                   /* a plain store releases on x86 */
}
