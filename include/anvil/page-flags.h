/*
 * The bits of page->flags and their accessors (PageDirty(page),
 * SetPageDirty(page), ...).  Linux 2.6 names; each accessor is one
 * interrupt-atomic bit instruction (asm/bitops.h).
 */
#ifndef ANVIL_PAGE_FLAGS_H
#define ANVIL_PAGE_FLAGS_H

#include <anvil/mm_types.h>
#include <asm/bitops.h>

enum pageflags {
	PG_locked,      /* under I/O or being reclaimed: others wait */
	PG_error,       /* an I/O error happened */
	PG_referenced,  /* recently used (second chance in reclaim) */
	PG_uptodate,    /* contents are valid */
	PG_dirty,       /* must be written before being freed */
	PG_lru,         /* on an LRU list */
	PG_active,      /* on the active list */
	PG_slab,        /* owned by the slab allocator */
	PG_reserved,    /* never allocatable (kernel image, holes, mem_map) */
	PG_writeback,   /* write to the swap device in flight */
	PG_swapcache,   /* in the swap cache: private is the swap entry */
	PG_buddy,       /* free, in the buddy allocator: private is the order */
	PG_reclaim,     /* reclaim wants it freed as soon as writeback ends */
	PG_mlocked,     /* a VM_LOCKED VMA maps it: culled off the LRU (mm/mlock.c) */
	PG_pgtable,     /* a page table (mm/pgtable.c): Linux's PageTable */
	NR_PAGEFLAGS
};

#define PAGEFLAG(uname, lname)                                                    \
	static inline bool Page##uname(const struct page *p)                       \
	{ return test_bit(PG_##lname, &p->flags); }                                 \
	static inline void SetPage##uname(struct page *p)                          \
	{ set_bit(PG_##lname, &p->flags); }                                         \
	static inline void ClearPage##uname(struct page *p)                        \
	{ clear_bit(PG_##lname, &p->flags); }                                       \
	static inline bool TestSetPage##uname(struct page *p)                      \
	{ return test_and_set_bit(PG_##lname, &p->flags); }                         \
	static inline bool TestClearPage##uname(struct page *p)                    \
	{ return test_and_clear_bit(PG_##lname, &p->flags); }

PAGEFLAG(Locked, locked)
PAGEFLAG(Error, error)
PAGEFLAG(Referenced, referenced)
PAGEFLAG(Uptodate, uptodate)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(LRU, lru)
PAGEFLAG(Active, active)
PAGEFLAG(Slab, slab)
PAGEFLAG(Reserved, reserved)
PAGEFLAG(Writeback, writeback)
PAGEFLAG(SwapCache, swapcache)
PAGEFLAG(Buddy, buddy)
PAGEFLAG(Reclaim, reclaim)
PAGEFLAG(Mlocked, mlocked)
PAGEFLAG(Table, pgtable)

#endif
