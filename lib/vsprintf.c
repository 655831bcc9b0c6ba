/*
 * vsnprintf: the one formatted-printing engine, used by the kernel's
 * printk and by the user C library's printf family.  It never writes
 * past size bytes and always returns the length the full output would
 * have, as C99 requires.
 */
#include <lib/format.h>
#include <lib/string.h>
#include <lib/ctype.h>
#include <stdint.h>

#define FL_LEFT 0x01  /* '-' */
#define FL_ZERO 0x02  /* '0' */
#define FL_PLUS 0x04  /* '+' */
#define FL_SPACE 0x08 /* ' ' */
#define FL_ALT 0x10   /* '#' */
#define FL_UPPER 0x20
#define FL_SIGNED 0x40

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emit s (length n) padded to width, honouring '-'. */
static void put_field(struct out *o, const char *s, int n, int width, int flags)
{
	if (!(flags & FL_LEFT))
		put_pad(o, ' ', width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (flags & FL_LEFT)
		put_pad(o, ' ', width - n);
}

static void put_number(struct out *o, unsigned long long v, int base, int width,
		       int prec, int flags)
{
	const char *digits = (flags & FL_UPPER) ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	char sign = 0;
	const char *prefix = "";
	int n = 0, zeros, total;

	if (flags & FL_SIGNED) {
		if ((long long)v < 0) {
			sign = '-';
			v = -(long long)v;
		} else if (flags & FL_PLUS) {
			sign = '+';
		} else if (flags & FL_SPACE) {
			sign = ' ';
		}
	}
	if ((flags & FL_ALT) && v) {
		if (base == 16)
			prefix = (flags & FL_UPPER) ? "0X" : "0x";
		else if (base == 8)
			prefix = "0";
	}
	if (v >> 32) {
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);
	} else {
		/* most numbers fit 32 bits: one div each, not a libgcc 64-bit division */
		unsigned long w = v;

		do {
			tmp[n++] = digits[w % base];
			w /= base;
		} while (w);
	}
	if (prec == 0 && n == 1 && tmp[0] == '0')
		n = 0;
	zeros = prec > n ? prec - n : 0;
	total = n + zeros + (sign != 0) + (int)strlen(prefix);
	if ((flags & FL_ZERO) && !(flags & FL_LEFT) && prec < 0 && width > total) {
		zeros += width - total;
		total = width;
	}
	if (!(flags & FL_LEFT))
		put_pad(o, ' ', width - total);
	if (sign)
		put(o, sign);
	while (*prefix)
		put(o, *prefix++);
	put_pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (flags & FL_LEFT)
		put_pad(o, ' ', width - total);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0, base = 10;
		unsigned long long v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		for (;;) {
			char f = *++fmt;

			if (f == '-')
				flags |= FL_LEFT;
			else if (f == '0')
				flags |= FL_ZERO;
			else if (f == '+')
				flags |= FL_PLUS;
			else if (f == ' ')
				flags |= FL_SPACE;
			else if (f == '#')
				flags |= FL_ALT;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= FL_LEFT;
				width = -width;
			}
			fmt++;
		} else {
			while (isdigit(*fmt))
				width = width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else {
				while (isdigit(*fmt))
					prec = prec * 10 + (*fmt++ - '0');
			}
		}
		/* length: hh=-2 h=-1 l=1 ll=2 z=1 */
		for (;; fmt++) {
			if (*fmt == 'h')
				lng--;
			else if (*fmt == 'l')
				lng++;
			else if (*fmt == 'z' || *fmt == 't')
				lng = 1;
			else
				break;
		}
		switch (*fmt) {
		case 'c':
			{
				char c = (char)va_arg(ap, int);

				put_field(&o, &c, 1, width, flags);
			}
			continue;
		case 's':
			{
				const char *s = va_arg(ap, const char *);

				if (!s)
					s = "(null)";
				put_field(&o, s, prec >= 0 ? (int)strnlen(s, prec) : (int)strlen(s),
					  width, flags);
			}
			continue;
		case '%':
			put(&o, '%');
			continue;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			put_number(&o, v, 16, width ? width : 8, 8, flags & ~FL_ALT);
			continue;
		case 'd':
		case 'i':
			flags |= FL_SIGNED;
			if (lng >= 2)
				v = va_arg(ap, long long);
			else if (lng == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			if (lng == -1)
				v = (short)v;
			else if (lng <= -2)
				v = (signed char)v;
			put_number(&o, v, 10, width, prec, flags);
			continue;
		case 'X':
			flags |= FL_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		case 'u':
			break;
		case '\0':
			fmt--;
			continue;
		default:
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}
		if (lng >= 2)
			v = va_arg(ap, unsigned long long);
		else if (lng == 1)
			v = va_arg(ap, unsigned long);
		else
			v = va_arg(ap, unsigned int);
		if (lng == -1)
			v = (unsigned short)v;
		else if (lng <= -2)
			v = (unsigned char)v;
		put_number(&o, v, base, width, prec, flags);
	}
	if (o.size)
		o.buf[o.len < o.size ? o.len : o.size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int digit_value(char c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

/* base 0 means: 0x prefix = hex, leading 0 = octal, else decimal. */
unsigned long simple_strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	while (isspace(*s))
		s++;
	if (base == 0) {
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit(s[2]))
			base = 16, s += 2;
		else if (s[0] == '0')
			base = 8;
		else
			base = 10;
	} else if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit(s[2])) {
		s += 2;
	}
	while (digit_value(*s) < base)
		v = v * base + digit_value(*s++);
	if (end)
		*end = (char *)s;
	return v;
}

long simple_strtol(const char *s, char **end, int base)
{
	while (isspace(*s))
		s++;
	if (*s == '-')
		return -(long)simple_strtoul(s + 1, end, base);
	if (*s == '+')
		s++;
	return (long)simple_strtoul(s, end, base);
}
