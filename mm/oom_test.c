/*
 * Tests of what keeps the OOM killer's wait finite (mm/oom_kill.c,
 * mm/page_alloc.c): a killed task stops faulting pages in -- its user
 * copies fail, MAP_POPULATE stops -- and its allocations take the
 * reserve and then fail rather than reclaim or wait; a victim is waited
 * for until exit_mm() has freed its memory, even after its mm is gone;
 * and nobody is killed once memory is back.
 * The tests run in the idle task, so "killed" is a SIGKILL made pending
 * by hand and taken back before any assertion can return.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/oom.h>
#include <anvil/sched.h>
#include <anvil/signal.h>
#include <anvil/uaccess.h>
#include <anvil/vmstat.h>
#include <abi/mman.h>
#include "test_vm.h"

#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define NPAGES 8
#define STANDIN_PID (PID_MAX - 1)     /* no real process gets this far in a test boot */

static void set_killed(bool killed)
{
	if (killed)
		sigaddset(&current->pending, SIGKILL);
	else
		sigdelset(&current->pending, SIGKILL);
}

/* Take free pages until the zone is below pages_low, as in a real shortage. */
static void hold_free_pages(struct list_head *held)
{
	struct page *page;

	while ((page = alloc_page(GFP_ATOMIC | __GFP_NOWARN)))
		list_add(&page->lru, held);
}

static void release_pages(struct list_head *held)
{
	while (!list_empty(held)) {
		struct page *page = list_first_entry(held, struct page, lru);

		list_del_init(&page->lru);
		__free_page(page);
	}
}

KTEST(oom_killed_task_user_copy_faults_nothing_in)
{
	static const char src[PAGE_SIZE];
	struct mm_struct *mm = tvm_create();
	unsigned long cleared, copied;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, NPAGES * PAGE_SIZE, RW), 0);
	set_killed(true);
	cleared = clear_user((void *)B, NPAGES * PAGE_SIZE);
	copied = copy_to_user((void *)B, src, sizeof(src));
	set_killed(false);
	KT_EQ(t, cleared, NPAGES * PAGE_SIZE);       /* the fixup at the first fault */
	KT_EQ(t, copied, sizeof(src));
	KT_EQ(t, mm->anon_rss, 0);
	KT_EQ(t, clear_user((void *)B, NPAGES * PAGE_SIZE), 0);   /* alive, the same copy works */
	KT_EQ(t, mm->anon_rss, NPAGES);
	tvm_destroy(mm);
}

KTEST(oom_killed_task_map_populate_stops)
{
	struct mm_struct *mm = tvm_create();
	long ret;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	set_killed(true);
	ret = tvm_mmap(B, NPAGES * PAGE_SIZE, RW, MAP_PRIVATE | MAP_POPULATE);
	set_killed(false);
	KT_EQ(t, ret, 0);                             /* the mapping is made, not filled */
	KT_EQ(t, mm->anon_rss, 0);
	KT_EQ(t, tvm_mmap(B + NPAGES * PAGE_SIZE, NPAGES * PAGE_SIZE, RW,
			  MAP_PRIVATE | MAP_POPULATE), 0);
	KT_EQ(t, mm->anon_rss, NPAGES);
	tvm_destroy(mm);
}

/*
 * Every page, the reserve included, then NULL at once: no direct reclaim
 * (allocstall), no OOM kill.  Dying is SIGKILL pending, or PF_MEMDIE alone
 * (a victim in do_exit has dequeued its SIGKILL).
 */
KTEST(oom_dying_task_takes_the_reserve_then_fails_at_once)
{
	unsigned long flags = current->flags;

	for (int memdie = 0; memdie <= 1; memdie++) {
		unsigned long free = nr_free_pages(), got = 0;
		unsigned long stalls = vm_events[ALLOCSTALL], kills = vm_events[OOM_KILL];
		LIST_HEAD(held);

		if (memdie)
			current->flags |= PF_MEMDIE;
		else
			set_killed(true);
		for (struct page *page; (page = alloc_page(GFP_KERNEL | __GFP_NOWARN)); got++)
			list_add(&page->lru, &held);
		current->flags = flags;
		set_killed(false);
		release_pages(&held);
		KT_EQ(t, got, free);
		KT_EQ(t, vm_events[ALLOCSTALL], stalls);
		KT_EQ(t, vm_events[OOM_KILL], kills);
	}
}

