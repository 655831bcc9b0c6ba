/*
 * The CMOS real-time clock, read once at boot for the wall-clock time
 * (time(2), gettimeofday, file times); jiffies and the TSC count from
 * there.  Reads wait out an update in progress and accept BCD or binary.
 * Its periodic interrupt (IRQ 8) is the profiler's clock (kernel/profile.c).
 */
#include <anvil/kernel.h>
#include <anvil/irq.h>
#include <anvil/time.h>
#include <asm/io.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_STATUS_C 0x0c       /* reading it acknowledges the interrupt */
#define RTC_RATE_MASK 0x0f      /* status A: periodic rate, 32768 >> (rate - 1) Hz */
#define RTC_PIE 0x40            /* status B: periodic interrupt enable */
#define RTC_BASE_HZ 32768U
#define RTC_RATE_MIN 3          /* 8192 Hz, the fastest the chip offers */
#define RTC_RATE_MAX 15         /* 2 Hz */
#define RTC_UIP 0x80            /* update in progress */
#define RTC_BINARY 0x04         /* status B: values are binary, not BCD */
#define RTC_24H 0x02
#define RTC_PM 0x80
#define RTC_SPIN_LIMIT 1000000
#define EPOCH_CENTURY 2000

static u8 cmos_read(u8 reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void cmos_write(u8 reg, u8 v)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, v);
}

static unsigned int bcd2bin(u8 v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* Seconds since 1970 for a civil date (days-from-civil, Gregorian). */
static u32 mktime(unsigned int year, unsigned int mon, unsigned int day, unsigned int hour,
		  unsigned int min, unsigned int sec)
{
	int y = year - (mon <= 2);
	int era = y / 400;
	unsigned int yoe = y - era * 400;
	unsigned int doy = (153 * (mon + (mon > 2 ? -3 : 9)) + 2) / 5 + day - 1;
	unsigned int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long days = (long)era * 146097 + doe - 719468;

	return (u32)(days * 86400 + hour * 3600 + min * 60 + sec);
}

u32 rtc_read_time(void)
{
	unsigned int sec, min, hour, day, mon, year;
	u8 status;

	for (int i = 0; i < RTC_SPIN_LIMIT && (cmos_read(RTC_STATUS_A) & RTC_UIP); i++)
		;
	sec = cmos_read(RTC_SECONDS);
	min = cmos_read(RTC_MINUTES);
	hour = cmos_read(RTC_HOURS);
	day = cmos_read(RTC_DAY);
	mon = cmos_read(RTC_MONTH);
	year = cmos_read(RTC_YEAR);
	status = cmos_read(RTC_STATUS_B);
	if (!(status & RTC_BINARY)) {
		sec = bcd2bin(sec);
		min = bcd2bin(min);
		hour = bcd2bin(hour & ~RTC_PM) | (hour & RTC_PM);
		day = bcd2bin(day);
		mon = bcd2bin(mon);
		year = bcd2bin(year);
	}
	if (!(status & RTC_24H) && (hour & RTC_PM))
		hour = ((hour & ~RTC_PM) % 12) + 12;
	return mktime(year + EPOCH_CENTURY, mon, day, hour, min, sec);
}

static void (*rtc_periodic_fn)(struct pt_regs *regs);

static void rtc_interrupt(int irq, void *data)
{
	cmos_read(RTC_STATUS_C);        /* else the RTC raises no further interrupt */
	rtc_periodic_fn(irq_regs);
}

/*
 * Call fn from IRQ 8 about hz times a second (rounded down to the power
 * of two the chip can do, between 2 and 8192 Hz); the rate it chose.
 */
unsigned int rtc_start_periodic(unsigned int hz, void (*fn)(struct pt_regs *regs))
{
	unsigned int rate = RTC_RATE_MIN;

	while (rate < RTC_RATE_MAX && (RTC_BASE_HZ >> (rate - 1)) > hz)
		rate++;
	rtc_periodic_fn = fn;
	cmos_write(RTC_STATUS_A, (cmos_read(RTC_STATUS_A) & ~RTC_RATE_MASK) | rate);
	cmos_write(RTC_STATUS_B, cmos_read(RTC_STATUS_B) | RTC_PIE);
	cmos_read(RTC_STATUS_C);
	if (request_irq(IRQ_RTC, rtc_interrupt, "rtc", NULL))
		return 0;
	return RTC_BASE_HZ >> (rate - 1);
}
