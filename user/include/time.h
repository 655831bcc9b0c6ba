/* Time of day, sleeping, clocks and broken-down (UTC) time. */
#ifndef _TIME_H
#define _TIME_H

#include <sys/types.h>
#include <bits/abi_time.h>

struct tm {
	int tm_sec, tm_min, tm_hour;  /* 0-60, 0-59, 0-23 */
	int tm_mday, tm_mon, tm_year; /* 1-31, 0-11, years since 1900 */
	int tm_wday, tm_yday;         /* 0-6 (Sunday = 0), 0-365 */
	int tm_isdst;
};

time_t time(time_t *t);
int nanosleep(const struct timespec *req, struct timespec *rem);
int clock_gettime(clockid_t clk, struct timespec *ts);
/* anvil has no time zones: broken-down time is always UTC. */
struct tm *gmtime_r(const time_t *t, struct tm *tm);

#endif
