/*
 * The TLB on several CPUs (Linux 2.6.11's arch/i386/kernel/smp.c and
 * mmu_context.h): which CPUs may cache an mm's translations -- the mm's
 * cpu_vm_mask -- and the flushes that reach them.  flush_tlb_page, _range
 * and _mm flush this CPU and send INVALIDATE_TLB_VECTOR to the others in
 * the mask, then wait until every one has flushed: try_to_unmap_one's
 * ptep_clear_flush is only correct because, once it returns, no CPU can
 * still write through the PTE it cleared.
 *
 * Lazy TLB: a kernel thread has no user space, so switching to it keeps
 * the previous mm's page tables loaded (no CR3 reload, no TLB refill for
 * the task after it).  Such a CPU stays in that mm's cpu_vm_mask; the
 * first flush request for the mm makes it leave instead (leave_mm), so
 * it is not bothered again and the mm can be freed under it.
 *
 * Lab tlb (labs/README.md): the student writes what "LAB tlb: BEGIN/END"
 * fence -- the cpu_vm_mask bookkeeping, the answer to a request and the
 * sending of one.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/smp.h>
#include <anvil/smp_lock.h>
#include <anvil/switch.h>
#include <asm/pgtable.h>
#include <asm/apic.h>
#include "tlb.h"

#define TLBSTATE_OK 1         /* running a task of active_mm */
#define TLBSTATE_LAZY 2       /* a kernel thread runs on active_mm's page tables */

struct tlb_state {
	struct mm_struct *active_mm;      /* whose page directory CR3 holds; NULL: the kernel's */
	int state;
};
static DEFINE_PER_CPU(struct tlb_state, cpu_tlbstate);

/* The one flush request in flight (tlb.h); senders hold the big kernel lock, so one at a time. */
struct mm_struct *flush_mm;
unsigned long flush_va;
volatile cpumask_t flush_cpumask;

unsigned long nr_tlb_shootdowns;           /* requests sent to other CPUs */
unsigned long nr_tlb_deferred;             /* requests left for a CPU's lock_kernel */
static DEFINE_PER_CPU(bool, tlb_flush_deferred);

/* Load next's page tables on this CPU and join its cpu_vm_mask. */
void switch_mm(struct mm_struct *next)
{
	unsigned int cpu = smp_processor_id();
	struct tlb_state *ts = &per_cpu(cpu_tlbstate, cpu);
	struct mm_struct *prev = ts->active_mm;

	ts->state = TLBSTATE_OK;
	if (prev == next)
		return;                    /* lazy on it since: still in its mask, TLB current */
	/* LAB tlb: BEGIN leave prev's cpu_vm_mask, join next's */
	if (prev)
		cpu_clear(cpu, prev->cpu_vm_mask);
	cpu_set(cpu, next->cpu_vm_mask);
	/* LAB tlb: END */
	ts->active_mm = next;
	write_cr3(__pa(next->pgd));
}

/* Run on the kernel's page tables only, out of any mm's cpu_vm_mask. */
void leave_mm(void)
{
	unsigned int cpu = smp_processor_id();
	struct tlb_state *ts = &per_cpu(cpu_tlbstate, cpu);

	/* LAB tlb: BEGIN leave the cpu_vm_mask of the mm loaded here, if any */
	if (ts->active_mm)
		cpu_clear(cpu, ts->active_mm->cpu_vm_mask);
	/* LAB tlb: END */
	ts->active_mm = NULL;
	ts->state = TLBSTATE_OK;
	write_cr3(__pa(swapper_pg_dir));
}

/* A kernel thread is about to run: keep whatever page tables are loaded.  Returns them. */
struct mm_struct *enter_lazy_tlb(void)
{
	struct tlb_state *ts = &__get_cpu_var(cpu_tlbstate);

	if (ts->active_mm)
		ts->state = TLBSTATE_LAZY;
	return ts->active_mm;
}

/* Answer the request in flight if it is for this CPU (from the interrupt, or a spin). */
static void do_invalidate(unsigned int cpu)
{
	/* LAB tlb: BEGIN answer the request if this CPU's bit is set: flush, or leave a lazy mm */
	struct tlb_state *ts = &per_cpu(cpu_tlbstate, cpu);

	if (!cpu_isset(cpu, flush_cpumask))
		return;
	barrier();                         /* the request is read after our bit */
	if (flush_mm == ts->active_mm) {
		if (ts->state == TLBSTATE_LAZY)
			leave_mm();
		else if (flush_va == FLUSH_ALL)
			__flush_tlb();
		else
			__flush_tlb_one(flush_va);
	}
	cpu_clear(cpu, flush_cpumask);     /* last: the sender may reuse the request now */
	/* LAB tlb: END */
}

