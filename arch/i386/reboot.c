/*
 * Power-off and halt on the QEMU PC.  Power-off first tries the test
 * runner's isa-debug-exit device, then the PIIX4 ACPI PM1a control
 * register that QEMU's "pc" machine places at 0x604 (SLP_EN, sleep type
 * 0 = S5), and halts if neither took.
 */
#include <anvil/kernel.h>
#include <anvil/reboot.h>
#include <asm/io.h>

#define ACPI_PM1A_CNT_PORT 0x604
#define ACPI_SLP_EN_S5 0x2000
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

void machine_power_off(void)
{
	qemu_debug_exit(QEMU_EXIT_POWEROFF);
	outw(ACPI_PM1A_CNT_PORT, ACPI_SLP_EN_S5);
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
