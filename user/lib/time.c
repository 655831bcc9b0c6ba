/*
 * Clocks, sleeping, alarms and interval timers, and broken-down time.
 * anvil has no time zones, so gmtime_r (UTC) is the only conversion.
 */
#include <errno.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/times.h>
#include "libc.h"

time_t time(time_t *t) { return SYS1(__NR_time, t); }

int gettimeofday(struct timeval *tv, struct timezone *tz)
{
	return SYS2(__NR_gettimeofday, tv, tz);
}

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return SYS2(__NR_clock_gettime, clk, ts);
}

clock_t times(struct tms *buf) { return SYS1(__NR_times, buf); }

int nanosleep(const struct timespec *req, struct timespec *rem)
{
	return SYS2(__NR_nanosleep, req, rem);
}

/* Returns the seconds left (rounded up) when a signal cut the sleep short. */
unsigned int sleep(unsigned int seconds)
{
	struct timespec ts = { (long)seconds, 0 }, rem;

	if (nanosleep(&ts, &rem) < 0 && errno == EINTR)
		return rem.tv_sec + (rem.tv_nsec > 0);
	return 0;
}

int usleep(useconds_t usec)
{
	struct timespec ts = { usec / 1000000, (usec % 1000000) * 1000L };

	return nanosleep(&ts, NULL);
}

unsigned int alarm(unsigned int seconds) { return SYS1(__NR_alarm, seconds); }

int getitimer(int which, struct itimerval *value) { return SYS2(__NR_getitimer, which, value); }

int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	return SYS3(__NR_setitimer, which, value, old);
}

/*
 * Days since 1970-01-01 to a civil date (proleptic Gregorian), by
 * counting in 400-year eras that start on March 1st, so that the leap
 * day falls at the end of each year (H. Hinnant's civil_from_days).
 */
struct tm *gmtime_r(const time_t *t, struct tm *tm)
{
	long secs = *t % 86400, days = *t / 86400;
	long era, doe, yoe, doy, mp;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	tm->tm_hour = secs / 3600;
	tm->tm_min = secs / 60 % 60;
	tm->tm_sec = secs % 60;
	tm->tm_wday = (int)((days % 7 + 11) % 7);   /* 1970-01-01 was a Thursday */
	days += 719468;                              /* from 0000-03-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;                   /* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  /* [0, 399] */
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                /* [0, 365] */
	mp = (5 * doy + 2) / 153;                                      /* March = 0 */
	tm->tm_mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	tm->tm_mon = (int)(mp < 10 ? mp + 2 : mp - 10);
	tm->tm_year = (int)(yoe + era * 400 + (tm->tm_mon < 2)) - 1900;
	if (mp >= 10) {        /* January, February: March 1st was 306 days earlier */
		tm->tm_yday = (int)(doy - 306);
	} else {
		int y = tm->tm_year + 1900;
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

		tm->tm_yday = (int)(doy + 59 + leap);
	}
	tm->tm_isdst = 0;
	return tm;
}
