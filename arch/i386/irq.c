/*
 * The two cascaded 8259A interrupt controllers and IRQ dispatch.  The
 * PICs are remapped so IRQ 0-15 arrive on vectors 0x20-0x2f (the CPU
 * exceptions own 0-0x1f).  Lines stay masked until a driver asks for
 * them with request_irq().  Spurious IRQ 7 and 15 (a line that dropped
 * before the CPU acknowledged it) are recognised and ignored.
 */
#include <anvil/kernel.h>
#include <anvil/irq.h>
#include <asm/io.h>

#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD 0xa0
#define PIC_SLAVE_DATA 0xa1
#define PIC_ICW1_INIT_ICW4 0x11
#define PIC_ICW4_8086 0x01
#define PIC_CASCADE_MASTER 0x04   /* slave on IR2 */
#define PIC_CASCADE_SLAVE 0x02    /* slave identity */
#define PIC_EOI 0x20
#define PIC_READ_ISR 0x0b
#define PIC_SPURIOUS_LINE 7

struct irq_desc {
	irq_handler_t handler;
	void *data;
	const char *name;
	unsigned long count;
};

static struct irq_desc irq_desc[NR_IRQS];
static u16 irq_mask = 0xffff & ~(1 << IRQ_CASCADE);
static unsigned long spurious_count;

static void pic_write_mask(void)
{
	outb(PIC_MASTER_DATA, irq_mask & 0xff);
	outb(PIC_SLAVE_DATA, irq_mask >> 8);
}

void init_IRQ(void)
{
	outb(PIC_MASTER_CMD, PIC_ICW1_INIT_ICW4);
	io_delay();
	outb(PIC_SLAVE_CMD, PIC_ICW1_INIT_ICW4);
	io_delay();
	outb(PIC_MASTER_DATA, IRQ_VECTOR_BASE);
	io_delay();
	outb(PIC_SLAVE_DATA, IRQ_VECTOR_BASE + 8);
	io_delay();
	outb(PIC_MASTER_DATA, PIC_CASCADE_MASTER);
	io_delay();
	outb(PIC_SLAVE_DATA, PIC_CASCADE_SLAVE);
	io_delay();
	outb(PIC_MASTER_DATA, PIC_ICW4_8086);
	io_delay();
	outb(PIC_SLAVE_DATA, PIC_ICW4_8086);
	io_delay();
	pic_write_mask();
}

int request_irq(int irq, irq_handler_t handler, const char *name, void *data)
{
	unsigned long flags;

	if (irq < 0 || irq >= NR_IRQS || irq == IRQ_CASCADE)
		return -1;
	local_irq_save(flags);
	BUG_ON(irq_desc[irq].handler);   /* no shared lines: drivers multiplex themselves */
	irq_desc[irq].handler = handler;
	irq_desc[irq].data = data;
	irq_desc[irq].name = name;
	irq_mask &= ~(1 << irq);
	pic_write_mask();
	local_irq_restore(flags);
	return 0;
}

static bool irq_in_service(int irq)
{
	u16 port = irq < 8 ? PIC_MASTER_CMD : PIC_SLAVE_CMD;

	outb(port, PIC_READ_ISR);
	return inb(port) & (1 << (irq & 7));
}

static void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC_SLAVE_CMD, PIC_EOI);
	outb(PIC_MASTER_CMD, PIC_EOI);
}

/* The registers the current interrupt arrived with (for the timer's accounting). */
struct pt_regs *irq_regs;
int hardirq_count;

void do_IRQ(int irq, struct pt_regs *regs)
{
	struct irq_desc *desc = &irq_desc[irq];

	if ((irq & 7) == PIC_SPURIOUS_LINE && !irq_in_service(irq)) {
		spurious_count++;
		if (irq >= 8)             /* the master did see the cascade line */
			outb(PIC_MASTER_CMD, PIC_EOI);
		return;
	}
	desc->count++;
	/* handlers run with interrupts off, so acknowledging first cannot nest */
	pic_eoi(irq);
	irq_regs = regs;
	irq_enter();
	if (desc->handler)
		desc->handler(irq, desc->data);
	irq_exit();
	irq_regs = NULL;
}

unsigned long irq_count(int irq)
{
	return irq >= 0 && irq < NR_IRQS ? irq_desc[irq].count : 0;
}

const char *irq_name(int irq)
{
	return irq >= 0 && irq < NR_IRQS ? irq_desc[irq].name : NULL;
}
