/*
 * The Interrupt Descriptor Table and the C side of every trap.
 * trap_handler() is called by arch/i386/entry.asm with the saved
 * registers and sends each vector on: system calls to the syscall
 * table, IRQs to do_IRQ, page faults to do_page_fault, and the other
 * CPU exceptions to do_exception -- a signal for a user process, an
 * oops in the kernel.  On the way back to user mode it reschedules and
 * delivers signals (prepare_exit_to_usermode).
 */
#include <anvil/kernel.h>
#include <anvil/irq.h>
#include <anvil/kallsyms.h>
#include <anvil/traps.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <anvil/uaccess.h>
#include <anvil/time.h>
#include <anvil/smp.h>
#include <anvil/smp_lock.h>
#include <asm/apic.h>
#include <asm/desc.h>
#include <asm/irq_vectors.h>
#include <asm/processor.h>

#define IDT_ENTRIES 256
#define GATE_INTERRUPT 0x8e   /* present, DPL 0, 32-bit interrupt gate */
#define GATE_DPL3 0x60
#define NR_STUBS 48           /* 32 exceptions + 16 IRQs */

static u64 idt[IDT_ENTRIES];
extern const u32 isr_stub_table[NR_STUBS];
extern const u32 isr_stub_syscall;
extern const u32 apic_stub_table[NR_SYSTEM_VECTORS];

static const char *const exception_names[NR_EXCEPTIONS] = {
	"divide error", "debug", "NMI", "int3", "overflow", "bounds",
	"invalid opcode", "device not available", "double fault",
	"coprocessor segment overrun", "invalid TSS", "segment not present",
	"stack segment", "general protection fault", "page fault", "reserved",
	"x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point exception", "virtualization exception",
	"control protection exception", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security exception", "reserved",
};

const char *exception_name(unsigned int vector)
{
	return vector < NR_EXCEPTIONS ? exception_names[vector] : "unknown";
}

static void set_gate(int vector, u32 handler, u8 type)
{
	idt[vector] = (handler & 0xffff) | ((u64)__KERNEL_CS << 16) |
		      ((u64)type << 40) | ((u64)(handler >> 16) << 48);
}

/* Point this CPU at the IDT (every CPU shares the one table). */
void idt_load(void)
{
	struct {
		u16 limit;
		u32 base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (u32)idt };

	__asm__ __volatile__("lidt %0" : : "m"(idtr));
}

void idt_init(void)
{
	for (int v = 0; v < NR_STUBS; v++)
		set_gate(v, isr_stub_table[v], GATE_INTERRUPT);
	/* int3 and into may be used from user mode, as on Linux */
	set_gate(VECTOR_BREAKPOINT, isr_stub_table[VECTOR_BREAKPOINT], GATE_INTERRUPT | GATE_DPL3);
	set_gate(VECTOR_OVERFLOW, isr_stub_table[VECTOR_OVERFLOW], GATE_INTERRUPT | GATE_DPL3);
	set_gate(SYSCALL_VECTOR, isr_stub_syscall, GATE_INTERRUPT | GATE_DPL3);
	for (int v = 0; v < NR_SYSTEM_VECTORS; v++)
		set_gate(FIRST_SYSTEM_VECTOR + v, apic_stub_table[v], GATE_INTERRUPT);
	idt_load();
}

