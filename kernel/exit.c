/*
 * Ending tasks and waiting for them.  do_exit releases everything the
 * task holds (address space, files, cwd), hands its children to init,
 * becomes a zombie carrying its wait status and tells its parent; the
 * parent's wait4 or waitid collects the status and frees the rest (both
 * through do_wait, as in Linux).  A parent that ignores SIGCHLD (or set
 * SA_NOCLDWAIT) gets its children reaped automatically, as POSIX says.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/oom.h>
#include <anvil/fdtable.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>
#include <anvil/signal.h>
#include <anvil/tty.h>
#include <abi/wait.h>
#include <abi/resource.h>

/*
 * Leave our address space, switching to the kernel's page tables first.
 * An OOM victim stops being one only after mmput(): until its memory is
 * back, the OOM killer must not choose another task.
 */
static void exit_mm(struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->mm;

	if (!mm)
		return;
	write_cr3(__pa(swapper_pg_dir));
	setmax_mm_hiwater_rss(&tsk->maxrss, mm);   /* for the parent's ru_maxrss */
	tsk->mm = NULL;
	tsk->active_mm = NULL;
	mm_release(tsk);
	mmput(mm);
	exit_oom_victim(tsk);
}

static bool parent_reaps_automatically(const struct task_struct *parent)
{
	const struct kernel_sigaction *ka = &parent->action[SIGCHLD - 1];

	return ka->sa_handler == SIG_IGN || (ka->sa_flags & SA_NOCLDWAIT);
}

/*
 * Our children become init's; zombies among them are for init to reap
 * now.  Each now exits with SIGCHLD whatever clone gave it, as in Linux's
 * reparent_thread: init must neither be slain by an odd exit signal nor
 * miss a child that exits with none.
 */
static void forget_original_parent(struct task_struct *father)
{
	struct task_struct *reaper = find_task_by_pid(1), *p, *n;

	if (!reaper || reaper == father)
		reaper = &init_task;
	list_for_each_entry_safe(p, n, &father->children, sibling) {
		list_move_tail(&p->sibling, &reaper->children);
		p->parent = reaper;
		if (!(p->flags & PF_KTHREAD))
			p->exit_signal = SIGCHLD;
		if (p->state == EXIT_ZOMBIE)
			wake_up(&reaper->wait_chldexit);
	}
}

void do_exit(int status)
{
	struct task_struct *tsk = current;

	if (tsk->pid == 1 && tsk->mm)
		panic("init exited with status %#x", status);
	if (tsk == &init_task)
		panic("the idle task tried to exit");
	tsk->flags |= PF_EXITING;
	del_timer(&tsk->real_timer);
	if (tsk->clear_child_tid && tsk->mm)
		put_user(0, tsk->clear_child_tid);
	exit_mm(tsk);
	if (tsk->files) {
		put_files_struct(tsk->files);
		tsk->files = NULL;
	}
	if (tsk->cwd) {
		path_put(tsk->cwd);
		tsk->cwd = NULL;
	}
	tty_exit_task(tsk);
	forget_original_parent(tsk);

	tsk->exit_code = status;
	if (tsk->flags & PF_KTHREAD) {
		tsk->state = EXIT_DEAD;           /* nobody waits for kernel threads */
	} else if (tsk->exit_signal && parent_reaps_automatically(tsk->parent)) {
		tsk->state = EXIT_DEAD;           /* freed by finish_task_switch */
		wake_up(&tsk->parent->wait_chldexit);
	} else {
		/* with no exit signal (clone's CSIGNAL 0) the parent's wait4 still wakes */
		tsk->state = EXIT_ZOMBIE;
		do_notify_parent(tsk);
	}
	schedule();
	BUG();
}

long sys_exit(int code)
{
	do_exit(W_EXITCODE(code, 0));
}

long sys_exit_group(int code)
{
	do_exit(W_EXITCODE(code, 0));
}

