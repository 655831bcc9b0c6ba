/*
 * Resource limits (getrlimit, setrlimit, prlimit64): each task carries
 * its own, inherited across fork and exec, as Linux keeps them in the
 * signal_struct.  Enforced: RLIMIT_STACK (stack growth), RLIMIT_NOFILE
 * (descriptor numbers); the others are stored and reported only.
 */
#ifndef ANVIL_RESOURCE_H
#define ANVIL_RESOURCE_H

#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <abi/misc.h>

#define MLOCK_LIMIT (64 * 1024)        /* RLIMIT_MEMLOCK, as Linux 2.6.9 to 5.15 */
#define MQ_BYTES_MAX (800 * 1024)      /* RLIMIT_MSGQUEUE, as Linux */

/* The limits init starts with (Linux's INIT_RLIMITS, with anvil's stack and descriptor table). */
#define LIM(cur, max) { .rlim_cur = (cur), .rlim_max = (max) }
#define INIT_RLIMITS {                                                              \
	[RLIMIT_CPU] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                       \
	[RLIMIT_FSIZE] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                     \
	[RLIMIT_DATA] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                      \
	[RLIMIT_STACK] = LIM(STACK_RLIMIT, RLIM64_INFINITY),                        \
	[RLIMIT_CORE] = LIM(0, RLIM64_INFINITY),                                    \
	[RLIMIT_RSS] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                       \
	[RLIMIT_NPROC] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                     \
	[RLIMIT_NOFILE] = LIM(NR_OPEN_DEFAULT, NR_OPEN_DEFAULT),                    \
	[RLIMIT_MEMLOCK] = LIM(MLOCK_LIMIT, MLOCK_LIMIT),                           \
	[RLIMIT_AS] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                        \
	[RLIMIT_LOCKS] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                     \
	[RLIMIT_SIGPENDING] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                \
	[RLIMIT_MSGQUEUE] = LIM(MQ_BYTES_MAX, MQ_BYTES_MAX),                        \
	[RLIMIT_NICE] = LIM(0, 0),                                                  \
	[RLIMIT_RTPRIO] = LIM(0, 0),                                                \
	[RLIMIT_RTTIME] = LIM(RLIM64_INFINITY, RLIM64_INFINITY),                    \
}

/* The current task's soft limit, saturated to what an unsigned long holds. */
static inline unsigned long rlimit(unsigned int resource)
{
	unsigned long long cur = current->rlim[resource].rlim_cur;

	return cur > RLIM_INFINITY ? RLIM_INFINITY : (unsigned long)cur;
}

#endif
