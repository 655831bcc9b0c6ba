/*
 * The inter-processor interrupts' receiving side.  For now the
 * placeholders the APIC driver dispatches to: each acknowledges and
 * counts its vector.  The SMP work (rescheduling another CPU, the TLB
 * shootdown's flush and acknowledgement) fills them in.
 */
#include <anvil/kernel.h>
#include <asm/apic.h>

/* RESCHEDULE_VECTOR: the return from the interrupt reschedules if needed. */
void smp_reschedule_interrupt(struct pt_regs *regs)
{
	apic_irq_stat[apic_cpu_index()].irq_resched_count++;
	ack_APIC_irq();
}

/* INVALIDATE_TLB_VECTOR: the flush a remote CPU asked for (the SMP work adds it). */
void smp_invalidate_interrupt(struct pt_regs *regs)
{
	apic_irq_stat[apic_cpu_index()].irq_tlb_count++;
	ack_APIC_irq();
}
