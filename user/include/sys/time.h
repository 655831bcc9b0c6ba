/* gettimeofday and struct timeval. */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>
#include <bits/abi_time.h>

int gettimeofday(struct timeval *tv, struct timezone *tz);

#endif
