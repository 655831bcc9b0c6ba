/*
 * Futexes (kernel/futex.c): what the rest of the kernel uses -- the
 * wake of a thread's CLONE_CHILD_CLEARTID word and the robust-list walk,
 * both at exit.
 */
#ifndef ANVIL_FUTEX_H
#define ANVIL_FUTEX_H

#include <anvil/types.h>

struct task_struct;

/* Wake up to nr waiters on the (process-private or shared) futex at uaddr. */
void futex_init(void);
int futex_wake_address(u32 *uaddr, int nr);
/* tsk is exiting: the robust locks it still holds become FUTEX_OWNER_DIED. */
void exit_robust_list(struct task_struct *tsk);

#endif
