/*
 * IRQ dispatch and the two cascaded 8259A interrupt controllers.  The
 * PICs are remapped so IRQ 0-15 arrive on vectors 0x20-0x2f (the CPU
 * exceptions own 0-0x1f); when the I/O APIC takes the lines over
 * (arch/i386/io_apic.c) it keeps those vectors and the PICs are masked.
 * Lines stay masked until a driver asks for them with request_irq().
 * Spurious IRQ 7 and 15 of the PIC (a line that dropped before the CPU
 * acknowledged it) are recognised and ignored.  /proc/interrupts.
 */
#include <anvil/kernel.h>
#include <anvil/irq.h>
#include <anvil/smp.h>
#include <asm/apic.h>
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
	struct hw_interrupt_type *chip;
	unsigned long count[NR_CPUS];
};

static struct hw_interrupt_type i8259A_irq_type;
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
	for (int irq = 0; irq < NR_IRQS; irq++)
		irq_desc[irq].chip = &i8259A_irq_type;
}

void disable_8259A(void)
{
	irq_mask = 0xffff;
	pic_write_mask();
}

static void enable_8259A_irq(unsigned int irq)
{
	irq_mask &= ~(1 << irq);
	pic_write_mask();
}

void set_irq_chip(unsigned int irq, struct hw_interrupt_type *chip)
{
	irq_desc[irq].chip = chip;
	if (chip && irq_desc[irq].handler)
		chip->enable(irq);
}

int request_irq(int irq, irq_handler_t handler, const char *name, void *data)
{
	unsigned long flags;

	if (irq < 0 || irq >= NR_IRQS || irq == IRQ_CASCADE || !irq_desc[irq].chip)
		return -1;
	local_irq_save(flags);
	BUG_ON(irq_desc[irq].handler);   /* no shared lines: drivers multiplex themselves */
	irq_desc[irq].handler = handler;
	irq_desc[irq].data = data;
	irq_desc[irq].name = name;
	irq_desc[irq].chip->enable((unsigned int)irq);
	local_irq_restore(flags);
	return 0;
}

static bool irq_in_service(int irq)
{
	u16 port = irq < 8 ? PIC_MASTER_CMD : PIC_SLAVE_CMD;

	outb(port, PIC_READ_ISR);
	return inb(port) & (1 << (irq & 7));
}

static void pic_eoi(unsigned int irq)
{
	if (irq >= 8)
		outb(PIC_SLAVE_CMD, PIC_EOI);
	outb(PIC_MASTER_CMD, PIC_EOI);
}

/* handlers run with interrupts off, so acknowledging first cannot nest */
static struct hw_interrupt_type i8259A_irq_type = {
	.typename = "XT-PIC",
	.enable = enable_8259A_irq,
	.ack = pic_eoi,
};

/* The registers the current interrupt arrived with (for the timer's accounting). */
struct pt_regs *irq_regs;
int hardirq_count;

void do_IRQ(int irq, struct pt_regs *regs)
{
	struct irq_desc *desc = &irq_desc[irq];
	struct hw_interrupt_type *chip = desc->chip;

	if (chip == &i8259A_irq_type && (irq & 7) == PIC_SPURIOUS_LINE && !irq_in_service(irq)) {
		spurious_count++;
		if (irq >= 8)             /* the master did see the cascade line */
			outb(PIC_MASTER_CMD, PIC_EOI);
		return;
	}
	desc->count[smp_processor_id()]++;
	if (chip->ack)
		chip->ack((unsigned int)irq);
	irq_regs = regs;
	irq_enter();
	if (desc->handler)
		desc->handler(irq, desc->data);
	irq_exit();
	irq_regs = NULL;
	if (chip->end)
		chip->end((unsigned int)irq);
}

unsigned long irq_count(int irq)
{
	unsigned long sum = 0;

	for (unsigned int cpu = 0; irq >= 0 && irq < NR_IRQS && cpu < NR_CPUS; cpu++)
		sum += irq_desc[irq].count[cpu];
	return sum;
}

const char *irq_name(int irq)
{
	return irq >= 0 && irq < NR_IRQS ? irq_desc[irq].name : NULL;
}

static size_t addf(char *buf, size_t size, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (n >= size)
		return n;
	va_start(ap, fmt);
	n += vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return n;
}

/* One row of the APIC's own counts: field is the offset of the count in struct apic_irq_stat. */
static size_t apic_row(char *buf, size_t size, size_t n, const char *label, size_t field,
		       const char *what)
{
	n = addf(buf, size, n, "%3s:", label);
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		n = addf(buf, size, n, " %10lu",
			 *(const unsigned long *)((const char *)&apic_irq_stat[cpu] + field));
	return addf(buf, size, n, "   %s\n", what);
}

/* /proc/interrupts as Linux prints it: a column per CPU, the chip, the handler. */
size_t interrupts_format(char *buf, size_t size)
{
	size_t n = addf(buf, size, 0, "    ");

	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		n = addf(buf, size, n, "       CPU%u", cpu);
	n = addf(buf, size, n, "\n");
	for (int irq = 0; irq < NR_IRQS; irq++) {
		const struct irq_desc *desc = &irq_desc[irq];

		if (!desc->handler)
			continue;
		n = addf(buf, size, n, "%3d:", irq);
		for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
			n = addf(buf, size, n, " %10lu", desc->count[cpu]);
		n = addf(buf, size, n, " %14s  %s\n", desc->chip->typename, desc->name);
	}
	if (!cpu_has_apic_enabled)
		return n;
	n = apic_row(buf, size, n, "LOC", offsetof(struct apic_irq_stat, apic_timer_irqs),
		     "Local timer interrupts");
	n = apic_row(buf, size, n, "RES", offsetof(struct apic_irq_stat, irq_resched_count),
		     "Rescheduling interrupts");
	n = apic_row(buf, size, n, "TLB", offsetof(struct apic_irq_stat, irq_tlb_count),
		     "TLB shootdowns");
	n = apic_row(buf, size, n, "ERR", offsetof(struct apic_irq_stat, irq_error_count),
		     "APIC errors");
	return apic_row(buf, size, n, "SPU", offsetof(struct apic_irq_stat, irq_spurious_count),
			"Spurious interrupts");
}
