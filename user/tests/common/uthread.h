/*
 * Threads made with the raw clone system call, for the tests that need
 * them (anvil's C library has no pthreads): a thread runs fn(arg) on a
 * stack of its own and exits with fn's value; a join waits on its tid
 * word, which the kernel clears and wakes at the thread's exit
 * (CLONE_CHILD_CLEARTID), as glibc's pthread_join does.  A thread must
 * not touch errno or stdio: the raw calls here return -errno.
 */
#ifndef UTHREAD_H
#define UTHREAD_H

#include <stddef.h>
#include <stdint.h>

#define UTHREAD_STACK_SIZE (64 * 1024)
/* what pthread_create asks clone for (without CLONE_SETTLS: no TLS here) */
#define UTHREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |   \
		       CLONE_SYSVSEM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

struct uthread {
	volatile uint32_t tid;            /* CLONE_PARENT_SETTID, CLONE_CHILD_CLEARTID */
	char *stack;
};

/* A system call with up to five arguments; the raw result, -errno on failure. */
long raw_syscall(long nr, long a, long b, long c, long d, long e);
/* futex(2), raw. */
long raw_futex(volatile uint32_t *uaddr, int op, uint32_t val, const void *timeout,
	       volatile uint32_t *uaddr2, uint32_t val3);
/*
 * Call clone-like system call nr with ebx..edi = b, c, d, S, D.  The child
 * starts on a stack whose top holds fn and then arg: it calls fn(arg) and
 * exits with its value.  Returns the parent's result.
 */
long raw_clone_call(long nr, long b, long c, long d, long S, long D);
/* Store fn and arg at the top of a child stack ending at top; the child's stack pointer. */
unsigned long uthread_stack_top(char *top, int (*fn)(void *), void *arg);

/* Start fn(arg) in a new thread of this process: its tid, or -errno. */
long uthread_start(struct uthread *t, int (*fn)(void *), void *arg);
/* Wait until t has exited, and free its stack. */
void uthread_join(struct uthread *t);
/* Wait at most ms milliseconds for t to exit (then free its stack): 0, or -ETIMEDOUT. */
long uthread_join_within(struct uthread *t, long ms);
/* Run the calling thread on CPU cpu only (sched_setaffinity): 0, or -errno. */
long uthread_pin(int cpu);
long uthread_unpin(void);
/* The CPU the calling thread runs on (getcpu), or -errno. */
long uthread_cpu(void);

#endif
