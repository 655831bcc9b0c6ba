/*
 * The local APIC (Linux 2.6.11's arch/i386/kernel/apic.c): each CPU's
 * own interrupt controller.  Setup per CPU, EOI, the APIC id, the
 * inter-processor interrupts (fixed vectors, and INIT/STARTUP to start
 * the other CPUs), and the APIC timer: calibrated once against the
 * PIT-calibrated TSC, then periodic at HZ on every CPU.  The boot CPU
 * keeps the PIT for jiffies; only the other CPUs tick the scheduler
 * from their APIC timer.
 */
#include <anvil/kernel.h>
#include <anvil/cmdline.h>
#include <anvil/sched.h>
#include <anvil/smp.h>
#include <anvil/time.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/page.h>

#define X86_FEATURE_APIC (1u << 9)      /* CPUID leaf 1, EDX */
#define APIC_MMIO_SIZE 0x1000
#define APIC_CALIBRATE_MS 10
#define MSEC_PER_SEC 1000
#define APIC_TIMER_DIVISOR 16           /* APIC_TDR_DIV_16 */
#define STARTUP_VECTOR_LIMIT 0x100000   /* the trampoline runs in real mode, below 1 MiB */

bool cpu_has_apic_enabled;
bool io_apic_enabled;
unsigned long apic_timer_hz;
struct apic_irq_stat apic_irq_stat[NR_CPUS];
static volatile u32 *apic_base;
static unsigned int boot_cpu_physical_apicid;

u32 apic_read(u32 reg)
{
	return apic_base[reg / sizeof(u32)];
}

void apic_write(u32 reg, u32 v)
{
	apic_base[reg / sizeof(u32)] = v;
}

unsigned int hard_smp_processor_id(void)
{
	return cpu_has_apic_enabled ? GET_APIC_ID(apic_read(APIC_ID)) : cpu_to_apicid[0];
}

void ack_APIC_irq(void)
{
	apic_write(APIC_EOI, 0);
}

/*
 * Per CPU, before its interrupts are enabled: software-enable the APIC
 * with the spurious vector, accept every priority, route APIC errors to
 * their vector.  LINT0 carries the 8259's INTR in virtual-wire mode
 * (the boot CPU without an I/O APIC); LINT1 is NMI, on the boot CPU
 * only -- as Linux sets them.
 */
void setup_local_APIC(void)
{
	bool boot_cpu = hard_smp_processor_id() == boot_cpu_physical_apicid;

	apic_write(APIC_TASKPRI, 0);
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
	apic_write(APIC_LVT0, APIC_DM_EXTINT |
		   (boot_cpu && !io_apic_enabled ? 0 : APIC_LVT_MASKED));
	apic_write(APIC_LVT1, APIC_DM_NMI | (boot_cpu ? 0 : APIC_LVT_MASKED));
	apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_MASKED);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	/* the ESR latches on a write: two clear what earlier errors left */
	apic_write(APIC_ESR, 0);
	apic_write(APIC_ESR, 0);
}

/*
 * The APIC timer's input clock, once on the boot CPU: let it count down
 * from its maximum for APIC_CALIBRATE_MS of TSC time (the TSC is
 * calibrated against the PIT by time_init), interrupts off.
 */
void calibrate_APIC_clock(void)
{
	u64 cycles = (u64)tsc_khz * APIC_CALIBRATE_MS;
	u64 start;
	u32 counted;

	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_MASKED);
	apic_write(APIC_TMICT, 0xffffffff);
	start = rdtsc();
	while (rdtsc() - start < cycles)
		cpu_relax();
	counted = 0xffffffff - apic_read(APIC_TMCCT);
	apic_write(APIC_TMICT, 0);
	apic_timer_hz = (unsigned long)((u64)counted * APIC_TIMER_DIVISOR * MSEC_PER_SEC /
					APIC_CALIBRATE_MS);
	printk(KERN_INFO "APIC: timer clock %lu.%03lu MHz\n", apic_timer_hz / 1000000,
	       apic_timer_hz / 1000 % 1000);
}

/* Per CPU: the APIC timer interrupts HZ times a second on LOCAL_TIMER_VECTOR. */
void setup_APIC_timer(void)
{
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, LOCAL_TIMER_VECTOR | APIC_LVT_TIMER_PERIODIC);
	apic_write(APIC_TMICT, (u32)(apic_timer_hz / APIC_TIMER_DIVISOR / HZ));
}

static bool cpu_has_apic(void)
{
	u32 eax = 1, ebx, ecx = 0, edx;

	cpuid(1, &eax, &ebx, &ecx, &edx);
	return edx & X86_FEATURE_APIC;
}

/*
 * The boot CPU's interrupt controllers, called by kmain with interrupts
 * off once the PIT runs: the local APIC if the MADT listed one (else one
 * CPU on the 8259), then the I/O APIC unless "noapic", then the timer.
 */
