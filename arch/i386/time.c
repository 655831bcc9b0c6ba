/*
 * Time keeping on the PC: the 8254 PIT's channel 0 interrupts HZ times a
 * second and advances jiffies; at boot the TSC is calibrated against
 * PIT channel 2 (the speaker gate, polled) so that sched_clock() can
 * turn cycle counts into nanoseconds.
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
#define TSC_KHZ_FALLBACK 1000000  /* 1 GHz if the PIT never answers */

volatile unsigned long jiffies;
u32 tsc_khz;
static u64 tsc_at_boot;

static void timer_interrupt(int irq, void *data)
{
	jiffies++;
	run_timers();
	scheduler_tick(irq_regs);
}

/* Count TSC cycles while PIT channel 2 counts down CALIBRATE_MS. */
static u32 calibrate_tsc_khz(void)
{
	u8 speaker = inb(PORT_SPEAKER);
	u64 t0, t1;
	unsigned long spins = 0;

	outb(PORT_SPEAKER, (speaker & ~SPEAKER_ON) | SPEAKER_GATE2);
	outb(PIT_CMD, PIT_CMD_CH2_ONESHOT);
	outb(PIT_CH2, CALIBRATE_LATCH & 0xff);
	outb(PIT_CH2, CALIBRATE_LATCH >> 8);
	t0 = rdtsc();
	while (!(inb(PORT_SPEAKER) & SPEAKER_OUT2) && ++spins < CALIBRATE_SPIN_LIMIT)
		;
	t1 = rdtsc();
	outb(PORT_SPEAKER, speaker);
	if (spins >= CALIBRATE_SPIN_LIMIT || t1 <= t0) {
		printk(KERN_WARNING "time: TSC calibration failed, assuming 1 GHz\n");
		return TSC_KHZ_FALLBACK;
	}
	return (u32)((t1 - t0) / CALIBRATE_MS);
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
