/*
 * The segment and TLS calls (fuzz -s, off by default): set_thread_area
 * and get_thread_area with edge-case descriptors, modify_ldt, a selector
 * loaded into %ds, %es, %fs, %gs, %ss or (by a far jump) %cs across a
 * system call, and sigreturn/rt_sigreturn of crafted frames.  Each is
 * made by its own code here, so the batch gets flat segments back
 * afterwards; a user-mode fault on the way (a selector the CPU refuses)
 * is caught and the batch goes on.  Oracles, besides the kernel's log:
 * registers but %eax come back from int $0x80 as they went in, and a
 * signal handler starts with the direction flag clear.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <abi/ldt.h>
#include <abi/unistd.h>
#include <abi/signal.h>
#include "../../lib/libc.h"
#include "fuzz.h"

/* Linux i386's GDT selectors (anvil uses the same slots) and descriptor bits. */
#define SEL_KERNEL_CS 0x08
#define SEL_KERNEL_DS 0x10
#define SEL_USER_CS 0x1b
#define SEL_USER_DS 0x23
#define SEL_TSS 0x28
#define SEL_LDT 0x04             /* the table-indicator bit: anvil has no LDT */
#define SEL_RPL3 3
#define TLS_MIN 6                /* GDT_ENTRY_TLS_MIN: entries 6..8 */
#define TLS_ENTRIES 3
#define SEL_TLS(entry) ((entry) * 8 + SEL_RPL3)
#define SEL_MASK 0xffff

/*
 * A descriptor's flags as one argument (A_DESC_FLAGS), so the log shows
 * them: struct user_desc's bit fields packed in their order.
 */
#define UD_SEG_32BIT 0x01
#define UD_CONTENTS_SHIFT 1
#define UD_CONTENTS_MASK 3
#define UD_READ_EXEC_ONLY 0x08
#define UD_LIMIT_IN_PAGES 0x10
#define UD_SEG_NOT_PRESENT 0x20
#define UD_USEABLE 0x40
#define UD_FLAG_BITS 7
#define UD_CONTENTS(c) ((c) << UD_CONTENTS_SHIFT)
#define UD_FLAT_DATA (UD_SEG_32BIT | UD_LIMIT_IN_PAGES | UD_USEABLE)
#define UD_EMPTY (UD_READ_EXEC_ONLY | UD_SEG_NOT_PRESENT)   /* clears the slot, as Linux's */
#define LIMIT_4G_PAGES 0xfffff

#define LINUX_NR_MODIFY_LDT 123  /* not in anvil's table: -ENOSYS */
#define X86_EFLAGS_TF 0x100
#define X86_EFLAGS_DF 0x400
#define EFLAGS_SANE 0x202        /* IF and the always-one bit */
#define KERNEL_ADDR 0xC0000000UL
#define FRAME_BYTES 4096         /* more than a sigframe or rt_sigframe with its FPU state */
#define FRAME_SLACK 8192         /* below the frame: a signal frame the kernel may push there */
#define SEG_FAULTED (-4095L)     /* a guarded call's result when a fault ended it */
#define FINDING_LEN 160
#define NAP_NS 1000000           /* 1 ms */

/* The beginning of Linux i386's sigframe and rt_sigframe (what the sigreturns read back). */
struct old_frame_head {
	unsigned long pretcode;
	int sig;
	struct sigcontext sc;
	unsigned long extramask[NSIG_WORDS - 1];
};

struct rt_frame_head {
	unsigned long pretcode;
	int sig;
	unsigned long pinfo, puc;
	abi_siginfo_t info;
	struct abi_ucontext uc;
};

/*
 * One system call made with chosen segment registers (seg_call_asm): the
 * registers going in, and coming out (in the order popped off the stack).
 * The offsets are the assembly's.
 */
