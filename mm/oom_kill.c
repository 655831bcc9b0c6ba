/*
 * The out-of-memory killer.  When reclaim can free nothing and no swap
 * slot is left, some process must die so the rest can go on: the one
 * using the most memory (resident pages, swapped-out pages and page
 * tables, as Linux's later oom_badness() weighs them; 2.6's badness()
 * started from total_vm), never init and never a kernel thread.
 * It gets SIGKILL; its memory comes back as it exits.
 */
#include <anvil/kernel.h>
#include <anvil/oom.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/vmstat.h>
#include <anvil/mmzone.h>

#define KB_PER_PAGE (PAGE_SIZE / 1024)

static unsigned long badness(const struct task_struct *p)
{
	const struct mm_struct *mm = p->mm;

	return mm->anon_rss + mm->file_rss + mm->swap_ents + mm->nr_ptes;
}

static bool victim_pending(struct task_struct *p)
{
	return fatal_signal_pending(p) || (p->flags & PF_EXITING);
}

static struct task_struct *select_bad_process(void)
{
	struct task_struct *p, *chosen = NULL;
	unsigned long max = 0;

	list_for_each_entry(p, &task_list, tasks) {
		if (!p->mm || p->pid <= 1 || (p->flags & PF_KTHREAD) ||
		    p->state == EXIT_ZOMBIE || p->state == EXIT_DEAD)
			continue;
		/*
		 * Already dying, or exiting with its memory not yet freed (a
		 * victim tearing down a swapped-out address space takes a while):
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

bool out_of_memory(gfp_t gfp, unsigned int order)
{
	struct task_struct *p = select_bad_process();
	struct mm_struct *mm;

	if (!p)
		return false;
	if (victim_pending(p))
		return true;
	mm = p->mm;
	printk(KERN_ERR "Out of memory (order %u, gfp %#x): Killed process %d (%s) "
	       "total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, swap:%lukB\n", order, gfp,
	       p->pid, p->comm, mm->total_vm * KB_PER_PAGE, mm->anon_rss * KB_PER_PAGE,
	       mm->file_rss * KB_PER_PAGE, mm->swap_ents * KB_PER_PAGE);
	count_vm_event(OOM_KILL);
	send_sig(SIGKILL, p, 0);
	return true;
}

/*
 * A user page fault found no memory.  Kill the worst process (perhaps
 * this one) and let it run to its end; the fault is retried on return.
 * The allocator gives up after a bounded wait, and the victim it chose
 * may have finished exiting since: if memory is back, only retry --
 * killing again would take an innocent bystander (the flaky
 * swap/oom_killer_swap_full: a hog slow to tear down 16 MiB of swap).
 */
void out_of_memory_fault(void)
{
	if (normal_zone.free_pages > normal_zone.pages_low)
		return;
	if (!out_of_memory(GFP_HIGHUSER, 0))
		send_sig(SIGKILL, current, 0);    /* nobody else to blame */
	if (!fatal_signal_pending(current)) {
		current->need_resched = true;     /* let the victim exit first */
		schedule();
	}
}
