/*
 * What anvil reads from ACPI: the MADT ("APIC" table), which lists the
 * processors' local APIC ids, the I/O APIC and the ISA interrupt source
 * overrides (arch/i386/acpi.c).  acpi_boot_init() fills acpi_madt, or
 * leaves the one-CPU, 8259-only fallback when the tables are missing or
 * corrupt.
 */
#ifndef ASM_ACPI_H
#define ASM_ACPI_H

#include <anvil/types.h>
#include <anvil/smp.h>
#include <anvil/irq.h>

/* an override's flags (MPS INTI flags): polarity in bits 0-1, trigger mode in bits 2-3 */
#define ACPI_MADT_POLARITY_MASK 0x3
#define ACPI_MADT_POLARITY_ACTIVE_LOW 0x3
#define ACPI_MADT_TRIGGER_MASK 0xc
#define ACPI_MADT_TRIGGER_LEVEL 0xc

struct acpi_isa_irq {
	u32 gsi;        /* the I/O APIC input (global system interrupt) the ISA IRQ arrives on */
	u16 flags;      /* 0: ISA's default, edge-triggered and active high */
};

struct acpi_madt_info {
	unsigned long lapic_addr;
	unsigned int nr_cpus;
	u8 apicid[NR_CPUS];             /* enabled processors, in table order */
	bool have_ioapic;
	u8 ioapic_id;
	unsigned long ioapic_addr;
	u32 ioapic_gsi_base;
	struct acpi_isa_irq isa_irq[NR_IRQS];
};

extern struct acpi_madt_info acpi_madt;
/* Did acpi_boot_init() find a valid MADT (else: one CPU and the 8259)? */
extern bool acpi_lapic;

void acpi_boot_init(void);
/* Parse an MADT of len bytes into *info: 0, or -EINVAL with a printk saying what is wrong. */
int acpi_parse_madt(const void *madt, u32 len, struct acpi_madt_info *info);
/* Parse and use it (acpi_madt, nr_cpu_ids, cpu_to_apicid), or fall back to one CPU and the PIC. */
int acpi_table_parse_madt(const void *madt, u32 len);

#endif
