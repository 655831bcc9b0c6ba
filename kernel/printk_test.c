/*
 * Tests of formatted printing (lib/vsprintf.c) and of printk's log
 * buffer (kernel/printk.c).
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/slab.h>

#define FMT_BUF 64

static const char *fmt(char *buf, const char *f, ...) __printf(2, 3);

static const char *fmt(char *buf, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(buf, FMT_BUF, f, ap);
	va_end(ap);
	return buf;
}

KTEST(printk_format_integers)
{
	char b[FMT_BUF];

	KT_STREQ(t, fmt(b, "%d %i %u", -42, 7, 3000000000u), "-42 7 3000000000");
	KT_STREQ(t, fmt(b, "%x %X %#x %o %#o", 0xbeef, 0xbeef, 255, 8, 8), "beef BEEF 0xff 10 010");
	KT_STREQ(t, fmt(b, "%5d|%-5d|%05d|%+d|% d", 42, 42, -42, 5, 5), "   42|42   |-0042|+5| 5");
	KT_STREQ(t, fmt(b, "%lld %llu %llx", -1LL, 18446744073709551615ULL, 0x123456789abcULL),
		 "-1 18446744073709551615 123456789abc");
	KT_STREQ(t, fmt(b, "%hhd %hu %zu %ld", 300, 70000, (size_t)9, -5L), "44 4464 9 -5");
	KT_STREQ(t, fmt(b, "%.3d|%.0d|%*d", 7, 0, 4, 1), "007||   1");
}

KTEST(printk_format_strings_and_pointers)
{
	char b[FMT_BUF];
	const char *volatile null_string = NULL;   /* volatile: hide it from -Wformat */

	KT_STREQ(t, fmt(b, "[%s] [%6s] [%-6s] [%.2s]", "ab", "ab", "ab", "abcdef"),
		 "[ab] [    ab] [ab    ] [ab]");
	KT_STREQ(t, fmt(b, "%c%c%%", 'o', 'k'), "ok%");
	KT_STREQ(t, fmt(b, "%s", null_string), "(null)");
	KT_STREQ(t, fmt(b, "%p", (void *)0xc0100000), "c0100000");
}

KTEST(printk_format_truncation)
{
	char small[8];
	int n = snprintf(small, sizeof(small), "%s", "0123456789");

	KT_EQ(t, n, 10);                        /* the length it would have had */
	KT_STREQ(t, small, "0123456");          /* truncated and terminated */
	KT_EQ(t, snprintf(NULL, 0, "%d", 12345), 5);
}

KTEST(printk_log_buffer)
{
	size_t size = 4096;
	char *buf = kmalloc(size, GFP_KERNEL);
	size_t n;

	KT_ASSERT(t, buf);
	printk(KERN_WARNING "printk-test marker %d\n", 31337);
	n = log_buf_read(buf, size - 1);
	buf[n] = '\0';
	/* stored with its level and a timestamp, and it is the newest line */
	KT_ASSERT(t, strstr(buf, "<4>[") != NULL);
	KT_ASSERT(t, strstr(buf, "] printk-test marker 31337\n") != NULL);
	KT_ASSERT(t, !strcmp(buf + n - strlen("printk-test marker 31337\n"),
			     "printk-test marker 31337\n"));
	kfree(buf);
}
