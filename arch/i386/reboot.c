/*
 * Power-off and halt on the QEMU PC.  Power-off first tries the test
 * runner's isa-debug-exit device, then ACPI soft-off through the PIIX4
 * power-management function (PCI 00:01.3): its I/O block is placed at
 * PIIX4_PM_BASE and enabled, and SLP_EN with sleep type 0 (S5, in QEMU's
 * tables) is written to PM1a_CNT.  If neither takes, the CPU halts.
 */
#include <anvil/kernel.h>
#include <anvil/reboot.h>
#include <anvil/pci.h>
#include <anvil/time.h>
#include <asm/io.h>

#define PIIX4_PM_DEV 1
#define PIIX4_PM_FN 3
#define PIIX4_PM_ID PCI_ID(PCI_VENDOR_INTEL, 0x7113)
#define PIIX4_PMBA 0x40              /* config register: PM I/O base */
#define PIIX4_PMREGMISC 0x80         /* config register: bit 0 enables the PM I/O space */
#define PIIX4_PM_BASE 0x600          /* where firmware (SeaBIOS) puts it too */
#define PIIX4_PM_IO_SPACE 0x1
#define ACPI_PM1A_CNT (PIIX4_PM_BASE + 4)
#define ACPI_SLP_EN_S5 0x2000
#define POWEROFF_WAIT_MS 500
#define KBD_CONTROLLER_CMD 0x64
#define KBD_CMD_PULSE_RESET 0xfe

void qemu_debug_exit(int code)
{
	outb(QEMU_DEBUG_EXIT_PORT, code);
}

void machine_halt(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

static void acpi_soft_off(void)
{
	u32 misc;

	if (pci_read_config32(0, PIIX4_PM_DEV, PIIX4_PM_FN, 0) != PIIX4_PM_ID)
		return;
	pci_write_config32(0, PIIX4_PM_DEV, PIIX4_PM_FN, PIIX4_PMBA,
			   PIIX4_PM_BASE | PIIX4_PM_IO_SPACE);
	misc = pci_read_config32(0, PIIX4_PM_DEV, PIIX4_PM_FN, PIIX4_PMREGMISC);
	pci_write_config32(0, PIIX4_PM_DEV, PIIX4_PM_FN, PIIX4_PMREGMISC, misc | 1);
	outw(ACPI_PM1A_CNT, ACPI_SLP_EN_S5);
}

void machine_power_off(void)
{
	qemu_debug_exit(QEMU_EXIT_POWEROFF);
	acpi_soft_off();
	/* the machine may take a moment to act on the request */
	for (u64 end = rdtsc() + (u64)tsc_khz * POWEROFF_WAIT_MS; rdtsc() < end;)
		cpu_relax();
	printk(KERN_EMERG "power-off failed: system halted\n");
	machine_halt();
}

/* Reset through the keyboard controller's CPU reset line (QEMU -no-reboot then exits). */
void machine_restart(void)
{
	local_irq_disable();
	outb(KBD_CONTROLLER_CMD, KBD_CMD_PULSE_RESET);
	machine_halt();
}
