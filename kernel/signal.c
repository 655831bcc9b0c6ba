/*
 * Signals.  A signal is a bit in the target's pending set; it is acted
 * on when the target next returns to user mode (prepare_exit_to_usermode):
 * run the handler (a frame on the user stack, arch/i386/signal.c), or
 * the default action -- terminate, ignore, stop or continue.  Linux's
 * numbers, default actions and wait-status encoding; a process killed by
 * signal N reports status N, with the 0x80 bit if it dumped core
 * (kernel/coredump.c).
 *
 * Threads: a signal sent to a thread (tkill, tgkill, a fault) waits in
 * its own pending set; one sent to the process (kill, a process group,
 * SIGCHLD) waits in the group's shared set for whichever thread does not
 * block it, and that thread is woken (Linux's complete_signal).  A fatal
 * signal ends the whole group (do_group_exit).
 */
#include <anvil/kernel.h>
#include <anvil/signal.h>
#include <anvil/sched.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>
#include <anvil/coredump.h>
#include <anvil/slab.h>
#include <abi/unistd.h>
#include <abi/wait.h>

enum sig_default { SIG_TERM, SIG_CORE, SIG_IGNORE, SIG_STOP, SIG_CONT };

static enum sig_default default_action(int sig)
{
	switch (sig) {
	case SIGCHLD:
	case SIGURG:
	case SIGWINCH:
		return SIG_IGNORE;
	case SIGCONT:
		return SIG_CONT;
	case SIGSTOP:
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return SIG_STOP;
	case SIGQUIT:
	case SIGILL:
	case SIGTRAP:
	case SIGABRT:
	case SIGBUS:
	case SIGFPE:
	case SIGSEGV:
	case SIGXCPU:
	case SIGXFSZ:
	case SIGSYS:
		return SIG_CORE;
	default:
		return SIG_TERM;
	}
}

static bool sig_ignored(struct task_struct *t, int sig)
{
	void (*handler)(int) = t->sighand->action[sig - 1].sa_handler;

	if (sig == SIGKILL || sig == SIGSTOP)
		return false;
	return handler == SIG_IGN || (handler == SIG_DFL && default_action(sig) == SIG_IGNORE);
}

static void signal_wake_up(struct task_struct *t, bool kill)
{
	if (t->state == TASK_INTERRUPTIBLE ||
	    (kill && (t->state == TASK_STOPPED || (t->state & TASK_WAKEKILL))))
		wake_up_process(t);
}

static int post_signal(int sig, struct task_struct *t, const struct sigpending_info *info);

/*
 * SIGCHLD to child's parent: code is CLD_EXITED, CLD_KILLED, CLD_STOPPED
 * or CLD_CONTINUED and status the exit status or signal, as siginfo
 * reports them.  The parent's wait4 is woken either way.
 */
static void notify_parent(struct task_struct *child, int sig, int code, int status)
{
	struct task_struct *parent = child->parent;
	struct sigpending_info info = { .pid = child->pid, .uid = child->uid, .code = code,
					.status = status };

	if (sig > 0)
		post_signal(sig, parent, &info);
	wake_up(&parent->signal->wait_chldexit);
}

/* A child stopped or continued: SIGCHLD unless the parent asked for SA_NOCLDSTOP. */
static void notify_parent_cldstop(struct task_struct *child, int code, int status)
{
	bool nocldstop = child->parent->sighand->action[SIGCHLD - 1].sa_flags & SA_NOCLDSTOP;

	notify_parent(child, nocldstop ? 0 : SIGCHLD, code, status);
}

/*
 * The si_code (CLD_*) and si_status that stand for a wait status, in the
 * SIGCHLD siginfo and in waitid's answer alike.
 */
