/*
 * Buffered I/O.  stdout is line-buffered on a terminal and fully buffered
 * otherwise, stderr is unbuffered (as glibc).  The printf family formats
 * with the shared engine in lib/vsprintf.c (no floating point).
 */
#ifndef _STDIO_H
#define _STDIO_H

#include <stdarg.h>
#include <stddef.h>
#include <sys/types.h>
#include <abi/fcntl.h>    /* SEEK_* */

#define EOF (-1)
#define BUFSIZ 4096

typedef struct _FILE FILE;

extern FILE *stdin, *stdout, *stderr;

FILE *fopen(const char *path, const char *mode);
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int fflush(FILE *f);
size_t fread(void *buf, size_t size, size_t n, FILE *f);
size_t fwrite(const void *buf, size_t size, size_t n, FILE *f);
int fgetc(FILE *f);
int getc(FILE *f);
int getchar(void);
char *fgets(char *s, int size, FILE *f);
ssize_t getline(char **line, size_t *cap, FILE *f);
int ungetc(int c, FILE *f);
int fputc(int c, FILE *f);
int putc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
int feof(FILE *f);
int ferror(FILE *f);
void clearerr(FILE *f);
int fileno(FILE *f);

#define __printf(a, b) __attribute__((format(printf, a, b)))
int printf(const char *fmt, ...) __printf(1, 2);
int fprintf(FILE *f, const char *fmt, ...) __printf(2, 3);
int dprintf(int fd, const char *fmt, ...) __printf(2, 3);
int sprintf(char *buf, const char *fmt, ...) __printf(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vprintf(const char *fmt, va_list ap) __printf(1, 0);
int vfprintf(FILE *f, const char *fmt, va_list ap) __printf(2, 0);
int vdprintf(int fd, const char *fmt, va_list ap) __printf(2, 0);
int vsprintf(char *buf, const char *fmt, va_list ap) __printf(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) __printf(3, 0);
#undef __printf

void perror(const char *s);
int rename(const char *from, const char *to);

#endif