/* INVALIDATE_TLB_VECTOR's handler: runs without the big kernel lock, whoever holds it. */
void smp_invalidate_interrupt(struct pt_regs *regs)
{
	unsigned int cpu = smp_processor_id();

	(void)regs;
	apic_irq_stat[cpu].irq_tlb_count++;      /* /proc/interrupts' TLB row */
	ack_APIC_irq();
	do_invalidate(cpu);
}

/* A CPU spinning for the big kernel lock answers requests meanwhile (kernel/smp_lock.c). */
void smp_invalidate_poll(void)
{
	do_invalidate(smp_processor_id());
}

/*
 * Make the CPUs in mask drop mm's entry for va (or all of mm's: FLUSH_ALL)
 * and wait until they have.  A CPU with interrupts off is either spinning
 * for the big kernel lock -- it polls -- or on its way to user mode with
 * the interrupt pending, which it takes before its first user instruction.
 */
static void flush_tlb_others(cpumask_t mask, struct mm_struct *mm, unsigned long va)
{
	unsigned int cpu;

	/* LAB tlb: BEGIN only online CPUs answer, and this one has flushed already */
	mask &= cpu_online_map & ~cpumask_of_cpu(smp_processor_id());
	if (cpus_empty(mask))
		return;
	/* LAB tlb: END */
	BUG_ON(!kernel_locked());
	for_each_online_cpu(cpu)
		if (cpu_isset(cpu, mask) && cpu_isset(cpu, kernel_lock_wanted) &&
		    per_cpu(cpu_tlbstate, cpu).state == TLBSTATE_OK) {
			per_cpu(tlb_flush_deferred, cpu) = true;
			cpu_clear(cpu, mask);
			nr_tlb_deferred++;
		}
	if (cpus_empty(mask))
		return;
	/* LAB tlb: BEGIN post the request, interrupt the CPUs in mask, wait for every answer */
	BUG_ON(flush_cpumask);             /* a flush from inside a flush's wait */
	flush_mm = mm;
	flush_va = va;
	barrier();                         /* the request is written before the bits */
	flush_cpumask = mask;
	send_IPI_mask(mask, INVALIDATE_TLB_VECTOR);
	while (flush_cpumask)
		cpu_relax();
	nr_tlb_shootdowns++;
	/* LAB tlb: END */
}

/*
 * This CPU waited for the big kernel lock while another CPU changed PTEs
 * of the mm it runs, and the flush was left to it rather than sent as an
 * interrupt (under QEMU's TCG, waking a halted virtual CPU to answer costs
 * far more than the flush): the whole TLB, since the request is not kept.
 * A lazy CPU is never left one -- it must leave an mm that may be freed
 * before it gets the lock -- so flush_tlb_others interrupts it instead.
 */
void flush_tlb_deferred(void)
{
	if (!__get_cpu_var(tlb_flush_deferred))
		return;
	__get_cpu_var(tlb_flush_deferred) = false;
	__flush_tlb();
}

/* This CPU's part: flush if it runs mm; a lazy CPU leaves instead. */
static bool flush_local_mm(struct mm_struct *mm)
{
	struct tlb_state *ts = &__get_cpu_var(cpu_tlbstate);

	if (ts->active_mm != mm)
		return false;
	if (ts->state == TLBSTATE_LAZY) {
		leave_mm();
		return false;
	}
	return true;
}

void flush_tlb_mm(struct mm_struct *mm)
{
	if (flush_local_mm(mm))
		__flush_tlb();
	flush_tlb_others(mm->cpu_vm_mask, mm, FLUSH_ALL);
}

void flush_tlb_page(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;

	if (flush_local_mm(mm))
		__flush_tlb_one(address);
	flush_tlb_others(mm->cpu_vm_mask, mm, address);
}

/*
 * A few pages are flushed one by one; more, and reloading %cr3 is
 * cheaper than that many invlpgs (Linux's tlb_single_page_flush_ceiling
 * is 33).  Under QEMU's TCG a reload empties its whole software TLB,
 * kernel entries too, so a one-page munmap or mprotect that flushed it
 * all would pay for every translation refilled after it.  Other CPUs get
 * one request: the page, or all of mm.
 */
#define FLUSH_ONE_BY_ONE_MAX 32

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long pages = (end - start) >> PAGE_SHIFT;

	if (flush_local_mm(mm)) {
		if (pages > FLUSH_ONE_BY_ONE_MAX)
			__flush_tlb();
		else
			for (unsigned long addr = start; addr < end; addr += PAGE_SIZE)
				__flush_tlb_one(addr);
	}
	flush_tlb_others(mm->cpu_vm_mask, mm, pages == 1 ? start : FLUSH_ALL);
}

void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	flush_tlb_mm_range(vma->vm_mm, start, end);
}