int wait_status_to_cld(int status, int *si_status)
{
	if (WIFCONTINUED(status)) {
		*si_status = SIGCONT;
		return CLD_CONTINUED;
	}
	if (WIFSTOPPED(status)) {
		*si_status = WSTOPSIG(status);
		return CLD_STOPPED;
	}
	if (WIFSIGNALED(status)) {
		*si_status = WTERMSIG(status);
		return WCOREDUMP(status) ? CLD_DUMPED : CLD_KILLED;
	}
	*si_status = WEXITSTATUS(status);
	return CLD_EXITED;
}

/* A child exited: its exit signal (normally SIGCHLD) to the parent, and wake its wait4. */
void do_notify_parent(struct task_struct *child)
{
	int status, code = wait_status_to_cld(task_exit_code(child), &status);

	notify_parent(child, child->exit_signal, code, status);
}

/* Whether t could take sig now: it does not block it and is not on its way out. */
static bool wants_signal(int sig, const struct task_struct *t)
{
	if (t->flags & PF_EXITING)
		return false;
	return sig == SIGKILL || !sigismember(&t->blocked, sig);
}

/*
 * A signal for the whole process is pending: wake a thread that will
 * take it, t first.  SIGKILL kills every thread at once, as in Linux.
 */
static void complete_signal(int sig, struct task_struct *t)
{
	struct task_struct *p;

	if (sig == SIGKILL) {
		for_each_thread_from(t, p) {
			sigaddset(&p->pending, SIGKILL);
			signal_wake_up(p, true);
		}
		return;
	}
	for_each_thread_from(t, p) {
		if (wants_signal(sig, p)) {
			signal_wake_up(p, false);
			return;
		}
	}
}

/* Take sigs out of every pending set of t's group: what a SIGCONT or a stop signal cancels. */
static void flush_conflicting(struct task_struct *t, const int *sigs, int n)
{
	struct task_struct *p;

	for (int i = 0; i < n; i++) {
		sigdelset(&t->signal->shared_pending, sigs[i]);
		for_each_thread_from(t, p)
			sigdelset(&p->pending, sigs[i]);
	}
}

/*
 * Post sig to t (to its whole thread group if group) with the siginfo it
 * will be delivered with.  Stop and continue signals cancel each other
 * at once, as in Linux: SIGCONT resumes a stopped thread even if it is
 * blocked.
 */
