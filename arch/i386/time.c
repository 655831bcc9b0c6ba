/*
 * Time keeping on the PC: at boot the TSC is calibrated against PIT
 * channel 2 (the speaker gate, polled) so that sched_clock() can turn
 * cycle counts into nanoseconds; then the PIT's channel 0 interrupts HZ
 * times a second, bringing jiffies up to the clock and running timers.
 */
#include <anvil/kernel.h>
#include <anvil/irq.h>
#include <anvil/time.h>
#include <anvil/sched.h>
#include <anvil/timer.h>
#include <asm/io.h>
#include <asm/processor.h>

#define PIT_HZ 1193182
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_CMD 0x43
#define PIT_CMD_CH0_RATE 0x34    /* channel 0, lo/hi byte, mode 2 (rate generator) */
#define PIT_CMD_CH2_ONESHOT 0xb0 /* channel 2, lo/hi byte, mode 0 (count down once) */
#define PORT_SPEAKER 0x61
#define SPEAKER_GATE2 0x01
#define SPEAKER_ON 0x02
#define SPEAKER_OUT2 0x20         /* channel 2 output, readable here */
#define CALIBRATE_MS 10
#define CALIBRATE_LATCH (PIT_HZ * CALIBRATE_MS / 1000)
#define CALIBRATE_SPIN_LIMIT 100000000UL
#define CALIBRATE_TRIES 8
#define CALIBRATE_PRECISION 200   /* good enough: uncertain by under 1/200 (0.5%) */
#define TSC_KHZ_FALLBACK 1000000  /* 1 GHz if the PIT never answers */

volatile unsigned long jiffies;
u32 tsc_khz;
static u64 tsc_at_boot;

/*
 * jiffies is the TSC clock's count of ticks, not the count of the PIT's
 * interrupts.  Under TCG a host that deschedules QEMU holds those back and
 * then delivers them back to back, and a CPU other than the one they go
 * to reads a jiffies that is late meanwhile: counted one by one, a
 * 50 ms poll() begun on a late jiffies ended after 31 ms by the clock.
 * So the interrupt brings jiffies up to the clock, and so does every
 * sleep before it takes its deadline (Linux 2.6 mended lost ticks from
 * the TSC the same way, mark_offset_tsc).  Interrupts off: the tick
 * must not update it between our test and our store.
 */
unsigned long sync_jiffies(void)
{
	unsigned long now = (unsigned long)(sched_clock() / TICK_NSEC), flags;

	local_irq_save(flags);
	if (time_before(jiffies, now))
		jiffies = now;
	now = jiffies;
	local_irq_restore(flags);
	return now;
}

/*
 * The jiffy at which a sleep of ns ends: rounded up to whole ticks, and
 * one more, since the current tick may be nearly over.
 */
unsigned long sleep_deadline(u64 ns)
{
	return sync_jiffies() + (unsigned long)DIV_ROUND_UP(ns, TICK_NSEC) + (ns ? 1 : 0);
}

static void timer_interrupt(int irq, void *data)
{
	sync_jiffies();
	run_timers();
	scheduler_tick(irq_regs);
}

/*
 * One calibration: TSC cycles while PIT channel 2 counts down
 * CALIBRATE_MS.  The start is bracketed by TSC reads around the write
 * that starts the count, the end by a read before the last poll that
 * still saw it running and one after the poll that saw it end;
 * *uncertainty is how many cycles the true interval may differ by.  A
 * host that deschedules QEMU in the middle makes it large.
 */
static u64 calibrate_once(u64 *uncertainty)
{
	u8 speaker = inb(PORT_SPEAKER);
	u64 start_before, start_after, end_before, end_after, poll_before;
	unsigned long spins = 0;
	bool done;

	outb(PORT_SPEAKER, (speaker & ~SPEAKER_ON) | SPEAKER_GATE2);
	outb(PIT_CMD, PIT_CMD_CH2_ONESHOT);
	outb(PIT_CH2, CALIBRATE_LATCH & 0xff);
	start_before = rdtsc();
	outb(PIT_CH2, CALIBRATE_LATCH >> 8);        /* the count starts here */
	start_after = end_before = rdtsc();
	do {
		poll_before = rdtsc();
		done = inb(PORT_SPEAKER) & SPEAKER_OUT2;
		end_after = rdtsc();
		if (!done)
			end_before = poll_before;
	} while (!done && ++spins < CALIBRATE_SPIN_LIMIT);
	outb(PORT_SPEAKER, speaker);
	if (!done || end_after <= start_after)
		return 0;
	*uncertainty = (start_after - start_before) + (end_after - end_before);
	return (end_before + end_after) / 2 - (start_before + start_after) / 2;
}

/*
 * The TSC's rate against the PIT.  Under TCG on a busy host one
 * calibration can be off by a factor of two (QEMU descheduled while the
 * PIT runs on in host time), and every sleep measured with
 * clock_gettime would then look too short; so calibrate until one run is
 * precise to CALIBRATE_PRECISION, keeping the most precise of
 * CALIBRATE_TRIES otherwise.
 */
static u32 calibrate_tsc_khz(void)
{
	u64 best = 0, best_uncertainty = 0;

	for (int i = 0; i < CALIBRATE_TRIES; i++) {
		u64 uncertainty, cycles = calibrate_once(&uncertainty);

		if (cycles && (!best || uncertainty < best_uncertainty)) {
			best = cycles;
			best_uncertainty = uncertainty;
		}
		if (best && best_uncertainty * CALIBRATE_PRECISION < best)
			break;
	}
	if (!best) {
		printk(KERN_WARNING "time: TSC calibration failed, assuming 1 GHz\n");
		return TSC_KHZ_FALLBACK;
	}
	if (best_uncertainty * CALIBRATE_PRECISION >= best)
		printk(KERN_WARNING "time: TSC calibration uncertain by %llu of %llu cycles\n",
		       best_uncertainty, best);
	return (u32)(best / CALIBRATE_MS);
}

/* Called first thing in kmain, so log timestamps count from there. */
void time_early_init(void)
{
	tsc_at_boot = rdtsc();
}

void time_init(void)
{
	u16 latch = PIT_HZ / HZ;

	tsc_khz = calibrate_tsc_khz();
	outb(PIT_CMD, PIT_CMD_CH0_RATE);
	outb(PIT_CH0, latch & 0xff);
	outb(PIT_CH0, latch >> 8);
	request_irq(IRQ_TIMER, timer_interrupt, "timer", NULL);
	printk(KERN_INFO "time: PIT at %d Hz, TSC %u.%03u MHz\n", HZ,
	       tsc_khz / 1000, tsc_khz % 1000);
}

u64 cycles_to_ns(u64 cycles)
{
	if (!tsc_khz)
		return 0;
	return cycles / tsc_khz * 1000000ULL + cycles % tsc_khz * 1000000ULL / tsc_khz;
}

u64 sched_clock(void)
{
	return cycles_to_ns(rdtsc() - tsc_at_boot);
}
