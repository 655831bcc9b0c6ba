/*
 * atomic_t counters (page->_count, page->_mapcount, reference counts)
 * and atomic bit operations (cpumask_t, the lock words).  Each is one
 * read-modify-write instruction with the lock prefix, so it is atomic
 * against interrupts and against the other CPUs alike.
 */
#ifndef ANVIL_ATOMIC_H
#define ANVIL_ATOMIC_H

#include <anvil/types.h>
#include <asm/bitops.h>           /* LOCK_PREFIX */

#define ATOMIC_INIT(i) { (i) }

static inline int atomic_read(const atomic_t *v)
{
	return v->counter;
}

static inline void atomic_set(atomic_t *v, int i)
{
	v->counter = i;
}

static inline void atomic_inc(atomic_t *v)
{
	__asm__ __volatile__(LOCK_PREFIX "incl %0" : "+m"(v->counter));
}

static inline void atomic_dec(atomic_t *v)
{
	__asm__ __volatile__(LOCK_PREFIX "decl %0" : "+m"(v->counter));
}

static inline void atomic_add(int i, atomic_t *v)
{
	__asm__ __volatile__(LOCK_PREFIX "addl %1, %0" : "+m"(v->counter) : "ir"(i));
}

/* True when the decrement reached zero. */
static inline bool atomic_dec_and_test(atomic_t *v)
{
	u8 z;

	__asm__ __volatile__(LOCK_PREFIX "decl %0; sete %1"
			     : "+m"(v->counter), "=qm"(z) : : "memory");
	return z;
}

/* True when the increment reached zero (used with _mapcount starting at -1). */
static inline bool atomic_inc_and_test(atomic_t *v)
{
	u8 z;

	__asm__ __volatile__(LOCK_PREFIX "incl %0; sete %1"
			     : "+m"(v->counter), "=qm"(z) : : "memory");
	return z;
}

/* Take a reference unless the count already reached zero (an mm being torn down). */
static inline bool atomic_inc_not_zero(atomic_t *v)
{
	int old = atomic_read(v);

	while (old) {
		int seen;

		__asm__ __volatile__(LOCK_PREFIX "cmpxchgl %2, %1"
				     : "=a"(seen), "+m"(v->counter)
				     : "r"(old + 1), "0"(old) : "memory");
		if (seen == old)
			return true;
		old = seen;
	}
	return false;
}

/* True when the result is negative (_mapcount dropping back to -1). */
static inline bool atomic_add_negative(int i, atomic_t *v)
{
	u8 s;

	__asm__ __volatile__(LOCK_PREFIX "addl %2, %0; sets %1"
			     : "+m"(v->counter), "=qm"(s) : "ir"(i) : "memory");
	return s;
}

/* The old value of *p, x stored in its place (xchg is always locked). */
static inline unsigned long xchg(volatile unsigned long *p, unsigned long x)
{
	__asm__ __volatile__("xchgl %0, %1" : "+r"(x), "+m"(*p) : : "memory");
	return x;
}

#endif
