/*
 * cpumask_t: a set of CPUs, one bit each (NR_CPUS <= 32 fits a word).
 * Linux 2.6's names; the changes are atomic bit operations, since a CPU
 * leaving an mm's cpu_vm_mask from the TLB-flush interrupt may race with
 * another CPU entering it.
 */
#ifndef ANVIL_CPUMASK_H
#define ANVIL_CPUMASK_H

#include <anvil/percpu.h>
#include <asm/bitops.h>

typedef unsigned long cpumask_t;

#define CPU_MASK_NONE 0UL
#define cpumask_of_cpu(cpu) (1UL << (cpu))
#define cpu_set(cpu, mask) set_bit(cpu, &(mask))
#define cpu_clear(cpu, mask) clear_bit(cpu, &(mask))
#define cpu_isset(cpu, mask) test_bit(cpu, &(mask))
#define cpu_test_and_set(cpu, mask) test_and_set_bit(cpu, &(mask))
#define cpus_empty(mask) ((mask) == 0)

extern unsigned int nr_cpu_ids;           /* CPUs found at boot (ACPI's MADT) */
extern cpumask_t cpu_online_map;          /* CPUs running the scheduler */

#define for_each_online_cpu(cpu)                                 \
	for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)                \
		if (!cpu_isset(cpu, cpu_online_map)) {} else

#endif
