/*
 * Leaving the machine: power off, and the QEMU isa-debug-exit device
 * (port 0xf4) that the test runner attaches.  QEMU exits with status
 * (code << 1) | 1 when a code is written there; without the device the
 * write is ignored.  tools/anvil_qemu.py knows the same codes.
 */
#ifndef ANVIL_REBOOT_H
#define ANVIL_REBOOT_H

#include <anvil/compiler.h>

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define QEMU_EXIT_PASS 0x10     /* all tests passed   -> QEMU status 33 */
#define QEMU_EXIT_FAIL 0x11     /* some test failed   -> QEMU status 35 */
#define QEMU_EXIT_PANIC 0x12    /* kernel panic       -> QEMU status 37 */
#define QEMU_EXIT_POWEROFF 0x13 /* orderly power-off  -> QEMU status 39 */

void qemu_debug_exit(int code);
void machine_power_off(void) __noreturn;
void machine_restart(void) __noreturn;
void machine_halt(void) __noreturn;

#endif
