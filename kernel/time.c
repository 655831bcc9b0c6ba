/*
 * Wall-clock and sleeping system calls.  The CMOS clock gives the time
 * at boot; the calibrated TSC (sched_clock) gives nanoseconds since.
 * Sleeps are counted in timer ticks (HZ = 100, so 10 ms resolution).
 */
#include <anvil/kernel.h>
#include <anvil/time.h>
#include <anvil/sched.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>
#include <abi/time.h>

static u32 boot_time_sec;

void timekeeping_init(void)
{
	boot_time_sec = rtc_read_time();
}

u32 current_time_sec(void)
{
	return boot_time_sec + (u32)(sched_clock() / NSEC_PER_SEC);
}

void clock_get_time(clockid_t clk, struct abi_timespec64 *ts)
{
	u64 ns = sched_clock();

	ts->tv_sec = ns / NSEC_PER_SEC;
	ts->tv_nsec = ns % NSEC_PER_SEC;
	if (clk == CLOCK_REALTIME || clk == CLOCK_REALTIME_COARSE)
		ts->tv_sec += boot_time_sec;
}

static bool clock_valid(clockid_t clk)
{
	return clk == CLOCK_REALTIME || clk == CLOCK_MONOTONIC || clk == CLOCK_MONOTONIC_RAW ||
	       clk == CLOCK_REALTIME_COARSE || clk == CLOCK_MONOTONIC_COARSE ||
	       clk == CLOCK_BOOTTIME || clk == CLOCK_PROCESS_CPUTIME_ID ||
	       clk == CLOCK_THREAD_CPUTIME_ID;
}

/* CPU-time clocks: the process's (all its threads') or the thread's user + system ticks. */
static void get_cputime(clockid_t clk, struct abi_timespec64 *ts)
{
	unsigned long utime = current->utime, stime = current->stime, ticks;

	if (clk == CLOCK_PROCESS_CPUTIME_ID)
		thread_group_cputime(current, &utime, &stime);
	ticks = utime + stime;

	ts->tv_sec = ticks / HZ;
	ts->tv_nsec = (ticks % HZ) * (NSEC_PER_SEC / HZ);
}

static int read_clock(clockid_t clk, struct abi_timespec64 *ts)
{
	if (!clock_valid(clk))
		return -EINVAL;
	if (clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID)
		get_cputime(clk, ts);
	else
		clock_get_time(clk, ts);
	return 0;
}

long sys_clock_gettime(clockid_t clk, struct abi_timespec *uts)
{
	struct abi_timespec64 ts;
	struct abi_timespec t;
	int err = read_clock(clk, &ts);

	if (err)
		return err;
	t.tv_sec = (long)ts.tv_sec;
	t.tv_nsec = (long)ts.tv_nsec;
	return copy_to_user(uts, &t, sizeof(t)) ? -EFAULT : 0;
}

long sys_clock_gettime64(clockid_t clk, struct abi_timespec64 *uts)
{
	struct abi_timespec64 ts;
	int err = read_clock(clk, &ts);

	if (err)
		return err;
	return copy_to_user(uts, &ts, sizeof(ts)) ? -EFAULT : 0;
}

long sys_clock_getres(clockid_t clk, struct abi_timespec *ures)
{
	struct abi_timespec res = { 0, 1 };    /* the TSC resolves nanoseconds */

	if (!clock_valid(clk))
		return -EINVAL;
	if (ures && copy_to_user(ures, &res, sizeof(res)))
		return -EFAULT;
	return 0;
}

long sys_gettimeofday(struct abi_timeval *utv, struct abi_timezone *utz)
{
	struct abi_timespec64 ts;
	struct abi_timeval tv;
	struct abi_timezone tz = { 0, 0 };

	clock_get_time(CLOCK_REALTIME, &ts);
	tv.tv_sec = (long)ts.tv_sec;
	tv.tv_usec = (long)(ts.tv_nsec / NSEC_PER_USEC);
	if (utv && copy_to_user(utv, &tv, sizeof(tv)))
		return -EFAULT;
	if (utz && copy_to_user(utz, &tz, sizeof(tz)))
		return -EFAULT;
	return 0;
}

