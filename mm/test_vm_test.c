/*
 * Tests of the in-kernel test runner's clean-up (kernel/ktest.c): a test
 * that fails half-way returns before freeing what it built, and the next
 * test must start from a clean state all the same.  The first test leaves
 * an address space behind on purpose, entered and with pages in it; the
 * second, which runs next, finds none, and no_leaks at the end finds its
 * pages freed.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/rmap.h>
#include <anvil/sched.h>
#include <abi/mman.h>
#include "test_vm.h"

#define LEFT_PAGES 4

KTEST(ktest_runner_1_a_test_leaves_its_address_space)
{
	struct mm_struct *mm = tvm_create();

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(TVM_BASE, LEFT_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	for (int i = 0; i < LEFT_PAGES; i++)
		KT_EQ(t, tvm_poke(TVM_BASE + i * PAGE_SIZE, i), 0);
	KT_ASSERT(t, dup_mm(mm));               /* and a fork of it */
	/* returns as a failed assertion would: nothing destroyed, still entered */
}

KTEST(ktest_runner_2_the_next_test_starts_clean)
{
	struct mm_struct *mm;
	struct task_struct *p;
	int owned;

	KT_ASSERT(t, current->mm == NULL);
	list_for_each_entry(mm, &mmlist, mmlist) {
		owned = 0;
		list_for_each_entry(p, &task_list, tasks)
			owned += p->mm == mm;
		KT_ASSERT(t, owned);              /* else an earlier test left it */
	}
	KT_EQ(t, rmap_verify(), 0);
}
