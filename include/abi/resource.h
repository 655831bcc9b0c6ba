/*
 * getrusage(2), wait4(2) and waitid(2): the resources a process and its
 * waited-for children used (Linux's struct rusage; anvil fills the times,
 * the fault counts, ru_maxrss and the context switches).
 */
#ifndef ABI_RESOURCE_H
#define ABI_RESOURCE_H

#include <abi/time.h>

#define RUSAGE_SELF 0
#define RUSAGE_THREAD 1            /* the calling thread alone */
#define RUSAGE_CHILDREN (-1)       /* the waited-for children and their own waited-for ones */

struct rusage {
	struct abi_timeval ru_utime, ru_stime;
	long ru_maxrss;            /* the peak resident set, in KiB */
	long ru_ixrss, ru_idrss, ru_isrss;
	long ru_minflt, ru_majflt; /* faults served without I/O, and with (a swap-in) */
	long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals;
	long ru_nvcsw, ru_nivcsw;  /* context switches: gave up the CPU, had it taken */
};

#endif
