/*
 * i386 two-level page tables (no PAE): a page directory of 1024 pgd_t,
 * each pointing to a page table of 1024 pte_t, each mapping 4 KiB.
 *
 *   31                      12 11  9 8 7 6 5 4 3 2 1 0
 *  +--------------------------+-----+-+-+-+-+-+-+-+-+-+
 *  |   page frame number      | avl |G|P|D|A|C|W|U|R|P|
 *  +--------------------------+-----+-+-+-+-+-+-+-+-+-+
 *  P present  R writable  U user  W write-through  C cache-disable
 *  A accessed (set by the CPU on use; page_referenced() clears it)
 *  D dirty (set by the CPU on write)   P(7) PSE in a pgd   G global
 *
 * A non-present PTE is either empty (0), a PROT_NONE mapping (bit 7,
 * _PAGE_PROTNONE, with the frame kept) or a swap entry (bits 1-5 the
 * swap type, bits 8-31 the offset; bits 0 and 7 clear).  Names follow Linux 2.6's include/asm-i386.
 */
#ifndef ASM_PGTABLE_H
#define ASM_PGTABLE_H

#include <anvil/types.h>
#include <asm/bitops.h>           /* LOCK_PREFIX */
#include <asm/page.h>
#include <asm/processor.h>

#define _PAGE_PRESENT 0x001
#define _PAGE_RW 0x002
#define _PAGE_USER 0x004
#define _PAGE_PWT 0x008
#define _PAGE_PCD 0x010
#define _PAGE_ACCESSED 0x020
#define _PAGE_DIRTY 0x040
#define _PAGE_PSE 0x080
#define _PAGE_GLOBAL 0x100
#define _PAGE_PROTNONE 0x080   /* only when !_PAGE_PRESENT: a PROT_NONE page */

typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pgd; } pgd_t;
typedef struct { unsigned long pgprot; } pgprot_t;

#define pte_val(x) ((x).pte)
#define pgd_val(x) ((x).pgd)
#define pgprot_val(x) ((x).pgprot)
#define __pte(x) ((pte_t){ (x) })
#define __pgd(x) ((pgd_t){ (x) })
#define __pgprot(x) ((pgprot_t){ (x) })

#define PAGE_NONE __pgprot(_PAGE_PROTNONE | _PAGE_ACCESSED)
#define PAGE_SHARED __pgprot(_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_COPY __pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PAGE_READONLY __pgprot(_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
/* a page-directory entry for a user page table */
#define _PAGE_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY)

/* the kernel's own page directory (boot/boot.asm, arch/i386/paging.c) */
extern u32 swapper_pg_dir[PTRS_PER_PGD];

#define PTE_FRAME_MASK PAGE_MASK
#define PTE_FLAGS_MASK (~PAGE_MASK)

static inline unsigned long pgd_index(unsigned long addr)
{
	return addr >> PGDIR_SHIFT;
}

/* Where the page table covering addr stops mapping, or end if that comes first (for walks). */
static inline unsigned long pgd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long boundary = (addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}

static inline unsigned long pte_index(unsigned long addr)
{
	return (addr >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
}

static inline bool pgd_none(pgd_t pgd) { return !pgd_val(pgd); }
static inline bool pgd_present(pgd_t pgd) { return pgd_val(pgd) & _PAGE_PRESENT; }
static inline unsigned long pgd_page_paddr(pgd_t pgd) { return pgd_val(pgd) & PAGE_MASK; }

static inline bool pte_none(pte_t pte) { return !pte_val(pte); }
/* Still the entry read before sleeping?  (A fault re-checks under page_table_lock.) */
static inline bool pte_same(pte_t a, pte_t b) { return pte_val(a) == pte_val(b); }
/* "present" includes PROT_NONE: the page is mapped, only inaccessible */
static inline bool pte_present(pte_t pte)
{
	return pte_val(pte) & (_PAGE_PRESENT | _PAGE_PROTNONE);
}
static inline bool pte_write(pte_t pte) { return pte_val(pte) & _PAGE_RW; }
static inline bool pte_user(pte_t pte) { return pte_val(pte) & _PAGE_USER; }
static inline bool pte_dirty(pte_t pte) { return pte_val(pte) & _PAGE_DIRTY; }
static inline bool pte_young(pte_t pte) { return pte_val(pte) & _PAGE_ACCESSED; }
static inline unsigned long pte_pfn(pte_t pte) { return pte_val(pte) >> PAGE_SHIFT; }

static inline pte_t pte_wrprotect(pte_t pte) { return __pte(pte_val(pte) & ~_PAGE_RW); }
static inline pte_t pte_mkwrite(pte_t pte) { return __pte(pte_val(pte) | _PAGE_RW); }
static inline pte_t pte_mkdirty(pte_t pte) { return __pte(pte_val(pte) | _PAGE_DIRTY); }
static inline pte_t pte_mkclean(pte_t pte) { return __pte(pte_val(pte) & ~_PAGE_DIRTY); }
static inline pte_t pte_mkyoung(pte_t pte) { return __pte(pte_val(pte) | _PAGE_ACCESSED); }
static inline pte_t pte_mkold(pte_t pte) { return __pte(pte_val(pte) & ~_PAGE_ACCESSED); }

static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return __pte((pfn << PAGE_SHIFT) | pgprot_val(prot));
}

/* Keep the frame, dirty and accessed bits; take the rest from newprot. */
static inline pte_t pte_modify(pte_t pte, pgprot_t newprot)
{
	return __pte((pte_val(pte) & (PTE_FRAME_MASK | _PAGE_ACCESSED | _PAGE_DIRTY)) |
		     pgprot_val(newprot));
}

static inline void set_pte(pte_t *ptep, pte_t pte)
{
	*(volatile unsigned long *)&ptep->pte = pte_val(pte);
}

/* Read and clear in one instruction: the CPU may be setting A/D bits concurrently. */
static inline pte_t ptep_get_and_clear(pte_t *ptep)
{
	unsigned long old = 0;

	__asm__ __volatile__("xchgl %0, %1" : "+r"(old), "+m"(ptep->pte) : : "memory");
	return __pte(old);
}

static inline bool ptep_test_and_clear_young(pte_t *ptep)
{
	bool young;

	__asm__ __volatile__(LOCK_PREFIX "btrl $5, %1; setc %0"
			     : "=qm"(young), "+m"(ptep->pte) : : "memory");
	return young;
}

/* Clear the dirty bit the CPU sets on a write, atomically with its write (msync). */
static inline bool ptep_test_and_clear_dirty(pte_t *ptep)
{
	bool dirty;

	__asm__ __volatile__(LOCK_PREFIX "btrl $6, %1; setc %0"
			     : "=qm"(dirty), "+m"(ptep->pte) : : "memory");
	return dirty;
}

static inline void ptep_set_wrprotect(pte_t *ptep)
{
	__asm__ __volatile__(LOCK_PREFIX "btrl $1, %0" : "+m"(ptep->pte) : : "memory");
}

/* This CPU's TLB only; arch/i386/tlb.c's flush_tlb_* reach the other CPUs too. */
static inline void __flush_tlb_one(unsigned long addr)
{
	invlpg(addr);
}

static inline void __flush_tlb(void)
{
	write_cr3(read_cr3());
}

#endif
