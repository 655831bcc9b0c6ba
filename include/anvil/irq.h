/*
 * Hardware interrupts: the 16 legacy ISA IRQ lines on vectors 0x20-0x2f,
 * through the two 8259 PICs or the I/O APIC (the line's chip, Linux's
 * hw_interrupt_type).  A driver attaches a handler with request_irq();
 * do_IRQ() (called from the trap path) runs it and acknowledges the
 * chip.
 */
#ifndef ANVIL_IRQ_H
#define ANVIL_IRQ_H

#include <anvil/types.h>

#define NR_IRQS 16
#define IRQ_VECTOR_BASE 0x20
#define IRQ_TIMER 0
#define IRQ_KEYBOARD 1
#define IRQ_CASCADE 2
#define IRQ_COM2 3
#define IRQ_COM1 4
#define IRQ_RTC 8
#define IRQ_ATA_PRIMARY 14
#define IRQ_ATA_SECONDARY 15

typedef void (*irq_handler_t)(int irq, void *data);

/* An interrupt controller as one line sees it ("XT-PIC", "IO-APIC-edge"...). */
struct hw_interrupt_type {
	const char *typename;
	void (*enable)(unsigned int irq);       /* unmask: request_irq() */
	void (*ack)(unsigned int irq);          /* before the handler, or NULL */
	void (*end)(unsigned int irq);          /* after it (level-triggered), or NULL */
};
/* Move irq to chip (NULL: not wired), unmasking it there if it has a handler. */
void set_irq_chip(unsigned int irq, struct hw_interrupt_type *chip);
/* Mask every 8259 line: the I/O APIC takes over (arch/i386/io_apic.c). */
void disable_8259A(void);

void init_IRQ(void);
int request_irq(int irq, irq_handler_t handler, const char *name, void *data);
struct pt_regs;
extern struct pt_regs *irq_regs;
void do_IRQ(int irq, struct pt_regs *regs);
unsigned long irq_count(int irq);
const char *irq_name(int irq);
/* /proc/interrupts */
size_t interrupts_format(char *buf, size_t size);

/*
 * Interrupt handlers in progress (Linux keeps the count in preempt_count's
 * HARDIRQ bits): do_IRQ brackets each handler with irq_enter()/irq_exit(),
 * and lockdep tells a lock taken by a handler by in_irq().
 */
extern int hardirq_count;

static inline void irq_enter(void)
{
	hardirq_count++;
}

static inline void irq_exit(void)
{
	hardirq_count--;
}

static inline bool in_irq(void)
{
	return hardirq_count != 0;
}

#endif
