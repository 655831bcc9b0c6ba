/* gettimeofday, struct timeval and the interval timers. */
#ifndef _SYS_TIME_H
#define _SYS_TIME_H

#include <sys/types.h>
#include <bits/abi_time.h>

int gettimeofday(struct timeval *tv, struct timezone *tz);
int getitimer(int which, struct itimerval *value);
int setitimer(int which, const struct itimerval *value, struct itimerval *old);

#endif
