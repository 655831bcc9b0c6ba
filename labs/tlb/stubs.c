/*
 * The stubs of the tlb lab: what tools/mklab writes in a student tree in
 * place of each "LAB tlb" region of the kernel (labs/README.md, "The
 * markers and the stubs").  Not compiled here.  An entry is a line naming
 * the region's file and function, with what the stub does meanwhile, then
 * the stub's lines exactly as they go into the function; an entry without
 * lines leaves only the TODO, and the student writes the whole region.
 */

/* STUB arch/i386/tlb.c switch_mm() -- meanwhile no CPU is ever in a cpu_vm_mask */

/* STUB arch/i386/tlb.c leave_mm() */

/* STUB arch/i386/tlb.c do_invalidate() -- meanwhile a request is acknowledged, nothing flushed */
	cpu_clear(cpu, flush_cpumask);

/* STUB arch/i386/tlb.c flush_tlb_others() -- meanwhile only this CPU flushes, no other is asked */
	return;

/* STUB arch/i386/tlb.c flush_tlb_others() */
