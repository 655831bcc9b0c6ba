/*
 * The big kernel lock (Linux 2.0-2.6's lock_kernel): the one lock that
 * makes the kernel safe on several CPUs while its code is still written
 * for one.  See kernel/smp_lock.c.
 */
#ifndef ANVIL_SMP_LOCK_H
#define ANVIL_SMP_LOCK_H

#include <anvil/types.h>
#include <anvil/cpumask.h>

void lock_kernel(void);
void unlock_kernel(void);
/* Does the running CPU hold it? */
bool kernel_locked(void);
/*
 * The CPUs waiting for it: none of them can touch user memory until it
 * has the lock, so a TLB flush meant for one can wait until then
 * (arch/i386/tlb.c, flush_tlb_deferred).
 */
extern volatile cpumask_t kernel_lock_wanted;
/* Times a CPU found it held by another and had to spin (/proc/stat's "bkl_contended"). */
extern unsigned long kernel_lock_contended;

#endif