struct seg_call {
	unsigned long nr, ebx, ecx, edx, esi, edi, ebp;   /* 0 .. 24 */
	unsigned long seg[4];                              /* 28 .. 40: ds, es, fs, gs */
	unsigned long std;                                 /* 44: set DF first */
	unsigned long out_gs, out_fs, out_es, out_ds;      /* 48 .. 60 */
	unsigned long out_edi, out_esi, out_ebp, out_esp;  /* 64 .. 76: pushal's */
	unsigned long out_ebx, out_edx, out_ecx, out_eax;  /* 80 .. 92 */
	unsigned long esp_before;                          /* 96 */
};
_Static_assert(offsetof(struct seg_call, std) == 44, "seg_call_asm's offsets");
_Static_assert(offsetof(struct seg_call, out_gs) == 48, "seg_call_asm's offsets");
_Static_assert(offsetof(struct seg_call, out_eax) == 92, "seg_call_asm's offsets");
_Static_assert(offsetof(struct seg_call, esp_before) == 96, "seg_call_asm's offsets");

long seg_call_asm(struct seg_call *c);
/* %ss = sel across one call (nr, ebx, ecx); seg_esp_after gets %esp as the kernel left it. */
long seg_ss_asm(unsigned long sel, long nr, long ebx, long ecx);
/* %cs = sel (a far jump) across one call. */
long seg_cs_asm(unsigned long sel, long nr, long ebx, long ecx);
/* sigreturn (nr) with %esp = sp: the frame decides where it goes; back here at the end. */
void seg_sigreturn_asm(long nr, unsigned long sp);
void seg_fault_entry(int sig);
void seg_fault(int sig);         /* seg_fault_entry's C half */

struct seg_call *seg_cur;
unsigned long seg_esp_before, seg_esp_after, seg_fault_flags;
/* The flat selectors this program started with (anvil's and 32-bit Linux's differ), far jumps. */
unsigned long seg_flat_ds, seg_flat_cs, seg_far[2], seg_far_back[2];

/*
 * Nothing here touches the stack while %ss may be odd, nor memory through
 * %ds while it may be: %ss (still flat) or %cs (a code segment that runs
 * this code has base 0, and user code segments are readable) reach it.
 */
