/*
 * Signals: the order pending signals are delivered in, sa_mask and
 * SA_NODEFER nesting, SA_RESETHAND, siginfo of kill and SIGCHLD, argument
 * errors, discarding by SIG_IGN, sigsuspend, default actions, the FPU
 * state in both kinds of signal frame, and what execve keeps (this
 * program re-executes itself with "exec-check").
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../common/report.h"

static char log_buf[256];
static volatile int log_len;
static volatile int raise_inside;       /* the handler raises this one, once */
static volatile int info_code, info_pid, info_status;

static void note(const char *s)
{
	size_t n = strlen(s);

	memcpy(log_buf + log_len, s, n);
	log_len += n;
}

static void handler(int sig, siginfo_t *info, void *uc)
{
	char s[16];

	snprintf(s, sizeof(s), "<%s", signal_name(sig) + 3);
	note(s);
	info_code = info->si_code;
	info_pid = info->_sifields.chld.si_pid;
	info_status = info->_sifields.chld.si_status;
	if (raise_inside) {
		int r = raise_inside;

		raise_inside = 0;
		raise(r);
	}
	note(">");
}

static void catch(int sig, unsigned long flags, int masked)
{
	struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO | flags };

	sigemptyset(&sa.sa_mask);
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	sigaction(sig, &sa, NULL);
}

static void show_log(const char *what)
{
	printf("%s: %.*s\n", what, log_len, log_buf);
	log_len = 0;
}

static sigset_t set_of(int a, int b, int c, int d)
{
	sigset_t s;

	sigemptyset(&s);
	for (int sig, i = 0; i < 4; i++)
		if ((sig = (int[]){ a, b, c, d }[i]))
			sigaddset(&s, sig);
	return s;
}

static void delivery(void)
{
	sigset_t s = set_of(SIGTERM, SIGUSR2, SIGHUP, SIGUSR1), pending;

	catch(SIGTERM, 0, 0);
	catch(SIGUSR2, 0, 0);
	catch(SIGHUP, 0, 0);
	catch(SIGUSR1, 0, 0);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGTERM);
	raise(SIGUSR2);
	raise(SIGUSR1);
	raise(SIGHUP);
	raise(SIGUSR1);
	syscall(__NR_rt_sigpending, &pending, 8);
	printf("pending while blocked:");
	for (int sig = 1; sig < 32; sig++)
		if (sigismember(&pending, sig))
			printf(" %s", signal_name(sig));
	printf("\n");
	show_log("handlers run while blocked");
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	show_log("order on unblocking");

	raise_inside = SIGUSR2;
	raise(SIGUSR1);
	show_log("USR1 raising USR2, no mask");
	catch(SIGUSR1, 0, SIGUSR2);
	raise_inside = SIGUSR2;
	raise(SIGUSR1);
	show_log("USR1 raising USR2, USR2 in sa_mask");
	raise_inside = SIGUSR1;
	raise(SIGUSR1);
	show_log("USR1 raising itself");
	catch(SIGUSR1, SA_NODEFER, 0);
	raise_inside = SIGUSR1;
	raise(SIGUSR1);
	show_log("USR1 raising itself, SA_NODEFER");
	catch(SIGUSR1, SA_RESETHAND, 0);
	raise(SIGUSR1);
	show_log("SA_RESETHAND, first");
	{
		struct sigaction old;

		sigaction(SIGUSR1, NULL, &old);
		show_bool("SA_RESETHAND: back to SIG_DFL", old.sa_handler == SIG_DFL);
	}
	catch(SIGUSR1, 0, 0);
	raise(SIGUSR1);
	printf("kill siginfo: code %d, from me %d\n", info_code, info_pid == getpid());
	log_len = 0;
}

static void exit_seven(void *arg)
{
	_exit(7);
}

static void pause_forever(void *arg)
{
	for (;;)
		pause();
}

static void children(void)
{
	sigset_t none, chld = set_of(SIGCHLD, 0, 0, 0);
	pid_t pid;

	catch(SIGCHLD, 0, 0);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	pid = spawn(exit_seven, NULL);
	sigemptyset(&none);
	show("sigsuspend", sigsuspend(&none));
	show_log("  handlers");
	printf("SIGCHLD siginfo: code %d, pid right %d, status %d\n", info_code, info_pid == pid,
	       info_status);
	wait_status(pid, 0);
	sigprocmask(SIG_UNBLOCK, &chld, NULL);
	signal(SIGCHLD, SIG_DFL);
	/* default actions (delivery() left a handler on SIGUSR2, which the child would inherit) */
	signal(SIGUSR2, SIG_DFL);
	pid = spawn(pause_forever, NULL);
	kill(pid, SIGCHLD);
	kill(pid, SIGWINCH);
	kill(pid, SIGURG);
	kill(pid, SIGCONT);
	show_bool("ignored by default: SIGCHLD, SIGWINCH, SIGURG, SIGCONT", wait_status(pid, WNOHANG) == -2);
	kill(pid, SIGUSR2);
	show_status("SIGUSR2 by default", wait_status(pid, 0));
}

static void errors(void)
{
	struct sigaction sa = { .sa_handler = SIG_IGN };
	sigset_t s;

	show("sigaction(0)", sigaction(0, &sa, NULL));
	show("sigaction(65)", sigaction(65, &sa, NULL));
	show("sigaction(SIGKILL)", sigaction(SIGKILL, &sa, NULL));
	show("sigaction(SIGSTOP)", sigaction(SIGSTOP, &sa, NULL));
	show("sigaction(SIGKILL) query only", sigaction(SIGKILL, NULL, &sa));
	show("kill(me, 65)", kill(getpid(), 65));
	show("kill(me, 0)", kill(getpid(), 0));
	show("rt_sigprocmask how 3", syscall(__NR_rt_sigprocmask, 3, &s, NULL, 8));
	show("rt_sigprocmask set size 4", syscall(__NR_rt_sigprocmask, SIG_BLOCK, &s, NULL, 4));
	show("rt_sigaction set size 16", syscall(__NR_rt_sigaction, SIGUSR1, NULL, &s, 16));
}