#define WAIT4_OPTIONS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)
#define WAITID_OPTIONS (WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | \
			__WCLONE | __WALL)

/* Which children a wait asks about: Linux's pid types (PIDTYPE_MAX: any). */
enum pid_type { PIDTYPE_PID, PIDTYPE_PGID, PIDTYPE_MAX };

/* A wait4 or waitid: what to wait for, and what was found. */
struct wait_opts {
	enum pid_type type;
	pid_t pid;                  /* the child, or the process group, by type */
	int flags;                  /* WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT, __W* */
	struct rusage *ru;          /* kernel copy of the child's usage, or NULL */
	int status;                 /* the reported child's wait status */
	uid_t uid;                  /* and its real uid (waitid's si_uid) */
};

/*
 * Is p one of the children the wait asks about?  Without __WALL, a
 * "clone" child (one whose exit signal is not SIGCHLD) is waited for
 * only with __WCLONE, and only it then, as in Linux.
 */
static bool eligible_child(const struct wait_opts *wo, const struct task_struct *p)
{
	if (wo->type == PIDTYPE_PID && p->pid != wo->pid)
		return false;
	if (wo->type == PIDTYPE_PGID && p->pgrp != wo->pid)
		return false;
	if (wo->flags & __WALL)
		return true;
	return (p->exit_signal != SIGCHLD) == !!(wo->flags & __WCLONE);
}

/*
 * Look for a child to report: NULL if none is ready; *have_child says
 * whether waiting could ever succeed.  A zombie counts only if WEXITED
 * is asked for (a waitid for stops alone gets ECHILD from a child that
 * can only be reaped, as in Linux).  WNOWAIT leaves what it reports in
 * place for the next wait.
 */
static struct task_struct *find_reportable_child(struct wait_opts *wo, bool *have_child)
{
	bool consume = !(wo->flags & WNOWAIT);
	struct task_struct *p;

	*have_child = false;
	list_for_each_entry(p, &current->children, sibling) {
		if (p->state == EXIT_DEAD || !eligible_child(wo, p))
			continue;
		if (p->state == EXIT_ZOMBIE) {
			if (!(wo->flags & WEXITED))
				continue;
			*have_child = true;
			wo->status = p->exit_code;
			return p;
		}
		*have_child = true;
		if ((wo->flags & WSTOPPED) && p->state == TASK_STOPPED && !p->stop_reported) {
			p->stop_reported = consume;
			wo->status = W_STOPCODE(p->stop_signal);
			return p;
		}
		if ((wo->flags & WCONTINUED) && p->continued) {
			p->continued = !consume;
			wo->status = W_CONTINUED;
			return p;
		}
	}
	return NULL;
}

/* Report p (its usage for wo->ru); a zombie is reaped unless WNOWAIT.  Returns p's pid. */
static pid_t report_child(struct task_struct *p, struct wait_opts *wo)
{
	pid_t pid = p->pid;

	wo->uid = p->uid;
	if (wo->ru)
		task_rusage(p, RUSAGE_BOTH, wo->ru);
	if (p->state == EXIT_ZOMBIE && !(wo->flags & WNOWAIT)) {
		account_reaped_child(current, p);
		release_task(p);
	}
	return pid;
}

/*
 * Wait as wo says: the reported child's pid, 0 for WNOHANG with none
 * ready, -ECHILD when no child could ever be reported, -ERESTARTSYS when
 * a signal came first.  The caller copies the answers out afterwards:
 * a child is reaped even if they cannot be stored, as in Linux.
 */
