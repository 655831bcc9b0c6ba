/*
 * Resource usage: what getrusage, wait4 and waitid report of a process
 * -- CPU time, page faults, context switches, the peak resident set --
 * and what a parent gathers from each child it reaps (the c* totals,
 * which hold the child's own reaped descendants too, as Linux's do).
 * The events are counted where they happen, per thread: ticks in
 * scheduler_tick, faults in handle_mm_fault, switches in schedule, the
 * peak of an image as exec or exit leaves it.  A process's usage is its
 * threads' summed, with what released threads used kept in its
 * signal_struct (Linux's __exit_signal does the same).
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/time.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>
#include <abi/resource.h>

static void add_usage(struct task_usage *u, const struct task_usage *v)
{
	u->utime += v->utime;
	u->stime += v->stime;
	u->min_flt += v->min_flt;
	u->maj_flt += v->maj_flt;
	u->nvcsw += v->nvcsw;
	u->nivcsw += v->nivcsw;
	u->maxrss = max(u->maxrss, v->maxrss);
}

/* t's own counters, or (children) those of the children it reaped. */
static struct task_usage usage_of(const struct task_struct *t, bool children)
{
	if (children)
		return (struct task_usage){ t->cutime, t->cstime, t->cmin_flt, t->cmaj_flt,
					    t->cnvcsw, t->cnivcsw, t->cmaxrss };
	return (struct task_usage){ t->utime, t->stime, t->min_flt, t->maj_flt, t->nvcsw,
				    t->nivcsw, t->maxrss };
}

/* p's whole process: its threads' counters (or their reaped children's), released ones too. */
static struct task_usage group_usage(const struct task_struct *p, bool children)
{
	struct task_usage u = children ? p->signal->dead_children : p->signal->dead, v;
	const struct task_struct *t;

	for_each_thread_from(p, t) {
		v = usage_of(t, children);
		add_usage(&u, &v);
	}
	return u;
}

/*
 * p's usage: RUSAGE_SELF (its process's), RUSAGE_THREAD (p's alone),
 * RUSAGE_CHILDREN, or RUSAGE_BOTH.  ru_maxrss is a maximum, not a sum:
 * the largest of the process's images (the one it runs now included)
 * and of its reaped descendants'.
 */
void task_rusage(const struct task_struct *p, int who, struct rusage *r)
{
	struct task_usage u = { 0 }, v;

	memset(r, 0, sizeof(*r));
	if (who == RUSAGE_CHILDREN || who == RUSAGE_BOTH)
		u = group_usage(p, true);
	if (who != RUSAGE_CHILDREN) {
		v = who == RUSAGE_THREAD ? usage_of(p, false) : group_usage(p, false);
		add_usage(&u, &v);
		if (p->mm)
			setmax_mm_hiwater_rss(&u.maxrss, p->mm);
	}
	r->ru_utime = jiffies_to_timeval(u.utime);
	r->ru_stime = jiffies_to_timeval(u.stime);
	r->ru_minflt = u.min_flt;
	r->ru_majflt = u.maj_flt;
	r->ru_nvcsw = u.nvcsw;
	r->ru_nivcsw = u.nivcsw;
	r->ru_maxrss = u.maxrss * KB_PER_PAGE;
}

/*
 * parent reaps child (a process whose threads are all gone): its usage
 * and its children's join the parent's c* totals.  Only a reaped child
 * counts -- one never waited for (SIGCHLD ignored) does not, as POSIX says.
 */
void account_reaped_child(struct task_struct *parent, const struct task_struct *child)
{
	struct task_usage u = group_usage(child, false), c = group_usage(child, true);

	add_usage(&u, &c);
	parent->cutime += u.utime;
	parent->cstime += u.stime;
	parent->cmin_flt += u.min_flt;
	parent->cmaj_flt += u.maj_flt;
	parent->cnvcsw += u.nvcsw;
	parent->cnivcsw += u.nivcsw;
	parent->cmaxrss = max(parent->cmaxrss, u.maxrss);
}

void account_released_thread(const struct task_struct *p)
{
	struct task_usage own = usage_of(p, false), children = usage_of(p, true);

	add_usage(&p->signal->dead, &own);
	add_usage(&p->signal->dead_children, &children);
}

void thread_group_cputime(const struct task_struct *p, unsigned long *utime, unsigned long *stime)
{
	struct task_usage u = group_usage(p, false);

	*utime = u.utime;
	*stime = u.stime;
}

void thread_group_children_cputime(const struct task_struct *p, unsigned long *utime,
				   unsigned long *stime)
{
	struct task_usage u = group_usage(p, true);

	*utime = u.utime;
	*stime = u.stime;
}

long sys_getrusage(int who, struct rusage *ru)
{
	struct rusage r;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
		return -EINVAL;
	task_rusage(current, who, &r);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}