__asm__(
	".text\n"
	".globl seg_call_asm\n"
	"seg_call_asm:\n"
	"	push %ebp\n	push %edi\n	push %esi\n	push %ebx\n"
	"	mov 20(%esp), %eax\n"
	"	mov %eax, seg_cur\n"
	"	mov %esp, 96(%eax)\n"
	"	mov 36(%eax), %ecx\n	mov %ecx, %fs\n"
	"	mov 40(%eax), %ecx\n	mov %ecx, %gs\n"
	"	mov 32(%eax), %ecx\n	mov %ecx, %es\n"
	"	mov 28(%eax), %ecx\n	mov %ecx, %ds\n"
	"	mov %ss:4(%eax), %ebx\n	mov %ss:8(%eax), %ecx\n	mov %ss:12(%eax), %edx\n"
	"	mov %ss:16(%eax), %esi\n	mov %ss:20(%eax), %edi\n	mov %ss:24(%eax), %ebp\n"
	"	cmpl $0, %ss:44(%eax)\n	je 1f\n	std\n"
	"1:	mov %ss:0(%eax), %eax\n"
	"	int $0x80\n"
	"	pushal\n"
	"	xor %ecx, %ecx\n"
	"	mov %ds, %cx\n	push %ecx\n	mov %es, %cx\n	push %ecx\n"
	"	mov %fs, %cx\n	push %ecx\n	mov %gs, %cx\n	push %ecx\n"
	"	mov %ss:seg_flat_ds, %ecx\n	mov %ecx, %ds\n	mov %ecx, %es\n"
	"	cld\n"
	"	mov seg_cur, %eax\n"
	"	popl 48(%eax)\n	popl 52(%eax)\n	popl 56(%eax)\n	popl 60(%eax)\n"
	"	popl 64(%eax)\n	popl 68(%eax)\n	popl 72(%eax)\n	popl 76(%eax)\n"
	"	popl 80(%eax)\n	popl 84(%eax)\n	popl 88(%eax)\n	popl 92(%eax)\n"
	"	mov 92(%eax), %eax\n"
	"	pop %ebx\n	pop %esi\n	pop %edi\n	pop %ebp\n"
	"	ret\n"

	".globl seg_ss_asm\n"
	"seg_ss_asm:\n"
	"	push %ebp\n	push %edi\n	push %esi\n	push %ebx\n"
	"	mov 20(%esp), %edx\n	mov 24(%esp), %eax\n"
	"	mov 28(%esp), %ebx\n	mov 32(%esp), %ecx\n"
	"	mov %esp, seg_esp_before\n"
	"	mov %edx, %ss\n"
	"	int $0x80\n"
	"	mov %esp, seg_esp_after\n"
	"	mov seg_flat_ds, %ecx\n	mov %ecx, %ss\n"
	"	mov seg_esp_before, %esp\n"
	"	cld\n"
	"	pop %ebx\n	pop %esi\n	pop %edi\n	pop %ebp\n"
	"	ret\n"

	".globl seg_cs_asm\n"
	"seg_cs_asm:\n"
	"	push %ebp\n	push %edi\n	push %esi\n	push %ebx\n"
	"	mov 20(%esp), %edx\n	mov 24(%esp), %eax\n"
	"	mov 28(%esp), %ebx\n	mov 32(%esp), %ecx\n"
	"	movl $2f, seg_far\n	mov %edx, seg_far + 4\n"
	"	movl $3f, seg_far_back\n	mov seg_flat_cs, %edx\n	mov %edx, seg_far_back + 4\n"
	"	ljmp *seg_far\n"
	"2:	int $0x80\n"
	"	ljmp *seg_far_back\n"
	"3:	pop %ebx\n	pop %esi\n	pop %edi\n	pop %ebp\n"
	"	ret\n"

	".globl seg_sigreturn_asm\n"
	"seg_sigreturn_asm:\n"
	"	push %ebp\n	push %edi\n	push %esi\n	push %ebx\n"
	"	mov 20(%esp), %eax\n	mov 24(%esp), %edx\n"
	"	mov %esp, seg_esp_before\n"
	"	mov %edx, %esp\n"
	"	int $0x80\n"
	".globl seg_landing\n"
	"seg_landing:\n"
	"	mov %cs:seg_flat_ds, %ecx\n	mov %ecx, %ds\n	mov %ecx, %es\n	mov %ecx, %ss\n"
	"	mov seg_esp_before, %esp\n"
	"	pushl $0x202\n	popfl\n"
	"	pop %ebx\n	pop %esi\n	pop %edi\n	pop %ebp\n"
	"	ret\n"

	/* a fault: flat data segments and DF clear (as it came, noted) before any C runs */
	".globl seg_fault_entry\n"
	"seg_fault_entry:\n"
	"	mov %cs:seg_flat_ds, %eax\n	mov %eax, %ds\n	mov %eax, %es\n"
	"	pushfl\n	popl seg_fault_flags\n	cld\n"
	"	jmp seg_fault\n");

extern const char seg_landing[];
_Static_assert(EFLAGS_SANE == 0x202, "the assembly's constant");

/* The faults a guarded call survives. */
static const int fault_sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP };
#define NR_FAULT_SIGS (sizeof(fault_sigs) / sizeof(fault_sigs[0]))

static jmp_buf seg_recover;
static volatile int seg_armed;
static struct user_desc own_desc[2];
static unsigned char frame_area[FRAME_SLACK + FRAME_BYTES] __attribute__((aligned(16)));
static long last_tls_entry = TLS_MIN;

/* A guarded call faulted (a selector the CPU refused, a forged eip): back to guarded_call. */
void seg_fault(int sig)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };

	if (seg_fault_flags & X86_EFLAGS_DF)
		note_finding("the handler of signal %d started with the direction flag set", sig);
	if (!seg_armed) {                   /* not ours: die of it, as without -s */
		sigaction(sig, &dfl, NULL);
		return;
	}
	seg_armed = 0;
	longjmp(seg_recover, sig);
}

long guarded_call(const struct fuzz_call *c, const long *a)
{
	long r;

	if (setjmp(seg_recover)) {
		__asm__ __volatile__("pushl %0; popfl" : : "i"(EFLAGS_SANE) : "cc");   /* no AC, TF */
		return SEG_FAULTED;
	}
	seg_armed = 1;
	r = c->make(a);
	seg_armed = 0;
	return r;
}

