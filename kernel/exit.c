/*
 * Ending tasks and waiting for them.  do_exit releases everything the
 * task holds (address space, files, cwd), hands its children to init,
 * becomes a zombie carrying its wait status and tells its parent; the
 * parent's wait4 collects the status and frees the rest.  A parent that
 * ignores SIGCHLD (or set SA_NOCLDWAIT) gets its children reaped
 * automatically, as POSIX says.
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
		iput(tsk->cwd);
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

/* Is p one of the children wait4(pid) asks about? */
static bool eligible_child(const struct task_struct *p, pid_t pid)
{
	if (pid > 0)
		return p->pid == pid;
	if (pid == 0)
		return p->pgrp == current->pgrp;
	if (pid < -1)
		return p->pgrp == -pid;
	return true;
}

static int fill_rusage(const struct task_struct *p, struct rusage *ru)
{
	struct rusage r;
	unsigned long ut = p->utime + p->cutime, st = p->stime + p->cstime;

	if (!ru)
		return 0;
	memset(&r, 0, sizeof(r));
	r.ru_utime.tv_sec = ut / HZ;
	r.ru_utime.tv_usec = (ut % HZ) * (1000000 / HZ);
	r.ru_stime.tv_sec = st / HZ;
	r.ru_stime.tv_usec = (st % HZ) * (1000000 / HZ);
	r.ru_minflt = p->min_flt;
	r.ru_majflt = p->maj_flt;
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

/*
 * Report p's status; a zombie is reaped.  Returns p's pid, or -EFAULT if
 * the status or rusage could not be stored -- the zombie is reaped all
 * the same, as Linux does: the report was consumed either way.
 */
static long report_child(struct task_struct *p, int status, bool reap, int *stat_addr,
			 struct rusage *ru)
{
	long ret = p->pid;

	if (fill_rusage(p, ru) || (stat_addr && put_user(status, stat_addr)))
		ret = -EFAULT;
	if (reap) {
		current->cutime += p->utime + p->cutime;
		current->cstime += p->stime + p->cstime;
		release_task(p);
	}
	return ret;
}

/*
 * Look for a child to report: *status and *reap filled in; NULL if none
 * is ready; *have_child says whether waiting could ever succeed.
 */
static struct task_struct *find_reportable_child(pid_t pid, int options, int *status,
						 bool *reap, bool *have_child)
{
	struct task_struct *p;

	*have_child = false;
	list_for_each_entry(p, &current->children, sibling) {
		if (!eligible_child(p, pid) || p->state == EXIT_DEAD)
			continue;
		*have_child = true;
		*reap = false;
		if (p->state == EXIT_ZOMBIE) {
			*status = p->exit_code;
			*reap = true;
			return p;
		}
		if ((options & WUNTRACED) && p->state == TASK_STOPPED && !p->stop_reported) {
			p->stop_reported = true;
			*status = W_STOPCODE(p->stop_signal);
			return p;
		}
		if ((options & WCONTINUED) && p->continued) {
			p->continued = false;
			*status = W_CONTINUED;
			return p;
		}
	}
	return NULL;
}

long sys_wait4(pid_t pid, int *stat_addr, int options, struct rusage *ru)
{
	DEFINE_WAIT(wait);
	struct task_struct *p;
	bool reap, have_child;
	int status = 0;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL))
		return -EINVAL;
	for (;;) {
		/* queue first, then look: a child exiting in between still wakes us */
		prepare_to_wait(&current->wait_chldexit, &wait, TASK_INTERRUPTIBLE);
		p = find_reportable_child(pid, options, &status, &reap, &have_child);
		if (p || !have_child || (options & WNOHANG) || signal_pending(current))
			break;
		schedule();
	}
	finish_wait(&current->wait_chldexit, &wait);   /* running again before any user copy */
	if (p)
		return report_child(p, status, reap, stat_addr, ru);
	if (!have_child)
		ret = -ECHILD;
	else if (options & WNOHANG)
		ret = 0;
	else
		ret = -ERESTARTSYS;
	return ret;
}

long sys_waitpid(pid_t pid, int *stat_addr, int options)
{
	return sys_wait4(pid, stat_addr, options, NULL);
}
