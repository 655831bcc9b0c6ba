/*
 * The i386 side of tasks: the first kernel-stack frame of a new task,
 * what changes on a switch (page directory, kernel stack in the TSS,
 * TLS descriptors, FPU/SSE registers), the registers of a freshly
 * exec'd program, and set_thread_area().
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/switch.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <asm/desc.h>
#include <abi/errno.h>

#define X86_CR0_MP 0x00000002
#define X86_CR0_EM 0x00000004
#define X86_CR0_TS 0x00000008
#define X86_CR0_NE 0x00000020
#define X86_CR4_OSFXSR 0x00000200
#define X86_CR4_OSXMMEXCPT 0x00000400
#define CPUID_EDX_FXSR (1u << 24)
#define EFLAGS_USER_INITIAL (X86_EFLAGS_IF | X86_EFLAGS_RESERVED)

/* A clean FPU/SSE state, as after fninit, that exec gives every program. */
static u8 init_fxsave[FXSAVE_SIZE] __attribute__((aligned(16)));

static inline void fxsave(u8 *area)
{
	__asm__ __volatile__("fxsave (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor(const u8 *area)
{
	__asm__ __volatile__("fxrstor (%0)" : : "r"(area) : "memory");
}

/*
 * User programs (glibc's SSE2 string functions among them) use the FPU
 * and SSE registers; the kernel never does (-mgeneral-regs-only), so they
 * only need saving when switching tasks.
 */
void fpu_cpu_init(void)
{
	u32 eax, ebx, ecx, edx;

	cpuid(1, &eax, &ebx, &ecx, &edx);
	if (!(edx & CPUID_EDX_FXSR))
		panic("this CPU has no FXSAVE/FXRSTOR; anvil needs a Pentium II or later");
	write_cr0((read_cr0() & ~(X86_CR0_EM | X86_CR0_TS)) | X86_CR0_MP | X86_CR0_NE);
	__asm__ __volatile__("movl %%cr4, %%eax; orl %0, %%eax; movl %%eax, %%cr4"
			     : : "i"(X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT) : "eax");
	__asm__ __volatile__("fninit");
}

/* The boot CPU's, and the clean FPU state every new task starts from. */
void fpu_init(void)
{
	fpu_cpu_init();
	fxsave(init_fxsave);
	memcpy(init_task.thread.fxsave, init_fxsave, FXSAVE_SIZE);
}

void fpu_save_current(void)
{
	fxsave(current->thread.fxsave);
}

void fpu_restore_current(void)
{
	fxrstor(current->thread.fxsave);
}

static void load_tls(const struct task_struct *t)
{
	for (int i = 0; i < GDT_ENTRY_TLS_ENTRIES; i++)
		set_tls_desc(GDT_ENTRY_TLS_MIN + i, t->thread.tls_array[i]);
}

struct task_struct *arch_switch_to(struct task_struct *prev, struct task_struct *next)
{
	if (next->mm)
		switch_mm(next->mm);
	else
		next->active_mm = enter_lazy_tlb();    /* kernel threads borrow page tables */
	load_esp0((unsigned long)next->stack + THREAD_SIZE);
	load_tls(next);
	fxsave(prev->thread.fxsave);
	fxrstor(next->thread.fxsave);
	return switch_to(&prev->thread.esp, next->thread.esp, prev);
}

/* fork: the child starts in ret_from_fork and returns to user mode with a copy of regs. */
void copy_thread(struct task_struct *p, const struct pt_regs *regs, unsigned long newsp)
{
	struct pt_regs *child = task_pt_regs(p);
	struct switch_frame *frame = (struct switch_frame *)child - 1;

	*child = *regs;
	child->eax = 0;                      /* fork() returns 0 in the child */
	if (newsp)
		child->esp = newsp;
	memset(frame, 0, sizeof(*frame));
	frame->ret = (u32)ret_from_fork;
	p->thread.esp = (unsigned long)frame;
	memcpy(p->thread.tls_array, current->thread.tls_array, sizeof(p->thread.tls_array));
	fpu_save_current();
	memcpy(p->thread.fxsave, current->thread.fxsave, FXSAVE_SIZE);
}

void copy_kernel_thread(struct task_struct *p, int (*fn)(void *), void *arg)
{
	struct switch_frame *frame = (struct switch_frame *)task_pt_regs(p) - 1;

	memset(frame, 0, sizeof(*frame));
	frame->ebx = (u32)fn;
	frame->esi = (u32)arg;
	frame->ret = (u32)kernel_thread_start;
	p->thread.esp = (unsigned long)frame;
	memcpy(p->thread.fxsave, init_fxsave, FXSAVE_SIZE);
}

void start_thread(struct pt_regs *regs, unsigned long eip, unsigned long esp)
{
	memset(regs, 0, sizeof(*regs));
	regs->cs = __USER_CS;
	regs->ds = regs->es = regs->ss = __USER_DS;
	regs->fs = regs->gs = 0;
	regs->eip = eip;
	regs->esp = esp;
	regs->eflags = EFLAGS_USER_INITIAL;
	memset(current->thread.tls_array, 0, sizeof(current->thread.tls_array));
	load_tls(current);
	memcpy(current->thread.fxsave, init_fxsave, FXSAVE_SIZE);
	fxrstor(current->thread.fxsave);
}

/*
 * Install the TLS descriptor *u_info asks for in task p (Linux's
 * do_set_thread_area).  entry_number -1 means "any free slot" when
 * can_allocate, and the slot chosen is written back; clone(CLONE_SETTLS)
 * must name its slot.  The descriptor is checked before the slot.
 */
long do_set_thread_area(struct task_struct *p, struct user_desc *u_info, bool can_allocate)
{
	struct user_desc info;
	u64 desc;
	int idx, err;

	if (copy_from_user(&info, u_info, sizeof(info)))
		return -EFAULT;
	err = tls_desc_from_user(&info, &desc);
	if (err)
		return err;
	idx = info.entry_number;
	if (idx == -1 && can_allocate) {
		for (idx = GDT_ENTRY_TLS_MIN; idx <= GDT_ENTRY_TLS_MAX; idx++)
			if (!p->thread.tls_array[idx - GDT_ENTRY_TLS_MIN])
				break;
		if (idx > GDT_ENTRY_TLS_MAX)
			return -ESRCH;
		if (put_user(idx, &u_info->entry_number))
			return -EFAULT;
	}
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	p->thread.tls_array[idx - GDT_ENTRY_TLS_MIN] = desc;
	if (p == current)
		load_tls(current);
	return 0;
}

/* set_thread_area(2): install a TLS descriptor (glibc's %gs for thread-local data). */
long sys_set_thread_area(struct user_desc *u_info)
{
	return do_set_thread_area(current, u_info, true);
}

long sys_get_thread_area(struct user_desc *u_info)
{
	struct user_desc info;
	u64 d;
	int idx;

	if (get_user(idx, &u_info->entry_number))
		return -EFAULT;
	if (idx < GDT_ENTRY_TLS_MIN || idx > GDT_ENTRY_TLS_MAX)
		return -EINVAL;
	d = current->thread.tls_array[idx - GDT_ENTRY_TLS_MIN];
	memset(&info, 0, sizeof(info));
	info.entry_number = idx;
	info.base_addr = (u32)((d >> 16) & 0xffffff) | (u32)((d >> 56) << 24);
	info.limit = (u32)(d & 0xffff) | (u32)(((d >> 48) & 0xf) << 16);
	info.seg_32bit = (d >> 54) & 1;
	info.contents = (d >> 42) & 3;
	info.read_exec_only = !((d >> 41) & 1);
	info.limit_in_pages = (d >> 55) & 1;
	info.seg_not_present = !((d >> 47) & 1);
	info.useable = (d >> 52) & 1;
	if (copy_to_user(u_info, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}
