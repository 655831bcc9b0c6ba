/*
 * Interval timers: setitimer/getitimer's ITIMER_REAL (wall-clock time,
 * SIGALRM -- alarm() sets the same timer, as in Linux), ITIMER_VIRTUAL
 * (user CPU time, SIGVTALRM) and ITIMER_PROF (user + system CPU time,
 * SIGPROF), each reloaded from its interval when it fires.  A child of
 * fork starts with none armed; exec keeps them.  The real timer counts
 * jiffies, the CPU timers the ticks scheduler_tick charges the task.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/time.h>
#include <anvil/timer.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>
#include <abi/time.h>

static bool timeval_valid(const struct abi_timeval *tv)
{
	return tv->tv_sec >= 0 && (unsigned long)tv->tv_usec < USEC_PER_SEC;
}

static u64 timeval_to_ns(const struct abi_timeval *tv)
{
	return (u64)tv->tv_sec * NSEC_PER_SEC + (u64)tv->tv_usec * NSEC_PER_USEC;
}

static struct abi_timeval ns_to_timeval(u64 ns)
{
	return (struct abi_timeval){ .tv_sec = (long)(ns / NSEC_PER_SEC),
				     .tv_usec = (long)(ns % NSEC_PER_SEC / NSEC_PER_USEC) };
}

/* Whole ticks, rounded up so that a timer never fires early. */
static u64 ns_to_ticks(u64 ns)
{
	return DIV_ROUND_UP(ns, TICK_NSEC);
}

/* ---- ITIMER_REAL --------------------------------------------------------- */

/*
 * Expire ticks after jiffies value from.  A timer_list cannot be set
 * farther ahead than MAX_JIFFY_OFFSET (124 days at HZ 100), while Linux
 * lets alarm() wait INT_MAX seconds: a longer wait goes in steps, the
 * rest kept in it_real_beyond.  A time already past fires on the next tick.
 */
static void arm_real_timer(struct task_struct *p, unsigned long from, u64 ticks)
{
	unsigned long step = ticks > MAX_JIFFY_OFFSET ? MAX_JIFFY_OFFSET : (unsigned long)ticks;
	unsigned long expires = from + step;

	p->it_real_beyond = ticks - step;
	if ((long)(expires - jiffies) <= 0)
		expires = jiffies + 1;
	mod_timer(&p->real_timer, expires);
}

/*
 * The real timer expired (timer interrupt): take the next step of a long
 * wait, or send SIGALRM and start the next period -- counted from this
 * expiry, not from now, so that a periodic timer does not drift by the
 * interrupt's lateness.
 */
static void it_real_fn(unsigned long data)
{
	struct task_struct *p = (struct task_struct *)data;

	if (p->it_real_beyond) {
		arm_real_timer(p, p->real_timer.expires, p->it_real_beyond);
		return;
	}
	send_sig(SIGALRM, p, 0);
	if (p->it_real_incr)
		arm_real_timer(p, p->real_timer.expires, ns_to_ticks(p->it_real_incr));
}

static void get_real_itimer(struct task_struct *p, struct abi_itimerval *v)
{
	u64 left = 0;

	if (p->real_timer.pending) {
		long ticks = (long)(p->real_timer.expires - jiffies);
		u64 total = (ticks > 0 ? (u64)ticks : 0) + p->it_real_beyond;

		/* due but not yet run: still armed, so not 0 (Linux says 1 us) */
		left = total ? total * TICK_NSEC : NSEC_PER_USEC;
	}
	v->it_value = ns_to_timeval(left);
	v->it_interval = ns_to_timeval(p->it_real_incr);
}

/* A zero value disarms it, and then the interval is forgotten too, as in Linux. */
static void set_real_itimer(struct task_struct *p, const struct abi_itimerval *v)
{
	u64 value = timeval_to_ns(&v->it_value);

	del_timer(&p->real_timer);
	p->it_real_incr = value ? timeval_to_ns(&v->it_interval) : 0;
	if (value)
		arm_real_timer(p, sync_jiffies(), ns_to_ticks(value));
}

/* ---- ITIMER_VIRTUAL and ITIMER_PROF ---------------------------------------- */

/* The task's CPU time that the timer counts, in ns. */
static u64 cpu_clock(const struct task_struct *p, int which)
{
	unsigned long ticks = which == ITIMER_VIRTUAL ? p->utime : p->utime + p->stime;

	return (u64)ticks * TICK_NSEC;
}

static void get_cpu_itimer(struct task_struct *p, int which, struct abi_itimerval *v)
{
	const struct cpu_itimer *it = &p->it[which - ITIMER_VIRTUAL];
	u64 left = it->expires, now = cpu_clock(p, which);

	if (left)
		left = left < now ? TICK_NSEC : left - now;   /* past it: fires on this tick */
	v->it_value = ns_to_timeval(left);
	v->it_interval = ns_to_timeval(it->incr);
}