static int __post_signal(int sig, struct task_struct *t, const struct sigpending_info *info,
			 bool group)
{
	static const int stop_sigs[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	static const int cont_sig[] = { SIGCONT };
	unsigned long flags;

	if (sig <= 0 || sig > _NSIG)
		return sig ? -EINVAL : 0;
	if (t->state == EXIT_ZOMBIE || t->state == EXIT_DEAD || (t->flags & PF_EXITING)) {
		if (!group || !t->signal->live)
			return 0;
		/* an exited leader: the process lives on in its other threads */
	}
	/* init gets only the signals it has handlers for */
	if (t->tgid == 1 && t->sighand->action[sig - 1].sa_handler == SIG_DFL)
		return 0;
	local_irq_save(flags);
	if (sig == SIGCONT) {
		struct task_struct *p;

		flush_conflicting(t, stop_sigs, ARRAY_SIZE(stop_sigs));
		for_each_thread_from(t, p) {
			if (p->state == TASK_STOPPED) {
				p->continued = true;
				wake_up_process(p);
				if (thread_group_leader(p))
					notify_parent_cldstop(p, CLD_CONTINUED, SIGCONT);
			}
		}
	} else if (default_action(sig) == SIG_STOP) {
		flush_conflicting(t, cont_sig, 1);
	}
	if (!sig_ignored(t, sig)) {
		if (group) {
			sigaddset(&t->signal->shared_pending, sig);
			t->signal->shared_info[sig - 1] = *info;
			complete_signal(sig, t);
		} else {
			sigaddset(&t->pending, sig);
			t->siginfo[sig - 1] = *info;
			signal_wake_up(t, sig == SIGKILL);
		}
	}
	local_irq_restore(flags);
	return 0;
}

static int post_signal(int sig, struct task_struct *t, const struct sigpending_info *info)
{
	return __post_signal(sig, t, info, true);
}

static struct sigpending_info user_siginfo(pid_t sender)
{
	return (struct sigpending_info){ .pid = sender, .uid = sender ? current->uid : 0,
					 .code = sender ? SI_USER : SI_KERNEL };
}

/* Post sig to thread t alone, from process sender, the caller (0: from the kernel itself). */
int send_sig(int sig, struct task_struct *t, pid_t sender)
{
	struct sigpending_info info = user_siginfo(sender);

	return __post_signal(sig, t, &info, false);
}

/* Post sig to the process t belongs to: any of its threads may take it. */
int group_send_sig(int sig, struct task_struct *t, pid_t sender)
{
	struct sigpending_info info = user_siginfo(sender);

	return __post_signal(sig, t, &info, true);
}

/* exit_group, a fatal signal, an exec: every other thread of p's group gets SIGKILL. */
void zap_other_threads(struct task_struct *p)
{
	struct task_struct *t;

	for (t = next_thread(p); t != p; t = next_thread(t)) {
		if (t->flags & PF_EXITING)
			continue;
		sigaddset(&t->pending, SIGKILL);
		signal_wake_up(t, true);
	}
}

/*
 * May the caller signal t (Linux's check_kill_permission)?  Its real or
 * effective uid must be t's real or saved uid -- t's effective uid does
 * not count, so a set-user-ID program is safe from the user running it
 * only once it sets all three --, or it must have CAP_KILL.  SIGCONT may
 * go anywhere in the caller's session (job control).
 */
static int check_kill_permission(int sig, const struct task_struct *t)
{
	if (t == current || current->euid == t->suid || current->euid == t->uid ||
	    current->uid == t->suid || current->uid == t->uid || capable(CAP_KILL))
		return 0;
	return sig == SIGCONT && t->session == current->session ? 0 : -EPERM;
}

/*
 * Signal every process of pgrp; one sent by a process (sender not 0)
 * reaches only those it may signal.  0 if any was reached, else the
 * last error (-ESRCH for an empty group).
 */
int kill_pgrp(pid_t pgrp, int sig, pid_t sender)
{
	struct task_struct *p;
	int err = -ESRCH;
	bool sent = false;

	list_for_each_entry(p, &task_list, tasks) {
		if (p->pgrp != pgrp || p->pid <= 0 || (p->flags & PF_KTHREAD) ||
		    !thread_group_leader(p))
			continue;
		err = sender ? check_kill_permission(sig, p) : 0;
		if (!err) {
			group_send_sig(sig, p, sender);
			sent = true;
		}
	}
	return sent ? 0 : err;
}

/*
 * A synchronous fault signal (SIGSEGV, SIGILL, SIGFPE, SIGBUS...): it
 * cannot be ignored or blocked -- the faulting instruction would just run
 * again -- so if it is, the default action (termination) applies.
 */
void force_sig_fault(int sig, int code, unsigned long addr)
{
	struct task_struct *t = current;
	struct kernel_sigaction *ka = &t->sighand->action[sig - 1];

	if (ka->sa_handler == SIG_IGN || sigismember(&t->blocked, sig)) {
		ka->sa_handler = SIG_DFL;
		sigdelset(&t->blocked, sig);
	}
	sigaddset(&t->pending, sig);
	t->siginfo[sig - 1] = (struct sigpending_info){ .code = code, .addr = addr };
}

/* Reset handlers at exec: caught signals go back to default, ignored stay ignored. */
void flush_signal_handlers(struct task_struct *t)
{
	for (int i = 0; i < _NSIG; i++) {
		struct kernel_sigaction *ka = &t->sighand->action[i];

		if (ka->sa_handler != SIG_IGN)
			ka->sa_handler = SIG_DFL;
		ka->sa_flags = 0;
		ka->sa_restorer = NULL;
		memset(&ka->sa_mask, 0, sizeof(ka->sa_mask));
	}
	t->sas_ss_sp = 0;
	t->sas_ss_size = 0;
}

/* The lowest signal in set that t does not block (SIGKILL first); 0 if none. */
static int next_signal(const kernel_sigset_t *set, const struct task_struct *t)
{
	if (sigismember(set, SIGKILL))
		return SIGKILL;
	for (int s = 1; s <= _NSIG; s++)
		if (sigismember(set, s) && !sigismember(&t->blocked, s))
			return s;
	return 0;
}

/*
 * The signal to act on next, removed from its set, with its siginfo in
 * *info: the thread's own signals first, then the process's; 0 if none.
 */
static int dequeue_signal(struct task_struct *t, struct sigpending_info *info)
{
	unsigned long flags;
	int sig;

	local_irq_save(flags);
	sig = next_signal(&t->pending, t);
	if (sig) {
		sigdelset(&t->pending, sig);
		*info = t->siginfo[sig - 1];
	} else {
		sig = next_signal(&t->signal->shared_pending, t);
		if (sig) {
			sigdelset(&t->signal->shared_pending, sig);
			*info = t->signal->shared_info[sig - 1];
		}
	}
	local_irq_restore(flags);
	return sig;
}

/*
 * Stop, and have the other threads of the group stop too (each as it
 * next heads for user mode); the leader's stop is the one the parent
 * hears of.
 */
static void do_signal_stop(int sig)
{
	struct task_struct *t = current, *p;

	for (p = next_thread(t); p != t; p = next_thread(p)) {
		if (p->state != TASK_STOPPED && !(p->flags & PF_EXITING)) {
			sigaddset(&p->pending, sig);
			signal_wake_up(p, false);
		}
	}
	t->stop_signal = sig;
	t->stop_reported = false;
	t->continued = false;
	t->state = TASK_STOPPED;
	if (thread_group_leader(t))
		notify_parent_cldstop(t, CLD_STOPPED, sig);
	schedule();
}

/* The interrupted system call: restart it, or let it fail with -EINTR. */
static void handle_restart(struct pt_regs *regs, const struct kernel_sigaction *ka)
{
	long ret = (long)regs->eax;

	if (current->syscall_nr < 0)
		return;
	switch (ret) {
	case -ERESTARTNOHAND:
		if (!ka)
			goto restart;
		regs->eax = -EINTR;
		break;
	case -ERESTARTSYS:
		if (!ka || (ka->sa_flags & SA_RESTART))
			goto restart;
		regs->eax = -EINTR;
		break;
	case -ERESTARTNOINTR:
		goto restart;
	case -ERESTART_RESTARTBLOCK:
		if (!ka) {
			regs->eax = __NR_restart_syscall;
			regs->eip -= 2;
			return;
		}
		regs->eax = -EINTR;
		break;
	}
	return;
restart:
	regs->eax = current->syscall_nr;
	regs->eip -= 2;           /* back onto the "int $0x80" */
}

static void fill_siginfo(abi_siginfo_t *info, int sig, const struct sigpending_info *pi)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = pi->code;
	if (pi->code <= 0 || pi->code == SI_KERNEL) {           /* kill(), or the kernel */
		info->_sifields.kill.si_pid = pi->pid;
		info->_sifields.kill.si_uid = pi->uid;
	} else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
		   sig == SIGTRAP) {                              /* force_sig_fault() */
		info->_sifields.fault.si_addr = (void *)pi->addr;
	} else {                                                 /* notify_parent() */
		info->_sifields.chld.si_pid = pi->pid;
		info->_sifields.chld.si_uid = pi->uid;
		info->_sifields.chld.si_status = pi->status;
	}
}

