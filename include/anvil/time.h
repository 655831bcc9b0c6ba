/*
 * Kernel time: the TSC, calibrated against the PIT at boot, gives
 * nanoseconds (sched_clock) for the clocks, log timestamps and cycle
 * counts; jiffies counts its whole ticks of 1/HZ s, brought up to date
 * by the PIT's interrupt HZ times a second and by every sleep's start.
 */
#ifndef ANVIL_TIME_H
#define ANVIL_TIME_H

#include <anvil/types.h>
#include <abi/time.h>

#define HZ 100
#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_USEC 1000ULL
#define USEC_PER_SEC 1000000ULL
#define TICK_NSEC (NSEC_PER_SEC / HZ)
#define MAX_JIFFY_OFFSET ((~0UL >> 2) - 1)   /* the farthest a timer_list may be set ahead */

extern volatile unsigned long jiffies;
/* jiffies brought up to the TSC clock's count of ticks, returned: a sleep's deadline starts here */
unsigned long sync_jiffies(void);
/* The jiffy a sleep of ns from now ends at (whole ticks, plus the one in progress). */
unsigned long sleep_deadline(u64 ns);
/* Is jiffies value a before b?  Right across the counter's wrap (Linux's). */
#define time_before(a, b) ((long)((a) - (b)) < 0)
extern u32 tsc_khz;

void time_early_init(void);
void time_init(void);
u64 sched_clock(void);           /* ns since boot, from the TSC */
u32 rtc_read_time(void);         /* seconds since 1970, from the CMOS clock */
struct pt_regs;
/* fn from the RTC's interrupt about hz times a second; the rate chosen, 0 if none */
unsigned int rtc_start_periodic(unsigned int hz, void (*fn)(struct pt_regs *regs));
void timekeeping_init(void);
u32 current_time_sec(void);      /* wall clock */
typedef int clockid_t;
/* The time now on clock clk (CLOCK_REALTIME, CLOCK_MONOTONIC...). */
void clock_get_time(clockid_t clk, struct abi_timespec64 *ts);
u64 cycles_to_ns(u64 cycles);
struct abi_timeval jiffies_to_timeval(unsigned long ticks);   /* CPU times: rusage, cores */

#endif