/*
 * -s: note the flat selectors to come back to; faults in the calls above
 * end the call, not the batch (SA_NODEFER: no mask to undo).
 */
void seg_setup(void)
{
	struct sigaction sa = { .sa_handler = seg_fault_entry, .sa_flags = SA_NODEFER };

	__asm__ __volatile__("xor %0, %0; xor %1, %1; mov %%ds, %w0; mov %%cs, %w1"
			     : "=&r"(seg_flat_ds), "=&r"(seg_flat_cs));
	for (unsigned i = 0; i < NR_FAULT_SIGS; i++)
		sigaction(fault_sigs[i], &sa, NULL);
}

void note_finding(const char *fmt, ...)
{
	char text[FINDING_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!fuzz_shared->findings++)
		snprintf((char *)fuzz_shared->first_finding, sizeof(fuzz_shared->first_finding),
			 "%u.%u.%u: %s", cur_seed, cur_batch, cur_call, text);
}

/* Called first in every handler the batch installs (-s): Linux clears DF for a handler. */
void check_handler_flags(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfl; popl %0; cld" : "=r"(flags));
	if (flags & X86_EFLAGS_DF)
		note_finding("a signal handler started with the direction flag set");
}

#define PICK(arr) ((arr)[rnd_below(sizeof(arr) / sizeof((arr)[0]))])

long gen_tls_entry(void)
{
	switch (rnd_below(8)) {
	case 0: case 1: case 2:
		return -1;                              /* the first free slot */
	case 3: case 4: case 5:
		return TLS_MIN + (long)rnd_below(TLS_ENTRIES);
	case 6:
		return (long)rnd_below(2 * (TLS_MIN + TLS_ENTRIES));   /* other GDT slots, past the end */
	default:
		return (long)rnd();
	}
}

long gen_seg_base(void)
{
	static const unsigned long bases[] = { 0, 0, 0, ARENA_BASE, KERNEL_ADDR, 0xffffffffUL,
					       KERNEL_ADDR - PAGE };

	return rnd_below(4) ? (long)PICK(bases) : (long)rnd();
}

long gen_seg_limit(void)
{
	static const unsigned long limits[] = { LIMIT_4G_PAGES, LIMIT_4G_PAGES, 0, 1, 0xffff,
						0xfffffffful };

	return rnd_below(4) ? (long)PICK(limits) : (long)(rnd() & LIMIT_4G_PAGES);
}

long gen_desc_flags(void)
{
	static const unsigned long flags[] = {
		UD_FLAT_DATA, UD_FLAT_DATA, UD_FLAT_DATA,
		UD_EMPTY,                                       /* clear the slot */
		UD_FLAT_DATA | UD_SEG_NOT_PRESENT,              /* present bit clear */
		UD_LIMIT_IN_PAGES | UD_USEABLE,                 /* a 16-bit data segment */
		UD_FLAT_DATA | UD_CONTENTS(MODIFY_LDT_CONTENTS_CODE),
		UD_FLAT_DATA | UD_CONTENTS(MODIFY_LDT_CONTENTS_CODE + 1),   /* conforming code */
		UD_LIMIT_IN_PAGES | UD_CONTENTS(MODIFY_LDT_CONTENTS_CODE),  /* 16-bit code */
		UD_FLAT_DATA | UD_READ_EXEC_ONLY,               /* read-only data */
		UD_FLAT_DATA | UD_CONTENTS(MODIFY_LDT_CONTENTS_STACK),
	};

	switch (rnd_below(8)) {
	case 0:
		return (long)rnd_below(1 << UD_FLAG_BITS);
	case 1:
		return (long)rnd();
	default:
		return (long)PICK(flags);
	}
}

long gen_desc_ptr(void)
{
	static const unsigned long bad[] = { 0, KERNEL_ADDR, ARENA_END - 8 };

	switch (rnd_below(10)) {
	case 0:
		return (long)PICK(bad);
	case 1:
		return (long)((char *)own_desc + 1);           /* unaligned */
	default:
		return (long)own_desc;
	}
}