/*
 * exit_mm() sets tsk->mm = NULL before mmput(): a victim without an mm
 * is still a victim, and nobody else is chosen until exit_oom_victim().
 * (Here the only task is the idle one, which the killer never chooses.)
 */
KTEST(oom_victim_without_mm_is_waited_for)
{
	unsigned long kills = vm_events[OOM_KILL];
	bool chose, waits, gave_up;
	LIST_HEAD(held);

	KT_ASSERT(t, !current->mm);
	hold_free_pages(&held);
	current->flags |= PF_MEMDIE;
	chose = out_of_memory(GFP_KERNEL, 0);
	waits = oom_victim_will_free_mem();
	exit_oom_victim(current);
	gave_up = !out_of_memory(GFP_KERNEL, 0);
	release_pages(&held);
	KT_ASSERT(t, chose);                          /* "a victim is dying": wait */
	KT_ASSERT(t, waits);                          /* it can run: without a bound */
	KT_EQ(t, vm_events[OOM_KILL], kills);
	KT_ASSERT(t, !(current->flags & PF_MEMDIE));
	KT_ASSERT(t, gave_up);                        /* nobody left to wait for or kill */
	KT_ASSERT(t, !oom_victim_will_free_mem());
}

/*
 * An allocation's reclaim can overlap another task's OOM kill and the
 * victim's exit: when the allocation calls the OOM killer, memory is back
 * and nobody must die (anvil once killed the bystander of
 * swap/oom_killer_swap_full with 20 MiB free).  A stand-in process -- on the task list
 * with an mm, asleep, never run -- is what the killer could choose; with
 * memory really short, it is chosen, so the first answer is no accident.
 */
KTEST(oom_kills_nobody_once_memory_is_back)
{
	static struct task_struct standin;
	static struct sighand_struct standin_sighand;     /* every handler SIG_DFL */
	static struct signal_struct standin_signal;
	unsigned long kills = vm_events[OOM_KILL];
	bool retry_back, killed_back, retry_short, killed_short;
	LIST_HEAD(held);

	standin.mm = tvm_create();
	KT_ASSERT(t, standin.mm);
	tvm_enter(standin.mm);
	KT_EQ(t, tvm_map(B, NPAGES * PAGE_SIZE, RW), 0);
	KT_EQ(t, clear_user((void *)B, NPAGES * PAGE_SIZE), 0);    /* memory to its name */
	tvm_leave();
	standin.pid = standin.tgid = STANDIN_PID;     /* a process of one thread */
	standin.group_leader = &standin;
	INIT_LIST_HEAD(&standin.thread_group);
	standin.sighand = &standin_sighand;
	standin_signal.live = 1;
	standin.signal = &standin_signal;
	standin.state = TASK_UNINTERRUPTIBLE;         /* a SIGKILL does not wake it */
	set_task_comm(&standin, "standin");
	list_add_tail(&standin.tasks, &task_list);

	retry_back = out_of_memory(GFP_KERNEL, 0);
	killed_back = fatal_signal_pending(&standin) || (standin.flags & PF_MEMDIE);
	hold_free_pages(&held);
	retry_short = out_of_memory(GFP_KERNEL, 0);
	killed_short = fatal_signal_pending(&standin) && (standin.flags & PF_MEMDIE);
	release_pages(&held);

	list_del(&standin.tasks);
	tvm_destroy(standin.mm);
	memset(&standin, 0, sizeof(standin));
	memset(&standin_signal, 0, sizeof(standin_signal));
	KT_ASSERT(t, retry_back);                     /* the allocation is to try again */
	KT_ASSERT(t, !killed_back);
	KT_ASSERT(t, retry_short);
	KT_ASSERT(t, killed_short);
	KT_EQ(t, vm_events[OOM_KILL], kills + 1);
}
