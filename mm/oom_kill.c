/*
 * The out-of-memory killer.  When reclaim can free nothing and no swap
 * slot is left, some process must die so the rest can go on: the one
 * using the most memory (resident pages, swapped-out pages and page
 * tables, as Linux's later oom_badness() weighs them; 2.6's badness()
 * started from total_vm), never init and never a kernel thread.
 * It gets SIGKILL, and so does every other task using its mm (its
 * threads, a vfork child or parent): the memory comes back when the last
 * of them exits.
 *
 * Until then each victim carries PF_MEMDIE (Linux's TIF_MEMDIE): set when
 * it is chosen, or found already dying, and cleared by exit_mm() once
 * mmput() has freed its address space.  While it is set nobody else is
 * chosen, and the allocator waits for the victim instead of failing.
 */
#include <anvil/kernel.h>
#include <anvil/oom.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/vmstat.h>
#include <anvil/mmzone.h>

static unsigned long badness(const struct task_struct *p)
{
	const struct mm_struct *mm = p->mm;

	return mm->anon_rss + mm->file_rss + mm->swap_ents + mm->nr_ptes;
}

/* init and kernel threads are never killed, even when they share a victim's mm */
static bool oom_unkillable_task(const struct task_struct *p)
{
	return p->tgid <= 1 || (p->flags & PF_KTHREAD);
}

static bool victim_pending(struct task_struct *p)
{
	return fatal_signal_pending(p) || (p->flags & (PF_EXITING | PF_MEMDIE));
}

static struct task_struct *select_bad_process(void)
{
	struct task_struct *p, *chosen = NULL;
	unsigned long max = 0;

	list_for_each_entry(p, &task_list, tasks) {
		/* a victim, even one past exit_mm's "tsk->mm = NULL" */
		if (p->flags & PF_MEMDIE)
			return p;
		if (!p->mm || oom_unkillable_task(p) || p->state == EXIT_ZOMBIE ||
		    p->state == EXIT_DEAD)
			continue;
		/*
		 * Already dying, or exiting with its memory not yet freed:
		 * wait for it rather than kill another, as Linux 2.6 does.
		 */
		if (victim_pending(p))
			return p;
		if (badness(p) > max) {
			max = badness(p);
			chosen = p;
		}
	}
	return chosen;
}

static void oom_kill_task(struct task_struct *p)
{
	send_sig(SIGKILL, p, 0);
	p->flags |= PF_MEMDIE;
}

/*
 * Kill p and every other user of its mm, as Linux's oom_kill_process
 * does: mmput frees nothing while one user is left, and a vfork parent
 * spared while its child is killed (or the other way round) would hold
 * the victim's memory with no one left to free it.
 */
static void oom_kill_process(struct task_struct *p, gfp_t gfp, unsigned int order)
{
	struct mm_struct *mm = p->mm;
	struct task_struct *q;

	printk(KERN_ERR "Out of memory (order %u, gfp %#x): Killed process %d (%s) "
	       "total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, swap:%lukB\n", order, gfp,
	       p->pid, p->comm, mm->total_vm * KB_PER_PAGE, mm->anon_rss * KB_PER_PAGE,
	       mm->file_rss * KB_PER_PAGE, mm->swap_ents * KB_PER_PAGE);
	count_vm_event(OOM_KILL);
	oom_kill_task(p);
	list_for_each_entry(q, &task_list, tasks) {
		if (q == p || q->mm != mm || oom_unkillable_task(q))
			continue;
		/* the victim's own threads die with it; another process is named */
		if (q->tgid != p->tgid)
			printk(KERN_ERR "Killed process %d (%s) sharing the same memory\n",
			       q->tgid, q->comm);
		oom_kill_task(q);
	}
}

/*
 * Has memory come back since the caller's allocation failed?  Its reclaim
 * may have overlapped another OOM kill whose victim has exited since: to
 * kill now would take a bystander (the flaky swap/oom_killer_swap_full:
 * the bystander, reclaiming for a swap-in while the hog was killed and
 * exited, was chosen next with 20 MiB free).  Linux's __alloc_pages tries
 * the free lists once more at the high watermark first, "only to catch a
 * parallel oom killing".
 */
static bool memory_is_back(void)
{
	return normal_zone.free_pages > normal_zone.pages_high;
}

bool out_of_memory(gfp_t gfp, unsigned int order)
{
	struct task_struct *p;

	if (memory_is_back())
		return true;
	p = select_bad_process();
	if (!p)
		return false;
	if (victim_pending(p))
		p->flags |= PF_MEMDIE;
	else
		oom_kill_process(p, gfp, order);
	return true;
}

/*
 * Is an OOM victim sure to free its memory without our help?  One that can
 * run gets to its exit: a killed task's user copies and MAP_POPULATE stop
 * early and its allocations fail rather than wait, and nothing in do_exit
 * waits for another task before mmput().  An allocation may wait for that
 * without a bound.  A victim asleep and unkillable (TASK_UNINTERRUPTIBLE)
 * before its exit may instead be waiting for the very task that is
 * allocating -- as a vfork parent did before its wait became killable --
 * so that wait stays bounded.
 */
bool oom_victim_will_free_mem(void)
{
	struct task_struct *p;

	list_for_each_entry(p, &task_list, tasks)
		if ((p->flags & PF_MEMDIE) &&
		    ((p->flags & PF_EXITING) || p->state == TASK_RUNNING))
			return true;
	return false;
}

void exit_oom_victim(struct task_struct *tsk)
{
	tsk->flags &= ~PF_MEMDIE;
}

/*
 * A user page fault found no memory.  Kill the worst process (perhaps
 * this one) and let it run to its end; the fault is retried on return.
 * The allocator's wait for a victim asleep is bounded, and the victim
 * may have finished exiting since (a hog slow to tear down 16 MiB of
 * swap): then memory is back, and out_of_memory kills nobody.
 */
void out_of_memory_fault(void)
{
	if (!out_of_memory(GFP_HIGHUSER, 0))
		send_sig(SIGKILL, current, 0);    /* nobody else to blame */
	if (!fatal_signal_pending(current)) {
		current->need_resched = true;     /* let the victim exit first */
		schedule();
	}
}