long sys_time(long *ut)
{
	long t = current_time_sec();

	if (ut && put_user(t, ut))
		return -EFAULT;
	return t;
}

/*
 * Sleep until jiffies reaches `until` or a signal arrives; true if the
 * time ran out.  The state is set before the checks: a signal or the
 * timer arriving between a check and schedule() then finds us
 * TASK_INTERRUPTIBLE and wakes us, instead of the wake-up being lost.
 */
static bool sleep_until(unsigned long until)
{
	for (;;) {
		current->state = TASK_INTERRUPTIBLE;
		if ((long)(until - jiffies) <= 0 || signal_pending(current))
			break;
		schedule_timeout(until - jiffies);
	}
	current->state = TASK_RUNNING;
	return (long)(until - jiffies) <= 0;
}

/*
 * Sleep until rb->expires.  Interrupted, report the time left and leave
 * the deadline in the restart block: if no handler runs (a stop and a
 * continue, say), restart_syscall comes back here and sleeps only the
 * rest, as Linux does, not the whole request again.
 */
static long nanosleep_restart(struct restart_block *rb)
{
	struct abi_timespec rem;
	unsigned long left;

	if (sleep_until(rb->expires))
		return 0;
	if (rb->rmtp) {
		left = rb->expires - jiffies;
		rem.tv_sec = left / HZ;
		rem.tv_nsec = (left % HZ) * (NSEC_PER_SEC / HZ);
		if (copy_to_user(rb->rmtp, &rem, sizeof(rem)))
			return -EFAULT;
	}
	rb->fn = nanosleep_restart;
	return -ERESTART_RESTARTBLOCK;
}

static long do_nanosleep(const struct abi_timespec *ureq, struct abi_timespec *urem)
{
	struct restart_block *rb = &current->restart_block;
	struct abi_timespec req;
	u64 ns;

	if (copy_from_user(&req, ureq, sizeof(req)))
		return -EFAULT;
	if (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	ns = (u64)req.tv_sec * NSEC_PER_SEC + req.tv_nsec;
	rb->expires = sleep_deadline(ns);
	rb->rmtp = urem;
	return nanosleep_restart(rb);
}

long sys_nanosleep(const struct abi_timespec *req, struct abi_timespec *rem)
{
	return do_nanosleep(req, rem);
}

long sys_clock_nanosleep(clockid_t clk, int flags, const struct abi_timespec *req,
			 struct abi_timespec *rem)
{
	if (!clock_valid(clk) || clk == CLOCK_PROCESS_CPUTIME_ID || clk == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL;
	if (flags & TIMER_ABSTIME) {
		struct abi_timespec t;
		struct abi_timespec64 now;
		u64 target, cur;

		if (copy_from_user(&t, req, sizeof(t)))
			return -EFAULT;
		if (t.tv_sec < 0 || t.tv_nsec < 0 || t.tv_nsec >= (long)NSEC_PER_SEC)
			return -EINVAL;
		clock_get_time(clk, &now);
		target = (u64)t.tv_sec * NSEC_PER_SEC + t.tv_nsec;
		cur = (u64)now.tv_sec * NSEC_PER_SEC + now.tv_nsec;
		if (target <= cur)
			return 0;
		return sleep_until(sleep_deadline(target - cur)) ? 0 : -ERESTARTNOHAND;
	}
	return do_nanosleep(req, rem);
}

struct abi_timeval jiffies_to_timeval(unsigned long ticks)
{
	return (struct abi_timeval){ .tv_sec = (long)(ticks / HZ),
				     .tv_usec = (long)(ticks % HZ * (USEC_PER_SEC / HZ)) };
}

/* times(2): CPU ticks of the process and its waited-for children; returns ticks since boot. */
long sys_times(struct abi_tms *ubuf)
{
	struct abi_tms t;
	unsigned long utime, stime, cutime, cstime;

	thread_group_cputime(current, &utime, &stime);
	thread_group_children_cputime(current, &cutime, &cstime);
	t = (struct abi_tms){ utime, stime, cutime, cstime };
	if (ubuf && copy_to_user(ubuf, &t, sizeof(t)))
		return -EFAULT;
	return (long)jiffies;
}
