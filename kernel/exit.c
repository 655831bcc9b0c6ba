/*
 * Ending tasks and waiting for them.  do_exit releases everything the
 * task holds (address space, files, cwd), hands its children to init,
 * becomes a zombie carrying its wait status and tells its parent; the
 * parent's wait4 or waitid collects the status and frees the rest (both
 * through do_wait, as in Linux).  A parent that ignores SIGCHLD (or set
 * SA_NOCLDWAIT) gets its children reaped automatically, as POSIX says.
 *
 * Thread groups: a thread that is not the leader is reaped as it dies;
 * the leader stays a zombie until the last thread is gone, and only then
 * does its parent hear of the process (Linux's delay_group_leader).
 * exit_group and fatal signals kill every thread with the group's status.
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
#include <anvil/futex.h>
#include <anvil/fs_struct.h>
#include <anvil/switch.h>
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
	leave_mm();
	setmax_mm_hiwater_rss(&tsk->maxrss, mm);   /* for the parent's ru_maxrss */
	tsk->mm = NULL;
	tsk->active_mm = NULL;
	mm_release(tsk);
	mmput(mm);
	exit_oom_victim(tsk);
}

static bool parent_reaps_automatically(const struct task_struct *parent)
{
	const struct kernel_sigaction *ka = &parent->sighand->action[SIGCHLD - 1];

	return ka->sa_handler == SIG_IGN || (ka->sa_flags & SA_NOCLDWAIT);
}

/*
 * Who takes the children of an exiting thread: another live thread of
 * its group (the process still lives), else init (Linux's find_new_reaper).
 */
static struct task_struct *find_new_reaper(struct task_struct *father)
{
	struct task_struct *t, *reaper;

	for (t = next_thread(father); t != father; t = next_thread(t))
		if (!(t->flags & PF_EXITING))
			return t;
	reaper = find_task_by_pid(1);
	return !reaper || reaper == father ? &init_task : reaper;
}

/*
 * Our children become another's; zombies among them are for it to reap
 * now.  Each child that changes process now exits with SIGCHLD whatever
 * clone gave it, as in Linux's reparent_thread: init must neither be
 * slain by an odd exit signal nor miss a child that exits with none.
 */
static void forget_original_parent(struct task_struct *father)
{
	struct task_struct *reaper = find_new_reaper(father), *p, *n, *t;

	list_for_each_entry_safe(p, n, &father->children, sibling) {
		list_move_tail(&p->sibling, &reaper->children);
		for_each_thread_from(p, t)
			t->parent = reaper;
		if (!(p->flags & PF_KTHREAD) && reaper->tgid != father->tgid)
			p->exit_signal = SIGCHLD;
		if (p->state == EXIT_ZOMBIE)
			wake_up(&reaper->signal->wait_chldexit);
	}
}

int task_exit_code(const struct task_struct *p)
{
	return (p->signal->flags & SIGNAL_GROUP_EXIT) ? p->signal->group_exit_code : p->exit_code;
}

/*
 * The process (leader) has no threads left: tell its parent, or let it go
 * at once if the parent reaps automatically.  The leader may not be
 * current: current may be its last thread.
 */
static void release_group_leader(struct task_struct *leader)
{
	if (leader->exit_signal > 0 && parent_reaps_automatically(leader->parent)) {
		wake_up(&leader->parent->signal->wait_chldexit);
		if (leader == current)
			leader->state = EXIT_DEAD;     /* freed by finish_task_switch */
		else
			release_task(leader);
	} else {
		/* with no exit signal (clone's CSIGNAL 0) the parent's wait4 still wakes */
		do_notify_parent(leader);
	}
}

/*
 * Become a zombie and say so.  A thread other than the leader is reaped
 * at once; the leader waits as a zombie for the rest of its group; the
 * last thread out tells the leader's parent.
 */
static void exit_notify(struct task_struct *tsk, bool group_dead)
{
	struct task_struct *leader = tsk->group_leader;

	forget_original_parent(tsk);
	if (tsk->flags & PF_KTHREAD) {
		tsk->state = EXIT_DEAD;           /* nobody waits for kernel threads */
		return;
	}
	if (tsk->signal->group_exit_task && tsk->signal->live == 1)
		wake_up_process(tsk->signal->group_exit_task);   /* an exec waits for us */
	if (!thread_group_leader(tsk)) {
		tsk->state = EXIT_DEAD;           /* freed by finish_task_switch */
		if (group_dead && leader->state == EXIT_ZOMBIE)
			release_group_leader(leader);
		return;
	}
	tsk->state = EXIT_ZOMBIE;
	if (group_dead)
		release_group_leader(tsk);
}

