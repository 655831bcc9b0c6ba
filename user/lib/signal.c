/*
 * Signals over the rt_* system calls.  As glibc does, every handler is
 * installed with SA_RESTORER: the code it returns into, which undoes the
 * frame the kernel built.  A plain handler(int) gets the old frame, so
 * its restorer is __restore (sigreturn); an SA_SIGINFO handler gets the
 * rt frame, so its restorer is __restore_rt (rt_sigreturn).
 */
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include "libc.h"

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * Byte for byte what the kernel would write itself (GDB recognises
 * signal frames by it): __restore first pops the signal number, because
 * sigreturn expects esp just past it.
 */
void __restore(void);
void __restore_rt(void);
__asm__(".text\n"
	".type __restore, @function\n"
	"__restore:\n\t"
	"popl %eax\n\t"
	"movl $" XSTR(__NR_sigreturn) ", %eax\n\t"
	"int $0x80\n"
	".size __restore, . - __restore\n"
	".type __restore_rt, @function\n"
	"__restore_rt:\n\t"
	"movl $" XSTR(__NR_rt_sigreturn) ", %eax\n\t"
	"int $0x80\n"
	".size __restore_rt, . - __restore_rt\n");

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	struct kernel_sigaction kact, kold;

	if (act) {
		kact.sa_handler = act->sa_handler;
		kact.sa_flags = act->sa_flags | SA_RESTORER;
		kact.sa_restorer = (act->sa_flags & SA_SIGINFO) ? __restore_rt : __restore;
		kact.sa_mask = act->sa_mask;
	}
	if (SYS4(__NR_rt_sigaction, sig, act ? &kact : NULL, old ? &kold : NULL,
		 sizeof(kernel_sigset_t)) < 0)
		return -1;
	if (old) {
		old->sa_handler = kold.sa_handler;
		old->sa_flags = kold.sa_flags;
		old->sa_restorer = kold.sa_restorer;
		old->sa_mask = kold.sa_mask;
	}
	return 0;
}

/* BSD semantics, as glibc: the handler stays installed and calls restart. */
sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART }, old;

	if (sigaction(sig, &sa, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return SYS4(__NR_rt_sigprocmask, how, set, old, sizeof(sigset_t));
}

int sigsuspend(const sigset_t *mask) { return SYS2(__NR_rt_sigsuspend, mask, sizeof(sigset_t)); }
int pause(void) { return SYS0(__NR_pause); }
int kill(pid_t pid, int sig) { return SYS2(__NR_kill, pid, sig); }
int raise(int sig) { return kill(getpid(), sig); }

int sigemptyset(sigset_t *set)
{
	set->sig[0] = set->sig[1] = 0;
	return 0;
}

int sigfillset(sigset_t *set)
{
	set->sig[0] = set->sig[1] = ~0UL;
	return 0;
}

/* Signal n is bit n-1 of the 64-bit set. */
static int sig_bad(int sig)
{
	if (sig < 1 || sig > _NSIG) {
		errno = EINVAL;
		return 1;
	}
	return 0;
}

#define SIG_WORD(set, n) ((set)->sig[((n) - 1) / 32])
#define SIG_BIT(n) (1UL << (((n) - 1) % 32))

int sigaddset(sigset_t *set, int sig)
{
	if (sig_bad(sig))
		return -1;
	SIG_WORD(set, sig) |= SIG_BIT(sig);
	return 0;
}

int sigdelset(sigset_t *set, int sig)
{
	if (sig_bad(sig))
		return -1;
	SIG_WORD(set, sig) &= ~SIG_BIT(sig);
	return 0;
}

int sigismember(const sigset_t *set, int sig)
{
	if (sig_bad(sig))
		return -1;
	return (SIG_WORD(set, sig) & SIG_BIT(sig)) != 0;
}
