/*
 * Wait queues: a list of tasks sleeping until something happens (a child
 * exits, a pipe gets data, a key is pressed, an I/O completes).  The
 * sleeper sets its state *before* testing its condition, so a wake-up
 * that arrives in between (from an interrupt) is never lost:
 *
 *     DEFINE_WAIT(wait);
 *     for (;;) {
 *             prepare_to_wait(&wq, &wait, TASK_INTERRUPTIBLE);
 *             if (condition) break;
 *             if (signal_pending(current)) { err = -EINTR; break; }
 *             schedule();
 *     }
 *     finish_wait(&wq, &wait);
 *
 * wait_event(), wait_event_interruptible() and wait_event_killable()
 * wrap exactly that.
 */
#ifndef ANVIL_WAIT_H
#define ANVIL_WAIT_H

#include <anvil/list.h>
#include <anvil/spinlock.h>
#include <anvil/errno.h>

struct task_struct;

typedef struct wait_queue_head {
	struct list_head task_list;
} wait_queue_head_t;

typedef struct wait_queue_entry {
	struct task_struct *task;
	struct list_head link;
} wait_queue_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) { LIST_HEAD_INIT((name).task_list) }
#define DECLARE_WAIT_QUEUE_HEAD(name) wait_queue_head_t name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define DEFINE_WAIT(name) wait_queue_t name = { current, LIST_HEAD_INIT((name).link) }

static inline void init_waitqueue_head(wait_queue_head_t *q)
{
	INIT_LIST_HEAD(&q->task_list);
}

static inline bool waitqueue_active(const wait_queue_head_t *q)
{
	return !list_empty(&q->task_list);
}

void prepare_to_wait(wait_queue_head_t *q, wait_queue_t *wait, long state);
/* On and off a queue without touching the task's state (poll waits on several). */
void add_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
void remove_wait_queue(wait_queue_head_t *q, wait_queue_t *wait);
void finish_wait(wait_queue_head_t *q, wait_queue_t *wait);
void wake_up(wait_queue_head_t *q);

/* Sleep in state until condition holds (0) or stop does (-EINTR). */
#define __wait_event_until(wq, condition, state, stop)                  \
	({                                                              \
		int __ret = 0;                                          \
		DEFINE_WAIT(__wait);                                    \
		for (;;) {                                              \
			prepare_to_wait(&(wq), &__wait, state);         \
			if (condition)                                  \
				break;                                  \
			if (stop) {                                     \
				__ret = -EINTR;                         \
				break;                                  \
			}                                               \
			schedule();                                     \
		}                                                       \
		finish_wait(&(wq), &__wait);                            \
		__ret;                                                  \
	})

/* Until condition holds, whatever arrives meanwhile. */
#define wait_event(wq, condition)                                       \
	((void)__wait_event_until(wq, condition, TASK_UNINTERRUPTIBLE, false))

/* 0 once condition holds, -EINTR if a signal arrived first */
#define wait_event_interruptible(wq, condition)                         \
	__wait_event_until(wq, condition, TASK_INTERRUPTIBLE, signal_pending(current))

/*
 * 0 once condition holds, -EINTR if SIGKILL arrived first; other signals
 * stay pending (a sleep that must not end early, but must not outlive a
 * kill either: the process would never free its memory).
 */
#define wait_event_killable(wq, condition)                              \
	__wait_event_until(wq, condition, TASK_KILLABLE, fatal_signal_pending(current))

#endif
