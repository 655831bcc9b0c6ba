/*
 * The big kernel lock (Linux 2.0-2.6's lock_kernel): the one lock that
 * makes the kernel safe on several CPUs while its code is still written
 * for one.  See kernel/smp_lock.c.
 */
#ifndef ANVIL_SMP_LOCK_H
#define ANVIL_SMP_LOCK_H

#include <anvil/types.h>

void lock_kernel(void);
void unlock_kernel(void);
/* Does the running CPU hold it? */
bool kernel_locked(void);
/* Times a CPU found it held by another and had to spin (/proc/stat's "bkl_contended"). */
extern unsigned long kernel_lock_contended;

#endif
