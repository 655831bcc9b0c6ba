/*
 * Kernel timers: a list of timer_lists checked on every tick.  anvil has
 * few timers at a time (sleepers and alarms), so an unsorted list is
 * plenty.  Timer functions run in the timer interrupt, interrupts off.
 */
#include <anvil/kernel.h>
#include <anvil/timer.h>
#include <anvil/sched.h>
#include <anvil/time.h>

static LIST_HEAD(timers);

void init_timer(struct timer_list *t, void (*fn)(unsigned long), unsigned long data)
{
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->data = data;
	t->pending = false;
}

void mod_timer(struct timer_list *t, unsigned long expires)
{
	unsigned long flags;

	local_irq_save(flags);
	t->expires = expires;
	if (!t->pending) {
		list_add_tail(&t->entry, &timers);
		t->pending = true;
	}
	local_irq_restore(flags);
}

void del_timer(struct timer_list *t)
{
	unsigned long flags;

	local_irq_save(flags);
	if (t->pending) {
		list_del_init(&t->entry);
		t->pending = false;
	}
	local_irq_restore(flags);
}

void run_timers(void)
{
	struct timer_list *t, *n;

	list_for_each_entry_safe(t, n, &timers, entry) {
		if (time_before(jiffies, t->expires))
			continue;
		list_del_init(&t->entry);
		t->pending = false;
		t->function(t->data);
	}
}

static void process_timeout(unsigned long data)
{
	wake_up_process((struct task_struct *)data);
}

long schedule_timeout(long timeout)
{
	struct timer_list timer;
	unsigned long expire;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0)
		timeout = 0;
	expire = sync_jiffies() + timeout;
	init_timer(&timer, process_timeout, (unsigned long)current);
	mod_timer(&timer, expire);
	schedule();
	del_timer(&timer);
	timeout = (long)(expire - jiffies);
	return timeout < 0 ? 0 : timeout;
}
