/*
 * The scheduler: one round-robin run queue per CPU.  The timer takes a
 * tick off the running task's time slice and, when it runs out, asks for
 * a reschedule; the switch happens in schedule(), called on the way back
 * to user mode or by a task going to sleep.  The kernel is not preempted.
 *
 * SMP: every CPU runs schedule() on its own queue, and pulls work from
 * the others when it has none (load_balance).  The run queues are
 * guarded as the rest of the kernel is -- by the big kernel lock
 * (kernel/smp_lock.c), which a CPU holds whenever it runs kernel code,
 * across the switch too -- and by interrupts off, so a wake-up from an
 * interrupt handler never sees a half-updated queue.  A task queued on
 * one CPU cannot be taken by another before its switch-out is complete:
 * the taker would need the big kernel lock, which the switching CPU holds.
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
#include <anvil/smp.h>
#include <anvil/smp_lock.h>
#include <anvil/cred.h>
#include <abi/errno.h>

struct task_struct init_task;

/* Task 0's kernel stack, the boot stack (boot/boot.asm starts on it). */
union thread_union init_thread_union __attribute__((aligned(THREAD_SIZE))) = {
	.info = { .task = &init_task, .cpu = 0 },
};

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
	.cpus_allowed = ~CPU_MASK_NONE,
	.stack = &init_thread_union,
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

LIST_HEAD(task_list);
unsigned long nr_tasks;
unsigned long nr_context_switches;

/* One CPU's scheduling state (Linux 2.6's struct runqueue, without priorities). */
struct runqueue {
	struct list_head queue;           /* runnable tasks waiting for this CPU, in turn */
	unsigned int nr_running;          /* how many are queued */
	struct task_struct *curr;         /* running now */
	struct task_struct *idle;         /* runs when the queue is empty: pid 0 */
	unsigned long nr_switches;
	unsigned long nr_migrations;      /* tasks pulled here from another CPU's queue */
	struct kernel_cpustat stat;
};

static DEFINE_PER_CPU(struct runqueue, runqueues);
#define cpu_rq(cpu) (&per_cpu(runqueues, cpu))
#define this_rq() cpu_rq(smp_processor_id())

struct kernel_cpustat *cpu_kstat(unsigned int cpu)
{
	return &cpu_rq(cpu)->stat;
}

static void init_rq(unsigned int cpu, struct task_struct *idle)
{
	struct runqueue *rq = cpu_rq(cpu);

	INIT_LIST_HEAD(&rq->queue);
	rq->curr = rq->idle = idle;
}

void sched_init(void)
{
	*end_of_stack(&init_task) = STACK_END_MAGIC;
	list_add(&init_task.tasks, &task_list);
	init_task.active_mm = NULL;
	init_rq(0, &init_task);
}

/* A secondary CPU's idle task (made by smpboot) becomes its run queue's idle and curr. */
void init_idle(struct task_struct *idle, unsigned int cpu)
{
	task_thread_info(idle)->cpu = cpu;
	init_rq(cpu, idle);
}

bool is_idle_task(const struct task_struct *p)
{
	return p == cpu_rq(task_cpu(p))->idle;
}

void check_stack_end(const struct task_struct *t)
{
	if (*end_of_stack(t) != STACK_END_MAGIC)
		panic("kernel stack overflow in task %d (%s)", t->pid, t->comm);
}

/* Put a runnable task (not running anywhere) on cpu's queue. */
static void enqueue(struct task_struct *p, unsigned int cpu)
{
	struct runqueue *rq = cpu_rq(cpu);

	if (p == rq->idle || !list_empty(&p->run_list))
		return;
	task_thread_info(p)->cpu = cpu;
	list_add_tail(&p->run_list, &rq->queue);
	rq->nr_running++;
}

static struct task_struct *dequeue_first(struct runqueue *rq)
{
	struct task_struct *p = list_first_entry(&rq->queue, struct task_struct, run_list);

	list_del_init(&p->run_list);
	rq->nr_running--;
	return p;
}

static bool cpu_is_idle(unsigned int cpu)
{
	struct runqueue *rq = cpu_rq(cpu);

	return rq->curr == rq->idle && !rq->nr_running;
}

/* Is p on a CPU now (Linux's task_curr)?  Its kernel stack is then in use. */
bool task_curr(const struct task_struct *p)
{
	return cpu_rq(task_cpu(p))->curr == p;
}

/*
 * Where a woken task runs: the CPU it last ran on (its cache, its TLB),
 * unless that one is busy and another CPU it may use sits idle.
 */
static unsigned int select_task_rq(const struct task_struct *p)
{
	unsigned int cpu = task_cpu(p), c;

	if (cpu_isset(cpu, p->cpus_allowed) && cpu_isset(cpu, cpu_online_map) && cpu_is_idle(cpu))
		return cpu;
	for_each_online_cpu(c)
		if (cpu_isset(c, p->cpus_allowed) && cpu_is_idle(c))
			return c;
	if (cpu_isset(cpu, p->cpus_allowed) && cpu_isset(cpu, cpu_online_map))
		return cpu;
	for_each_online_cpu(c)
		if (cpu_isset(c, p->cpus_allowed))
			return c;
	return smp_processor_id();
}

