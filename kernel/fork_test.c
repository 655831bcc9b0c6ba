/*
 * Tests of a task_struct's lifetime: a reference (get_task_struct, as
 * /proc takes one across a show that may sleep) keeps the struct of a
 * task that exits and is reaped meanwhile, until the last put.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/sched.h>
#include <anvil/time.h>

#define REAP_TICKS 50             /* more than enough for a thread that exits at once */
#define EXITER_NAME "kt-exiter"

static int exit_at_once(void *arg)
{
	return 0;
}

/*
 * Before the reference existed release_task freed the struct outright,
 * and a /proc reader that slept holding the pointer used freed memory.
 */
KTEST(task_struct_outlives_reaping_while_referenced)
{
	struct task_struct *p = kernel_thread(exit_at_once, NULL, EXITER_NAME);
	pid_t pid;

	KT_ASSERT(t, p);
	pid = p->pid;
	get_task_struct(p);
	for (int i = 0; i < REAP_TICKS && find_task_by_pid(pid); i++) {
		current->state = TASK_UNINTERRUPTIBLE;
		schedule_timeout(1);
	}
	KT_ASSERT(t, !find_task_by_pid(pid));        /* exited, and released by the scheduler */
	KT_EQ(t, p->pid, pid);
	KT_STREQ(t, p->comm, EXITER_NAME);
	KT_EQ(t, atomic_read(&p->usage), 1);         /* only ours is left */
	put_task_struct(p);
}
