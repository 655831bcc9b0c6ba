/*
 * Signals.  sigset_t is the kernel's 64-bit set (not glibc's 1024-bit
 * one); sigaction() goes through rt_sigaction with SA_RESTORER and the
 * library's own restorer, which calls rt_sigreturn.
 */
#ifndef _SIGNAL_H
#define _SIGNAL_H

#include <sys/types.h>
#include <abi/signal.h>

#define NSIG (_NSIG + 1)

typedef kernel_sigset_t sigset_t;
typedef abi_siginfo_t siginfo_t;
typedef int sig_atomic_t;
typedef abi_stack_t stack_t;
typedef void (*sighandler_t)(int);

struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	};
	sigset_t sa_mask;
	unsigned long sa_flags;
	void (*sa_restorer)(void);  /* ignored: the library supplies its own */
};

sighandler_t signal(int sig, sighandler_t handler);
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);
int sigprocmask(int how, const sigset_t *set, sigset_t *old);
int sigsuspend(const sigset_t *mask);
int sigemptyset(sigset_t *set);
int sigfillset(sigset_t *set);
int sigaddset(sigset_t *set, int sig);
int sigdelset(sigset_t *set, int sig);
int sigismember(const sigset_t *set, int sig);
int kill(pid_t pid, int sig);
int raise(int sig);

#endif
