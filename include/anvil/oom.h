/*
 * The out-of-memory killer (mm/oom_kill.c): when neither free pages nor
 * swap can be found, pick the process with the largest RSS + swap and
 * kill it with SIGKILL, so that the rest of the system keeps running.
 */
#ifndef ANVIL_OOM_H
#define ANVIL_OOM_H

#include <anvil/types.h>

/* An allocation for gfp failed after reclaim: kill something (true if we did). */
bool out_of_memory(gfp_t gfp, unsigned int order);
/* A user page fault found no memory. */
void out_of_memory_fault(void);

#endif
