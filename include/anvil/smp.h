/*
 * The CPUs of the machine as firmware lists them (ACPI's MADT, see
 * arch/i386/acpi.c): how many there are and each one's local APIC id.
 * CPU 0 is the boot CPU; CPU i is the i-th enabled processor entry.
 * And what the rest of the kernel asks of the other CPUs: start them
 * (arch/i386/smpboot.c), reschedule one (arch/i386/smp.c), answer a TLB
 * flush (arch/i386/tlb.c).
 */
#ifndef ANVIL_SMP_H
#define ANVIL_SMP_H

#include <anvil/types.h>
#include <anvil/percpu.h>
#include <anvil/cpumask.h>

extern u8 cpu_to_apicid[NR_CPUS];

/* Start the other CPUs; they wait until smp_commence() lets them schedule. */
void smp_boot_cpus(void);
void smp_commence(void);
/* Make cpu look at its run queue (and at signals) soon: RESCHEDULE_VECTOR. */
void smp_send_reschedule(unsigned int cpu);
/* Answer a TLB flush request meant for this CPU, if one is waiting. */
void smp_invalidate_poll(void);

#endif