long gen_sel(void)
{
	static const unsigned long odd[] = {
		0, SEL_RPL3, SEL_USER_DS, SEL_USER_CS, SEL_KERNEL_DS, SEL_KERNEL_DS | SEL_RPL3,
		SEL_KERNEL_CS, SEL_TSS | SEL_RPL3, SEL_TLS(TLS_MIN) & ~SEL_RPL3,
		SEL_TLS(TLS_MIN) | SEL_LDT, SEL_TLS(TLS_MIN + TLS_ENTRIES),
	};

	switch (rnd_below(8)) {
	case 0: case 1: case 2:
		return SEL_TLS(TLS_MIN + (long)rnd_below(TLS_ENTRIES));
	case 3:
		return SEL_TLS(last_tls_entry);
	case 4: case 5:
		return (long)PICK(odd);
	case 6:
		return SEL_USER_DS;
	default:
		return (long)(rnd() & SEL_MASK);
	}
}

/* Which register gets the selector: %ds %es %fs %gs, then %ss and %cs. */
enum seg_reg { SR_DS, SR_ES, SR_FS, SR_GS, SR_SS, SR_CS, NR_SEG_REGS };

long gen_seg_reg(void)
{
	return (long)rnd_below(NR_SEG_REGS);
}

/* What the one system call made with the selector loaded does. */
enum seg_while {
	SW_GETPID,           /* nothing: the way out of the kernel */
	SW_YIELD,            /* another task runs first */
	SW_NAP,              /* a timer interrupt's return too */
	SW_SIGNAL,           /* a handler runs, and sigreturn brings the selector back */
	SW_CLEAR_TLS,        /* the selector's TLS slot is emptied under it */
	SW_UNPRESENT_TLS,    /* ... or made not-present */
	SW_GET_TLS,
	NR_SEG_WHILE
};

long gen_seg_while(void)
{
	return (long)rnd_below(NR_SEG_WHILE);
}

static void fill_desc(struct user_desc *d, long entry, long base, long limit, long flags)
{
	d->entry_number = (unsigned)entry;
	d->base_addr = (unsigned)base;
	d->limit = (unsigned)limit;
	d->seg_32bit = !!(flags & UD_SEG_32BIT);
	d->contents = (flags >> UD_CONTENTS_SHIFT) & UD_CONTENTS_MASK;
	d->read_exec_only = !!(flags & UD_READ_EXEC_ONLY);
	d->limit_in_pages = !!(flags & UD_LIMIT_IN_PAGES);
	d->seg_not_present = !!(flags & UD_SEG_NOT_PRESENT);
	d->useable = !!(flags & UD_USEABLE);
}

/* a: entry, base, limit, flags, where the descriptor is. */
long seg_set_thread_area(const long *a)
{
	struct user_desc *d = (struct user_desc *)a[4];
	long r;

	if ((void *)d == own_desc || (char *)d == (char *)own_desc + 1)
		fill_desc(d, a[0], a[1], a[2], a[3]);
	r = __syscall1(__NR_set_thread_area, a[4]);
	if (r == 0 && ((void *)d == own_desc || (char *)d == (char *)own_desc + 1))
		last_tls_entry = d->entry_number;
	return r;
}

/* a: entry, where the descriptor goes. */
long seg_get_thread_area(const long *a)
{
	if (a[4] == (long)own_desc)
		own_desc[0].entry_number = (unsigned)a[0];
	return __syscall1(__NR_get_thread_area, a[4]);
}

/* The registers must come back from int $0x80 as they went in (but %eax). */
static void check_regs(const struct seg_call *c, const char *how)
{
	if (c->out_ebx != c->ebx || c->out_ecx != c->ecx || c->out_edx != c->edx ||
	    c->out_esi != c->esi || c->out_edi != c->edi || c->out_ebp != c->ebp ||
	    c->out_esp != c->esp_before)
		note_finding("registers changed across system call %lu with %s: "
			     "ebx %lx->%lx ecx %lx->%lx edx %lx->%lx esi %lx->%lx edi %lx->%lx "
			     "ebp %lx->%lx esp %lx->%lx", c->nr, how, c->ebx, c->out_ebx, c->ecx,
			     c->out_ecx, c->edx, c->out_edx, c->esi, c->out_esi, c->edi, c->out_edi,
			     c->ebp, c->out_ebp, c->esp_before, c->out_esp);
}