/*
 * Act on one pending signal.  Returns true if a handler frame was set
 * up (the next return to user mode runs the handler), false if there was
 * nothing to deliver.
 */
static bool do_signal(struct pt_regs *regs)
{
	struct task_struct *t = current;
	struct sigpending_info pi;
	int sig;

	while ((sig = dequeue_signal(t, &pi))) {
		struct kernel_sigaction *ka = &t->sighand->action[sig - 1];
		kernel_sigset_t oldset;
		abi_siginfo_t info;

		if (ka->sa_handler == SIG_IGN)
			continue;
		if (ka->sa_handler == SIG_DFL) {
			switch (default_action(sig)) {
			case SIG_IGNORE:
			case SIG_CONT:
				continue;
			case SIG_STOP:
				do_signal_stop(sig);
				continue;
			case SIG_TERM:
				do_group_exit(W_EXITCODE(0, sig));
			case SIG_CORE:
				do_group_exit(W_EXITCODE(0, sig) |
					      (do_coredump(sig, regs) ? WCOREFLAG : 0));
			}
		}
		handle_restart(regs, ka);
		t->syscall_nr = -1;
		oldset = t->restore_sigmask ? t->saved_sigmask : t->blocked;
		fill_siginfo(&info, sig, &pi);
		if (!setup_signal_frame(sig, ka, &info, &oldset, regs)) {
			/*
			 * No usable stack: SIGSEGV.  If it was SIGSEGV's own
			 * handler that could not run, the default action must
			 * apply, or this would loop forever (Linux's
			 * force_sigsegv).
			 */
			if (sig == SIGSEGV)
				ka->sa_handler = SIG_DFL;
			force_sig_fault(SIGSEGV, SI_KERNEL, 0);
			continue;
		}
		t->restore_sigmask = false;
		if (ka->sa_flags & SA_RESETHAND)
			ka->sa_handler = SIG_DFL;
		sigorsets(&t->blocked, &ka->sa_mask);
		if (!(ka->sa_flags & SA_NODEFER))
			sigaddset(&t->blocked, sig);
		sig_drop_unblockable(&t->blocked);
		return true;
	}
	/* no handler ran: a restartable call restarts; sigsuspend's mask comes back */
	handle_restart(regs, NULL);
	t->syscall_nr = -1;
	if (t->restore_sigmask) {
		t->blocked = t->saved_sigmask;
		t->restore_sigmask = false;
	}
	return false;
}

