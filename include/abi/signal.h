/*
 * Linux i386 signal numbers, sigaction flags and the structures the
 * rt_sigaction / rt_sigprocmask / rt_sigreturn calls exchange with user
 * space.  sigset_t here is the kernel's: 64 bits (the glibc one is 1024).
 */
#ifndef ABI_SIGNAL_H
#define ABI_SIGNAL_H

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGIOT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGSTKFLT 16
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGXCPU 24
#define SIGXFSZ 25
#define SIGVTALRM 26
#define SIGPROF 27
#define SIGWINCH 28
#define SIGIO 29
#define SIGPWR 30
#define SIGSYS 31
#define _NSIG 64          /* signals 1.._NSIG; 32.._NSIG are real-time */
#define NSIG_WORDS 2

#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO 0x00000004u
#define SA_RESTORER 0x04000000u
#define SA_ONSTACK 0x08000000u
#define SA_RESTART 0x10000000u
#define SA_NODEFER 0x40000000u
#define SA_RESETHAND 0x80000000u

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SIG_DFL ((void (*)(int))0)
#define SIG_IGN ((void (*)(int))1)
#define SIG_ERR ((void (*)(int))-1)

/* si_code values */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define SEGV_MAPERR 1     /* address not mapped */
#define SEGV_ACCERR 2     /* no permission */
#define ILL_ILLOPN 2
#define ILL_BADSTK 8      /* internal stack error: an iret to user mode faulted */
#define FPE_INTDIV 1
#define BUS_ADRERR 2
#define TRAP_BRKPT 1
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3      /* killed, and a core was written */
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

typedef struct {
	unsigned long sig[NSIG_WORDS];
} kernel_sigset_t;

/* What rt_sigaction(2) reads and writes (the kernel's struct sigaction on i386). */
struct kernel_sigaction {
	void (*sa_handler)(int);
	unsigned long sa_flags;
	void (*sa_restorer)(void);
	kernel_sigset_t sa_mask;
};

/* siginfo_t: 128 bytes; the fields anvil fills. */
#define SI_MAX_SIZE 128
typedef struct {
	int si_signo;
	int si_errno;
	int si_code;
	union {
		int _pad[(SI_MAX_SIZE / sizeof(int)) - 3];
		struct {              /* kill() */
			int si_pid;
			unsigned int si_uid;
		} kill;
		struct {              /* SIGCHLD */
			int si_pid;
			unsigned int si_uid;
			int si_status;
			long si_utime, si_stime;
		} chld;
		struct {              /* SIGSEGV, SIGBUS, SIGILL, SIGFPE */
			void *si_addr;
		} fault;
	} _sifields;
} abi_siginfo_t;

typedef struct {
	void *ss_sp;
	int ss_flags;
	unsigned int ss_size;
} abi_stack_t;

#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

/*
 * The FPU state in a signal frame (Linux i386 struct _fpstate): the old
 * FSAVE-format view first, then the FXSAVE image (x87, MMX and SSE
 * registers), which is what sigreturn restores.
 */
struct abi_fpreg {
	unsigned short significand[4];
	unsigned short exponent;
};

#define FPSTATE_MAGIC_FXSR 0x0000      /* magic: the FXSAVE image follows */

struct abi_fpstate {
	unsigned long cw, sw, tag, ipoff, cssel, dataoff, datasel;
	struct abi_fpreg _st[8];
	unsigned short status, magic;
	unsigned char fxsave[512];
};

/* The saved registers in a signal frame (Linux i386 struct sigcontext). */
struct sigcontext {
	unsigned short gs, __gsh;
	unsigned short fs, __fsh;
	unsigned short es, __esh;
	unsigned short ds, __dsh;
	unsigned long edi, esi, ebp, esp, ebx, edx, ecx, eax;
	unsigned long trapno, err, eip;
	unsigned short cs, __csh;
	unsigned long eflags, esp_at_signal;
	unsigned short ss, __ssh;
	void *fpstate;
	unsigned long oldmask;
	unsigned long cr2;
};

struct abi_ucontext {
	unsigned long uc_flags;
	struct abi_ucontext *uc_link;
	abi_stack_t uc_stack;
	struct sigcontext uc_mcontext;
	kernel_sigset_t uc_sigmask;
};

#endif
