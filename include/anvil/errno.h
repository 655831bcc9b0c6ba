/*
 * Kernel-internal error codes, never seen by user space: a system call
 * interrupted by a signal returns one of these, and the signal code
 * (kernel/signal.c) turns it into a restart of the call or -EINTR,
 * following the handler's SA_RESTART (Linux's values and meanings).
 */
#ifndef ANVIL_ERRNO_H
#define ANVIL_ERRNO_H

#include <abi/errno.h>

#define ERESTARTSYS 512      /* restart if the handler has SA_RESTART, else -EINTR */
#define ERESTARTNOINTR 513   /* always restart */
#define ERESTARTNOHAND 514   /* restart only if no handler ran */
#define ERESTART_RESTARTBLOCK 516   /* no handler ran: go on through restart_syscall */

#endif
