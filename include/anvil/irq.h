/*
 * Hardware interrupts: the 16 legacy IRQ lines of the two 8259 PICs,
 * remapped to vectors 0x20-0x2f.  A driver attaches a handler with
 * request_irq(); do_IRQ() (called from the trap path) runs it and sends
 * the end-of-interrupt.
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

void init_IRQ(void);
int request_irq(int irq, irq_handler_t handler, const char *name, void *data);
struct pt_regs;
extern struct pt_regs *irq_regs;
void do_IRQ(int irq, struct pt_regs *regs);
unsigned long irq_count(int irq);
const char *irq_name(int irq);

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
