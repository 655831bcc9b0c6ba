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
 * CPU waiting here, which answers flush requests while it waits -- the
 * holder may be waiting for exactly that answer with this lock held.
 */
#include <anvil/kernel.h>
#include <anvil/smp_lock.h>
#include <anvil/percpu.h>
#include <anvil/atomic.h>
#include <anvil/mm.h>
#include <anvil/smp.h>
#include <asm/apic.h>
#include <anvil/switch.h>

#define NO_OWNER (~0U)
#define KERNEL_LOCK_SPINS 256             /* polls before a waiting CPU halts instead */

static volatile unsigned long kernel_flag;       /* 1: held */
static volatile unsigned int kernel_flag_owner = NO_OWNER;
static volatile cpumask_t kernel_lock_waiters;   /* CPUs halted in lock_kernel */
volatile cpumask_t kernel_lock_wanted;           /* CPUs waiting in lock_kernel, halted or not */
unsigned long kernel_lock_contended;

bool kernel_locked(void)
{
	return kernel_flag_owner == smp_processor_id();
}

/*
 * Called with interrupts off.  A short spin first -- the holder is often
 * about to leave -- answering TLB flush requests meanwhile; then the CPU
 * halts until unlock_kernel wakes it.  Under QEMU's TCG a spinning virtual
 * CPU takes a host CPU from the one that holds the lock, and with more
 * virtual CPUs than host CPUs every wait would become a long one.  The
 * halt needs interrupts on: a flush request is then answered by its own
 * handler, and any other interrupt runs its handler, which takes this
 * lock in its turn (nested, on this CPU) before the wait goes on.
 */
void lock_kernel(void)
{
	unsigned int cpu = smp_processor_id();
	bool contended = false;

	BUG_ON(kernel_locked());
	while (xchg(&kernel_flag, 1)) {
		contended = true;
		cpu_set(cpu, kernel_lock_wanted);      /* again: a nested wait cleared it */
		for (int i = 0; kernel_flag && i < KERNEL_LOCK_SPINS; i++) {
			smp_invalidate_poll();
			cpu_relax();
		}
		if (!kernel_flag)
			continue;
		cpu_set(cpu, kernel_lock_waiters);     /* locked: ordered before the test */
		if (kernel_flag)
			safe_halt();       /* sti; hlt: the wake-up cannot slip in between */
		local_irq_disable();
		cpu_clear(cpu, kernel_lock_waiters);
	}
	kernel_flag_owner = cpu;
	if (contended) {
		kernel_lock_contended++;
		cpu_clear(cpu, kernel_lock_wanted);
	}
	flush_tlb_deferred();          /* before anything reads user memory (nested waits too) */
}

/* The exchange is a full barrier: the waiters are read after the release is seen. */
void unlock_kernel(void)
{
	BUG_ON(!kernel_locked());
	kernel_flag_owner = NO_OWNER;
	xchg(&kernel_flag, 0);
	if (kernel_lock_waiters)
		send_IPI_mask(kernel_lock_waiters, RESCHEDULE_VECTOR);
}
