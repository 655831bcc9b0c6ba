/*
 * Tests of the scheduler's one special case: the idle task, in whose
 * context the kernel tests run, sleeping in schedule_timeout.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/sched.h>
#include <anvil/time.h>

#define SLEEP_TICKS 3

/*
 * With nothing else runnable, schedule() used to hand the idle task
 * straight back: schedule_timeout returned at once, cancelled its timer
 * and left the task going on as TASK_UNINTERRUPTIBLE (a later test that
 * asked whether the current task could run said no).
 */
KTEST(idle_task_schedule_timeout_sleeps)
{
	unsigned long start = jiffies;
	long left;

	KT_ASSERT(t, current == &init_task);
	current->state = TASK_UNINTERRUPTIBLE;
	left = schedule_timeout(SLEEP_TICKS);
	KT_EQ(t, current->state, TASK_RUNNING);
	KT_EQ(t, left, 0);
	KT_ASSERT(t, jiffies - start >= SLEEP_TICKS);
}
