/*
 * The out-of-memory killer (mm/oom_kill.c): when neither free pages nor
 * swap can be found, pick the process with the largest RSS + swap and
 * kill it with SIGKILL, so that the rest of the system keeps running.
 */
#ifndef ANVIL_OOM_H
#define ANVIL_OOM_H

#include <anvil/types.h>

struct task_struct;

/*
 * An allocation for gfp failed after reclaim: kill something.  True when
 * it is worth trying again: a victim is dying, or memory is back already.
 */
bool out_of_memory(gfp_t gfp, unsigned int order);
/* A user page fault found no memory. */
void out_of_memory_fault(void);
/* Is an OOM victim running to its exit (not asleep, perhaps waiting for us)? */
bool oom_victim_will_free_mem(void);
/* exit_mm: tsk's address space is gone; if it was a victim, the wait for it is over. */
void exit_oom_victim(struct task_struct *tsk);

#endif
