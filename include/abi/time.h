/*
 * Time structures of the Linux i386 ABI (32-bit time_t and long), the
 * clocks, and the interval timers of setitimer/getitimer.
 */
#ifndef ABI_TIME_H
#define ABI_TIME_H

struct abi_timespec {
	long tv_sec;
	long tv_nsec;
};

/* clock_gettime64 (403) uses 64-bit seconds. */
struct abi_timespec64 {
	long long tv_sec;
	long long tv_nsec;
};

struct abi_timeval {
	long tv_sec;
	long tv_usec;
};

struct abi_timezone {
	int tz_minuteswest;
	int tz_dsttime;
};

struct abi_tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

#define USER_HZ 100    /* clock ticks per second seen by times() */

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7

#define TIMER_ABSTIME 1

/* setitimer/getitimer: which timer, and what it holds */
#define ITIMER_REAL 0          /* wall-clock time, SIGALRM (alarm's timer) */
#define ITIMER_VIRTUAL 1       /* user CPU time, SIGVTALRM */
#define ITIMER_PROF 2          /* user + system CPU time, SIGPROF */

struct abi_itimerval {
	struct abi_timeval it_interval;    /* reloaded each time it fires; 0: once */
	struct abi_timeval it_value;       /* time left; 0: disarmed */
};

#endif
