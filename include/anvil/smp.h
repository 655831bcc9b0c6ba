/*
 * The CPUs of the machine as firmware lists them (ACPI's MADT, see
 * arch/i386/acpi.c): how many there are and each one's local APIC id.
 * CPU 0 is the boot CPU; CPU i is the i-th enabled processor entry.
 */
#ifndef ANVIL_SMP_H
#define ANVIL_SMP_H

#include <anvil/types.h>

#define NR_CPUS 8

extern unsigned int nr_cpu_ids;
extern u8 cpu_to_apicid[NR_CPUS];

#endif
