/*
 * Tests of what keeps the OOM killer's wait finite (mm/oom_kill.c): a
 * killed task stops faulting pages in -- its user copies fail,
 * MAP_POPULATE stops.  The tests run in the idle task, so "killed" is a
 * SIGKILL made pending by hand and taken back before any assertion can
 * return.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/signal.h>
#include <anvil/uaccess.h>
#include <abi/mman.h>
#include "test_vm.h"

#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define NPAGES 8

static void set_killed(bool killed)
{
	if (killed)
		sigaddset(&current->pending, SIGKILL);
	else
		sigdelset(&current->pending, SIGKILL);
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
