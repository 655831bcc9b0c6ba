/*
 * 16550 UART driver.  Output polls the transmit-holding-register-empty
 * bit (QEMU's UART is never busy for long); input is interrupt-driven:
 * the IRQ handler drains the receive FIFO into a ring and tells whoever
 * registered rx_notify (the tty).  COM1 is registered as a console with
 * "\n" -> "\r\n" translation; the raw ports are left for the tty layer.
 */
#include <anvil/kernel.h>
#include <anvil/serial.h>
#include <anvil/irq.h>
#include <asm/io.h>

#define UART_RBR 0 /* receive buffer (read, DLAB=0) */
#define UART_THR 0 /* transmit holding (write, DLAB=0) */
#define UART_DLL 0 /* divisor low (DLAB=1) */
#define UART_IER 1 /* interrupt enable (DLAB=0) */
#define UART_DLM 1 /* divisor high (DLAB=1) */
#define UART_FCR 2 /* FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_SCR 7 /* scratch */

#define UART_IER_RDI 0x01        /* interrupt on received data */
#define UART_FCR_ENABLE_CLEAR 0x07 /* enable FIFOs and clear both */
#define UART_LCR_DLAB 0x80
#define UART_LCR_8N1 0x03
#define UART_MCR_DTR_RTS_OUT2 0x0b /* OUT2 gates the IRQ line to the PIC */
#define UART_LSR_DR 0x01         /* data ready */
#define UART_LSR_THRE 0x20       /* transmit holding register empty */
#define UART_DIVISOR_115200 1
#define UART_SCRATCH_PROBE 0x5a
#define UART_TX_SPIN_LIMIT 100000

struct uart serial_ports[SERIAL_NR_PORTS] = {
	{ .base = 0x3f8, .irq = 4 },
	{ .base = 0x2f8, .irq = 3 },
	{ .base = 0x3e8, .irq = 4 },
	{ .base = 0x2e8, .irq = 3 },
};

static bool uart_probe_and_setup(struct uart *u)
{
	outb(u->base + UART_SCR, UART_SCRATCH_PROBE);
	if (inb(u->base + UART_SCR) != UART_SCRATCH_PROBE)
		return false;
	outb(u->base + UART_IER, 0);
	outb(u->base + UART_LCR, UART_LCR_DLAB);
	outb(u->base + UART_DLL, UART_DIVISOR_115200);
	outb(u->base + UART_DLM, 0);
	outb(u->base + UART_LCR, UART_LCR_8N1);
	outb(u->base + UART_FCR, UART_FCR_ENABLE_CLEAR);
	outb(u->base + UART_MCR, UART_MCR_DTR_RTS_OUT2);
	u->present = true;
	return true;
}

static void uart_putc(struct uart *u, char c)
{
	/* bounded: a missing or wedged UART must not hang the kernel */
	for (int i = 0; i < UART_TX_SPIN_LIMIT; i++)
		if (inb(u->base + UART_LSR) & UART_LSR_THRE)
			break;
	outb(u->base + UART_THR, c);
}

void serial_write(struct uart *u, const char *s, size_t n)
{
	if (!u->present)
		return;
	for (size_t i = 0; i < n; i++)
		uart_putc(u, s[i]);
}

int serial_read_byte(struct uart *u)
{
	unsigned long flags;
	int c = -1;

	local_irq_save(flags);
	if (u->rx_tail != u->rx_head) {
		c = (unsigned char)u->rx_buf[u->rx_tail % SERIAL_RX_BUF];
		u->rx_tail++;
	}
	local_irq_restore(flags);
	return c;
}

/* COM1 and COM3 share IRQ 4 (COM2/COM4 share IRQ 3): poll every port on the line. */
static void serial_interrupt(int irq, void *data)
{
	for (int i = 0; i < SERIAL_NR_PORTS; i++) {
		struct uart *u = &serial_ports[i];
		bool got = false;

		if (!u->present || u->irq != irq)
			continue;
		while (inb(u->base + UART_LSR) & UART_LSR_DR) {
			char c = inb(u->base + UART_RBR);

			if (u->rx_head - u->rx_tail < SERIAL_RX_BUF)
				u->rx_buf[u->rx_head++ % SERIAL_RX_BUF] = c;
			got = true;
		}
		if (got && u->rx_notify)
			u->rx_notify(u);
	}
}

static void serial_console_write(const char *s, size_t n)
{
	struct uart *u = &serial_ports[0];

	if (!u->present)
		return;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			uart_putc(u, '\r');
		uart_putc(u, s[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_console_write,
};

void serial_early_init(void)
{
	if (uart_probe_and_setup(&serial_ports[0]))
		register_console(&serial_console);
}

void serial_init(void)
{
	bool irq_hooked[16] = { false };

	for (int i = 1; i < SERIAL_NR_PORTS; i++)
		uart_probe_and_setup(&serial_ports[i]);
	for (int i = 0; i < SERIAL_NR_PORTS; i++) {
		struct uart *u = &serial_ports[i];

		if (!u->present)
			continue;
		if (!irq_hooked[u->irq]) {
			request_irq(u->irq, serial_interrupt, "serial", NULL);
			irq_hooked[u->irq] = true;
		}
		outb(u->base + UART_IER, UART_IER_RDI);
		printk(KERN_INFO "serial: ttyS%d at 0x%03x (irq %d) is a 16550A\n",
		       i, u->base, u->irq);
	}
}
