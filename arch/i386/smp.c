/*
 * The rescheduling interrupt (Linux 2.6.11's arch/i386/kernel/smp.c
 * keeps it with the TLB shootdown, which anvil has in tlb.c): one CPU
 * tells another that it has work -- a task woken onto its run queue, a
 * signal for the task it runs.  The interrupt itself does nothing; the
 * way back from it (arch/i386/traps.c) reschedules and delivers signals,
 * and it ends an idle CPU's halt.
 */
#include <anvil/kernel.h>
#include <anvil/smp.h>
#include <asm/apic.h>

void smp_send_reschedule(unsigned int cpu)
{
	send_IPI_mask(cpumask_of_cpu(cpu), RESCHEDULE_VECTOR);
}

void smp_reschedule_interrupt(struct pt_regs *regs)
{
	(void)regs;
	apic_irq_stat[smp_processor_id()].irq_resched_count++;
	ack_APIC_irq();
}
