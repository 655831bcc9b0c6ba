/*
 * Tests of the TLB shootdown's two ends on one CPU (labs/tlb): the ktests
 * run before the other CPUs come online, so each posts a flush request to
 * its own CPU and takes INVALIDATE_TLB_VECTOR as another CPU would, and
 * checks what the TLB then holds; the cross-CPU half is the smpshootdown
 * suite's.  A stale entry is made on purpose: two PTEs swapped with no flush.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/smp.h>
#include <anvil/switch.h>
#include <asm/apic.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <abi/mman.h>
#include "../../mm/test_vm.h"
#include "tlb.h"

#define A TVM_BASE
#define B (TVM_BASE + PAGE_SIZE)
#define A_BYTE 0xa1
#define B_BYTE 0xb2
#define ANSWER_SPINS 1000000      /* a self-IPI is taken at once; this only bounds a bug */

/* Read a byte through the TLB (or the page tables on a miss): no fault path, no flush. */
static u8 peek(unsigned long addr)
{
	return *(volatile u8 *)addr;
}

/*
 * Post a request for mm and va to this CPU alone and answer it as another
 * CPU would: from the interrupt, or the lock-waiter's poll without an
 * APIC.  True once this CPU's bit is clear.
 */
static bool request_here(struct mm_struct *mm, unsigned long va)
{
	unsigned int cpu = smp_processor_id();
	unsigned long spins = ANSWER_SPINS;

	flush_mm = mm;
	flush_va = va;
	flush_cpumask = cpumask_of_cpu(cpu);
	if (cpu_has_apic_enabled)
		send_IPI_self(INVALIDATE_TLB_VECTOR);
	else
		smp_invalidate_poll();
	while (cpu_isset(cpu, flush_cpumask) && --spins)
		cpu_relax();
	if (!spins)
		flush_cpumask = 0;         /* never answered: no later request may find it */
	return spins;
}

/* An entered mm with A and B written and in the TLB, their PTEs swapped behind its back. */
static struct mm_struct *stale_pair(pte_t *saved)
{
	struct mm_struct *mm = tvm_create();

	if (!mm)
		return NULL;
	tvm_enter(mm);
	if (tvm_map(A, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE) || tvm_poke(A, A_BYTE) ||
	    tvm_poke(B, B_BYTE) || peek(A) != A_BYTE || peek(B) != B_BYTE)
		return mm;
	saved[0] = *lookup_pte(mm, A);
	saved[1] = *lookup_pte(mm, B);
	set_pte(lookup_pte(mm, A), saved[1]);
	set_pte(lookup_pte(mm, B), saved[0]);
	return mm;
}

/* Put the PTEs back and flush, so that rmap_verify finds each page where it belongs. */
static void unswap(struct mm_struct *mm, const pte_t *saved)
{
	set_pte(lookup_pte(mm, A), saved[0]);
	set_pte(lookup_pte(mm, B), saved[1]);
	__flush_tlb();
}

/* A request for one page of the mm this CPU runs drops that page's entry and is acknowledged. */
KTEST(tlb_invalidate_flushes_the_page_asked)
{
	pte_t saved[2] = { __pte(0), __pte(0) };
	struct mm_struct *mm = stale_pair(saved);
	bool answered;
	u8 a;

	KT_ASSERT(t, mm && pte_present(saved[0]) && pte_present(saved[1]));
	answered = request_here(mm, A);
	a = peek(A);                       /* B's frame now, if A's entry went */
	unswap(mm, saved);
	KT_ASSERT(t, answered);
	KT_EQ(t, a, B_BYTE);
	tvm_destroy(mm);
}

/* FLUSH_ALL drops every entry of the mm. */
KTEST(tlb_invalidate_flush_all_drops_every_entry)
{
	pte_t saved[2] = { __pte(0), __pte(0) };
	struct mm_struct *mm = stale_pair(saved);
	bool answered;
	u8 a, b;

	KT_ASSERT(t, mm && pte_present(saved[0]) && pte_present(saved[1]));
	answered = request_here(mm, FLUSH_ALL);
	a = peek(A);
	b = peek(B);
	unswap(mm, saved);
	KT_ASSERT(t, answered);
	KT_EQ(t, a, B_BYTE);
	KT_EQ(t, b, A_BYTE);
	tvm_destroy(mm);
}

/*
 * A CPU lazy on an mm (a kernel thread runs on its page tables) answers a
 * request for that mm by leaving it -- the kernel's page directory loaded,
 * out of the mm's cpu_vm_mask -- and one for another mm by staying put.
 */
KTEST(tlb_invalidate_lazy_cpu_leaves_the_mm)
{
	unsigned int cpu = smp_processor_id();
	struct mm_struct *mm = tvm_create(), *other = tvm_create();

	KT_ASSERT(t, mm && other);
	tvm_enter(mm);
	KT_ASSERT(t, enter_lazy_tlb() == mm);
	KT_ASSERT(t, request_here(other, FLUSH_ALL));
	KT_EQ(t, read_cr3(), __pa(mm->pgd));
	KT_ASSERT(t, cpu_isset(cpu, mm->cpu_vm_mask));
	KT_ASSERT(t, request_here(mm, A));
	KT_EQ(t, read_cr3(), __pa(swapper_pg_dir));
	KT_ASSERT(t, !cpu_isset(cpu, mm->cpu_vm_mask));
	KT_ASSERT(t, enter_lazy_tlb() == NULL);
	tvm_destroy(mm);
	tvm_destroy(other);
}

/*
 * cpu_vm_mask names the CPUs whose TLB may hold an mm's entries: this CPU
 * joins an mm as switch_mm loads it and leaves it for the next, or for the
 * kernel's page tables.  And a flush for CPUs that are not online asks
 * none of them: nothing would ever answer.
 */
KTEST(tlb_cpu_vm_mask_follows_switch_mm)
{
	unsigned int cpu = smp_processor_id();
	cpumask_t offline = ((1UL << NR_CPUS) - 1) & ~cpu_online_map;
	struct mm_struct *one = tvm_create(), *two = tvm_create();

	KT_ASSERT(t, one && two);
	tvm_enter(one);
	KT_ASSERT(t, cpu_isset(cpu, one->cpu_vm_mask));
	tvm_enter(two);
	KT_ASSERT(t, !cpu_isset(cpu, one->cpu_vm_mask));
	KT_ASSERT(t, cpu_isset(cpu, two->cpu_vm_mask));
	tvm_leave();
	KT_ASSERT(t, !cpu_isset(cpu, two->cpu_vm_mask));
	tvm_enter(one);
	one->cpu_vm_mask |= offline;
	flush_tlb_mm(one);
	one->cpu_vm_mask &= ~offline;
	KT_EQ(t, flush_cpumask, 0);
	KT_EQ(t, one->cpu_vm_mask, cpumask_of_cpu(cpu));
	tvm_destroy(one);
	tvm_destroy(two);
}
