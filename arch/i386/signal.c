/*
 * Signal frames, laid out as Linux i386 builds them, so that glibc's
 * restorers (and a static busybox) work unchanged.  A handler installed
 * without SA_SIGINFO gets the old frame that sigreturn (119) undoes; an
 * SA_SIGINFO handler gets the rt frame that rt_sigreturn (173) undoes:
 *
 *   esp -> pretcode   return address: sa_restorer, or retcode below
 *          sig        handler(sig)            handler(sig, &info, &uc)
 *          sc         saved registers         pinfo, puc
 *          extramask  blocked signals 33-64   info      siginfo_t
 *                                             uc        ucontext: registers,
 *                                                       mask, altstack
 *          retcode    "[popl %eax;] movl $__NR_[rt_]sigreturn, %eax; int $0x80"
 *          fpstate    FPU state: FSAVE-format view, then the FXSAVE image
 *
 * The sigreturns read the frame back, checking everything a user could
 * have forged: segments are forced to user ones, eflags keeps IF and
 * IOPL 0, reserved MXCSR bits are cleared.
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
#define MXCSR_VALID_MASK 0x0000ffbf            /* DAZ may be unsupported: keep it clear */

/* The fields of an FXSAVE image that the FSAVE-format view is made from. */
struct fxsave_image {
	u16 cwd, swd;
	u8 ftw, reserved;
	u16 fop;
	u32 fip;
	u16 fcs, reserved2;
	u32 foo;
	u16 fos, reserved3;
	u32 mxcsr, mxcsr_mask;
	struct { struct abi_fpreg r; u8 pad[6]; } st[8];
};

/* x87 tag values (two bits per register) in the FSAVE format. */
#define FP_TAG_VALID   0
#define FP_TAG_ZERO    1
#define FP_TAG_SPECIAL 2
#define FP_TAG_EMPTY   3
#define FP_EXP_MASK    0x7fff
#define FP_INTEGER_BIT 0x8000
#define FP_HIGH_ONES   0xffff0000u         /* FSAVE pads its 16-bit fields with ones */

struct sigframe {
	u32 pretcode;
	int sig;
	struct sigcontext sc;
	unsigned long extramask[NSIG_WORDS - 1];
	u8 retcode[RETCODE_LEN];
	struct abi_fpstate fpstate __attribute__((aligned(FRAME_ALIGN)));
};

struct rt_sigframe {
	u32 pretcode;
	int sig;
	u32 pinfo;
	u32 puc;
	abi_siginfo_t info;
	struct abi_ucontext uc;
	u8 retcode[RETCODE_LEN];
	struct abi_fpstate fpstate __attribute__((aligned(FRAME_ALIGN)));
};

/* The fallback restorers when no SA_RESTORER was given; GDB recognises both. */
static const u8 retcode[RETCODE_LEN] =          /* popl %eax; movl $119, %eax; int $0x80 */
	{ 0x58, 0xb8, __NR_sigreturn, 0, 0, 0, 0xcd, 0x80 };
static const u8 rt_retcode[RETCODE_LEN] =       /* movl $173, %eax; int $0x80 */
	{ 0xb8, __NR_rt_sigreturn, 0, 0, 0, 0xcd, 0x80, 0 };

/* Where a frame of `size` bytes goes: below esp, or atop the alternate stack. */
static unsigned long frame_address(const struct kernel_sigaction *ka, struct pt_regs *regs,
				   size_t size)
{
	unsigned long sp = regs->esp;

	if ((ka->sa_flags & SA_ONSTACK) && sas_ss_flags(sp) == 0)
		sp = current->sas_ss_sp + current->sas_ss_size;
	sp -= size;
	/* the i386 ABI: at function entry (return address pushed) esp+4 is 16-aligned */
	return ((sp + 4) & ~(FRAME_ALIGN - 1)) - 4;
}

/*
 * The full x87 tag word from FXSAVE's abridged one (one bit: empty or
 * not), by looking at each register's exponent as FSAVE would have.
 * The abridged bits are by physical register; the stored values are in
 * stack order, so physical register i is ST((i - top) mod 8).
 */
