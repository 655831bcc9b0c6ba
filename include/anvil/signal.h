/*
 * Signal helpers shared by kernel/signal.c and the arch signal-frame
 * code (arch/i386/signal.c).
 */
#ifndef ANVIL_SIGNAL_H
#define ANVIL_SIGNAL_H

#include <anvil/sched.h>
#include <abi/signal.h>

static inline unsigned long sigmask(int sig)
{
	return 1UL << ((sig - 1) % 32);
}

static inline bool sigismember(const kernel_sigset_t *set, int sig)
{
	return set->sig[(sig - 1) / 32] & sigmask(sig);
}

static inline void sigaddset(kernel_sigset_t *set, int sig)
{
	set->sig[(sig - 1) / 32] |= sigmask(sig);
}

static inline void sigdelset(kernel_sigset_t *set, int sig)
{
	set->sig[(sig - 1) / 32] &= ~sigmask(sig);
}

static inline void sigorsets(kernel_sigset_t *r, const kernel_sigset_t *a)
{
	for (int i = 0; i < NSIG_WORDS; i++)
		r->sig[i] |= a->sig[i];
}

/* SIGKILL and SIGSTOP can be neither blocked nor caught. */
static inline void sig_drop_unblockable(kernel_sigset_t *set)
{
	sigdelset(set, SIGKILL);
	sigdelset(set, SIGSTOP);
}

/* Whether sp lies on current's alternate signal stack (Linux's on_sig_stack). */
static inline bool on_sig_stack(unsigned long sp)
{
	return sp > current->sas_ss_sp && sp - current->sas_ss_sp <= current->sas_ss_size;
}

/* The ss_flags sigaltstack reports while current's stack pointer is sp. */
static inline int sas_ss_flags(unsigned long sp)
{
	if (!current->sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

/*
 * sigaltstack's work, for the call and for rt_sigreturn: install *ss (a
 * kernel copy; NULL to only ask) unless the task runs on its alternate
 * stack now, and report the old one to *uoss (user memory; NULL: not).
 */
long do_sigaltstack(const abi_stack_t *ss, abi_stack_t *uoss, unsigned long sp);

/*
 * Build the handler's frame on the user stack (the rt frame for an
 * SA_SIGINFO handler, the old one otherwise); false if it is unusable.
 */
bool setup_signal_frame(int sig, const struct kernel_sigaction *ka, const abi_siginfo_t *info,
			const kernel_sigset_t *oldset, struct pt_regs *regs);

#endif