/*
 * The last stop before user mode: reschedule if the time slice ran out,
 * act on signals.  Loops because either can make the other necessary.
 */
void prepare_exit_to_usermode(struct pt_regs *regs)
{
	for (;;) {
		if (current->need_resched) {
			schedule();
			continue;
		}
		if (signal_pending(current) || current->restore_sigmask) {
			if (do_signal(regs))
				continue;
		}
		break;
	}
	if (current->syscall_nr >= 0)
		current->syscall_nr = -1;
}

/* ---- what threads share ------------------------------------------------ */

struct sighand_struct init_sighand = { .count = ATOMIC_INIT(1) };
struct signal_struct init_signals = {
	.count = ATOMIC_INIT(1),
	.live = 1,
	.wait_chldexit = __WAIT_QUEUE_HEAD_INITIALIZER(init_signals.wait_chldexit),
};

/* p (a copy of current) shares current's handlers (CLONE_SIGHAND) or gets a copy of them. */
int copy_sighand(unsigned long clone_flags, struct task_struct *p)
{
	struct sighand_struct *sh;

	if (clone_flags & CLONE_SIGHAND) {
		atomic_inc(&current->sighand->count);
		p->sighand = current->sighand;
		return 0;
	}
	sh = kmalloc(sizeof(*sh), GFP_KERNEL);
	if (!sh)
		return -ENOMEM;
	memcpy(sh->action, current->sighand->action, sizeof(sh->action));
	atomic_set(&sh->count, 1);
	p->sighand = sh;
	return 0;
}

void put_sighand(struct sighand_struct *sighand)
{
	if (atomic_dec_and_test(&sighand->count))
		kfree(sighand);
}

