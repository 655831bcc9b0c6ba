/*
 * String functions: the freestanding set shared with the kernel
 * (lib/string.c) plus the ones that need malloc or message tables.
 */
#ifndef _STRING_H
#define _STRING_H

#include <lib/string.h>

char *strdup(const char *s);
char *strndup(const char *s, size_t n);
char *strncat(char *dst, const char *src, size_t n);
char *strerror(int err);
char *strsignal(int sig);

#endif
