/*
 * The local APIC (arch/i386/apic.c) and the I/O APIC (arch/i386/io_apic.c),
 * with Linux 2.6.11's names: the register offsets, the boot-time setup,
 * EOI, the APIC id, the IPIs (fixed vectors, INIT and STARTUP for
 * starting the other CPUs), the local timer and the per-CPU counts of
 * the APIC's own interrupts that /proc/interrupts shows.
 */
#ifndef ASM_APIC_H
#define ASM_APIC_H

#include <anvil/types.h>
#include <anvil/smp.h>
#include <asm/irq_vectors.h>

/* local APIC registers: offsets from its base (0xFEE00000 on every PC) */
#define APIC_ID 0x20
#define GET_APIC_ID(x) ((x) >> 24)
#define APIC_LVR 0x30
#define GET_APIC_MAXLVT(x) (((x) >> 16) & 0xff)
#define APIC_TASKPRI 0x80
#define APIC_EOI 0xb0
#define APIC_SPIV 0xf0
#define APIC_SPIV_APIC_ENABLED (1u << 8)
#define APIC_ESR 0x280
#define APIC_ICR 0x300
#define APIC_ICR2 0x310
#define SET_APIC_DEST_FIELD(x) ((u32)(x) << 24)
#define APIC_DEST_SELF 0x40000
#define APIC_DEST_ALLINC 0x80000
#define APIC_DEST_ALLBUT 0xc0000
#define APIC_INT_LEVELTRIG 0x8000
#define APIC_INT_ASSERT 0x4000
#define APIC_ICR_BUSY 0x1000
#define APIC_DM_FIXED 0x000
#define APIC_DM_NMI 0x400
#define APIC_DM_INIT 0x500
#define APIC_DM_STARTUP 0x600
#define APIC_DM_EXTINT 0x700
#define APIC_LVTT 0x320
#define APIC_LVT_TIMER_PERIODIC (1u << 17)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_LEVEL_TRIGGER (1u << 15)
#define APIC_LVT0 0x350
#define APIC_LVT1 0x360
#define APIC_LVTERR 0x370
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define APIC_TDR_DIV_16 0x3

/* Is the local APIC in use (a valid MADT, the CPU has one, no "nolapic")? */
extern bool cpu_has_apic_enabled;
/* ... and do the ISA IRQs come through the I/O APIC (no "noapic")? */
extern bool io_apic_enabled;
/* the local APIC timer's input clock, measured by calibrate_APIC_clock() */
extern unsigned long apic_timer_hz;

/* counts of the APIC's own interrupts, per CPU (Linux's irq_stat) */
struct apic_irq_stat {
	unsigned long apic_timer_irqs;          /* LOC */
	unsigned long irq_resched_count;        /* RES */
	unsigned long irq_tlb_count;            /* TLB */
	unsigned long irq_error_count;          /* ERR */
	unsigned long irq_spurious_count;       /* SPU */
};
extern struct apic_irq_stat apic_irq_stat[NR_CPUS];

u32 apic_read(u32 reg);
void apic_write(u32 reg, u32 v);
unsigned int hard_smp_processor_id(void);

/* Boot: the boot CPU's local APIC, the I/O APIC, the timer's calibration. */
void APIC_init_uniprocessor(void);
/* Per CPU (each AP calls both once it runs in the kernel): */
void setup_local_APIC(void);
void setup_APIC_timer(void);
void calibrate_APIC_clock(void);

void ack_APIC_irq(void);

/* IPIs.  cpumask: bit i = CPU i (cpu_to_apicid[i]); only CPUs < nr_cpu_ids are sent to. */
void apic_wait_icr_idle(void);
void send_IPI_mask(u32 cpumask, int vector);
void send_IPI_allbutself(int vector);
void send_IPI_self(int vector);
/* The INIT-SIPI-SIPI steps (Intel MP spec B.4): INIT asserted then deasserted, STARTUP twice. */
void apic_send_init(unsigned int apicid, bool assert);
void apic_send_startup(unsigned int apicid, unsigned long trampoline_phys);

/* The vectors' handlers (trap_handler, arch/i386/traps.c) */
struct pt_regs;
void smp_apic_timer_interrupt(struct pt_regs *regs);
void smp_local_timer_interrupt(struct pt_regs *regs);
void smp_error_interrupt(struct pt_regs *regs);
void smp_spurious_interrupt(struct pt_regs *regs);
void smp_reschedule_interrupt(struct pt_regs *regs);     /* arch/i386/smp.c */
void smp_invalidate_interrupt(struct pt_regs *regs);     /* arch/i386/smp.c */

/* I/O APIC (arch/i386/io_apic.c) */
void setup_IO_APIC(void);

#endif