/*
 * Unlike the real timer's, the interval is kept even when the value
 * disarms (Linux).  The clock counts whole ticks, the one running now
 * not yet: one tick more, as Linux adds, keeps the timer from firing
 * before the CPU time asked for was really used.
 */
static void set_cpu_itimer(struct task_struct *p, int which, const struct abi_itimerval *v)
{
	struct cpu_itimer *it = &p->it[which - ITIMER_VIRTUAL];
	u64 value = timeval_to_ns(&v->it_value);

	it->expires = value ? cpu_clock(p, which) + value + TICK_NSEC : 0;
	it->incr = timeval_to_ns(&v->it_interval);
}

static void check_cpu_itimer(struct task_struct *p, int which, int sig)
{
	struct cpu_itimer *it = &p->it[which - ITIMER_VIRTUAL];

	if (!it->expires || cpu_clock(p, which) < it->expires)
		return;
	it->expires = it->incr ? it->expires + it->incr : 0;
	send_sig(sig, p, 0);
}

/*
 * Called by scheduler_tick once it has charged the tick to p: a CPU
 * timer whose clock reached its expiry fires (at most once a tick, so
 * an interval shorter than a tick gives one signal a tick).
 */
void account_cpu_itimers(struct task_struct *p)
{
	check_cpu_itimer(p, ITIMER_VIRTUAL, SIGVTALRM);
	check_cpu_itimer(p, ITIMER_PROF, SIGPROF);
}

/* A new child of fork: no timer armed (the struct was copied from the parent). */
void itimers_fork(struct task_struct *p)
{
	init_timer(&p->real_timer, it_real_fn, (unsigned long)p);
	p->it_real_incr = p->it_real_beyond = 0;
	memset(p->it, 0, sizeof(p->it));
}

/* ---- the system calls -------------------------------------------------------- */

static bool itimer_valid(int which)
{
	return which == ITIMER_REAL || which == ITIMER_VIRTUAL || which == ITIMER_PROF;
}

static void get_itimer(int which, struct abi_itimerval *v)
{
	if (which == ITIMER_REAL)
		get_real_itimer(current, v);
	else
		get_cpu_itimer(current, which, v);
}

/*
 * The timers change in the timer interrupt (a real timer fires and is
 * re-armed, a CPU timer's 64-bit expiry moves on): read and set them with
 * interrupts off, so that neither half-written values nor a firing
 * between reading the old setting and storing the new is seen.
 */
static int do_getitimer(int which, struct abi_itimerval *v)
{
	unsigned long flags;

	if (!itimer_valid(which))
		return -EINVAL;
	local_irq_save(flags);
	get_itimer(which, v);
	local_irq_restore(flags);
	return 0;
}

/* Set timer which to *v; its old setting goes to *old first, if old is not NULL. */
static int do_setitimer(int which, const struct abi_itimerval *v, struct abi_itimerval *old)
{
	unsigned long flags;

	if (!itimer_valid(which))
		return -EINVAL;
	local_irq_save(flags);
	if (old)
		get_itimer(which, old);
	if (which == ITIMER_REAL)
		set_real_itimer(current, v);
	else
		set_cpu_itimer(current, which, v);
	local_irq_restore(flags);
	return 0;
}

long sys_getitimer(int which, struct abi_itimerval *uvalue)
{
	struct abi_itimerval v;
	int err = do_getitimer(which, &v);

	if (err)
		return err;
	return copy_to_user(uvalue, &v, sizeof(v)) ? -EFAULT : 0;
}

/*
 * The new value is read and checked before which is; a NULL one disarms
 * the timer (an old misfeature Linux keeps).  When the old value cannot
 * be stored, the new one is in force all the same, as in Linux.
 */
long sys_setitimer(int which, const struct abi_itimerval *uvalue, struct abi_itimerval *uovalue)
{
	struct abi_itimerval v = { 0 }, old;
	int err;

	if (uvalue) {
		if (copy_from_user(&v, uvalue, sizeof(v)))
			return -EFAULT;
		if (!timeval_valid(&v.it_value) || !timeval_valid(&v.it_interval))
			return -EINVAL;
	}
	err = do_setitimer(which, &v, uovalue ? &old : NULL);
	if (err || !uovalue)
		return err;
	return copy_to_user(uovalue, &old, sizeof(old)) ? -EFAULT : 0;
}

/*
 * alarm(2): ITIMER_REAL set to seconds, no interval.  Returns the seconds
 * the old setting had left, to the nearest second but never 0 for one
 * still pending (Linux's alarm_setitimer); seconds past INT_MAX are
 * INT_MAX, as on 32-bit Linux.
 */
long sys_alarm(unsigned int seconds)
{
	struct abi_itimerval v = { .it_value.tv_sec = (long)min(seconds, (unsigned int)INT32_MAX) };
	struct abi_itimerval old;

	do_setitimer(ITIMER_REAL, &v, &old);
	if ((!old.it_value.tv_sec && old.it_value.tv_usec) ||
	    old.it_value.tv_usec >= (long)(USEC_PER_SEC / 2))
		old.it_value.tv_sec++;
	return old.it_value.tv_sec;
}
