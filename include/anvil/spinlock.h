/*
 * Spinlocks.  The lock word holds the number of the CPU that holds it,
 * plus one, taken with a locked compare-and-exchange; a CPU that finds it
 * held by another spins.  One that finds it held by itself has deadlocked
 * (the kernel is not preempted: nothing else on this CPU would let it go),
 * which is a BUG, as is sleeping while holding one (schedule() checks
 * preempt_count).  While the big kernel lock (kernel/smp_lock.c) keeps
 * kernel code on one CPU at a time these locks never spin; they are the
 * fine-grained order (the top of mm/rmap.c) that lockdep (anvil/lockdep.h)
 * checks as locks are taken -- each lock's name being its lock class --
 * so that the big lock can be split.  raw_spinlock_t is the bare lock
 * word, checked only when taken with raw_spin_lock_class(); spinlock_t
 * adds the name.
 */
#ifndef ANVIL_SPINLOCK_H
#define ANVIL_SPINLOCK_H

#include <anvil/types.h>
#include <anvil/bug.h>
#include <anvil/lockdep.h>
#include <asm/processor.h>
#include <anvil/thread_info.h>
#include <asm/bitops.h>           /* LOCK_PREFIX */

/* Locks held plus explicit preempt_disable()s: non-zero means "may not sleep". */
#define preempt_count (current_thread_info()->preempt_count)

static inline void preempt_disable(void)
{
	preempt_count++;
	barrier();
}

static inline void preempt_enable(void)
{
	barrier();
	BUG_ON(preempt_count <= 0);
	preempt_count--;
}

static inline bool in_atomic(void)
{
	return preempt_count != 0;
}

/*
 * The lock word alone, for objects so numerous that a name pointer per
 * lock would be a visible cost (struct anon_vma: 12 bytes, not 16).  A
 * deadlock on one is reported by address; the backtrace names the taker.
 */
typedef struct raw_spinlock {
	volatile unsigned int locked;
} raw_spinlock_t;

void raw_spin_lock_deadlock(raw_spinlock_t *lock) __noreturn;

static inline void raw_spin_lock_init(raw_spinlock_t *lock)
{
	lock->locked = 0;
}

/* The lock word's value while this CPU holds the lock. */
static inline unsigned int spin_owner_word(void)
{
	return current_thread_info()->cpu + 1;
}

/* Take the lock if it is free; the old lock word either way (0: taken). */
static inline unsigned int raw_spin_trylock_word(raw_spinlock_t *lock, unsigned int word)
{
	unsigned int old = 0;

	__asm__ __volatile__(LOCK_PREFIX "cmpxchgl %2, %1"
			     : "+a"(old), "+m"(lock->locked) : "r"(word) : "memory");
	return old;
}

static inline void raw_spin_lock(raw_spinlock_t *lock)
{
	unsigned int me = spin_owner_word(), held;

	preempt_disable();
	while ((held = raw_spin_trylock_word(lock, me)) != 0) {
		if (held == me)
			raw_spin_lock_deadlock(lock);
		cpu_relax();
	}
}

static inline void raw_spin_unlock(raw_spinlock_t *lock)
{
	barrier();
	BUG_ON(!lock->locked);
	lock->locked = 0;
	preempt_enable();
}

/*
 * A raw lock taken as a member of the lock class called name, so that
 * lockdep checks it (the anonymous rmap objects' locks, in their wrappers).
 */
static inline void raw_spin_lock_class(raw_spinlock_t *lock, const char *name)
{
	if (debug_locks)
		lock_acquire(lock, name, false);
	raw_spin_lock(lock);
}

static inline void raw_spin_unlock_class(raw_spinlock_t *lock)
{
	if (debug_locks)
		lock_release(lock);
	raw_spin_unlock(lock);
}

typedef struct spinlock {
	raw_spinlock_t raw;
	const char *name;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(lockname) { { 0 }, #lockname }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)

static inline void spin_lock_init(spinlock_t *lock, const char *name)
{
	raw_spin_lock_init(&lock->raw);
	lock->name = name;
}

void spin_lock_deadlock(spinlock_t *lock) __noreturn;

static inline void spin_lock(spinlock_t *lock)
{
	if (unlikely(lock->raw.locked == spin_owner_word()))
		spin_lock_deadlock(lock);          /* by name, before the raw lock would */
	if (debug_locks)
		lock_acquire(lock, lock->name, false);
	raw_spin_lock(&lock->raw);
}

static inline void spin_unlock(spinlock_t *lock)
{
	if (debug_locks)
		lock_release(lock);
	raw_spin_unlock(&lock->raw);
}

static inline bool spin_is_locked(const spinlock_t *lock)
{
	return lock->raw.locked;
}

#define spin_lock_irqsave(lock, flags)          \
	do {                                    \
		local_irq_save(flags);          \
		spin_lock(lock);                \
	} while (0)

#define spin_unlock_irqrestore(lock, flags)     \
	do {                                    \
		spin_unlock(lock);              \
		local_irq_restore(flags);       \
	} while (0)

static inline void spin_lock_irq(spinlock_t *lock)
{
	local_irq_disable();
	spin_lock(lock);
}

static inline void spin_unlock_irq(spinlock_t *lock)
{
	spin_unlock(lock);
	local_irq_enable();
}

#endif
