/*
 * Formatted printing (lib/vsprintf.c), shared by printk and the user
 * C library's printf family.  Supports the usual conversions
 * (%d %i %u %x %X %o %c %s %p %%), flags "-0+ #", width, precision,
 * '*', and the length modifiers hh h l ll z.
 */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Parse an integer the way strtol does; *end points past the digits. */
long simple_strtol(const char *s, char **end, int base);
unsigned long simple_strtoul(const char *s, char **end, int base);

#endif
