/*
 * Resource usage: what getrusage, wait4 and waitid report of a process
 * -- CPU time, page faults, context switches, the peak resident set --
 * and what a parent gathers from each child it reaps (the c* totals,
 * which hold the child's own reaped descendants too, as Linux's do).
 * The events are counted where they happen: ticks in scheduler_tick,
 * faults in handle_mm_fault, switches in schedule, the peak of an image
 * as exec or exit leaves it.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/time.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>
#include <abi/resource.h>

/*
 * p's usage: RUSAGE_SELF (or RUSAGE_THREAD: anvil's processes have one
 * thread), RUSAGE_CHILDREN, or RUSAGE_BOTH.  ru_maxrss is a maximum, not
 * a sum: the largest of p's images (the one it runs now included) and
 * of its reaped descendants'.
 */
void task_rusage(const struct task_struct *p, int who, struct rusage *r)
{
	unsigned long utime = 0, stime = 0, maxrss = 0;

	memset(r, 0, sizeof(*r));
	if (who == RUSAGE_CHILDREN || who == RUSAGE_BOTH) {
		utime = p->cutime;
		stime = p->cstime;
		r->ru_minflt = p->cmin_flt;
		r->ru_majflt = p->cmaj_flt;
		r->ru_nvcsw = p->cnvcsw;
		r->ru_nivcsw = p->cnivcsw;
		maxrss = p->cmaxrss;
	}
	if (who != RUSAGE_CHILDREN) {
		utime += p->utime;
		stime += p->stime;
		r->ru_minflt += p->min_flt;
		r->ru_majflt += p->maj_flt;
		r->ru_nvcsw += p->nvcsw;
		r->ru_nivcsw += p->nivcsw;
		maxrss = max(maxrss, p->maxrss);
		if (p->mm)
			setmax_mm_hiwater_rss(&maxrss, p->mm);
	}
	r->ru_utime = jiffies_to_timeval(utime);
	r->ru_stime = jiffies_to_timeval(stime);
	r->ru_maxrss = maxrss * KB_PER_PAGE;
}

/*
 * parent reaps child: the child's usage and its children's join the
 * parent's c* totals.  Only a reaped child counts -- one never waited
 * for (SIGCHLD ignored) does not, as POSIX says.
 */
void account_reaped_child(struct task_struct *parent, const struct task_struct *child)
{
	parent->cutime += child->utime + child->cutime;
	parent->cstime += child->stime + child->cstime;
	parent->cmin_flt += child->min_flt + child->cmin_flt;
	parent->cmaj_flt += child->maj_flt + child->cmaj_flt;
	parent->cnvcsw += child->nvcsw + child->cnvcsw;
	parent->cnivcsw += child->nivcsw + child->cnivcsw;
	parent->cmaxrss = max(parent->cmaxrss, max(child->maxrss, child->cmaxrss));
}

long sys_getrusage(int who, struct rusage *ru)
{
	struct rusage r;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	task_rusage(current, who, &r);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}
