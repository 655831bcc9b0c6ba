/*
 * Starting the other CPUs (Linux 2.6.11's arch/i386/kernel/smpboot.c).
 * ACPI's MADT (arch/i386/acpi.c) lists them; for each, the boot CPU makes
 * an idle task, copies the real-mode trampoline (trampoline.asm) below
 * 1 MiB and sends INIT, then STARTUP twice (Intel's MP spec, B.4).  The
 * new CPU comes up in start_secondary() on its idle task's stack, loads
 * its own GDT, TSS and local APIC, reports in and halts until the boot
 * CPU has finished booting (smp_commence): only then does it come online
 * and take the big kernel lock, so in-kernel tests and boot code run as
 * they always did, one CPU in the kernel.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/smp.h>
#include <anvil/smp_lock.h>
#include <anvil/switch.h>
#include <anvil/time.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/io.h>
#include <asm/pgtable.h>

#define TRAMPOLINE_PHYS 0x8000            /* = boot/layout.inc's; a page below 1 MiB */
#define INIT_DEASSERT_TICKS 1             /* Intel: 10 ms between INIT and STARTUP */
#define STARTUP_DELAY_US 200              /* and 200 us between the two STARTUPs */
#define CALLIN_TIMEOUT_TICKS HZ           /* a CPU that has not called in after 1 s is dead */

extern const char trampoline_start[], trampoline_end[];
extern const char tr_cr3[], tr_esp[], tr_entry[];

cpumask_t cpu_online_map = 1;             /* the boot CPU; the others join in start_secondary */
static volatile cpumask_t cpu_callin_map = 1;
static volatile bool smp_commenced;
static pgd_t *trampoline_pgd;             /* the kernel's map plus low memory at 0 */

/* A field of the trampoline's copy in low memory. */
static u32 *trampoline_field(const char *field)
{
	return (u32 *)__va(TRAMPOLINE_PHYS + (field - trampoline_start));
}

static void udelay_io(unsigned int us)
{
	while (us--)
		io_delay();                /* one ISA bus cycle: about a microsecond */
}

static void wait_ticks(unsigned long ticks)
{
	unsigned long until = jiffies + ticks;

	while (time_before(jiffies, until))
		cpu_relax();
}

/* The C side of trampoline.asm, on the idle task's stack: this CPU's own tables. */
static void __noreturn start_secondary(void)
{
	unsigned int cpu = smp_processor_id();

	write_cr3(__pa(swapper_pg_dir));   /* the trampoline's identity map is gone */
	gdt_init();
	idt_load();
	fpu_cpu_init();
	setup_local_APIC();
	cpu_set(cpu, cpu_callin_map);
	while (!smp_commenced) {
		safe_halt();               /* smp_commence's IPI wakes us */
		local_irq_disable();
	}
	setup_APIC_timer();
	cpu_set(cpu, cpu_online_map);      /* tasks may be queued here from now on */
	lock_kernel();
	printk(KERN_INFO "CPU%u: online, APIC id %u\n", cpu, hard_smp_processor_id());
	cpu_idle();
}

/* Start CPU cpu; false if it did not call in. */
static bool do_boot_cpu(unsigned int cpu)
{
	struct task_struct *idle = fork_idle(cpu);
	unsigned int apicid = cpu_to_apicid[cpu];
	unsigned long deadline;

	if (!idle) {
		printk(KERN_ERR "CPU%u: no memory for its idle task\n", cpu);
		return false;
	}
	*trampoline_field(tr_cr3) = __pa(trampoline_pgd);
	*trampoline_field(tr_esp) = (u32)idle->stack + THREAD_SIZE;
	*trampoline_field(tr_entry) = (u32)start_secondary;

	apic_send_init(apicid, true);
	apic_send_init(apicid, false);
	wait_ticks(INIT_DEASSERT_TICKS);
	for (int i = 0; i < 2; i++) {
		apic_send_startup(apicid, TRAMPOLINE_PHYS);
		udelay_io(STARTUP_DELAY_US);
	}
	deadline = jiffies + CALLIN_TIMEOUT_TICKS;
	while (!cpu_isset(cpu, cpu_callin_map) && time_before(jiffies, deadline))
		cpu_relax();
	if (!cpu_isset(cpu, cpu_callin_map)) {
		printk(KERN_ERR "CPU%u: APIC id %u did not respond to STARTUP\n", cpu, apicid);
		return false;                  /* its idle task stays: the CPU may yet run on it */
	}
	return true;
}

/* Bring every CPU the MADT lists to start_secondary's wait.  Interrupts on. */
void smp_boot_cpus(void)
{
	unsigned int cpu, started = 1;

	if (nr_cpu_ids < 2)
		return;
	trampoline_pgd = (pgd_t *)get_zeroed_page(GFP_KERNEL);
	BUG_ON(!trampoline_pgd);
	memcpy(trampoline_pgd, swapper_pg_dir, PAGE_SIZE);
	trampoline_pgd[0] = __pgd(_PAGE_PRESENT | _PAGE_RW | _PAGE_PSE);  /* 0-4 MiB at 0 */
	memcpy(__va(TRAMPOLINE_PHYS), trampoline_start, trampoline_end - trampoline_start);
	for (cpu = 1; cpu < nr_cpu_ids; cpu++) {
		if (!do_boot_cpu(cpu))
			break;             /* it may start late: the trampoline must stay its */
		started++;
	}
	if (started == nr_cpu_ids)       /* one that did not call in may still be using it */
		free_page((unsigned long)trampoline_pgd);
	printk(KERN_INFO "smp: %u of %u CPUs started\n", started, nr_cpu_ids);
}

/*
 * Boot is over: let the other CPUs into the kernel and the scheduler.
 * They take the big kernel lock, so they run once this CPU lets it go --
 * in the idle loop or on init's way to user mode.
 */
void smp_commence(void)
{
	smp_commenced = true;
	send_IPI_mask(cpu_callin_map & ~cpumask_of_cpu(0), RESCHEDULE_VECTOR);
	while (cpu_online_map != cpu_callin_map)
		cpu_relax();               /* init's first program finds every CPU online */
}
