/*
 * Per-CPU data, as Linux 2.6 spells it: DEFINE_PER_CPU(type, name) makes
 * one copy of name for each possible CPU, per_cpu(name, cpu) is that
 * CPU's and __get_cpu_var(name) the running CPU's.  anvil keeps them as
 * plain arrays indexed by CPU number (Linux 2.6.11 used a section copied
 * per CPU; the indexing is the same idea, and GDB prints an array).
 */
#ifndef ANVIL_PERCPU_H
#define ANVIL_PERCPU_H

#include <anvil/thread_info.h>

#define NR_CPUS 8                         /* QEMU -smp 1..8 */

#define DEFINE_PER_CPU(type, name) __typeof__(type) per_cpu__##name[NR_CPUS]
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) per_cpu__##name[NR_CPUS]
#define per_cpu(name, cpu) (per_cpu__##name[cpu])
#define __get_cpu_var(name) per_cpu(name, smp_processor_id())

/* The CPU this code runs on: the kernel is not preempted, so it stays so until a sleep. */
static inline unsigned int smp_processor_id(void)
{
	return current_thread_info()->cpu;
}

#endif
