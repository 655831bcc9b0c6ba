/*
 * The printf family.  All formatting is lib/vsprintf.c's vsnprintf; this
 * file only finds room for the result and sends it to a stream, a file
 * descriptor or a caller's buffer.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Format into small if it fits, else into a malloc'd buffer (which the
 * caller frees when it is not small).  *len gets the length; NULL means
 * out of memory.
 */
static char *format(char *small, size_t size, int *len, const char *fmt, va_list ap)
{
	va_list again;
	char *buf;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, size, fmt, ap);
	if (n < (int)size) {
		va_end(again);
		*len = n;
		return small;
	}
	buf = malloc(n + 1);
	if (buf)
		vsnprintf(buf, n + 1, fmt, again);
	va_end(again);
	*len = n;
	return buf;
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	char small[256], *buf;
	int n;

	buf = format(small, sizeof(small), &n, fmt, ap);
	if (!buf)
		return -1;
	if (fwrite(buf, 1, n, f) != (size_t)n)
		n = -1;
	if (buf != small)
		free(buf);
	return n;
}

int vdprintf(int fd, const char *fmt, va_list ap)
{
	char small[256], *buf;
	int n, done = 0;

	buf = format(small, sizeof(small), &n, fmt, ap);
	if (!buf)
		return -1;
	while (done < n) {
		ssize_t w = write(fd, buf + done, n - done);

		if (w <= 0) {
			done = -1;
			break;
		}
		done += w;
	}
	if (buf != small)
		free(buf);
	return done < 0 ? -1 : n;
}

int vprintf(const char *fmt, va_list ap) { return vfprintf(stdout, fmt, ap); }
int vsprintf(char *buf, const char *fmt, va_list ap) { return vsnprintf(buf, INT_MAX, fmt, ap); }

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return n;
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(f, fmt, ap);
	va_end(ap);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsprintf(buf, fmt, ap);
	va_end(ap);
	return n;
}
