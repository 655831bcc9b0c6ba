/*
 * The page-fault handler: cr2 holds the address, the error code says
 * why (bit 0: the page was present, i.e. a protection fault; bit 1: a
 * write; bit 2: from user mode).  A fault inside a VMA that allows the
 * access goes to handle_mm_fault(); a fault just below a stack VMA grows
 * it (not far below the stack pointer, never below MMAP_MIN_ADDR);
 * anything else is SIGSEGV for a user access, or -- for the kernel's
 * own user copies -- the exception table's fixup, and otherwise an oops.
 * A user copy by a task with SIGKILL pending takes the fixup at once.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/traps.h>
#include <anvil/uaccess.h>
#include <anvil/vmstat.h>
#include <anvil/oom.h>
#include <abi/signal.h>

#define PF_PROT 0x1     /* the page was present */
#define PF_WRITE 0x2
#define PF_USER 0x4
/* Linux's allowance for "push" and "pusha" writing below the stack pointer */
#define STACK_BELOW_ESP_SLACK (65536 + 32 * sizeof(unsigned long))

static bool in_exception_table(unsigned long eip)
{
	extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++)
		if (e->insn == eip)
			return true;
	return false;
}

/*
 * The stack pointer a fault below a stack VMA is measured against.  A
 * user access: the one it faulted with.  A user copy inside a system
 * call: the one the program made the call with (the frame at the top of
 * its kernel stack).  Linux 2.6 checks user-mode faults only, so there
 * read(fd, p, n) grows a stack down to any p; anvil holds a system call
 * to what the program could have done itself, so a buffer far below the
 * stack pointer -- NULL, say -- is -EFAULT, not a stack.
 */
static unsigned long user_stack_pointer(const struct pt_regs *regs)
{
	return user_mode(regs) ? regs->esp : task_pt_regs(current)->esp;
}

/* Does vma allow this access? */
static bool access_allowed(const struct vm_area_struct *vma, u32 err)
{
	if (err & PF_WRITE)
		return vma->vm_flags & VM_WRITE;
	if (err & PF_PROT)          /* a present page refused a read: PROT_NONE */
		return false;
	return vma->vm_flags & (VM_READ | VM_EXEC | VM_WRITE);
}

void do_page_fault(struct pt_regs *regs)
{
	unsigned long address = read_cr2();
	u32 err = regs->err;
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int si_code = SEGV_MAPERR;

	if (regs->eflags & X86_EFLAGS_IF)
		local_irq_enable();       /* cr2 is read: now interrupts may come */
	count_vm_event(PGFAULT);

	/* a kernel address, or no user context, or a kernel access outside a user copy */
	if (address >= TASK_SIZE || !mm ||
	    (!user_mode(regs) && !in_exception_table(regs->eip)))
		goto bad_area_nosemaphore;
	/*
	 * A user copy by a task that has been killed fails here instead of
	 * faulting the page in, as Linux's get_user_pages() stops on
	 * fatal_signal_pending().  The system call's result no longer
	 * matters, and the dying task may take the last reserve pages: a
	 * getrandom() or read() of a huge buffer, copying page after page,
	 * would pour them all into memory nobody will use, while the
	 * allocator of every other task waits for this one to exit.
	 */
	if (!user_mode(regs) && fatal_signal_pending(current))
		goto bad_area_nosemaphore;

	down_read(&mm->mmap_sem);
	vma = find_vma(mm, address);
	if (!vma)
		goto bad_area;
	if (vma->vm_start > address) {
		if (!(vma->vm_flags & VM_GROWSDOWN))
			goto bad_area;
		if (address + STACK_BELOW_ESP_SLACK < user_stack_pointer(regs))
			goto bad_area;
		if (expand_stack(vma, address))
			goto bad_area;
	}
	si_code = SEGV_ACCERR;
	if (!access_allowed(vma, err))
		goto bad_area;

	switch (handle_mm_fault(mm, vma, address, (err & PF_WRITE) != 0)) {
	case VM_FAULT_SIGBUS:
		goto do_sigbus;
	case VM_FAULT_OOM:
		goto out_of_memory;
	}
	up_read(&mm->mmap_sem);
	return;

bad_area:
	up_read(&mm->mmap_sem);
bad_area_nosemaphore:
	if (user_mode(regs)) {
		current->thread.cr2 = address;
		current->thread.error_code = err;
		current->thread.trap_no = VECTOR_PAGE_FAULT;
		force_sig_fault(SIGSEGV, si_code, address);
		return;
	}
no_context:
	/* the kernel touched memory it has no business touching, or a user copy failed */
	if (fixup_exception(regs))
		return;
	die("page fault", regs);

out_of_memory:
	up_read(&mm->mmap_sem);
	if (!user_mode(regs))
		goto no_context;         /* the user copy fails with -EFAULT */
	out_of_memory_fault();
	return;

do_sigbus:
	up_read(&mm->mmap_sem);
	if (!user_mode(regs))
		goto no_context;
	force_sig_fault(SIGBUS, BUS_ADRERR, address);
}
