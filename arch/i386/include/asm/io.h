/*
 * x86 port I/O.  Every PC device anvil drives (PIC, PIT, UART, VGA
 * cursor, ATA, isa-debug-exit) is reached through these.
 */
#ifndef ASM_IO_H
#define ASM_IO_H

#include <anvil/types.h>

static inline void outb(u16 port, u8 v)
{
	__asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;
	__asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(u16 port, u16 v)
{
	__asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline u16 inw(u16 port)
{
	u16 v;
	__asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(u16 port, u32 v)
{
	__asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline u32 inl(u16 port)
{
	u32 v;
	__asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* Repeated 16-bit transfers: the ATA PIO data port. */
static inline void insw(u16 port, void *buf, u32 count)
{
	__asm__ __volatile__("rep insw" : "+D"(buf), "+c"(count) : "d"(port) : "memory");
}

static inline void outsw(u16 port, const void *buf, u32 count)
{
	__asm__ __volatile__("rep outsw" : "+S"(buf), "+c"(count) : "d"(port));
}

/*
 * Memory-mapped device registers and firmware tables outside the direct
 * map (arch/i386/ioremap.c): ioremap_nocache() for registers (uncached
 * pages), ioremap() for tables in RAM.  NULL when the window is full.
 */
void ioremap_init(void);
void *ioremap(unsigned long phys, unsigned long size);
void *ioremap_nocache(unsigned long phys, unsigned long size);
void iounmap(void *addr);

/* A short delay: a write to the unused POST-code port 0x80. */
static inline void io_delay(void)
{
	outb(0x80, 0);
}

#endif
