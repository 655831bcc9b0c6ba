/*
 * Private to the C library: the raw system-call helpers and the hooks
 * that tie its files together.  Programs never include this.
 *
 * __syscallN(nr, ...) issues int $0x80 and returns the raw result
 * (-errno on failure); SYSn() also converts it through __syscall_ret,
 * which sets errno and returns -1.  Six-argument calls need ebp, which
 * GCC will not give to an asm operand, so __syscall6 is in syscall.S.
 */
#ifndef USER_LIBC_H
#define USER_LIBC_H

#include <abi/unistd.h>

static inline long __syscall0(long n)
{
	long r;

	__asm__ __volatile__("int $0x80" : "=a"(r) : "0"(n) : "memory");
	return r;
}

static inline long __syscall1(long n, long a)
{
	long r;

	__asm__ __volatile__("int $0x80" : "=a"(r) : "0"(n), "b"(a) : "memory");
	return r;
}

static inline long __syscall2(long n, long a, long b)
{
	long r;

	__asm__ __volatile__("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b) : "memory");
	return r;
}

static inline long __syscall3(long n, long a, long b, long c)
{
	long r;

	__asm__ __volatile__("int $0x80" : "=a"(r) : "0"(n), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static inline long __syscall4(long n, long a, long b, long c, long d)
{
	long r;

	__asm__ __volatile__("int $0x80"
			     : "=a"(r)
			     : "0"(n), "b"(a), "c"(b), "d"(c), "S"(d)
			     : "memory");
	return r;
}

static inline long __syscall5(long n, long a, long b, long c, long d, long e)
{
	long r;

	__asm__ __volatile__("int $0x80"
			     : "=a"(r)
			     : "0"(n), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			     : "memory");
	return r;
}

long __syscall6(long n, long a, long b, long c, long d, long e, long f);

/* A raw result to the C convention: -errno becomes -1 with errno set. */
long __syscall_ret(long r);

#define SYS0(n) __syscall_ret(__syscall0(n))
#define SYS1(n, a) __syscall_ret(__syscall1(n, (long)(a)))
#define SYS2(n, a, b) __syscall_ret(__syscall2(n, (long)(a), (long)(b)))
#define SYS3(n, a, b, c) __syscall_ret(__syscall3(n, (long)(a), (long)(b), (long)(c)))
#define SYS4(n, a, b, c, d) \
	__syscall_ret(__syscall4(n, (long)(a), (long)(b), (long)(c), (long)(d)))
#define SYS5(n, a, b, c, d, e) \
	__syscall_ret(__syscall5(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e)))
#define SYS6(n, a, b, c, d, e, f)                                                   \
	__syscall_ret(__syscall6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), \
				 (long)(f)))

/* crt0 -> start.c: the auxiliary vector, for getauxval(). */
extern unsigned long *__auxv;

/* exit() flushes every stdio stream through this (stdio.c). */
void __stdio_exit(void);

#endif