void APIC_init_uniprocessor(void)
{
	if (!acpi_lapic || !cpu_has_apic() || kernel_flag("nolapic")) {
		printk(KERN_INFO "APIC: local APIC not used: one CPU, 8259 PIC\n");
		nr_cpu_ids = 1;
		return;
	}
	apic_base = ioremap_nocache(acpi_madt.lapic_addr, APIC_MMIO_SIZE);
	if (!apic_base) {
		nr_cpu_ids = 1;
		return;
	}
	cpu_has_apic_enabled = true;
	boot_cpu_physical_apicid = GET_APIC_ID(apic_read(APIC_ID));
	if (boot_cpu_physical_apicid != cpu_to_apicid[0])
		printk(KERN_WARNING "APIC: boot CPU's id %u is not the MADT's %u\n",
		       boot_cpu_physical_apicid, cpu_to_apicid[0]);
	io_apic_enabled = acpi_madt.have_ioapic && !kernel_flag("noapic");
	printk(KERN_INFO "APIC: boot CPU APIC id %u, version %#x; %s\n", boot_cpu_physical_apicid,
	       apic_read(APIC_LVR) & 0xff, io_apic_enabled ? "IO-APIC mode" : "8259 virtual wire");
	setup_local_APIC();
	if (io_apic_enabled)
		setup_IO_APIC();
	calibrate_APIC_clock();
	setup_APIC_timer();
}

void apic_wait_icr_idle(void)
{
	while (apic_read(APIC_ICR) & APIC_ICR_BUSY)
		cpu_relax();
}

/* One IPI: physical destination apicid (ignored with a shorthand in cfg). */
static void __send_IPI_dest(unsigned int apicid, u32 cfg)
{
	unsigned long flags;

	local_irq_save(flags);
	apic_wait_icr_idle();
	apic_write(APIC_ICR2, SET_APIC_DEST_FIELD(apicid));
	apic_write(APIC_ICR, cfg);
	local_irq_restore(flags);
}

void send_IPI_mask(u32 cpumask, int vector)
{
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++)
		if (cpumask & (1u << cpu))
			__send_IPI_dest(cpu_to_apicid[cpu], APIC_DM_FIXED | (u32)vector);
}

void send_IPI_allbutself(int vector)
{
	if (nr_cpu_ids > 1)
		__send_IPI_dest(0, APIC_DEST_ALLBUT | APIC_DM_FIXED | (u32)vector);
}

void send_IPI_self(int vector)
{
	__send_IPI_dest(0, APIC_DEST_SELF | APIC_DM_FIXED | (u32)vector);
}

/* INIT is level-triggered: asserted, then deasserted (the second is a no-op on modern CPUs). */
void apic_send_init(unsigned int apicid, bool assert)
{
	__send_IPI_dest(apicid, APIC_INT_LEVELTRIG | (assert ? APIC_INT_ASSERT : 0) | APIC_DM_INIT);
	apic_wait_icr_idle();
}

/* STARTUP: the target begins in real mode at trampoline_phys, a page below 1 MiB. */
void apic_send_startup(unsigned int apicid, unsigned long trampoline_phys)
{
	BUG_ON(trampoline_phys & (PAGE_SIZE - 1) || trampoline_phys >= STARTUP_VECTOR_LIMIT);
	__send_IPI_dest(apicid, APIC_DM_STARTUP | (u32)(trampoline_phys >> PAGE_SHIFT));
	apic_wait_icr_idle();
}

void smp_apic_timer_interrupt(struct pt_regs *regs)
{
	apic_irq_stat[smp_processor_id()].apic_timer_irqs++;
	ack_APIC_irq();
	smp_local_timer_interrupt(regs);
}

/*
 * A CPU's tick from its own timer.  The boot CPU's tick comes from the
 * PIT (arch/i386/time.c), which also advances jiffies -- one timer keeps
 * time -- so here only the other CPUs account and schedule.
 */
void smp_local_timer_interrupt(struct pt_regs *regs)
{
	if (hard_smp_processor_id() != boot_cpu_physical_apicid)
		scheduler_tick(regs);
}

void smp_error_interrupt(struct pt_regs *regs)
{
	struct apic_irq_stat *st = &apic_irq_stat[smp_processor_id()];
	u32 esr;

	apic_write(APIC_ESR, 0);        /* latch the errors into the ESR */
	esr = apic_read(APIC_ESR);
	ack_APIC_irq();
	if (!st->irq_error_count++)
		printk(KERN_ERR "APIC error on CPU%d: ESR %#04x (further errors only counted)\n",
		       smp_processor_id(), esr);
}

/* No EOI: the APIC sets no in-service bit for its spurious vector. */
void smp_spurious_interrupt(struct pt_regs *regs)
{
	apic_irq_stat[smp_processor_id()].irq_spurious_count++;
}
