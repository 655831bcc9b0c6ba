/*
 * The ABI's time structures (abi/time.h, abi/resource.h, abi/wait.h)
 * under their POSIX names.  Every user header reaches those ABI headers
 * through this one, so the renaming happens exactly once.
 */
#ifndef _BITS_ABI_TIME_H
#define _BITS_ABI_TIME_H

#define abi_timespec timespec
#define abi_timeval timeval
#define abi_timezone timezone
#define abi_tms tms
#define abi_itimerval itimerval
#include <abi/time.h>
#include <abi/resource.h>
#include <abi/wait.h>
#undef abi_timespec
#undef abi_timeval
#undef abi_timezone
#undef abi_tms
#undef abi_itimerval

#endif
