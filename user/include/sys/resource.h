/*
 * Resource limits: getrlimit (the new ugetrlimit call), setrlimit, prlimit
 * (abi/misc.h); resource usage of a process and of its waited-for
 * children: getrusage (abi/resource.h).
 */
#ifndef _SYS_RESOURCE_H
#define _SYS_RESOURCE_H

#include <sys/types.h>
#include <bits/abi_misc.h>
#include <bits/abi_time.h>

typedef unsigned long rlim_t;

struct rlimit {
	rlim_t rlim_cur, rlim_max;
};

int getrlimit(int resource, struct rlimit *rlim);
int setrlimit(int resource, const struct rlimit *rlim);
int prlimit(pid_t pid, int resource, const struct abi_rlimit64 *new_limit,
	    struct abi_rlimit64 *old_limit);
int getrusage(int who, struct rusage *usage);

#endif