/* cpu has new work: an idle CPU must leave its halt, a busy one switch when it can. */
static void resched_cpu(unsigned int cpu)
{
	struct runqueue *rq = cpu_rq(cpu);

	rq->curr->need_resched = true;
	if (cpu != smp_processor_id())
		smp_send_reschedule(cpu);
}

void wake_up_process(struct task_struct *p)
{
	unsigned long flags;

	local_irq_save(flags);
	if (p->state & (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE | TASK_STOPPED)) {
		p->state = TASK_RUNNING;
		if (is_idle_task(p)) {
			resched_cpu(task_cpu(p));   /* an idle task waiting itself: its own CPU */
		} else if (p != cpu_rq(task_cpu(p))->curr) {  /* not still on its way to sleep */
			unsigned int cpu = select_task_rq(p);

			enqueue(p, cpu);
			if (cpu_rq(cpu)->curr == cpu_rq(cpu)->idle)
				resched_cpu(cpu);
		}
	}
	local_irq_restore(flags);
}

/*
 * Make a task running on another CPU enter the kernel soon -- a signal
 * is waiting for it (Linux's kick_process).  On its own CPU it will see
 * the signal on its way back to user mode anyway.
 */
void kick_process(struct task_struct *p)
{
	unsigned int cpu = task_cpu(p);

	if (cpu != smp_processor_id() && task_curr(p))
		smp_send_reschedule(cpu);
}

/*
 * Pull one task to this CPU from the CPU with the longest queue, if that
 * queue is longer than ours by `imbalance` or more (1 when we have nothing
 * to run, 2 on the periodic check: moving a task from a queue of two to a
 * queue of one gains nothing).  Only a task allowed here moves.
 */
static bool load_balance(unsigned int imbalance)
{
	unsigned int this_cpu = smp_processor_id(), cpu, busiest = this_cpu;
	struct runqueue *rq = this_rq(), *src;
	struct task_struct *p;

	for_each_online_cpu(cpu)
		if (cpu_rq(cpu)->nr_running > cpu_rq(busiest)->nr_running)
			busiest = cpu;
	src = cpu_rq(busiest);
	if (busiest == this_cpu || src->nr_running < rq->nr_running + imbalance)
		return false;
	list_for_each_entry(p, &src->queue, run_list) {
		if (!cpu_isset(this_cpu, p->cpus_allowed))
			continue;
		list_del_init(&p->run_list);
		src->nr_running--;
		enqueue(p, this_cpu);
		rq->nr_migrations++;
		return true;
	}
	return false;
}

/*
 * Called with interrupts off when a new task first runs (or from a normal
 * switch).  A prev still runnable but on no queue is one sched_setaffinity
 * sent away from this CPU: only now, its registers saved, may another CPU
 * run it.  (Queuing it there before the switch would also have changed
 * the CPU number its thread_info gives while it still ran here.)
 */
