/*
 * The scheduler: a round-robin run queue of runnable tasks.  The timer
 * takes a tick off the running task's time slice and, when it runs out,
 * asks for a reschedule; the switch happens in schedule(), called on the
 * way back to user mode or by a task going to sleep.  The kernel is not
 * preempted, so code between two sleeps runs undisturbed by other tasks
 * (only interrupt handlers can intervene).
 *
 * Interrupts are off from picking the next task until the new task is
 * running, so a wake-up from an interrupt handler never sees a half-
 * updated run queue.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/uaccess.h>
#include <anvil/switch.h>
#include <anvil/time.h>
#include <anvil/timer.h>
#include <anvil/mm.h>
#include <anvil/syscalls.h>
#include <anvil/resource.h>
#include <anvil/fs_struct.h>

extern char boot_stack_bottom[];

struct task_struct init_task = {
	.state = TASK_RUNNING,
	.flags = PF_KTHREAD,
	.pid = 0,
	.comm = "swapper",
	.parent = &init_task,
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.run_list = LIST_HEAD_INIT(init_task.run_list),
	.stack = boot_stack_bottom,
	.addr_limit = KERNEL_DS,
	.time_slice = DEFAULT_TIME_SLICE,
	.fs = &init_fs,
	.group_info = &init_groups,       /* and every id 0: root */
	.rlim = INIT_RLIMITS,
	.group_leader = &init_task,
	.thread_group = LIST_HEAD_INIT(init_task.thread_group),
	.sighand = &init_sighand,
	.signal = &init_signals,
};

struct task_struct *current = &init_task;
LIST_HEAD(task_list);
unsigned long nr_tasks;
static LIST_HEAD(runqueue);
unsigned long nr_context_switches;
struct kernel_cpustat kcpustat;

void sched_init(void)
{
	*(unsigned long *)init_task.stack = STACK_END_MAGIC;
	list_add(&init_task.tasks, &task_list);
	init_task.active_mm = NULL;
}

void check_stack_end(const struct task_struct *t)
{
	if (*(const unsigned long *)t->stack != STACK_END_MAGIC)
		panic("kernel stack overflow in task %d (%s)", t->pid, t->comm);
}

/* Put a runnable task (not the current one) on the run queue. */
static void enqueue(struct task_struct *p)
{
	if (p != &init_task && list_empty(&p->run_list))
		list_add_tail(&p->run_list, &runqueue);
}

void wake_up_process(struct task_struct *p)
{
	unsigned long flags;

	local_irq_save(flags);
	if (p->state & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE | TASK_STOPPED)) {
		p->state = TASK_RUNNING;
		if (p != current)
			enqueue(p);
		if (current == &init_task)
			current->need_resched = true;  /* leave the idle loop now */
	}
	local_irq_restore(flags);
}

/* Called with interrupts off when a new task first runs (or from a normal switch). */
void finish_task_switch(struct task_struct *prev)
{
	check_stack_end(current);
	if (prev->state == EXIT_DEAD)
		release_task(prev);    /* its last schedule() is over: the stack can go */
}

/* The first thing a new task does (from ret_from_fork / kernel_thread_start). */
void schedule_tail(struct task_struct *prev);
/*
 * The first thing a new task runs.  A clone child asked for with
 * CLONE_CHILD_SETTID writes its pid here, in its own address space, as
 * Linux does; a bad address is simply not written.
 */
void schedule_tail(struct task_struct *prev)
{
	finish_task_switch(prev);
	local_irq_enable();
	if (current->set_child_tid)
		put_user(current->pid, current->set_child_tid);
}

void schedule(void)
{
	struct task_struct *prev = current, *next;
	unsigned long flags;

	__might_sleep(__FILE__, __LINE__);      /* lockdep: the spinlocks held, and where */
	if (unlikely(in_atomic()))
		panic("scheduling while atomic: %s/%d, preempt_count %d", prev->comm,
		      prev->pid, preempt_count);
	local_irq_save(flags);
again:
	prev = current;
	prev->need_resched = false;
	/*
	 * The idle task waiting itself (a kernel test's schedule_timeout, in
	 * the boot's context): with nothing else to run, halt until the
	 * interrupt that wakes it -- returning at once would leave it going
	 * on asleep, its state TASK_UNINTERRUPTIBLE, its timer cancelled.
	 */
	while (prev == &init_task && prev->state != TASK_RUNNING && list_empty(&runqueue)) {
		safe_halt();
		local_irq_disable();
	}
	if (prev->state == TASK_RUNNING)
		enqueue(prev);
	if (list_empty(&runqueue)) {
		next = &init_task;
	} else {
		next = list_first_entry(&runqueue, struct task_struct, run_list);
		list_del_init(&next->run_list);
	}
	if (next != prev) {
		nr_context_switches++;
		if (prev->state == TASK_RUNNING)
			prev->nivcsw++;            /* preempted or yielded: it could have gone on */
		else
			prev->nvcsw++;             /* it went to sleep (or stopped, or exited) */
		current = next;
		prev = arch_switch_to(prev, next);
		finish_task_switch(prev);
	}
	if (current == &init_task && current->state != TASK_RUNNING)
		goto again;                        /* the idle task is back, its wait not over */
	local_irq_restore(flags);
}

void cond_resched(void)
{
	if (current->need_resched)
		schedule();
}

void scheduler_tick(struct pt_regs *regs)
{
	struct task_struct *p = current;

	if (regs && user_mode(regs)) {
		p->utime++;
		kcpustat.user++;
	} else {
		p->stime++;
		if (p == &init_task)
			kcpustat.idle++;
		else
			kcpustat.system++;
	}
	if (p == &init_task)
		return;
	account_cpu_itimers(p);
	if (--p->time_slice <= 0) {
		p->time_slice = DEFAULT_TIME_SLICE;
		p->need_resched = true;
	}
}

void cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (!current->need_resched && list_empty(&runqueue)) {
			safe_halt();          /* sti; hlt: no wake-up slips in between */
			continue;
		}
		local_irq_enable();
		schedule();
	}
}

struct task_struct *find_task_by_pid(pid_t pid)
{
	struct task_struct *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid == pid && p->state != EXIT_DEAD)
			return p;
	return NULL;
}

void set_task_comm(struct task_struct *t, const char *name)
{
	strlcpy(t->comm, name, sizeof(t->comm));
}

long sys_sched_yield(void)
{
	current->need_resched = true;
	schedule();
	return 0;
}
