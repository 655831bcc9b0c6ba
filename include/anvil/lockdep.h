/*
 * lockdep, the lock checker (kernel/lockdep.c): every lock belongs to a
 * lock class (named by its lock's name), each task keeps the stack of
 * locks it holds with where it took them, and each acquisition is checked
 * against the order documented at the top of mm/rmap.c, the order learned
 * so far, the interrupt state, and sleeping.  Linux 2.6.18's lockdep, small.
 */
#ifndef ANVIL_LOCKDEP_H
#define ANVIL_LOCKDEP_H

#include <anvil/types.h>

#define MAX_LOCK_DEPTH 10          /* locks one task holds at once */
#define LOCKDEP_TRACE_DEPTH 5      /* return addresses kept per acquisition */

struct stack_trace {
	unsigned int nr_entries;
	unsigned long entries[LOCKDEP_TRACE_DEPTH];
};

struct held_lock {
	const void *instance;      /* the lock itself */
	unsigned short class_idx;
	bool hardirq_context;      /* taken in an interrupt handler */
	struct stack_trace trace;  /* where it was taken */
};

/* The part of struct task_struct that is lockdep's. */
struct lockdep_task {
	int depth;                 /* entries of held_locks in use */
	int recursion;             /* inside lockdep: its own printk's locks are not checked */
	struct held_lock held_locks[MAX_LOCK_DEPTH];
};

/* Is the checker on?  Cleared by the `nolockdep` flag, and when it runs out of room. */
extern bool debug_locks;

void lock_acquire(const void *lock, const char *name, bool sleeping);
void lock_release(const void *lock);
/* A task starts holding nothing (fork copies the parent's task_struct). */
void lockdep_init_task(struct lockdep_task *t);
/* schedule() and might_sleep(): if atomic, report it with the locks held and where. */
void __might_sleep(const char *file, int line);

/* What the lockdep ktests catch: the reports made while one is set are counted, not failures. */
struct lockdep_capture {
	int reports;
	const char *last;          /* the last report's title */
};
void lockdep_capture_start(struct lockdep_capture *c);
void lockdep_capture_stop(void);

#endif
