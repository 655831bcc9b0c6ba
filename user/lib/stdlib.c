/*
 * Number conversion, sorting and small helpers of stdlib.h.  strtol and
 * strtoul are not lib/'s simple_strtol: C requires them to detect
 * overflow (ERANGE) and to leave *end at the start when there is no
 * number.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (isalpha(c))
		return tolower(c) - 'a' + 10;
	return 99;
}

/*
 * Parse [space][sign][0x]digits in base (0: by prefix).  Returns the
 * magnitude, or ULLONG_MAX with errno = ERANGE on overflow; *neg says
 * whether there was a minus sign.
 */
static unsigned long long scan(const char *s, char **end, int base, int *neg)
{
	const char *p = s;
	unsigned long long v = 0;
	int any = 0, over = 0, d;

	*neg = 0;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		if (end)
			*end = (char *)s;
		return 0;
	}
	while (isspace(*p))
		p++;
	if (*p == '-' || *p == '+')
		*neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && tolower(p[1]) == 'x' && isxdigit(p[2])) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = p[0] == '0' ? 8 : 10;
	}
	for (; (d = digit_value(*p)) < base; p++) {
		any = 1;
		if (v > (ULLONG_MAX - d) / base)
			over = 1;
		else
			v = v * base + d;
	}
	if (end)
		*end = (char *)(any ? p : s);
	if (over) {
		errno = ERANGE;
		return ULLONG_MAX;
	}
	return v;
}

/* The signed conversions clamp the magnitude to [min, max]. */
static long long to_signed(unsigned long long v, int neg, unsigned long long max)
{
	if (v > max + neg) {
		errno = ERANGE;
		return neg ? -(long long)max - 1 : (long long)max;
	}
	return neg ? (long long)(0ULL - v) : (long long)v;
}

/* The unsigned ones negate in unsigned arithmetic: C says "-1" is the maximum. */
static unsigned long long to_unsigned(unsigned long long v, int neg, unsigned long long max)
{
	if (v > max) {
		errno = ERANGE;
		return max;
	}
	return neg ? (0ULL - v) & max : v;
}

long strtol(const char *s, char **end, int base)
{
	int neg;
	unsigned long long v = scan(s, end, base, &neg);

	return (long)to_signed(v, neg, LONG_MAX);
}

long long strtoll(const char *s, char **end, int base)
{
	int neg;
	unsigned long long v = scan(s, end, base, &neg);

	return to_signed(v, neg, LLONG_MAX);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	int neg;
	unsigned long long v = scan(s, end, base, &neg);

	return (unsigned long)to_unsigned(v, neg, ULONG_MAX);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	int neg;
	unsigned long long v = scan(s, end, base, &neg);

	return to_unsigned(v, neg, ULLONG_MAX);
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
int abs(int x) { return x < 0 ? -x : x; }

static void swap_bytes(char *a, char *b, size_t n)
{
	while (n--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Shell sort with Knuth's gaps 1, 4, 13, 40...: short, in place, no recursion. */
void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;
	size_t gap = 1;

	while (gap < n / 3)
		gap = gap * 3 + 1;
	for (; gap > 0; gap /= 3)
		for (size_t i = gap; i < n; i++)
			for (size_t j = i; j >= gap && cmp(a + (j - gap) * size, a + j * size) > 0;
			     j -= gap)
				swap_bytes(a + (j - gap) * size, a + j * size, size);
}

/* A 64-bit linear congruential generator; rand() returns its top 31 bits. */
static uint64_t rand_state = 1;

void srand(unsigned int seed) { rand_state = seed; }

int rand(void)
{
	rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (int)(rand_state >> 33);
}
