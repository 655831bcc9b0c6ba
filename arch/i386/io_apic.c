/*
 * The I/O APIC (Linux 2.6.11's arch/i386/kernel/io_apic.c, the ISA part):
 * each ISA IRQ's redirection entry -- the input the MADT's overrides
 * give it (QEMU wires IRQ 0, the PIT, to input 2), its polarity and
 * trigger mode -- delivers a fixed vector, IRQ_VECTOR_BASE + irq, to the
 * boot CPU's local APIC, so do_IRQ's numbering stays the 8259's.  A line
 * stays masked until request_irq(); the end of interrupt goes to the
 * local APIC.
 */
#include <anvil/kernel.h>
#include <anvil/irq.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io.h>

#define IO_APIC_MMIO_SIZE 0x20
#define IO_APIC_REGSEL 0                /* u32 index of the register select */
#define IO_APIC_WINDOW 4                /* ... and of the data window (offset 0x10) */
#define IO_APIC_VERSION 0x01
#define GET_IO_APIC_MAX_REDIR(x) (((x) >> 16) & 0xff)
#define IO_APIC_REDIR_TABLE 0x10        /* two registers per input: low, high */
#define IO_APIC_REDIR_POLARITY_LOW (1u << 13)
#define IO_APIC_REDIR_LEVEL (1u << 15)
#define IO_APIC_REDIR_MASKED (1u << 16)
#define IO_APIC_DEST_SHIFT 24           /* of the high word: physical APIC id */
#define NO_PIN (-1)

static volatile u32 *io_apic_base;
static int irq_to_pin[NR_IRQS];

static u32 io_apic_read(u32 reg)
{
	io_apic_base[IO_APIC_REGSEL] = reg;
	return io_apic_base[IO_APIC_WINDOW];
}

static void io_apic_write(u32 reg, u32 v)
{
	io_apic_base[IO_APIC_REGSEL] = reg;
	io_apic_base[IO_APIC_WINDOW] = v;
}

static u32 redir_low(int pin)
{
	return IO_APIC_REDIR_TABLE + 2 * (u32)pin;
}

static void io_apic_unmask_irq(unsigned int irq)
{
	u32 reg = redir_low(irq_to_pin[irq]);

	io_apic_write(reg, io_apic_read(reg) & ~IO_APIC_REDIR_MASKED);
}

static void ack_io_apic_irq(unsigned int irq)
{
	ack_APIC_irq();
}

/* edge: acknowledged before the handler runs (with interrupts off, so nothing nests) */
static struct hw_interrupt_type ioapic_edge_type = {
	.typename = "IO-APIC-edge",
	.enable = io_apic_unmask_irq,
	.ack = ack_io_apic_irq,
};

/* level: acknowledged after, once the handler has quieted the device, or it fires again */
static struct hw_interrupt_type ioapic_level_type = {
	.typename = "IO-APIC-level",
	.enable = io_apic_unmask_irq,
	.end = ack_io_apic_irq,
};

/*
 * The input each ISA IRQ arrives on: its own number unless an override
 * moves it; an input another IRQ's override claims (QEMU's IRQ 2, the
 * cascade, loses input 2 to IRQ 0) leaves the shadowed IRQ unwired.
 */
static int isa_irq_pin(int irq, unsigned int nr_pins)
{
	u32 gsi = acpi_madt.isa_irq[irq].gsi;

	for (int other = 0; other < NR_IRQS; other++)
		if (other != irq && acpi_madt.isa_irq[other].gsi == gsi &&
		    acpi_madt.isa_irq[other].gsi != (u32)other)
			return NO_PIN;
	gsi -= acpi_madt.ioapic_gsi_base;
	return gsi < nr_pins ? (int)gsi : NO_PIN;
}

/* The entry for irq, masked: ISA's edge/active-high unless the override says otherwise. */
static u32 isa_irq_entry(int irq)
{
	u16 flags = acpi_madt.isa_irq[irq].flags;
	u32 low = (u32)(IRQ_VECTOR_BASE + irq) | APIC_DM_FIXED | IO_APIC_REDIR_MASKED;

	if ((flags & ACPI_MADT_POLARITY_MASK) == ACPI_MADT_POLARITY_ACTIVE_LOW)
		low |= IO_APIC_REDIR_POLARITY_LOW;
	if ((flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL)
		low |= IO_APIC_REDIR_LEVEL;
	return low;
}

/* Called by APIC_init_uniprocessor() with interrupts off: the ISA lines move to the I/O APIC. */
void setup_IO_APIC(void)
{
	unsigned int nr_pins, boot_apicid = hard_smp_processor_id();

	io_apic_base = ioremap_nocache(acpi_madt.ioapic_addr, IO_APIC_MMIO_SIZE);
	if (!io_apic_base) {
		io_apic_enabled = false;
		return;
	}
	nr_pins = GET_IO_APIC_MAX_REDIR(io_apic_read(IO_APIC_VERSION)) + 1;
	for (unsigned int pin = 0; pin < nr_pins; pin++) {
		io_apic_write(redir_low((int)pin) + 1, 0);
		io_apic_write(redir_low((int)pin), IO_APIC_REDIR_MASKED);
	}
	disable_8259A();
	for (int irq = 0; irq < NR_IRQS; irq++) {
		u32 low = isa_irq_entry(irq);

		irq_to_pin[irq] = isa_irq_pin(irq, nr_pins);
		if (irq_to_pin[irq] == NO_PIN) {
			set_irq_chip((unsigned int)irq, NULL);
			continue;
		}
		io_apic_write(redir_low(irq_to_pin[irq]) + 1, boot_apicid << IO_APIC_DEST_SHIFT);
		io_apic_write(redir_low(irq_to_pin[irq]), low);
		set_irq_chip((unsigned int)irq,
			     low & IO_APIC_REDIR_LEVEL ? &ioapic_level_type : &ioapic_edge_type);
	}
	printk(KERN_INFO "IO-APIC: id %u, %u inputs; ISA IRQs to APIC id %u (IRQ 0 on input %d)\n",
	       acpi_madt.ioapic_id, nr_pins, boot_apicid, irq_to_pin[IRQ_TIMER]);
}
