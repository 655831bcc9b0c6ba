/*
 * Deliberate kernel crashes, chosen with crash=<kind> on the command
 * line (after Linux's lkdtm).  The test runner boots each kind and
 * checks that the oops path prints what it promises -- exception name,
 * registers, cr2, a symbolic backtrace -- and that QEMU exits with the
 * panic status.  Students can use it to see an oops on purpose.
 */
#include <anvil/kernel.h>
#include <anvil/setup.h>
#include <anvil/spinlock.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <abi/mman.h>
#include "../mm/test_vm.h"      /* a throwaway address space, as the mm ktests build */

#define CRASH_FREED_POINTER 0x6b6b6b6bUL   /* what a poisoned slab object holds */

/* noinline so each kind shows up by name in the backtrace */
static __noinline void crash_null_dereference(void)
{
	volatile int *p = NULL;

	*p = 1;
}

static __noinline void crash_invalid_opcode(void)
{
	__asm__ __volatile__("ud2");
}

static __noinline void crash_divide_error(void)
{
	volatile int zero = 0;
	volatile int x = 1;

	x /= zero;
}

static __noinline void crash_bug_on(void)
{
	volatile int broken = 1;

	BUG_ON(broken);
}

static __noinline void crash_deadlock(void)
{
	static DEFINE_SPINLOCK(crash_lock);

	spin_lock(&crash_lock);
	spin_lock(&crash_lock);
}

/* schedule() with a spinlock held: lockdep shows where it was taken, then the panic. */
static __noinline void crash_sleep_with_spinlock(void)
{
	static DEFINE_SPINLOCK(crash_sleep_lock);

	spin_lock(&crash_sleep_lock);
	schedule();
}

/* try_to_unmap of an anonymous page reclaim never gave a swap slot: its data would be lost. */
static __noinline void crash_unmap_unswapped_anon(void)
{
	struct mm_struct *mm = tvm_create();
	struct page *page;

	BUG_ON(!mm);
	tvm_enter(mm);
	BUG_ON(tvm_map(TVM_BASE, PAGE_SIZE, PROT_READ | PROT_WRITE) || tvm_poke(TVM_BASE, 1));
	page = tvm_page(mm, TVM_BASE);
	page_referenced(page);           /* a young PTE would just fail the unmap */
	lock_page(page);
	try_to_unmap(page);
}

/* A panic whose own message faults (a lock name read from freed memory): still a clean exit. */
static __noinline void crash_nested_panic(void)
{
	const char *freed_name = (const char *)CRASH_FREED_POINTER;

	panic("lock %s", freed_name);
}

static const struct {
	const char *kind;
	void (*fn)(void);
} crashes[] = {
	{ "null", crash_null_dereference },
	{ "ud2", crash_invalid_opcode },
	{ "divide", crash_divide_error },
	{ "bug", crash_bug_on },
	{ "deadlock", crash_deadlock },
	{ "sleep_with_spinlock", crash_sleep_with_spinlock },
	{ "unswapped_anon", crash_unmap_unswapped_anon },
	{ "nested_panic", crash_nested_panic },
};

void crashtest_run(const char *kind)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(crashes); i++) {
		if (!strcmp(kind, crashes[i].kind)) {
			printk(KERN_NOTICE "crashtest: crashing the kernel with \"%s\"\n", kind);
			crashes[i].fn();
			printk(KERN_ERR "crashtest: \"%s\" did not crash\n", kind);
			return;
		}
	}
	printk(KERN_ERR "crashtest: unknown crash kind \"%s\" (null, ud2, divide, bug, "
	       "deadlock, sleep_with_spinlock, unswapped_anon, nested_panic)\n", kind);
}
