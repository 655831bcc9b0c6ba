/*
 * Tests of the interrupt controllers: the MADT parser on good and
 * corrupt tables (and the one-CPU fallback), the CPUs QEMU was given,
 * ioremap, the local APIC timer's calibration and rate, IPIs to this
 * CPU, and the ISA IRQs' route (I/O APIC, or the PIC under "noapic").
 */
#include <anvil/kernel.h>
#include <anvil/cmdline.h>
#include <anvil/errno.h>
#include <anvil/irq.h>
#include <anvil/ktest.h>
#include <anvil/slab.h>
#include <anvil/smp.h>
#include <anvil/time.h>
#include <asm/acpi.h>
#include <asm/apic.h>
#include <asm/io.h>
#include <asm/page.h>

#define MIN_APIC_TIMER_HZ 1000000UL     /* 1 MHz: slower than any APIC bus clock */
#define TICKS_TO_WATCH 20
#define ROUTE_WAIT_TICKS HZ             /* for two timer interrupts: a loaded host delays them */
#define TIMER_WINDOWS 3                 /* of TICKS_TO_WATCH PIT ticks: one in range will do */
BUILD_BUG_ON(TIMER_WINDOWS != 3);       /* apic_timer_calibrated_ticks_at_hz prints three */
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_DATA 0xa1

/* A small MADT: two enabled CPUs (ids 0, 3), a disabled one, an I/O APIC, IRQ 0 -> GSI 2. */
static const u8 good_madt_body[] = {
	0x00, 0x00, 0xe0, 0xfe, 0x01, 0x00, 0x00, 0x00,        /* lapic addr, flags */
	0, 8, 0, 0, 1, 0, 0, 0,                 /* LAPIC acpi 0, id 0, enabled */
	0, 8, 1, 3, 1, 0, 0, 0,                 /* LAPIC acpi 1, id 3, enabled */
	0, 8, 2, 5, 0, 0, 0, 0,                 /* LAPIC acpi 2, id 5, disabled */
	1, 12, 1, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0,      /* IOAPIC id 1 at 0xfec00000 */
	2, 10, 0, 0, 2, 0, 0, 0, 0x0f, 0x00,   /* ISA IRQ 0 -> GSI 2, low, level */
};
#define MADT_HEADER_LEN 36
#define MADT_LEN (MADT_HEADER_LEN + sizeof(good_madt_body))
#define HEADER_CHECKSUM 9      /* offset of the checksum byte */
#define MADT_FIRST_ENTRY (MADT_HEADER_LEN + 8)
#define ENTRY_LEN 1             /* offsets in an entry */
#define LAPIC_FLAGS 4
#define LAPIC_ENTRY_LEN 8

static void madt_fix_checksum(u8 *t, u32 len)
{
	u8 sum = 0;

	t[HEADER_CHECKSUM] = 0;
	for (u32 i = 0; i < len; i++)
		sum += t[i];
	t[HEADER_CHECKSUM] = (u8)-sum;
}

/* build the table into t (MADT_LEN bytes) with a good checksum */
static void build_madt(u8 *t)
{
	memset(t, 0, MADT_LEN);
	memcpy(t, "APIC", 4);
	*(u32 *)(t + 4) = MADT_LEN;
	memcpy(t + MADT_HEADER_LEN, good_madt_body, sizeof(good_madt_body));
	madt_fix_checksum(t, MADT_LEN);
}

KTEST(acpi_madt_parses_cpus_ioapic_overrides)
{
	u8 tbl[MADT_LEN];
	struct acpi_madt_info info;

	build_madt(tbl);
	KT_EQ(t, acpi_parse_madt(tbl, MADT_LEN, &info), 0);
	KT_EQ(t, info.lapic_addr, 0xfee00000);
	KT_EQ(t, info.nr_cpus, 2);
	KT_EQ(t, info.apicid[0], 0);
	KT_EQ(t, info.apicid[1], 3);
	KT_ASSERT(t, info.have_ioapic);
	KT_EQ(t, info.ioapic_id, 1);
	KT_EQ(t, info.ioapic_addr, 0xfec00000);
	KT_EQ(t, info.isa_irq[0].gsi, 2);
	KT_EQ(t, info.isa_irq[0].flags, 0x0f);
	KT_EQ(t, info.isa_irq[1].gsi, 1);        /* no override: identity */
}