void finish_task_switch(struct task_struct *prev)
{
	check_stack_end(current);
	if (prev->state == EXIT_DEAD)
		release_task(prev);    /* its last schedule() is over: the stack can go */
	else if (prev->state == TASK_RUNNING && list_empty(&prev->run_list) &&
		 !is_idle_task(prev)) {
		unsigned int cpu = select_task_rq(prev);

		enqueue(prev, cpu);
		resched_cpu(cpu);
	}
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

/*
 * An idle task waiting itself (a kernel test's schedule_timeout, in the
 * boot's context) with nothing else to run: halt until the interrupt
 * that wakes it -- returning at once would leave it going on asleep, its
 * state TASK_UNINTERRUPTIBLE, its timer cancelled.  The big kernel lock
 * is let go for the halt, so other CPUs' interrupts and tasks go on.
 */
static void idle_wait(struct runqueue *rq)
{
	while (current->state != TASK_RUNNING && !rq->nr_running && !load_balance(1)) {
		unlock_kernel();
		safe_halt();
		local_irq_disable();
		lock_kernel();
	}
}

void schedule(void)
{
	struct task_struct *prev, *next;
	struct runqueue *rq;
	unsigned long flags;

	__might_sleep(__FILE__, __LINE__);      /* lockdep: the spinlocks held, and where */
	if (unlikely(in_atomic()))
		panic("scheduling while atomic: %s/%d, preempt_count %d", current->comm,
		      current->pid, preempt_count);
	BUG_ON(!kernel_locked());
	local_irq_save(flags);
again:
	rq = this_rq();
	prev = current;
	prev->need_resched = false;
	if (prev == rq->idle)
		idle_wait(rq);
	if (prev->state == TASK_RUNNING && cpu_isset(smp_processor_id(), prev->cpus_allowed))
		enqueue(prev, smp_processor_id());   /* else finish_task_switch moves it */
	if (!rq->nr_running)
		load_balance(1);
	next = rq->nr_running ? dequeue_first(rq) : rq->idle;
	if (next != prev) {
		nr_context_switches++;
		rq->nr_switches++;
		if (prev->state == TASK_RUNNING)
			prev->nivcsw++;            /* preempted or yielded: it could have gone on */
		else
			prev->nvcsw++;             /* it went to sleep (or stopped, or exited) */
		rq->curr = next;
		task_thread_info(next)->cpu = smp_processor_id();
		prev = arch_switch_to(prev, next);
		finish_task_switch(prev);
	}
	if (current == this_rq()->idle && current->state != TASK_RUNNING)
		goto again;                        /* the idle task is back, its wait not over */
	local_irq_restore(flags);
}

void cond_resched(void)
{
	if (current->need_resched)
		schedule();
}

#define BALANCE_INTERVAL 10               /* ticks between a CPU's periodic load_balance */

void scheduler_tick(struct pt_regs *regs)
{
	struct runqueue *rq = this_rq();
	struct task_struct *p = current;

	if (regs && user_mode(regs)) {
		p->utime++;
		rq->stat.user++;
	} else {
		p->stime++;
		if (p == rq->idle)
			rq->stat.idle++;
		else
			rq->stat.system++;
	}
	if (jiffies % BALANCE_INTERVAL == smp_processor_id() && load_balance(2))
		p->need_resched = true;
	if (p == rq->idle) {
		if (rq->nr_running)
			p->need_resched = true;
		return;
	}
	account_cpu_itimers(p);
	if (--p->time_slice <= 0) {
		p->time_slice = DEFAULT_TIME_SLICE;
		p->need_resched = true;
	}
}

/*
 * What every CPU does when it has nothing to run: halt, with the big
 * kernel lock let go so that the other CPUs run kernel code meanwhile,
 * until an interrupt brings work -- its own queue, or another CPU's that
 * it can take.
 */
void cpu_idle(void)
{
	struct runqueue *rq = this_rq();

	for (;;) {
		local_irq_disable();
		if (!current->need_resched && !rq->nr_running && !load_balance(1)) {
			unlock_kernel();
			safe_halt();          /* sti; hlt: no wake-up slips in between */
			local_irq_disable();
			lock_kernel();
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

/*
 * sched_setaffinity: the CPUs p may run on.  A queued task moves at once;
 * a running one when its next schedule() switches it out (finish_task_switch).
 */
static void set_cpus_allowed(struct task_struct *p, cpumask_t mask)
{
	unsigned long flags;
	unsigned int cpu = task_cpu(p);

	local_irq_save(flags);
	p->cpus_allowed = mask;
	if (!cpu_isset(cpu, mask)) {
		if (!list_empty(&p->run_list)) {
			list_del_init(&p->run_list);
			cpu_rq(cpu)->nr_running--;
			cpu = select_task_rq(p);
			enqueue(p, cpu);
			resched_cpu(cpu);
		} else if (p == cpu_rq(cpu)->curr) {
			resched_cpu(cpu);
		}
	}
	local_irq_restore(flags);
}

/* Whose affinity a call names: 0 is the caller; another user's only with CAP_SYS_NICE. */
static struct task_struct *affinity_task(pid_t pid, bool set, long *err)
{
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;

	*err = -ESRCH;
	if (!p || pid < 0)
		return NULL;
	*err = -EPERM;
	if (set && p != current && current->euid != p->uid && current->euid != p->euid &&
	    !capable(CAP_SYS_NICE))
		return NULL;
	return p;
}

long sys_sched_setaffinity(pid_t pid, unsigned int len, const unsigned long *user_mask)
{
	cpumask_t mask = 0;
	struct task_struct *p;
	long err;

	if (copy_from_user(&mask, user_mask, len < sizeof(mask) ? len : sizeof(mask)))
		return -EFAULT;
	p = affinity_task(pid, true, &err);
	if (!p)
		return err;
	mask &= cpu_online_map;
	if (cpus_empty(mask))
		return -EINVAL;
	set_cpus_allowed(p, mask);
	if (p == current && !cpu_isset(smp_processor_id(), mask))
		schedule();                        /* return on a CPU the mask allows */
	return 0;
}

/* Linux's answer: the mask's size in bytes (a long), the online CPUs p may use. */
long sys_sched_getaffinity(pid_t pid, unsigned int len, unsigned long *user_mask)
{
	struct task_struct *p;
	cpumask_t mask;
	long err;

	if (len < sizeof(mask) || len % sizeof(unsigned long))
		return -EINVAL;
	p = affinity_task(pid, false, &err);
	if (!p)
		return err;
	mask = p->cpus_allowed & cpu_online_map;
	if (copy_to_user(user_mask, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

/* The CPU the caller runs on (and NUMA node 0); the third argument is unused since 2.6.24. */
long sys_getcpu(unsigned int *cpu, unsigned int *node, void *unused)
{
	(void)unused;
	if (cpu && put_user(smp_processor_id(), cpu))
		return -EFAULT;
	if (node && put_user(0U, node))
		return -EFAULT;
	return 0;
}