/*
 * exec: handlers shared with another process (CLONE_SIGHAND without
 * threads) become our own.  Out of memory this late, they stay shared.
 */
void unshare_sighand(struct task_struct *t)
{
	struct sighand_struct *old = t->sighand;

	if (atomic_read(&old->count) > 1 && !copy_sighand(0, t))
		put_sighand(old);
}

/* A new thread (CLONE_THREAD) joins current's group; anything else starts a group of its own. */
int copy_signal(unsigned long clone_flags, struct task_struct *p)
{
	struct signal_struct *sig;

	if (clone_flags & CLONE_THREAD) {
		atomic_inc(&current->signal->count);
		current->signal->live++;
		p->signal = current->signal;
		return 0;
	}
	sig = kzalloc(sizeof(*sig), GFP_KERNEL);
	if (!sig)
		return -ENOMEM;
	atomic_set(&sig->count, 1);
	sig->live = 1;
	init_waitqueue_head(&sig->wait_chldexit);
	p->signal = sig;
	return 0;
}

void put_signal(struct signal_struct *sig)
{
	if (atomic_dec_and_test(&sig->count))
		kfree(sig);
}

/* ---- system calls ----------------------------------------------------- */

long sys_kill(pid_t pid, int sig)
{
	struct task_struct *p;
	int found = 0, err;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid > 0) {
		p = find_task_by_pid(pid);
		if (!p || (p->flags & PF_KTHREAD))
			return -ESRCH;
		err = check_kill_permission(sig, p);
		return err ? err : group_send_sig(sig, p, current->tgid);
	}
	if (pid == 0)
		return kill_pgrp(current->pgrp, sig, current->tgid);
	if (pid < -1)
		return kill_pgrp(-pid, sig, current->tgid);
	/* -1: everyone we may signal, except init and ourselves (the others are skipped) */
	list_for_each_entry(p, &task_list, tasks) {
		if (p->pid > 1 && p->tgid != current->tgid && !(p->flags & PF_KTHREAD) &&
		    thread_group_leader(p)) {
			if (!check_kill_permission(sig, p))
				group_send_sig(sig, p, current->tgid);
			found = 1;
		}
	}
	return found ? 0 : -ESRCH;
}

/* A signal to one thread (si_code SI_TKILL); tgid, when not 0, must be its group (tgkill). */
static long do_tkill(pid_t tgid, pid_t tid, int sig)
{
	struct task_struct *p = find_task_by_pid(tid);
	struct sigpending_info info = { .pid = current->tgid, .uid = current->uid,
					.code = SI_TKILL };
	int err;

	if (!p || (p->flags & PF_KTHREAD) || (tgid && p->tgid != tgid))
		return -ESRCH;
	err = check_kill_permission(sig, p);
	return err ? err : __post_signal(sig, p, &info, false);
}

