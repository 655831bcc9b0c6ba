/*
 * Signal frames, laid out as Linux i386 does for rt signals, so that
 * glibc's and our libc's handlers and restorers work unchanged:
 *
 *   esp -> pretcode   return address: sa_restorer, or retcode below
 *          sig        handler(sig, &info, &uc)
 *          pinfo, puc
 *          info       siginfo_t
 *          uc         ucontext: saved registers, signal mask, altstack
 *          retcode    "movl $__NR_rt_sigreturn, %eax; int $0x80"
 *          fpstate    FXSAVE image of the FPU/SSE registers
 *
 * rt_sigreturn reads it back, checking everything a user could have
 * forged: segments are forced to user ones, eflags keeps IF and IOPL 0.
 */
#include <anvil/kernel.h>
#include <anvil/signal.h>
#include <anvil/switch.h>
#include <anvil/uaccess.h>
#include <anvil/slab.h>
#include <anvil/syscalls.h>
#include <abi/unistd.h>

#define FRAME_ALIGN 16
#define RETCODE_LEN 8
#define X86_EFLAGS_USER_CHANGEABLE 0x00254dd5   /* CF PF AF ZF SF TF DF OF NT AC ID */
#define X86_EFLAGS_TF 0x00000100
#define MXCSR_OFFSET 24
#define MXCSR_VALID_MASK 0x0000ffbf            /* DAZ may be unsupported: keep it clear */

struct rt_sigframe {
	u32 pretcode;
	int sig;
	u32 pinfo;
	u32 puc;
	abi_siginfo_t info;
	struct abi_ucontext uc;
	u8 retcode[RETCODE_LEN];
	u8 fpstate[FXSAVE_SIZE] __attribute__((aligned(16)));
};

/* "movl $173, %eax; int $0x80" */
static const u8 rt_retcode[RETCODE_LEN] = { 0xb8, __NR_rt_sigreturn, 0, 0, 0, 0xcd, 0x80, 0 };

static unsigned long frame_address(const struct kernel_sigaction *ka, struct pt_regs *regs)
{
	unsigned long sp = regs->esp;
	const abi_stack_t *ss = &current->sas;

	if ((ka->sa_flags & SA_ONSTACK) && ss->ss_size && !(ss->ss_flags & SS_DISABLE) &&
	    !(sp >= (unsigned long)ss->ss_sp && sp < (unsigned long)ss->ss_sp + ss->ss_size))
		sp = (unsigned long)ss->ss_sp + ss->ss_size;
	sp -= sizeof(struct rt_sigframe);
	/* the i386 ABI: at function entry (after the return address is pushed) esp+4 is 16-aligned */
	return ((sp + 4) & ~(FRAME_ALIGN - 1)) - 4;
}

bool setup_rt_frame(int sig, const struct kernel_sigaction *ka, const abi_siginfo_t *info,
		    const kernel_sigset_t *oldset, struct pt_regs *regs)
{
	struct rt_sigframe *frame = (struct rt_sigframe *)frame_address(ka, regs);
	struct rt_sigframe *k = kzalloc(sizeof(*k), GFP_KERNEL);
	struct sigcontext *sc;
	bool ok;

	if (!k)
		return false;
	k->sig = sig;
	k->pinfo = (u32)&frame->info;
	k->puc = (u32)&frame->uc;
	k->info = *info;
	k->uc.uc_stack = current->sas;
	k->uc.uc_sigmask = *oldset;
	sc = &k->uc.uc_mcontext;
	sc->gs = regs->gs;
	sc->fs = regs->fs;
	sc->es = regs->es;
	sc->ds = regs->ds;
	sc->edi = regs->edi;
	sc->esi = regs->esi;
	sc->ebp = regs->ebp;
	sc->esp = regs->esp;
	sc->ebx = regs->ebx;
	sc->edx = regs->edx;
	sc->ecx = regs->ecx;
	sc->eax = regs->eax;
	sc->trapno = current->thread.trap_no;
	sc->err = current->thread.error_code;
	sc->eip = regs->eip;
	sc->cs = regs->cs;
	sc->eflags = regs->eflags;
	sc->esp_at_signal = regs->esp;
	sc->ss = regs->ss;
	sc->fpstate = &frame->fpstate;
	sc->oldmask = oldset->sig[0];
	sc->cr2 = current->thread.cr2;
	memcpy(k->retcode, rt_retcode, sizeof(rt_retcode));
	fpu_save_current();
	memcpy(k->fpstate, current->thread.fxsave, FXSAVE_SIZE);
	k->pretcode = (ka->sa_flags & SA_RESTORER) ? (u32)ka->sa_restorer : (u32)&frame->retcode;
	ok = !copy_to_user(frame, k, sizeof(*k));
	kfree(k);
	if (!ok)
		return false;

	regs->esp = (u32)frame;
	regs->eip = (u32)ka->sa_handler;
	regs->eax = sig;                     /* also in registers, for regparm handlers */
	regs->edx = (u32)&frame->info;
	regs->ecx = (u32)&frame->uc;
	regs->ds = regs->es = regs->ss = __USER_DS;
	regs->cs = __USER_CS;
	regs->eflags &= ~X86_EFLAGS_TF;
	return true;
}

long sys_rt_sigreturn(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct rt_sigframe *frame = (struct rt_sigframe *)(regs->esp - 4);
	struct rt_sigframe *k = kmalloc(sizeof(*k), GFP_KERNEL);
	struct sigcontext *sc;
	long eax;

	if (!k || copy_from_user(k, frame, sizeof(*k))) {
		kfree(k);
		force_sig_fault(SIGSEGV, SI_KERNEL, 0);
		return 0;
	}
	sig_drop_unblockable(&k->uc.uc_sigmask);
	current->blocked = k->uc.uc_sigmask;
	sc = &k->uc.uc_mcontext;
	regs->gs = sc->gs;
	regs->fs = sc->fs;
	regs->es = __USER_DS;
	regs->ds = __USER_DS;
	regs->edi = sc->edi;
	regs->esi = sc->esi;
	regs->ebp = sc->ebp;
	regs->esp = sc->esp;
	regs->ebx = sc->ebx;
	regs->edx = sc->edx;
	regs->ecx = sc->ecx;
	regs->eip = sc->eip;
	regs->cs = __USER_CS;
	regs->ss = __USER_DS;
	regs->eflags = (regs->eflags & ~X86_EFLAGS_USER_CHANGEABLE) |
		       (sc->eflags & X86_EFLAGS_USER_CHANGEABLE);
	eax = sc->eax;
	/* a forged MXCSR with reserved bits set would make FXRSTOR fault in the kernel */
	*(u32 *)(k->fpstate + MXCSR_OFFSET) &= MXCSR_VALID_MASK;
	memcpy(current->thread.fxsave, k->fpstate, FXSAVE_SIZE);
	fpu_restore_current();
	current->sas = k->uc.uc_stack;
	kfree(k);
	return eax;
}
