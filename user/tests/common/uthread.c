/*
 * Threads made with the raw clone system call (uthread.h): the i386
 * system-call stubs that a thread may use without errno, and clone's
 * child side, which must not return into the C code that called clone
 * (it runs on another stack).
 */
#include <errno.h>
#include <time.h>
#include <sys/mman.h>
#include <abi/futex.h>
#include <abi/misc.h>
#include <abi/unistd.h>
#include "testlib.h"
#include "uthread.h"

#define JOIN_POLL_NS 10000000L         /* a timed join looks at the clock every 10 ms */

long raw_syscall(long nr, long a, long b, long c, long d, long e)
{
	long r;

	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory");
	return r;
}

long raw_futex(volatile uint32_t *uaddr, int op, uint32_t val, const void *timeout,
	       volatile uint32_t *uaddr2, uint32_t val3)
{
	long r;

	/* the sixth argument goes in ebp, which the compiler may not be given */
	__asm__ volatile("pushl %%ebp\n\t"
			 "movl %%eax, %%ebp\n\t"
			 "movl %[nr], %%eax\n\t"
			 "int $0x80\n\t"
			 "popl %%ebp"
			 : "=a"(r)
			 : "a"(val3), [nr] "i"(__NR_futex), "b"(uaddr), "c"(op), "d"(val),
			   "S"(timeout), "D"(uaddr2)
			 : "memory");
	return r;
}

long raw_clone_call(long nr, long b, long c, long d, long S, long D)
{
	long r;

	/* the child pops fn, calls it with arg (now on top), exits with its value */
	__asm__ volatile("int $0x80\n\t"
			 "testl %%eax, %%eax\n\t"
			 "jnz 1f\n\t"
			 "popl %%eax\n\t"
			 "call *%%eax\n\t"
			 "movl %%eax, %%ebx\n\t"
			 "movl %[exit], %%eax\n\t"
			 "int $0x80\n\t"
			 "hlt\n"
			 "1:"
			 : "=a"(r)
			 : "a"(nr), "b"(b), "c"(c), "d"(d), "S"(S), "D"(D), [exit] "i"(__NR_exit)
			 : "memory");
	return r;
}

unsigned long uthread_stack_top(char *top, int (*fn)(void *), void *arg)
{
	unsigned long *sp = (unsigned long *)top;

	*--sp = (unsigned long)arg;
	*--sp = (unsigned long)fn;
	return (unsigned long)sp;
}

long uthread_start(struct uthread *t, int (*fn)(void *), void *arg)
{
	t->tid = 0;
	t->stack = mmap(NULL, UTHREAD_STACK_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t->stack == MAP_FAILED)
		return -ENOMEM;
	return raw_clone_call(__NR_clone, UTHREAD_FLAGS,
			      (long)uthread_stack_top(t->stack + UTHREAD_STACK_SIZE, fn, arg),
			      (long)&t->tid, 0, (long)&t->tid);
}

void uthread_join(struct uthread *t)
{
	uint32_t v;

	while ((v = t->tid) != 0)
		raw_futex(&t->tid, FUTEX_WAIT, v, NULL, NULL, 0);
	munmap(t->stack, UTHREAD_STACK_SIZE);
}

long uthread_join_within(struct uthread *t, long ms)
{
	struct timespec t0, slice = { 0, JOIN_POLL_NS };
	uint32_t v;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((v = t->tid) != 0) {
		if (ms_since(&t0) > ms)
			return -ETIMEDOUT;
		raw_futex(&t->tid, FUTEX_WAIT, v, &slice, NULL, 0);
	}
	munmap(t->stack, UTHREAD_STACK_SIZE);
	return 0;
}

long uthread_pin(int cpu)
{
	unsigned long mask = 1UL << cpu;

	return raw_syscall(__NR_sched_setaffinity, 0, sizeof(mask), (long)&mask, 0, 0);
}

/* Let the calling thread run on every CPU again. */
long uthread_unpin(void)
{
	unsigned long mask = ~0UL;

	return raw_syscall(__NR_sched_setaffinity, 0, sizeof(mask), (long)&mask, 0, 0);
}

long uthread_cpu(void)
{
	unsigned cpu;
	long r = raw_syscall(__NR_getcpu, (long)&cpu, 0, 0, 0, 0);

	return r < 0 ? r : (long)cpu;
}
