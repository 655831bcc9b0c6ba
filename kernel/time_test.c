/*
 * Tests of jiffies against the TSC clock (arch/i386/time.c): it never
 * runs ahead of the clock, and a sleep's deadline counts from the clock
 * even when jiffies is late -- as it is on one CPU while the PIT's
 * interrupts, held back by a host that descheduled QEMU, wait on another.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/sched.h>
#include <anvil/time.h>
#include <asm/processor.h>

#define SLEEP_TICKS 3
#define LATE_TICKS 5            /* how far behind the clock jiffies is made */

static unsigned long clock_ticks(void)
{
	return (unsigned long)(sched_clock() / TICK_NSEC);
}

KTEST(jiffies_is_the_clocks_count_of_ticks)
{
	unsigned long before = clock_ticks(), j = sync_jiffies(), after = clock_ticks();

	KT_ASSERT(t, !time_before(j, before));
	KT_ASSERT(t, !time_before(after, j));
}

/*
 * jiffies made LATE_TICKS late, then a sleep of SLEEP_TICKS: counted from
 * the late value, the next tick (which brings jiffies up to the clock)
 * would end it at once -- the 50 ms poll() that ended after 31 ms.
 */
KTEST(sleep_counts_from_the_clock_not_a_late_jiffies)
{
	unsigned long flags;
	u64 start;

	local_irq_save(flags);
	jiffies = sync_jiffies() - LATE_TICKS;
	start = sched_clock();
	local_irq_restore(flags);
	current->state = TASK_UNINTERRUPTIBLE;
	KT_EQ(t, schedule_timeout(SLEEP_TICKS), 0);
	KT_ASSERT(t, sched_clock() - start >= (SLEEP_TICKS - 1) * TICK_NSEC);
}
