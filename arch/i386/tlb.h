/*
 * The one TLB flush request in flight between CPUs (arch/i386/tlb.c):
 * flush_tlb_others posts it, each CPU named in flush_cpumask answers it
 * in do_invalidate.  Named here for arch/i386/tlb_test.c, which posts
 * one to its own CPU.
 */
#ifndef ARCH_I386_TLB_H
#define ARCH_I386_TLB_H

#include <anvil/cpumask.h>

struct mm_struct;

#define FLUSH_ALL 0xffffffffUL          /* flush_va: every entry of flush_mm */

extern struct mm_struct *flush_mm;      /* whose entries */
extern unsigned long flush_va;          /* the page, or FLUSH_ALL */
extern volatile cpumask_t flush_cpumask; /* CPUs still to answer: each clears its bit */

#endif
