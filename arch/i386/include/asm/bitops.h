/*
 * Bit operations on words in memory.  Each is one x86 instruction on a
 * memory operand with the lock prefix, so neither an interrupt nor
 * another CPU can split it (an I/O completion handler may clear
 * PG_writeback while process context sets PG_referenced; two CPUs set
 * their bits in one mm's cpu_vm_mask).
 */
#ifndef ASM_BITOPS_H
#define ASM_BITOPS_H

#include <anvil/types.h>

#define LOCK_PREFIX "lock; "

static inline void set_bit(int nr, volatile unsigned long *addr)
{
	__asm__ __volatile__(LOCK_PREFIX "btsl %1, %0" : "+m"(*addr) : "Ir"(nr) : "memory");
}

static inline void clear_bit(int nr, volatile unsigned long *addr)
{
	__asm__ __volatile__(LOCK_PREFIX "btrl %1, %0" : "+m"(*addr) : "Ir"(nr) : "memory");
}

static inline bool test_bit(int nr, const volatile unsigned long *addr)
{
	return (*addr >> nr) & 1;
}

static inline bool test_and_set_bit(int nr, volatile unsigned long *addr)
{
	u8 old;

	__asm__ __volatile__(LOCK_PREFIX "btsl %2, %1; setc %0"
			     : "=qm"(old), "+m"(*addr) : "Ir"(nr) : "memory");
	return old;
}

static inline bool test_and_clear_bit(int nr, volatile unsigned long *addr)
{
	u8 old;

	__asm__ __volatile__(LOCK_PREFIX "btrl %2, %1; setc %0"
			     : "=qm"(old), "+m"(*addr) : "Ir"(nr) : "memory");
	return old;
}

#endif
