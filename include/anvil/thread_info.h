/*
 * The thread_info at the bottom of every kernel stack (Linux 2.6's
 * asm-i386/thread_info.h): kernel stacks are THREAD_SIZE bytes and
 * THREAD_SIZE-aligned, so masking %esp finds it -- and through it the
 * running task (`current`) and the CPU it runs on -- with one AND, on
 * whichever CPU the code runs, with no per-CPU register to keep.
 */
#ifndef ANVIL_THREAD_INFO_H
#define ANVIL_THREAD_INFO_H

#include <anvil/types.h>
#include <asm/page.h>

#define THREAD_SIZE (2 * PAGE_SIZE)      /* kernel stack per task */
#define THREAD_ORDER 1

struct task_struct;

struct thread_info {
	struct task_struct *task;         /* whose stack this is */
	unsigned int cpu;                 /* the CPU it runs (or last ran) on */
	int preempt_count;                /* spinlocks held + preempt_disable()s */
};

/* A task's stack: its thread_info at the bottom, its struct pt_regs at the top. */
union thread_union {
	struct thread_info info;
	unsigned long stack[THREAD_SIZE / sizeof(unsigned long)];
};

static inline struct thread_info *current_thread_info(void)
{
	unsigned long sp;

	__asm__("movl %%esp, %0" : "=r"(sp));
	return (struct thread_info *)(sp & ~(THREAD_SIZE - 1UL));
}

static inline struct task_struct *get_current(void)
{
	return current_thread_info()->task;
}

/* The running task.  In GDB, whose `current` depends on the CPU selected: $current(). */
#define current get_current()

#endif