/* each corruption is refused, not half-used (and a zero-length entry cannot loop) */
KTEST(acpi_madt_corrupt_is_refused)
{
	u8 tbl[MADT_LEN];
	struct acpi_madt_info info;

	build_madt(tbl);
	tbl[MADT_HEADER_LEN + 1] ^= 1;            /* checksum now wrong */
	KT_EQ(t, acpi_parse_madt(tbl, MADT_LEN, &info), -EINVAL);
	build_madt(tbl);
	tbl[MADT_FIRST_ENTRY + ENTRY_LEN] = 0;        /* first entry's length 0 */
	madt_fix_checksum(tbl, MADT_LEN);
	KT_EQ(t, acpi_parse_madt(tbl, MADT_LEN, &info), -EINVAL);
	build_madt(tbl);
	tbl[MADT_FIRST_ENTRY + ENTRY_LEN] = 200;      /* an entry past the table's end */
	madt_fix_checksum(tbl, MADT_LEN);
	KT_EQ(t, acpi_parse_madt(tbl, MADT_LEN, &info), -EINVAL);
	build_madt(tbl);
	tbl[MADT_FIRST_ENTRY + LAPIC_FLAGS] = 0;  /* no processor enabled */
	tbl[MADT_FIRST_ENTRY + LAPIC_ENTRY_LEN + LAPIC_FLAGS] = 0;
	madt_fix_checksum(tbl, MADT_LEN);
	KT_EQ(t, acpi_parse_madt(tbl, MADT_LEN, &info), -EINVAL);
	build_madt(tbl);
	KT_EQ(t, acpi_parse_madt(tbl, MADT_LEN - 1, &info), -EINVAL);   /* length disagrees */
	tbl[0] = 'X';
	madt_fix_checksum(tbl, MADT_LEN);
	KT_EQ(t, acpi_parse_madt(tbl, MADT_LEN, &info), -EINVAL);
}

/* a corrupt MADT at boot leaves one CPU and the PIC (the real tables are put back after) */
KTEST(acpi_corrupt_madt_falls_back_to_one_cpu)
{
	struct acpi_madt_info *saved = kmalloc(sizeof(*saved), GFP_KERNEL);
	unsigned int saved_nr = nr_cpu_ids;
	u8 saved_ids[NR_CPUS];
	bool saved_lapic = acpi_lapic;
	u8 tbl[MADT_LEN];
	int err;

	KT_ASSERT(t, saved);
	*saved = acpi_madt;
	memcpy(saved_ids, cpu_to_apicid, sizeof(saved_ids));
	build_madt(tbl);
	KT_EQ(t, acpi_table_parse_madt(tbl, MADT_LEN), 0);
	KT_EQ(t, nr_cpu_ids, 2);
	KT_EQ(t, cpu_to_apicid[1], 3);
	tbl[MADT_HEADER_LEN + 1] ^= 1;
	err = acpi_table_parse_madt(tbl, MADT_LEN);
	KT_EQ(t, err, -EINVAL);
	KT_EQ(t, nr_cpu_ids, 1);
	KT_ASSERT(t, !acpi_lapic);
	KT_ASSERT(t, !acpi_madt.have_ioapic);
	KT_EQ(t, acpi_madt.isa_irq[0].gsi, 0);
	acpi_madt = *saved;
	nr_cpu_ids = saved_nr;
	memcpy(cpu_to_apicid, saved_ids, sizeof(saved_ids));
	acpi_lapic = saved_lapic;
	kfree(saved);
}

/* the machine's MADT lists QEMU's -smp N CPUs (the harness passes ktest_nr_cpus=N) */
KTEST(acpi_cpus_found_match_qemu)
{
	const char *want = kernel_param("ktest_nr_cpus");

	KT_ASSERT(t, acpi_lapic);
	if (want)
		KT_EQ(t, acpi_madt.nr_cpus, cmdline_get_long(&kernel_cmdline, "ktest_nr_cpus", 0));
	/* without the local APIC ("nolapic") no other CPU can be started */
	KT_EQ(t, nr_cpu_ids, cpu_has_apic_enabled ? acpi_madt.nr_cpus : 1);
	if (cpu_has_apic_enabled)
		KT_EQ(t, cpu_to_apicid[0], hard_smp_processor_id());
	KT_EQ(t, smp_processor_id(), 0U);          /* the tests run on the boot CPU */
}

KTEST(ioremap_maps_unmaps_and_refuses)
{
	volatile u32 *a, *b;

	if (!cpu_has_apic_enabled)
		return;
	a = ioremap_nocache(acpi_madt.lapic_addr, 0x1000);
	KT_ASSERT(t, a);
	KT_EQ(t, GET_APIC_ID(a[APIC_ID / 4]), hard_smp_processor_id());
	b = ioremap_nocache(acpi_madt.lapic_addr + APIC_ID, 4);   /* an offset inside a page */
	KT_ASSERT(t, b && b != a);
	KT_EQ(t, *b, a[APIC_ID / 4]);
	iounmap((void *)b);
	iounmap((void *)a);
	KT_ASSERT(t, ioremap(0, 0) == NULL);
	KT_ASSERT(t, ioremap(0, 0x40000000) == NULL);
	b = ioremap_nocache(acpi_madt.lapic_addr, 0x1000);        /* the slot came back */
	KT_ASSERT(t, b == a);
	iounmap((void *)b);
}

