/*
 * Bit operations on words in memory.  Each is one x86 instruction on a
 * memory operand, so an interrupt can never split it: on a uniprocessor
 * that is all the atomicity page->flags needs (an I/O completion handler
 * may clear PG_writeback while process context sets PG_referenced).
 */
#ifndef ASM_BITOPS_H
#define ASM_BITOPS_H

#include <anvil/types.h>

static inline void set_bit(int nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("btsl %1, %0" : "+m"(*addr) : "Ir"(nr) : "memory");
}

static inline void clear_bit(int nr, volatile unsigned long *addr)
{
	__asm__ __volatile__("btrl %1, %0" : "+m"(*addr) : "Ir"(nr) : "memory");
}

static inline bool test_bit(int nr, const volatile unsigned long *addr)
{
	return (*addr >> nr) & 1;
}

static inline bool test_and_set_bit(int nr, volatile unsigned long *addr)
{
	u8 old;

	__asm__ __volatile__("btsl %2, %1; setc %0"
			     : "=qm"(old), "+m"(*addr) : "Ir"(nr) : "memory");
	return old;
}

static inline bool test_and_clear_bit(int nr, volatile unsigned long *addr)
{
	u8 old;

	__asm__ __volatile__("btrl %2, %1; setc %0"
			     : "=qm"(old), "+m"(*addr) : "Ir"(nr) : "memory");
	return old;
}

#endif