void show_regs(const struct pt_regs *regs)
{
	char sym[96];
	u32 esp = user_mode(regs) ? regs->esp : (u32)&regs->esp;
	u32 ss = user_mode(regs) ? regs->ss : __KERNEL_DS;

	sprint_symbol(sym, sizeof(sym), regs->eip);
	printk(KERN_EMERG "EIP: %04x:[<%08x>] EFLAGS: %08x  (%s)\n",
	       regs->cs & 0xffff, regs->eip, regs->eflags, user_mode(regs) ? "user" : sym);
	printk(KERN_EMERG "EAX: %08x EBX: %08x ECX: %08x EDX: %08x\n",
	       regs->eax, regs->ebx, regs->ecx, regs->edx);
	printk(KERN_EMERG "ESI: %08x EDI: %08x EBP: %08x ESP: %08x\n",
	       regs->esi, regs->edi, regs->ebp, esp);
	printk(KERN_EMERG " DS: %04x ES: %04x FS: %04x GS: %04x SS: %04x\n",
	       regs->ds & 0xffff, regs->es & 0xffff, regs->fs & 0xffff,
	       regs->gs & 0xffff, ss & 0xffff);
	printk(KERN_EMERG "CR0: %08x CR2: %08x CR3: %08x CR4: %08x\n",
	       read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

/* A kernel-mode fault nothing can fix: print the oops and panic. */
void die(const char *what, struct pt_regs *regs)
{
	printk(KERN_EMERG "Oops: %s, error code %#x, vector %u\n", what, regs->err, regs->trapno);
	if (regs->trapno == VECTOR_PAGE_FAULT)
		printk(KERN_EMERG "BUG: unable to handle kernel access at virtual address %08x\n",
		       read_cr2());
	show_regs(regs);
	show_backtrace(regs->eip, regs->ebp);
	panic_after_oops("Fatal exception: %s", what);
}

/*
 * The way back to user mode (entry.asm, ret_from_trap) loads the user's
 * %ds, %es, %fs and %gs and irets to the user's %cs and %ss.  A user can
 * leave a selector there the CPU will refuse -- a TLS slot it has since
 * cleared, an LDT selector or a not-present one in a forged sigcontext --
 * and the load then faults in the kernel with #GP, #NP or #SS.  As Linux
 * does: a data segment that will not load is replaced by the null
 * selector and the pop retried (the user faults on its first access
 * through it, if it makes one); an iret that faults re-enters as a trap
 * from user mode (iret_exc), which kills or signals the process.
 */
static bool fixup_user_exit(struct pt_regs *regs)
{
	extern const char ret_pop_ds[], ret_pop_es[], ret_pop_fs[], ret_pop_gs[];
	extern const char ret_iret[], iret_exc[];

	if (regs->trapno != VECTOR_GP_FAULT && regs->trapno != VECTOR_SEGMENT_NOT_PRESENT &&
	    regs->trapno != VECTOR_STACK_SEGMENT)
		return false;
	if (regs->eip == (u32)ret_pop_ds || regs->eip == (u32)ret_pop_es ||
	    regs->eip == (u32)ret_pop_fs || regs->eip == (u32)ret_pop_gs) {
		/* a kernel-mode frame ends where esp pointed: at the slot being popped */
		*(u32 *)&regs->esp = 0;
		return true;
	}
	if (regs->eip == (u32)ret_iret) {
		regs->eip = (u32)iret_exc;
		return true;
	}
	return false;
}

/* The signal Linux sends for each exception raised in user mode. */
static void user_exception_signal(unsigned int vector, int *sig, int *code)
{
	*code = SI_KERNEL;
	switch (vector) {
	case VECTOR_DIVIDE:
		*sig = SIGFPE;
		*code = FPE_INTDIV;
		break;
	case VECTOR_DEBUG:
	case VECTOR_BREAKPOINT:
		*sig = SIGTRAP;
		*code = TRAP_BRKPT;
		break;
	case VECTOR_INVALID_OP:
		*sig = SIGILL;
		*code = ILL_ILLOPN;
		break;
	case VECTOR_X87:
	case VECTOR_SIMD:
		*sig = SIGFPE;
		break;
	case VECTOR_ALIGNMENT:
		*sig = SIGBUS;
		*code = BUS_ADRERR;
		break;
	case TRAP_IRET_ERROR:             /* 32-bit Linux's do_iret_error */
		*sig = SIGILL;
		*code = ILL_BADSTK;
		break;
	default:
		*sig = SIGSEGV;
	}
}

/*
 * QEMU's TCG can signal an external interrupt and then find none to give
 * when the CPU acknowledges it (the APIC's request went away between the
 * two); it then delivers "vector -1", which faults as #GP with the error
 * code an IDT entry -1 gives, (-1 << 3) | 2.  No instruction was run and
 * nothing was lost: the interrupted code goes on.  No program can cause
 * this code, so the check cannot hide a user's fault.
 */
#define GP_ERR_NO_VECTOR 0xfffffffaU
static unsigned long spurious_no_vector_count;

static bool spurious_no_vector(const struct pt_regs *regs)
{
	if (regs->trapno != VECTOR_GP_FAULT || regs->err != GP_ERR_NO_VECTOR)
		return false;
	if (!spurious_no_vector_count++)
		printk(KERN_WARNING "traps: an interrupt with no vector (QEMU's TCG), ignored\n");
	return true;
}

static void do_exception(struct pt_regs *regs)
{
	const char *name = exception_name(regs->trapno);

	if (spurious_no_vector(regs))
		return;
	if (user_mode(regs)) {
		int sig, code;

		user_exception_signal(regs->trapno, &sig, &code);
		current->thread.trap_no = regs->trapno;
		current->thread.error_code = regs->err;
		force_sig_fault(sig, code, regs->eip);
		return;
	}
	if (fixup_user_exit(regs))
		return;
	if (fixup_exception(regs))
		return;
	die(name, regs);
}

/* The local APIC's own vectors (asm/irq_vectors.h). */
static void do_apic_vector(struct pt_regs *regs)
{
	switch (regs->trapno) {
	case LOCAL_TIMER_VECTOR:
		smp_apic_timer_interrupt(regs);
		break;
	case RESCHEDULE_VECTOR:
		smp_reschedule_interrupt(regs);
		break;
	case INVALIDATE_TLB_VECTOR:
		smp_invalidate_interrupt(regs);
		break;
	case ERROR_APIC_VECTOR:
		smp_error_interrupt(regs);
		break;
	case SPURIOUS_APIC_VECTOR:      /* no EOI: the APIC marks no vector in service */
		smp_spurious_interrupt(regs);
		break;
	default:                        /* a vector nothing sends: acknowledged, counted */
		ack_APIC_irq();
		smp_spurious_interrupt(regs);
	}
}

/*
 * Every trap runs with the big kernel lock (kernel/smp_lock.c) but the
 * local APIC's own interrupts other than its timer: a TLB flush (the
 * holder may be waiting for it), the reschedule IPI (it also wakes CPUs
 * halted in lock_kernel), the APIC's error and spurious vectors, and any
 * of a CPU still starting (arch/i386/smpboot.c).  Each is acknowledged
 * before this CPU could wait in lock_kernel: the APIC holds back every
 * vector of the priority class in service, so a wait with one of them
 * unacknowledged would never see the wake-up or the next flush.  A
 * reschedule that came from user mode then goes on to the way out, which
 * takes the lock.  The lock is taken here when this CPU comes from user
 * mode or from the idle halt, kept when the trap interrupted kernel code
 * that holds it; whoever took it lets it go on the way out -- on the CPU
 * the task is on by then, which holds it, whichever CPU the trap came in
 * on.
 */
void trap_handler(struct pt_regs *regs)
{
	u32 n = regs->trapno;
	bool online = cpu_isset(smp_processor_id(), cpu_online_map);
	bool apic_vector = n >= FIRST_SYSTEM_VECTOR && n < FIRST_SYSTEM_VECTOR + NR_SYSTEM_VECTORS;
	bool took_kernel_lock;

	if (apic_vector && (n != LOCAL_TIMER_VECTOR || !online)) {
		do_apic_vector(regs);
		if (n != RESCHEDULE_VECTOR || !user_mode(regs) || !online)
			return;
	}
	took_kernel_lock = !kernel_locked();
	if (took_kernel_lock)
		lock_kernel();
	if (n == SYSCALL_VECTOR) {
		local_irq_enable();
		do_syscall(regs);
	} else if (n >= IRQ_VECTOR_BASE && n < IRQ_VECTOR_BASE + NR_IRQS) {
		do_IRQ(n - IRQ_VECTOR_BASE, regs);
	} else if (apic_vector) {
		if (n == LOCAL_TIMER_VECTOR)         /* the others were handled above */
			do_apic_vector(regs);
	} else if (n == VECTOR_PAGE_FAULT) {
		do_page_fault(regs);
	} else {
		if (regs->eflags & X86_EFLAGS_IF)
			local_irq_enable();
		do_exception(regs);
	}
	if (user_mode(regs)) {
		local_irq_enable();
		prepare_exit_to_usermode(regs);
		local_irq_disable();        /* iret restores the user's IF */
	}
	if (took_kernel_lock)
		unlock_kernel();
}