/*
 * The thread's last words to user space, while its mm is still its own:
 * robust locks it held are marked dead (their waiters woken), and the
 * CLONE_CHILD_CLEARTID word is zeroed and woken, which is how pthread_join
 * learns a thread has ended.
 */
static void exit_user_words(struct task_struct *tsk)
{
	if (!tsk->mm)
		return;
	if (tsk->robust_list)
		exit_robust_list(tsk);
	/* (alone in the mm, nobody is left to wake: Linux skips it too) */
	if (tsk->clear_child_tid && atomic_read(&tsk->mm->mm_users) > 1 &&
	    !put_user(0, tsk->clear_child_tid))
		futex_wake_address((u32 *)tsk->clear_child_tid, 1);
	tsk->clear_child_tid = NULL;
}

void do_exit(int status)
{
	struct task_struct *tsk = current;
	bool group_dead;

	if (tsk == &init_task)
		panic("the idle task tried to exit");
	group_dead = tsk->signal->live == 1;
	if (tsk->tgid == 1 && tsk->mm && group_dead)
		panic("init exited with status %#x", status);     /* its last thread */
	tsk->flags |= PF_EXITING;
	tsk->signal->live--;
	del_timer(&tsk->real_timer);     /* anvil's itimers are the thread's own */
	exit_user_words(tsk);
	exit_mm(tsk);
	if (tsk->files) {
		put_files_struct(tsk->files);
		tsk->files = NULL;
	}
	if (tsk->fs)
		exit_fs(tsk);
	if (group_dead)
		tty_exit_task(tsk);
	tsk->exit_code = status;
	/*
	 * The last thread out gives the process its status, whatever the
	 * leader's own exit said -- what Linux reports (checked on the host).
	 */
	if (group_dead && !thread_group_empty(tsk) && !(tsk->signal->flags & SIGNAL_GROUP_EXIT)) {
		tsk->signal->flags |= SIGNAL_GROUP_EXIT;
		tsk->signal->group_exit_code = status;
	}
	exit_notify(tsk, group_dead);
	schedule();
	BUG();
}

/* End the whole thread group with status: the other threads get SIGKILL and take it too. */
void do_group_exit(int status)
{
	struct signal_struct *sig = current->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT) {
		status = sig->group_exit_code;
	} else if (sig->group_exit_task) {
		/* an exec is killing us: the status is nobody's */
	} else if (!thread_group_empty(current)) {
		sig->flags |= SIGNAL_GROUP_EXIT;
		sig->group_exit_code = status;
		zap_other_threads(current);
	}
	do_exit(status);
}

long sys_exit(int code)
{
	do_exit(W_EXITCODE(code, 0));
}

long sys_exit_group(int code)
{
	do_group_exit(W_EXITCODE(code, 0));
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
	struct task_struct *p, *tsk;

	*have_child = false;
	/* the children of every thread of ours, unless __WNOTHREAD */
	for_each_thread_from(current, tsk) {
		list_for_each_entry(p, &tsk->children, sibling) {
			if (p->state == EXIT_DEAD || !eligible_child(wo, p))
				continue;
			if (p->state == EXIT_ZOMBIE) {
				if (!(wo->flags & WEXITED))
					continue;
				*have_child = true;
				/* a leader whose threads still run is not done yet */
				if (p->signal->live)
					continue;
				wo->status = task_exit_code(p);
				return p;
			}
			*have_child = true;
			if ((wo->flags & WSTOPPED) && p->state == TASK_STOPPED &&
			    !p->stop_reported) {
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
		if (wo->flags & __WNOTHREAD)
			break;
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
		prepare_to_wait(&current->signal->wait_chldexit, &wait, TASK_INTERRUPTIBLE);
		p = find_reportable_child(wo, &have_child);
		if (p || !have_child || (wo->flags & WNOHANG) || signal_pending(current))
			break;
		schedule();
	}
	/* running again before any user copy */
	finish_wait(&current->signal->wait_chldexit, &wait);
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