static u32 fsave_tag_word(const struct fxsave_image *fx)
{
	unsigned top = (fx->swd >> 11) & 7;
	u32 tag_word = 0;

	for (unsigned i = 0; i < 8; i++) {
		const struct abi_fpreg *st = &fx->st[(i - top) & 7].r;
		unsigned exp = st->exponent & FP_EXP_MASK;
		bool sig_zero = !(st->significand[0] | st->significand[1] |
				  st->significand[2] | st->significand[3]);
		unsigned tag;

		if (!(fx->ftw & (1u << i)))
			tag = FP_TAG_EMPTY;
		else if (exp == FP_EXP_MASK)
			tag = FP_TAG_SPECIAL;
		else if (exp == 0)
			tag = sig_zero ? FP_TAG_ZERO : FP_TAG_SPECIAL;
		else
			tag = (st->significand[3] & FP_INTEGER_BIT) ? FP_TAG_VALID : FP_TAG_SPECIAL;
		tag_word |= tag << (2 * i);
	}
	return tag_word | FP_HIGH_ONES;
}

/* Save the FPU into a frame's fpstate: both views, as Linux does. */
static void save_fpstate(struct abi_fpstate *fp)
{
	const struct fxsave_image *fx = (const struct fxsave_image *)current->thread.fxsave;

	fpu_save_current();
	fp->cw = fx->cwd | FP_HIGH_ONES;
	fp->sw = fx->swd | FP_HIGH_ONES;
	fp->tag = fsave_tag_word(fx);
	fp->ipoff = fx->fip;
	fp->cssel = fx->fcs | ((u32)fx->fop << 16);
	fp->dataoff = fx->foo;
	fp->datasel = fx->fos | FP_HIGH_ONES;
	for (int i = 0; i < 8; i++)
		fp->_st[i] = fx->st[i].r;
	fp->status = fx->swd;
	fp->magic = FPSTATE_MAGIC_FXSR;
	memcpy(fp->fxsave, current->thread.fxsave, FXSAVE_SIZE);
}

/* Load the FPU from a frame's FXSAVE image (a kernel copy of user data). */
static void restore_fpstate(struct abi_fpstate *fp)
{
	struct fxsave_image *fx = (struct fxsave_image *)fp->fxsave;

	/* a forged MXCSR with reserved bits set would make FXRSTOR fault in the kernel */
	fx->mxcsr &= MXCSR_VALID_MASK;
	memcpy(current->thread.fxsave, fp->fxsave, FXSAVE_SIZE);
	fpu_restore_current();
}

static void setup_sigcontext(struct sigcontext *sc, struct abi_fpstate *user_fp,
			     unsigned long mask, const struct pt_regs *regs)
{
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
	sc->fpstate = user_fp;
	sc->oldmask = mask;
	sc->cr2 = current->thread.cr2;
}

/* Registers back from a (kernel copy of a) sigcontext; returns the eax to resume with. */
static long restore_sigcontext(struct pt_regs *regs, const struct sigcontext *sc)
{
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
	current->syscall_nr = -1;            /* the interrupted call is not restarted again */
	current->restart_block.fn = do_no_restart_syscall;
	return sc->eax;
}

/*
 * Copy a frame built in kernel memory out to the user stack and point
 * the registers at the handler; false if the stack is unusable.
 */
static bool enter_handler(const struct kernel_sigaction *ka, void *user_frame,
			  const void *frame, size_t size, struct pt_regs *regs)
{
	if (copy_to_user(user_frame, frame, size))
		return false;
	regs->esp = (u32)user_frame;
	regs->eip = (u32)ka->sa_handler;
	regs->ds = regs->es = regs->ss = __USER_DS;
	regs->cs = __USER_CS;
	/* the ABI's function entry has DF clear; RF and TF belong to the interrupted code */
	regs->eflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
	return true;
}

static bool setup_frame(int sig, const struct kernel_sigaction *ka,
			const kernel_sigset_t *oldset, struct pt_regs *regs)
{
	struct sigframe *frame = (struct sigframe *)frame_address(ka, regs, sizeof(*frame));
	struct sigframe *k = kzalloc(sizeof(*k), GFP_KERNEL);
	bool ok;

	if (!k)
		return false;
	k->sig = sig;
	setup_sigcontext(&k->sc, &frame->fpstate, oldset->sig[0], regs);
	memcpy(k->extramask, &oldset->sig[1], sizeof(k->extramask));
	memcpy(k->retcode, retcode, RETCODE_LEN);
	save_fpstate(&k->fpstate);
	k->pretcode = (ka->sa_flags & SA_RESTORER) ? (u32)ka->sa_restorer : (u32)&frame->retcode;
	ok = enter_handler(ka, frame, k, sizeof(*k), regs);
	kfree(k);
	if (ok) {
		regs->eax = sig;             /* also in registers, for regparm handlers */
		regs->edx = regs->ecx = 0;
	}
	return ok;
}