/* A pending signal that becomes ignored is discarded. */
static void discarding(void)
{
	sigset_t s = set_of(SIGUSR1, 0, 0, 0), pending;

	catch(SIGUSR1, 0, 0);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	signal(SIGUSR1, SIG_IGN);
	syscall(__NR_rt_sigpending, &pending, 8);
	show_bool("pending after SIG_IGN", sigismember(&pending, SIGUSR1));
	catch(SIGUSR1, 0, 0);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	show_log("delivered after unblocking");
}

/*
 * Send sig to myself with three values on the x87 stack (1, 0 and pi,
 * pushed in that order), and pop them back after the handler returned.
 */
static void kill_with_x87_stack(int sig, double out[3])
{
	long ret;

	__asm__ volatile("fld1; fldz; fldpi; int $0x80; fstpl (%%edx); fstpl 8(%%edx); fstpl 16(%%edx)"
			 : "=a"(ret) : "a"(__NR_kill), "b"(getpid()), "c"(sig), "d"(out) : "memory");
}

/* A handler that wrecks the FPU: empties the x87 stack, rounds toward zero, masks nothing. */
static void clobber_fpu(void)
{
	unsigned short cw = 0x0f60;
	unsigned int mxcsr = 0x7f80 | 0x6000;

	__asm__ volatile("fninit; fldcw %0; ldmxcsr %1" : : "m"(cw), "m"(mxcsr));
}

static volatile unsigned long fp_cw, fp_top, fp_tag, fp_magic, fp_mxcsr, fp_exponent[3];

/* SA_SIGINFO: look at the FSAVE-format view of the interrupted FPU in the rt frame. */
static void fpu_rt_handler(int sig, siginfo_t *info, void *ucv)
{
	struct abi_ucontext *uc = ucv;
	struct abi_fpstate *fp = uc->uc_mcontext.fpstate;

	fp_cw = fp->cw;
	fp_top = (fp->sw >> 11) & 7;
	fp_tag = fp->tag;
	fp_magic = fp->magic;
	fp_mxcsr = *(unsigned int *)(fp->fxsave + 24);
	for (int i = 0; i < 3; i++)
		fp_exponent[i] = fp->_st[i].exponent;
	clobber_fpu();
}

static void fpu_plain_handler(int sig)
{
	clobber_fpu();
}

static void show_fpu_after(const char *what, const double out[3])
{
	unsigned short cw;
	unsigned int mxcsr;

	__asm__ volatile("fnstcw %0; stmxcsr %1" : "=m"(cw), "=m"(mxcsr));
	printf("after %s: x87 stack %d %d %d (x1000), cw %04x, mxcsr %08x\n", what,
	       (int)(out[0] * 1000), (int)(out[1] * 1000), (int)(out[2] * 1000), cw, mxcsr);
}

/* Both frames save the FPU, and both sigreturns restore it. */
static void fpu(void)
{
	struct sigaction sa = { .sa_sigaction = fpu_rt_handler, .sa_flags = SA_SIGINFO };
	double out[3];

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	kill_with_x87_stack(SIGUSR1, out);
	printf("rt frame fpstate: cw %08lx, top %lu, tag %08lx, magic %lx, exponents %04lx %04lx "
	       "%04lx, mxcsr %08lx\n", fp_cw, fp_top, fp_tag, fp_magic, fp_exponent[0],
	       fp_exponent[1], fp_exponent[2], fp_mxcsr);
	show_fpu_after("rt_sigreturn", out);
	sa.sa_handler = fpu_plain_handler;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	kill_with_x87_stack(SIGUSR2, out);
	show_fpu_after("sigreturn", out);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

static void exec_check(void)
{
	struct sigaction sa;
	sigset_t mask, pending;

	sigaction(SIGUSR1, NULL, &sa);
	printf("after exec: caught SIGUSR1 is %s\n", sa.sa_handler == SIG_DFL ? "SIG_DFL" : "not SIG_DFL");
	sigaction(SIGUSR2, NULL, &sa);
	printf("after exec: ignored SIGUSR2 is %s\n", sa.sa_handler == SIG_IGN ? "SIG_IGN" : "not SIG_IGN");
	sigprocmask(SIG_BLOCK, NULL, &mask);
	show_bool("after exec: SIGHUP still blocked", sigismember(&mask, SIGHUP));
	syscall(__NR_rt_sigpending, &pending, 8);
	show_bool("after exec: SIGHUP still pending", sigismember(&pending, SIGHUP));
}

static void exec_child(void *self)
{
	sigset_t hup = set_of(SIGHUP, 0, 0, 0);
	char *argv[] = { self, "exec-check", NULL };

	catch(SIGUSR1, 0, 0);
	signal(SIGUSR2, SIG_IGN);
	sigprocmask(SIG_BLOCK, &hup, NULL);
	raise(SIGHUP);
	execve(self, argv, environ);
	printf("execve: %s\n", errno_name(errno));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec-check")) {
		exec_check();
		return 0;
	}
	delivery();
	children();
	errors();
	discarding();
	fpu();
	show_child("exec", exec_child, argv[0]);
	return 0;
}