/* The one call (nr, ebx, ecx) what says; a TLS slot to change is the selector's. */
static void while_call(long what, unsigned long sel, long *nr, long *ebx, long *ecx)
{
	static const struct timespec nap = { 0, NAP_NS };

	*ebx = *ecx = 0;
	switch (what) {
	case SW_YIELD:
		*nr = __NR_sched_yield;
		break;
	case SW_NAP:
		*nr = __NR_nanosleep;
		*ebx = (long)&nap;
		break;
	case SW_SIGNAL:
		*nr = __NR_kill;
		*ebx = self_pid;
		*ecx = SIGUSR1;
		break;
	case SW_CLEAR_TLS:
	case SW_UNPRESENT_TLS:
		fill_desc(own_desc, (long)(sel >> 3), 0, what == SW_CLEAR_TLS ? 0 : LIMIT_4G_PAGES,
			  what == SW_CLEAR_TLS ? UD_EMPTY : UD_FLAT_DATA | UD_SEG_NOT_PRESENT);
		*nr = __NR_set_thread_area;
		*ebx = (long)own_desc;
		break;
	case SW_GET_TLS:
		own_desc[0].entry_number = (unsigned)(sel >> 3);
		*nr = __NR_get_thread_area;
		*ebx = (long)own_desc;
		break;
	default:
		*nr = __NR_getpid;
	}
}

/* a: register, selector, what the call does, set DF first, a value for the other registers. */
long seg_load(const long *a)
{
	unsigned long sel = (unsigned long)a[1] & SEL_MASK;
	struct seg_call c = { .seg = { seg_flat_ds, seg_flat_ds } };
	unsigned long fs, gs;
	long nr, ebx, ecx;
	static const char *const names[] = { "%ds", "%es", "%fs", "%gs" };
	char how[48];

	while_call(a[2], sel, &nr, &ebx, &ecx);
	if (a[0] == SR_SS) {
		long r = seg_ss_asm(sel, nr, ebx, ecx);

		if (seg_esp_after != seg_esp_before)
			note_finding("%%esp changed across system call %ld with %%ss = %#lx: "
				     "%#lx -> %#lx", nr, sel, seg_esp_before, seg_esp_after);
		return r;
	}
	if (a[0] == SR_CS)
		return seg_cs_asm(sel, nr, ebx, ecx);
	__asm__ __volatile__("xor %0, %0; xor %1, %1; mov %%fs, %w0; mov %%gs, %w1"
			     : "=&r"(fs), "=&r"(gs));
	c.seg[SR_FS] = fs & SEL_MASK;
	c.seg[SR_GS] = gs & SEL_MASK;
	c.seg[a[0]] = sel;
	c.nr = (unsigned long)nr;
	c.ebx = (unsigned long)ebx;
	c.ecx = (unsigned long)ecx;
	c.edx = c.esi = c.edi = c.ebp = (unsigned long)a[4];
	c.std = a[3] & 1;
	seg_call_asm(&c);
	snprintf(how, sizeof(how), "%s = %#lx", names[a[0]], sel);
	check_regs(&c, how);
	return (long)c.out_eax;
}

