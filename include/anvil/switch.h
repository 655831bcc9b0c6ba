/*
 * The architecture side of task switching (arch/i386/process.c and
 * arch/i386/switch.asm), used by the scheduler and fork.
 */
#ifndef ANVIL_SWITCH_H
#define ANVIL_SWITCH_H

#include <anvil/sched.h>

struct user_desc;

/*
 * What switch_to leaves at a sleeping task's thread.esp: the callee-saved
 * registers it pops, then its return address (fork builds one by hand;
 * /proc/<pid>/stack starts its walk from one).
 */
struct switch_frame {
	u32 edi, esi, ebx, ebp;
	u32 ret;
};

struct task_struct *switch_to(unsigned long *prev_esp, unsigned long next_esp,
			      struct task_struct *prev);
void ret_from_fork(void);
void kernel_thread_start(void);
void ret_to_user(struct pt_regs *regs) __noreturn;

void fpu_init(void);
/* Each CPU's FPU/SSE control bits (fpu_init does the boot CPU's). */
void fpu_cpu_init(void);
/* Registers, FPU, TLS and page tables for `next`, then the stack switch. */
struct task_struct *arch_switch_to(struct task_struct *prev, struct task_struct *next);
/* Build a new task's first kernel-stack frame. */
void copy_thread(struct task_struct *p, const struct pt_regs *regs, unsigned long newsp);
void copy_kernel_thread(struct task_struct *p, int (*fn)(void *), void *arg);
/* Point the user registers at a fresh program (exec). */
void start_thread(struct pt_regs *regs, unsigned long eip, unsigned long esp);
/* arch/i386/tlb.c: load next's page tables here (and join its cpu_vm_mask) ... */
void switch_mm(struct mm_struct *next);
/* ... or only the kernel's (and leave the mask) ... */
void leave_mm(void);
/* ... or, for a kernel thread, keep what is loaded (lazy TLB); returns that mm. */
struct mm_struct *enter_lazy_tlb(void);
/* A flush put off while this CPU waited for the big kernel lock: do it now. */
void flush_tlb_deferred(void);
/* Install the TLS descriptor *u_info asks for in p (set_thread_area, clone's CLONE_SETTLS). */
long do_set_thread_area(struct task_struct *p, struct user_desc *u_info, bool can_allocate);
void fpu_save_current(void);
void fpu_restore_current(void);

#endif