static long do_wait(struct wait_opts *wo)
{
	DEFINE_WAIT(wait);
	struct task_struct *p;
	bool have_child;

	for (;;) {
		/* queue first, then look: a child exiting in between still wakes us */
		prepare_to_wait(&current->wait_chldexit, &wait, TASK_INTERRUPTIBLE);
		p = find_reportable_child(wo, &have_child);
		if (p || !have_child || (wo->flags & WNOHANG) || signal_pending(current))
			break;
		schedule();
	}
	finish_wait(&current->wait_chldexit, &wait);   /* running again before any user copy */
	if (p)
		return report_child(p, wo);
	if (!have_child)
		return -ECHILD;
	return (wo->flags & WNOHANG) ? 0 : -ERESTARTSYS;
}

long sys_wait4(pid_t upid, int *stat_addr, int options, struct rusage *ru)
{
	struct rusage r;
	struct wait_opts wo = { .flags = options | WEXITED, .ru = ru ? &r : NULL };
	long ret;

	if (options & ~WAIT4_OPTIONS)
		return -EINVAL;
	if (upid == INT32_MIN)
		return -ESRCH;              /* -INT_MIN, its process group, does not exist */
	if (upid == -1) {
		wo.type = PIDTYPE_MAX;
	} else if (upid <= 0) {
		wo.type = PIDTYPE_PGID;
		wo.pid = upid ? -upid : current->pgrp;
	} else {
		wo.type = PIDTYPE_PID;
		wo.pid = upid;
	}
	ret = do_wait(&wo);
	if (ret > 0 && ((stat_addr && put_user(wo.status, stat_addr)) ||
			(ru && copy_to_user(ru, &r, sizeof(r)))))
		ret = -EFAULT;
	return ret;
}

long sys_waitpid(pid_t pid, int *stat_addr, int options)
{
	return sys_wait4(pid, stat_addr, options, NULL);
}

/*
 * waitid's id types.  anvil has no pidfds, so P_PIDFD names a file that
 * is not one, which Linux answers with EBADF.
 */
static int waitid_target(int which, pid_t upid, struct wait_opts *wo)
{
	switch (which) {
	case P_ALL:
		wo->type = PIDTYPE_MAX;
		return 0;
	case P_PID:
		wo->type = PIDTYPE_PID;
		wo->pid = upid;
		return upid <= 0 ? -EINVAL : 0;
	case P_PGID:
		wo->type = PIDTYPE_PGID;
		wo->pid = upid ? upid : current->pgrp;
		return upid < 0 ? -EINVAL : 0;
	case P_PIDFD:
		return upid < 0 ? -EINVAL : -EBADF;
	default:
		return -EINVAL;
	}
}

/*
 * waitid(2): returns 0 and describes the child in *infop (si_signo
 * SIGCHLD, si_code CLD_*, si_pid, si_uid, si_status).  Like Linux it
 * writes only those fields (and si_errno), and writes them whatever the
 * outcome: zero when nothing was reported -- WNOHANG with no child ready,
 * or an error -- so a bad infop gives EFAULT even then.
 */
long sys_waitid(int which, pid_t upid, abi_siginfo_t *infop, int options, struct rusage *ru)
{
	struct rusage r;
	struct wait_opts wo = { .flags = options, .ru = ru ? &r : NULL };
	abi_siginfo_t info;
	long ret = -EINVAL;

	if (!(options & ~WAITID_OPTIONS) && (options & (WEXITED | WSTOPPED | WCONTINUED)))
		ret = waitid_target(which, upid, &wo);
	if (!ret)
		ret = do_wait(&wo);
	memset(&info, 0, sizeof(info));
	if (ret > 0) {
		info.si_signo = SIGCHLD;
		info._sifields.chld.si_pid = (pid_t)ret;
		info._sifields.chld.si_uid = wo.uid;
		info.si_code = wait_status_to_cld(wo.status, &info._sifields.chld.si_status);
		ret = 0;
		if (ru && copy_to_user(ru, &r, sizeof(r)))
			return -EFAULT;
	}
	if (infop && copy_to_user(infop, &info, offsetof(abi_siginfo_t, _sifields.chld.si_utime)))
		return -EFAULT;
	return ret;
}
