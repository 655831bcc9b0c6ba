/*
 * Tests of lockdep (kernel/lockdep.c): each wrong use of locks -- out of
 * mm/rmap.c's order, a cycle, an interrupt lock taken with interrupts on,
 * sleeping with a spinlock, a lock taken twice -- is reported; the right
 * uses are not.  A lockdep_capture counts the reports, so this boot's log
 * stays free of the "lockdep: " lines that fail a test run.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/spinlock.h>
#include <anvil/rwsem.h>
#include <anvil/sched.h>
#include <anvil/irq.h>
#include <anvil/kallsyms.h>

/* Take outer, then inner, with interrupts off (the classes' interrupt use stays as it was). */
static __noinline void nest(spinlock_t *outer, spinlock_t *inner)
{
	unsigned long flags;

	spin_lock_irqsave(outer, flags);
	spin_lock(inner);
	spin_unlock(inner);
	spin_unlock_irqrestore(outer, flags);
}

KTEST(lockdep_held_lock_records_its_taker)
{
	spinlock_t lock;
	const struct held_lock *top;
	unsigned long size, offset;
	int depth = current->lockdep.depth;
	const char *taker;

	KT_ASSERT(t, debug_locks);
	spin_lock_init(&lock, "lockdep_test_held");
	spin_lock(&lock);
	top = &current->lockdep.held_locks[current->lockdep.depth - 1];
	taker = kallsyms_lookup(top->trace.entries[0] - 1, &size, &offset);
	spin_unlock(&lock);
	KT_EQ(t, current->lockdep.depth, depth);
	KT_ASSERT(t, top->instance == &lock);
	KT_ASSERT(t, top->trace.nr_entries >= 2);
	KT_STREQ(t, taker, "ktest_fn_lockdep_held_lock_records_its_taker");
}

/* Locks of five classes in mm/rmap.c's order, named as the kernel's own are. */
struct rmap_order_locks {
	spinlock_t i_mmap, ptl, lru, swap, mmlist;
};

static void rmap_order_locks_init(struct rmap_order_locks *l)
{
	spin_lock_init(&l->i_mmap, "mapping->i_mmap_lock");
	spin_lock_init(&l->ptl, "mm->page_table_lock");
	spin_lock_init(&l->lru, "zone->lru_lock");
	spin_lock_init(&l->swap, "swap_lock");
	spin_lock_init(&l->mmlist, "mmlist_lock");
}

KTEST(lockdep_documented_order_is_quiet)
{
	struct lockdep_capture cap;
	struct rmap_order_locks l;

	KT_ASSERT(t, debug_locks);
	rmap_order_locks_init(&l);
	lockdep_capture_start(&cap);
	nest(&l.i_mmap, &l.ptl);
	nest(&l.swap, &l.mmlist);
	nest(&l.i_mmap, &l.mmlist);       /* an ancestor two levels up */
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 0);
}

KTEST(lockdep_out_of_documented_order_reported)
{
	struct lockdep_capture cap;
	struct rmap_order_locks l;

	KT_ASSERT(t, debug_locks);
	rmap_order_locks_init(&l);
	lockdep_capture_start(&cap);
	nest(&l.ptl, &l.i_mmap);          /* inner before outer */
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
	KT_ASSERT(t, strstr(cap.last, "lock order violated"));
	lockdep_capture_start(&cap);
	nest(&l.lru, &l.swap);            /* siblings: never held together */
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
}

KTEST(lockdep_circular_dependency_reported)
{
	struct lockdep_capture cap;
	spinlock_t a, b, c, x, y;

	KT_ASSERT(t, debug_locks);
	spin_lock_init(&a, "lockdep_test_a");
	spin_lock_init(&b, "lockdep_test_b");
	spin_lock_init(&c, "lockdep_test_c");
	spin_lock_init(&x, "lockdep_test_x");
	spin_lock_init(&y, "lockdep_test_y");
	lockdep_capture_start(&cap);
	nest(&x, &y);
	nest(&a, &b);
	nest(&b, &c);
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 0);
	lockdep_capture_start(&cap);
	nest(&y, &x);                     /* x -> y, now y -> x */
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
	KT_ASSERT(t, strstr(cap.last, "circular"));
	lockdep_capture_start(&cap);
	nest(&c, &a);                     /* a -> b -> c, now c -> a: found through b */
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
	KT_ASSERT(t, strstr(cap.last, "circular"));
}

KTEST(lockdep_irq_lock_taken_with_irqs_on_reported)
{
	struct lockdep_capture cap;
	spinlock_t in_irq_first, irqs_on_first;
	unsigned long flags;

	KT_ASSERT(t, debug_locks);
	spin_lock_init(&in_irq_first, "lockdep_test_irq");
	spin_lock_init(&irqs_on_first, "lockdep_test_irq_on");
	lockdep_capture_start(&cap);
	local_irq_save(flags);
	irq_enter();                      /* as do_IRQ runs a handler */
	spin_lock(&in_irq_first);
	spin_unlock(&in_irq_first);
	irq_exit();
	local_irq_restore(flags);
	spin_lock_irqsave(&in_irq_first, flags);   /* right: interrupts off */
	spin_unlock_irqrestore(&in_irq_first, flags);
	KT_EQ(t, cap.reports, 0);
	spin_lock(&in_irq_first);         /* wrong: the handler could find it held */
	spin_unlock(&in_irq_first);
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
	KT_ASSERT(t, strstr(cap.last, "inconsistent lock state"));

	lockdep_capture_start(&cap);
	spin_lock(&irqs_on_first);
	spin_unlock(&irqs_on_first);
	local_irq_save(flags);
	irq_enter();
	spin_lock(&irqs_on_first);        /* the reverse: a handler takes it */
	spin_unlock(&irqs_on_first);
	irq_exit();
	local_irq_restore(flags);
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
}

KTEST(lockdep_sleeping_with_spinlock_reported)
{
	struct lockdep_capture cap;
	spinlock_t lock;

	KT_ASSERT(t, debug_locks);
	spin_lock_init(&lock, "lockdep_test_sleep");
	lockdep_capture_start(&cap);
	__might_sleep(__FILE__, __LINE__);        /* nothing held: quiet */
	KT_EQ(t, cap.reports, 0);
	spin_lock(&lock);
	__might_sleep(__FILE__, __LINE__);        /* what might_sleep() does before it panics */
	spin_unlock(&lock);
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
	KT_ASSERT(t, strstr(cap.last, "sleeping function called from invalid context"));
}

KTEST(lockdep_rwsem_taken_twice_reported)
{
	struct lockdep_capture cap;
	struct rw_semaphore sem;

	KT_ASSERT(t, debug_locks);
	init_rwsem(&sem, "lockdep_test_rwsem");
	lockdep_capture_start(&cap);
	down_read(&sem);
	down_read(&sem);      /* a writer queued between the two would deadlock us */
	up_read(&sem);
	up_read(&sem);
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
	KT_ASSERT(t, strstr(cap.last, "recursive locking"));
}

KTEST(lockdep_unlock_of_a_lock_not_held_reported)
{
	struct lockdep_capture cap;
	int not_a_held_lock;

	KT_ASSERT(t, debug_locks);
	lockdep_capture_start(&cap);
	lock_release(&not_a_held_lock);
	lockdep_capture_stop();
	KT_EQ(t, cap.reports, 1);
	KT_ASSERT(t, strstr(cap.last, "bad unlock balance"));
}
