/*
 * CPU control: interrupt flag, control registers, TLB invalidation,
 * the time-stamp counter and halting.  Thin wrappers over single
 * instructions so C code never needs inline assembly of its own.
 */
#ifndef ASM_PROCESSOR_H
#define ASM_PROCESSOR_H

#include <anvil/types.h>

#define X86_EFLAGS_TF 0x00000100
#define X86_EFLAGS_IF 0x00000200
#define X86_EFLAGS_DF 0x00000400
#define X86_EFLAGS_IOPL 0x00003000
#define X86_EFLAGS_RESERVED 0x00000002 /* bit 1 always reads 1 */
#define X86_EFLAGS_RF 0x00010000

#define X86_CR0_WP 0x00010000
#define X86_CR0_PG 0x80000000
#define X86_CR4_PSE 0x00000010

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long read_eflags(void)
{
	unsigned long f;
	__asm__ __volatile__("pushfl; popl %0" : "=r"(f) : : "memory");
	return f;
}

static inline bool irqs_disabled(void)
{
	return !(read_eflags() & X86_EFLAGS_IF);
}

#define local_irq_save(flags)                   \
	do {                                    \
		(flags) = read_eflags();        \
		local_irq_disable();            \
	} while (0)

#define local_irq_restore(flags)                        \
	do {                                            \
		if ((flags) & X86_EFLAGS_IF)            \
			local_irq_enable();             \
	} while (0)

/* Wait for the next interrupt with interrupts enabled (the idle loop). */
static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" ::: "memory");
}

static inline u32 read_cr0(void)
{
	u32 v;
	__asm__ __volatile__("movl %%cr0, %0" : "=r"(v));
	return v;
}

static inline void write_cr0(u32 v)
{
	__asm__ __volatile__("movl %0, %%cr0" : : "r"(v) : "memory");
}

static inline u32 read_cr2(void)
{
	u32 v;
	__asm__ __volatile__("movl %%cr2, %0" : "=r"(v));
	return v;
}

static inline u32 read_cr3(void)
{
	u32 v;
	__asm__ __volatile__("movl %%cr3, %0" : "=r"(v));
	return v;
}

static inline void write_cr3(u32 v)
{
	__asm__ __volatile__("movl %0, %%cr3" : : "r"(v) : "memory");
}

static inline u32 read_cr4(void)
{
	u32 v;
	__asm__ __volatile__("movl %%cr4, %0" : "=r"(v));
	return v;
}

/* Drop one page's translation from the TLB. */
static inline void invlpg(unsigned long addr)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(addr) : "memory");
}

/* The CPUID instruction: leaf op's four registers. */
static inline void cpuid(u32 op, u32 *eax, u32 *ebx, u32 *ecx, u32 *edx)
{
	*eax = op;
	*ecx = 0;
	__asm__ __volatile__("cpuid" : "+a"(*eax), "=b"(*ebx), "+c"(*ecx), "=d"(*edx));
}

/* /proc/cpuinfo's text (arch/i386/cpuinfo.c): its length, or size when buf was too small */
size_t cpuinfo_format(char *buf, size_t size);

static inline u64 rdtsc(void)
{
	u32 lo, hi;
	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline unsigned long read_ebp(void)
{
	unsigned long v;
	__asm__ __volatile__("movl %%ebp, %0" : "=r"(v));
	return v;
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" ::: "memory");
}

#endif
