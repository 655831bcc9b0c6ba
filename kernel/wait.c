/*
 * Wait queues (see include/anvil/wait.h for the sleeping pattern).
 * Interrupt handlers call wake_up(), so the list is changed only with
 * interrupts off.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/wait.h>

void prepare_to_wait(wait_queue_head_t *q, wait_queue_t *wait, long state)
{
	unsigned long flags;

	local_irq_save(flags);
	if (list_empty(&wait->link))
		list_add_tail(&wait->link, &q->task_list);
	current->state = state;
	local_irq_restore(flags);
}

void finish_wait(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;

	local_irq_save(flags);
	current->state = TASK_RUNNING;
	if (!list_empty(&wait->link))
		list_del_init(&wait->link);
	local_irq_restore(flags);
}

void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;

	local_irq_save(flags);
	list_add_tail(&wait->link, &q->task_list);
	local_irq_restore(flags);
}

void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait)
{
	unsigned long flags;

	local_irq_save(flags);
	list_del_init(&wait->link);
	local_irq_restore(flags);
}

/* Wake every sleeper; each re-checks its own condition. */
void wake_up(wait_queue_head_t *q)
{
	wait_queue_t *w;
	unsigned long flags;

	local_irq_save(flags);
	list_for_each_entry(w, &q->task_list, link)
		wake_up_process(w->task);
	local_irq_restore(flags);
}