/* Random words, then a sigcontext whose fields are the interesting ones. */
static void craft_sigcontext(struct sigcontext *sc)
{
	static const unsigned long eflags[] = { EFLAGS_SANE, EFLAGS_SANE | X86_EFLAGS_DF,
						0xffffffffUL & ~X86_EFLAGS_TF, X86_EFLAGS_TF };

	sc->gs = (unsigned long)gen_sel();
	sc->fs = (unsigned long)gen_sel();
	sc->es = rnd_below(2) ? seg_flat_ds : (unsigned long)gen_sel();
	sc->ds = rnd_below(2) ? seg_flat_ds : (unsigned long)gen_sel();
	sc->ss = rnd_below(2) ? seg_flat_ds : (unsigned long)gen_sel();
	sc->cs = rnd_below(2) ? seg_flat_cs : (unsigned long)gen_sel();
	sc->eip = rnd_below(8) ? (unsigned long)seg_landing : (unsigned long)gen_arg(A_ADDR);
	if (rnd_below(8))                         /* where a trap after it pushes its frame */
		sc->esp = (unsigned long)frame_area + FRAME_SLACK / 2;
	if (rnd_below(2))
		sc->fpstate = NULL;                   /* Linux: a clean FPU; else where its state is */
	sc->eflags = rnd_below(2) ? PICK(eflags) : (rnd() & ~X86_EFLAGS_TF);
}

/* A frame's mask never blocks the batch's watchdog (SIGALRM) or the faults guarded_call catches. */
static void keep_deliverable(unsigned long *mask_word0)
{
	*mask_word0 &= ~(1UL << (SIGALRM - 1));
	for (unsigned i = 0; i < NR_FAULT_SIGS; i++)
		*mask_word0 &= ~(1UL << (fault_sigs[i] - 1));
}

/* a: sigreturn or rt_sigreturn (even/odd). */
long seg_sigreturn(const long *a)
{
	unsigned char *frame = frame_area + FRAME_SLACK;
	bool rt = a[0] & 1;
	struct sigcontext *sc;

	for (size_t i = 0; i < FRAME_BYTES; i += sizeof(uint32_t))
		*(uint32_t *)(frame + i) = rnd();
	if (rt) {
		struct rt_frame_head *f = (struct rt_frame_head *)frame;

		sc = &f->uc.uc_mcontext;
		keep_deliverable(&f->uc.uc_sigmask.sig[0]);
		if (rnd_below(2))
			memset(&f->uc.uc_stack, 0, sizeof(f->uc.uc_stack));
	} else {
		struct old_frame_head *f = (struct old_frame_head *)frame;

		sc = &f->sc;
		keep_deliverable(&f->sc.oldmask);
	}
	craft_sigcontext(sc);
	if (fuzz_verbose)
		dprintf(LOG_FD, "fuzz:   %s frame: cs %#x ss %#x ds %#x es %#x fs %#x gs %#x "
			"eip %#lx eflags %#lx\n", rt ? "rt" : "old", sc->cs, sc->ss, sc->ds, sc->es,
			sc->fs, sc->gs, sc->eip, sc->eflags);
	/* the handler's ret popped pretcode (rt), or pretcode and sig (old) */
	seg_sigreturn_asm(rt ? __NR_rt_sigreturn : __NR_sigreturn,
			  (unsigned long)frame + (rt ? 4 : 8));
	return 0;
}

#define OWN_CALL(n, w, fn, ...) \
	{ .name = n, .how = OWN, .weight = (w) * WEIGHT_UNIT, .arg = { __VA_ARGS__ }, .make = fn }

const struct fuzz_call seg_calls[] = {
	OWN_CALL("set_thread_area_desc", 8, seg_set_thread_area, A_TLS_ENTRY, A_SEG_BASE,
		 A_SEG_LIMIT, A_DESC_FLAGS, A_DESC_PTR),
	OWN_CALL("get_thread_area_desc", 2, seg_get_thread_area, A_TLS_ENTRY, A_NONE, A_NONE,
		 A_NONE, A_DESC_PTR),
	OWN_CALL("segment_load", 12, seg_load, A_SEG_REG, A_SEL, A_SEG_WHILE, A_INT, A_INT),
	OWN_CALL("sigreturn_frame", 6, seg_sigreturn, A_INT),
	{ .name = "modify_ldt", .nr = LINUX_NR_MODIFY_LDT, .how = PLAIN, .weight = WEIGHT_UNIT,
	  .arg = { A_INT, A_BUF, A_LEN } },
};

const unsigned nr_seg_calls = sizeof(seg_calls) / sizeof(seg_calls[0]);
