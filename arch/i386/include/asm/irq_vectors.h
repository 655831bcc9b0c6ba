/*
 * The IDT vectors of the local APIC's own interrupts, with Linux
 * 2.6.11's names and values: the highest vectors, so that the APIC's
 * priority classes (vector >> 4) put them above every device IRQ
 * (IRQ_VECTOR_BASE + irq, anvil/irq.h).
 */
#ifndef ASM_IRQ_VECTORS_H
#define ASM_IRQ_VECTORS_H

#define SPURIOUS_APIC_VECTOR 0xff
#define ERROR_APIC_VECTOR 0xfe
#define INVALIDATE_TLB_VECTOR 0xfd
#define RESCHEDULE_VECTOR 0xfc
#define CALL_FUNCTION_VECTOR 0xfb
#define LOCAL_TIMER_VECTOR 0xef

/* entry.asm has one stub per vector from here to 0xff */
#define FIRST_SYSTEM_VECTOR LOCAL_TIMER_VECTOR
#define NR_SYSTEM_VECTORS (SPURIOUS_APIC_VECTOR - FIRST_SYSTEM_VECTOR + 1)

#endif
