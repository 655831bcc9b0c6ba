/*
 * Sleeping reader/writer semaphores (include/anvil/rwsem.h).  A task that
 * cannot get the lock queues itself in order and sleeps; up_*() hands the
 * lock to the waiters at the front: one writer, or every reader up to the
 * next writer.  Granting happens in the releaser, so a woken task owns
 * the lock already and need not race for it.  lockdep checks each as a
 * sleeping lock, its class being its name (mm->mmap_sem).
 */
#include <anvil/kernel.h>
#include <anvil/rwsem.h>
#include <anvil/sched.h>

struct rwsem_waiter {
	struct list_head list;
	struct task_struct *task;
	bool writer;
	bool granted;
};

static void rwsem_wait(struct rw_semaphore *sem, bool writer)
{
	struct rwsem_waiter w = { .task = current, .writer = writer };

	list_add_tail(&w.list, &sem->wait_list);
	for (;;) {
		current->state = TASK_UNINTERRUPTIBLE;
		if (READ_ONCE(w.granted))
			break;
		schedule();
	}
	current->state = TASK_RUNNING;
}

/* Hand the lock to the front of the queue. */
static void rwsem_grant(struct rw_semaphore *sem)
{
	while (!list_empty(&sem->wait_list)) {
		struct rwsem_waiter *w = list_first_entry(&sem->wait_list, struct rwsem_waiter,
							  list);

		if (w->writer && sem->activity)
			break;
		list_del(&w->list);
		sem->activity = w->writer ? -1 : sem->activity + 1;
		w->granted = true;
		wake_up_process(w->task);
		if (w->writer)
			break;
	}
}

void down_read(struct rw_semaphore *sem)
{
	might_sleep();
	if (debug_locks)
		lock_acquire(sem, sem->name, true);
	if (sem->activity >= 0 && list_empty(&sem->wait_list))
		sem->activity++;
	else
		rwsem_wait(sem, false);
}

void up_read(struct rw_semaphore *sem)
{
	BUG_ON(sem->activity <= 0);
	if (debug_locks)
		lock_release(sem);
	if (--sem->activity == 0)
		rwsem_grant(sem);
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	if (debug_locks)
		lock_acquire(sem, sem->name, true);
	if (sem->activity == 0 && list_empty(&sem->wait_list))
		sem->activity = -1;
	else
		rwsem_wait(sem, true);
}

void up_write(struct rw_semaphore *sem)
{
	BUG_ON(sem->activity != -1);
	if (debug_locks)
		lock_release(sem);
	sem->activity = 0;
	rwsem_grant(sem);
}

bool rwsem_is_locked(const struct rw_semaphore *sem)
{
	return sem->activity != 0;
}