/*
 * The local APIC timer's interrupts on this CPU while the PIT interrupts
 * TICKS_TO_WATCH times (counted: jiffies follows the TSC clock, and a
 * virtual CPU the host does not run sees 200 ms of it pass with few
 * interrupts of either timer).
 */
static unsigned long apic_ticks_per_pit_window(void)
{
	unsigned int cpu = smp_processor_id();
	unsigned long loc, start = irq_count(IRQ_TIMER);

	while (irq_count(IRQ_TIMER) == start)
		halt();
	start = irq_count(IRQ_TIMER);
	loc = apic_irq_stat[cpu].apic_timer_irqs;
	while (irq_count(IRQ_TIMER) - start < TICKS_TO_WATCH)
		halt();
	return apic_irq_stat[cpu].apic_timer_irqs - loc;
}

/*
 * The APIC timer: a sane clock, and about HZ interrupts a second, as the
 * PIT.  Under TCG a virtual CPU the host does not run for a while loses
 * the timers' interrupts of that while, the two timers' differently: one
 * window of a loaded host's can be off (smp2-noapic was, once), a wrong
 * calibration is off in every window.
 */
KTEST(apic_timer_calibrated_ticks_at_hz)
{
	unsigned long loc[TIMER_WINDOWS] = { 0 };

	if (!cpu_has_apic_enabled)
		return;
	KT_ASSERT(t, apic_timer_hz >= MIN_APIC_TIMER_HZ);
	KT_ASSERT(t, (apic_read(APIC_LVTT) & APIC_LVT_MASKED) == 0);
	local_irq_enable();
	for (int window = 0; window < TIMER_WINDOWS; window++) {
		loc[window] = apic_ticks_per_pit_window();
		if (loc[window] >= TICKS_TO_WATCH / 2 && loc[window] <= TICKS_TO_WATCH * 2)
			return;
	}
	ktest_fail(t, __FILE__, __LINE__, "APIC timer interrupts while the PIT ticked %d times: "
		   "%lu, %lu, %lu", TICKS_TO_WATCH, loc[0], loc[1], loc[2]);
}

/* a fixed IPI to this CPU is held while interrupts are off and taken when they come on */
KTEST(apic_self_ipi_delivered)
{
	unsigned int cpu = smp_processor_id();
	unsigned long res, tlb;

	if (!cpu_has_apic_enabled)
		return;
	local_irq_disable();
	res = apic_irq_stat[cpu].irq_resched_count;
	tlb = apic_irq_stat[cpu].irq_tlb_count;
	send_IPI_self(RESCHEDULE_VECTOR);
	send_IPI_mask(1u << cpu, INVALIDATE_TLB_VECTOR);
	send_IPI_allbutself(INVALIDATE_TLB_VECTOR);     /* not to this CPU */
	KT_EQ(t, apic_irq_stat[cpu].irq_resched_count, res);
	local_irq_enable();
	barrier();
	KT_EQ(t, apic_irq_stat[cpu].irq_resched_count, res + 1);
	KT_EQ(t, apic_irq_stat[cpu].irq_tlb_count, tlb + 1);
	KT_EQ(t, apic_irq_stat[cpu].irq_error_count, 0);
}

/* the timer line's route: the I/O APIC with the PICs masked, or the PIC under noapic */
KTEST(ioapic_routes_the_isa_irqs)
{
	unsigned long before = irq_count(IRQ_TIMER), start = jiffies;
	const char *chip = io_apic_enabled ? "IO-APIC-edge  timer" : "XT-PIC  timer";
	char *buf;

	/* counted, not inferred from jiffies: one late tick brings that up by several */
	local_irq_enable();
	while (irq_count(IRQ_TIMER) < before + 2 && jiffies - start < ROUTE_WAIT_TICKS)
		halt();
	KT_ASSERT(t, irq_count(IRQ_TIMER) >= before + 2);
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	KT_ASSERT(t, buf);
	interrupts_format(buf, PAGE_SIZE);
	KT_ASSERT(t, strstr(buf, chip));
	KT_ASSERT(t, !cpu_has_apic_enabled || strstr(buf, "LOC:"));
	if (io_apic_enabled) {          /* the 8259s fully masked */
		KT_EQ(t, inb(PIC_MASTER_DATA), 0xff);
		KT_EQ(t, inb(PIC_SLAVE_DATA), 0xff);
	}
	KT_EQ(t, request_irq(IRQ_CASCADE, NULL, "x", NULL), -1);
	kfree(buf);
}