static bool setup_rt_frame(int sig, const struct kernel_sigaction *ka, const abi_siginfo_t *info,
			   const kernel_sigset_t *oldset, struct pt_regs *regs)
{
	struct rt_sigframe *frame = (struct rt_sigframe *)frame_address(ka, regs, sizeof(*frame));
	struct rt_sigframe *k = kzalloc(sizeof(*k), GFP_KERNEL);
	bool ok;

	if (!k)
		return false;
	k->sig = sig;
	k->pinfo = (u32)&frame->info;
	k->puc = (u32)&frame->uc;
	k->info = *info;
	k->uc.uc_stack.ss_sp = (void *)current->sas_ss_sp;
	k->uc.uc_stack.ss_size = current->sas_ss_size;
	k->uc.uc_stack.ss_flags = sas_ss_flags(regs->esp);
	k->uc.uc_sigmask = *oldset;
	setup_sigcontext(&k->uc.uc_mcontext, &frame->fpstate, oldset->sig[0], regs);
	memcpy(k->retcode, rt_retcode, RETCODE_LEN);
	save_fpstate(&k->fpstate);
	k->pretcode = (ka->sa_flags & SA_RESTORER) ? (u32)ka->sa_restorer : (u32)&frame->retcode;
	ok = enter_handler(ka, frame, k, sizeof(*k), regs);
	kfree(k);
	if (ok) {
		regs->eax = sig;
		regs->edx = (u32)&frame->info;
		regs->ecx = (u32)&frame->uc;
	}
	return ok;
}

bool setup_signal_frame(int sig, const struct kernel_sigaction *ka, const abi_siginfo_t *info,
			const kernel_sigset_t *oldset, struct pt_regs *regs)
{
	if (ka->sa_flags & SA_SIGINFO)
		return setup_rt_frame(sig, ka, info, oldset, regs);
	return setup_frame(sig, ka, oldset, regs);
}

/* A frame that cannot be read back is fatal: the context it held is lost. */
static long bad_frame(void *k)
{
	kfree(k);
	force_sig_fault(SIGSEGV, SI_KERNEL, 0);
	return 0;
}

/* The restorer popped pretcode and sig: the frame began 8 bytes below esp. */
long sys_sigreturn(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct sigframe *frame = (struct sigframe *)(regs->esp - 8);
	struct sigframe *k = kmalloc(sizeof(*k), GFP_KERNEL);
	kernel_sigset_t mask;
	long eax;

	if (!k || copy_from_user(k, frame, sizeof(*k)))
		return bad_frame(k);
	mask.sig[0] = k->sc.oldmask;
	memcpy(&mask.sig[1], k->extramask, sizeof(k->extramask));
	sig_drop_unblockable(&mask);
	current->blocked = mask;
	eax = restore_sigcontext(regs, &k->sc);
	restore_fpstate(&k->fpstate);
	kfree(k);
	return eax;
}

/* The handler's ret popped pretcode: the frame began 4 bytes below esp. */
long sys_rt_sigreturn(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct rt_sigframe *frame = (struct rt_sigframe *)(regs->esp - 4);
	struct rt_sigframe *k = kmalloc(sizeof(*k), GFP_KERNEL);
	long eax;

	if (!k || copy_from_user(k, frame, sizeof(*k)))
		return bad_frame(k);
	sig_drop_unblockable(&k->uc.uc_sigmask);
	current->blocked = k->uc.uc_sigmask;
	eax = restore_sigcontext(regs, &k->uc.uc_mcontext);
	restore_fpstate(&k->fpstate);
	/* as Linux: a stack that may not be installed now (still on it, too small) is left */
	do_sigaltstack(&k->uc.uc_stack, NULL, regs->esp);
	kfree(k);
	return eax;
}
