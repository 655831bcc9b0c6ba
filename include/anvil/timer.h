/*
 * Kernel timers: call function(data) at a given jiffies value, from the
 * timer interrupt.  schedule_timeout() sleeps with one (nanosleep, alarm,
 * and any bounded wait).
 */
#ifndef ANVIL_TIMER_H
#define ANVIL_TIMER_H

#include <anvil/list.h>

struct timer_list {
	struct list_head entry;
	unsigned long expires;            /* jiffies */
	void (*function)(unsigned long data);
	unsigned long data;
	bool pending;
};

#define MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))

void init_timer(struct timer_list *t, void (*fn)(unsigned long), unsigned long data);
void mod_timer(struct timer_list *t, unsigned long expires);
void del_timer(struct timer_list *t);
void run_timers(void);                /* from the timer interrupt */
/* Sleep (in the state the caller set) for up to timeout ticks; returns the ticks left. */
long schedule_timeout(long timeout);

#endif
