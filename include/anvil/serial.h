/*
 * 16550 UART ports.  COM1 is the console (kernel log and, from the
 * processes issue on, the tty).  tools/run-elf also gives a program's
 * stdout and stderr their own ports (COM2, COM3) so that kernel
 * messages never mix into them.
 */
#ifndef ANVIL_SERIAL_H
#define ANVIL_SERIAL_H

#include <anvil/types.h>

#define SERIAL_NR_PORTS 4
#define SERIAL_RX_BUF 256

struct uart {
	u16 base;
	u8 irq;
	bool present;
	/* received bytes not yet taken by the tty (a power-of-two ring) */
	char rx_buf[SERIAL_RX_BUF];
	unsigned int rx_head, rx_tail;
	void (*rx_notify)(struct uart *uart); /* called from the IRQ handler */
};

extern struct uart serial_ports[SERIAL_NR_PORTS];

void serial_early_init(void);       /* COM1 output, before anything else */
void serial_init(void);             /* probe the rest, hook the IRQs */
void serial_write(struct uart *u, const char *s, size_t n); /* raw bytes */
int serial_read_byte(struct uart *u);                       /* -1 if none */

#endif