long sys_tkill(pid_t tid, int sig)
{
	if (tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	return do_tkill(0, tid, sig);
}

long sys_tgkill(pid_t tgid, pid_t tid, int sig)
{
	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	return do_tkill(tgid, tid, sig);
}

long sys_rt_sigaction(int sig, const struct kernel_sigaction *act,
		      struct kernel_sigaction *oact, size_t sigsetsize)
{
	struct kernel_sigaction new, *ka;

	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (sig < 1 || sig > _NSIG)
		return -EINVAL;
	if (act && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	ka = &current->sighand->action[sig - 1];
	if (oact && copy_to_user(oact, ka, sizeof(*ka)))
		return -EFAULT;
	if (act) {
		sig_drop_unblockable(&new.sa_mask);
		*ka = new;
		/* setting SIG_IGN (or a default of ignore) discards what is pending */
		if (sig_ignored(current, sig)) {
			struct task_struct *p;

			sigdelset(&current->signal->shared_pending, sig);
			for_each_thread_from(current, p)
				sigdelset(&p->pending, sig);
		}
	}
	return 0;
}

long sys_rt_sigprocmask(int how, const kernel_sigset_t *set, kernel_sigset_t *oset,
			size_t sigsetsize)
{
	kernel_sigset_t new, old = current->blocked;

	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (set) {
		if (copy_from_user(&new, set, sizeof(new)))
			return -EFAULT;
		sig_drop_unblockable(&new);
		switch (how) {
		case SIG_BLOCK:
			sigorsets(&current->blocked, &new);
			break;
		case SIG_UNBLOCK:
			for (int i = 0; i < NSIG_WORDS; i++)
				current->blocked.sig[i] &= ~new.sig[i];
			break;
		case SIG_SETMASK:
			current->blocked = new;
			break;
		default:
			return -EINVAL;
		}
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_rt_sigpending(kernel_sigset_t *set, size_t sigsetsize)
{
	kernel_sigset_t pending;

	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	for (int i = 0; i < NSIG_WORDS; i++)
		pending.sig[i] = (current->pending.sig[i] |
				  current->signal->shared_pending.sig[i]) & current->blocked.sig[i];
	return copy_to_user(set, &pending, sizeof(pending)) ? -EFAULT : 0;
}

/* Replace the mask and sleep until a signal is delivered; the old mask returns after. */
/*
 * pause and sigsuspend.  The state is set before the check, so that a
 * signal sent from an interrupt between the check and schedule() wakes
 * us rather than being missed (the lost wake-up, docs/processes.md).
 */
static void sleep_until_signal(void)
{
	for (;;) {
		current->state = TASK_INTERRUPTIBLE;
		if (signal_pending(current))
			break;
		schedule();
	}
	current->state = TASK_RUNNING;
}

/* What restart_syscall does when nothing was left to go on with. */
long do_no_restart_syscall(struct restart_block *rb)
{
	return -EINTR;
}

long sys_restart_syscall(void)
{
	struct restart_block *rb = &current->restart_block;

	return rb->fn(rb);
}

long sys_rt_sigsuspend(const kernel_sigset_t *mask, size_t sigsetsize)
{
	kernel_sigset_t new;

	if (sigsetsize != sizeof(kernel_sigset_t))
		return -EINVAL;
	if (copy_from_user(&new, mask, sizeof(new)))
		return -EFAULT;
	sig_drop_unblockable(&new);
	current->saved_sigmask = current->blocked;
	current->blocked = new;
	sleep_until_signal();
	current->restore_sigmask = true;
	return -ERESTARTNOHAND;
}

long sys_pause(void)
{
	sleep_until_signal();
	return -ERESTARTNOHAND;
}

long do_sigaltstack(const abi_stack_t *ss, abi_stack_t *uoss, unsigned long sp)
{
	abi_stack_t old = { .ss_sp = (void *)current->sas_ss_sp, .ss_size = current->sas_ss_size,
			    .ss_flags = sas_ss_flags(sp) };

	if (ss) {
		if (on_sig_stack(sp))
			return -EPERM;          /* the handler running on it would lose its stack */
		if (ss->ss_flags != 0 && ss->ss_flags != SS_ONSTACK && ss->ss_flags != SS_DISABLE)
			return -EINVAL;
		if (ss->ss_flags == SS_DISABLE) {
			current->sas_ss_sp = 0;
			current->sas_ss_size = 0;
		} else {
			if (ss->ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			current->sas_ss_sp = (unsigned long)ss->ss_sp;
			current->sas_ss_size = ss->ss_size;
		}
	}
	if (uoss && copy_to_user(uoss, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long sys_sigaltstack(const abi_stack_t *uss, abi_stack_t *uoss)
{
	abi_stack_t ss;

	if (uss && copy_from_user(&ss, uss, sizeof(ss)))
		return -EFAULT;
	return do_sigaltstack(uss ? &ss : NULL, uoss, task_pt_regs(current)->esp);
}
