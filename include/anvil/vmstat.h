/*
 * Memory counters.  vm_stat[] holds current amounts (pages mapped, anon
 * pages, ...), vm_events[] counts things that happened (faults, pages
 * swapped, rmap walk steps).  /proc/vmstat and /proc/meminfo print them.
 */
#ifndef ANVIL_VMSTAT_H
#define ANVIL_VMSTAT_H

#include <anvil/types.h>

enum vm_stat_item {
	NR_MAPPED,          /* pages mapped by at least one PTE */
	NR_ANON_PAGES,      /* anonymous pages mapped */
	NR_FILE_PAGES,      /* pages in the page cache (ramfs, shmem, disk files) */
	NR_SHMEM,           /* of those, shared anonymous memory */
	NR_SWAPCACHE,       /* pages in the swap cache */
	NR_ACTIVE,          /* on the active LRU list */
	NR_INACTIVE,        /* on the inactive LRU list */
	NR_FILE_DIRTY,      /* file pages dirty, to be written to their file system */
	NR_WRITEBACK,       /* page writes in flight (swap and files) */
	NR_MLOCK,           /* pages reclaim culled off the LRU: a locked VMA maps them */
	NR_VM_STAT_ITEMS
};

enum vm_event_item {
	PGFAULT, PGMAJFAULT,
	PSWPIN, PSWPOUT,
	PGPGIN, PGPGOUT,        /* KiB read into / written from pages (swap and files) */
	PGSCAN, PGSTEAL, PGSTEAL_ANON, PGSTEAL_FILE, PGACTIVATE, PGDEACTIVATE, PGREFILL,
	PGROTATED,              /* written for reclaim, then moved to the inactive tail */
	NR_VMSCAN_WRITE,        /* pages reclaim started writing (pageout) */
	NR_DIRTIED, NR_WRITTEN, /* file pages made dirty; pages whose write started */
	BALANCE_DIRTY_THROTTLED,   /* times a dirtier had to write and wait (balance_dirty_pages) */
	PGFREE_RECLAIM, KSWAPD_WAKEUPS, ALLOCSTALL, OOM_KILL,
	RMAP_WALKS, RMAP_WALK_VMAS, RMAP_WALK_PTES, RMAP_UNMAPPED_PTES,
	RMAP_UNMAPPED_FILE_PTES,   /* of those, file pages' PTEs found through i_mmap */
	NOPAGE_TRUNCATE_RETRIES,   /* faults that found a truncate ran during nopage */
	NR_ANON_VMA_ALLOC, NR_ANON_VMA_FREE,
	ANONMM_MREMAP_COPIES,   /* RMAP=anonmm: pages mremap copied (mm/rmap_anonmm.c) */
	SWAP_WRITE_ERRORS,
	UNEVICTABLE_PGCULLED, UNEVICTABLE_PGRESCUED,   /* locked pages off / back on the LRU */
	NR_VM_EVENT_ITEMS
};

extern long vm_stat[NR_VM_STAT_ITEMS];
extern unsigned long vm_events[NR_VM_EVENT_ITEMS];

static inline void mod_vm_stat(enum vm_stat_item item, long delta)
{
	vm_stat[item] += delta;
}

static inline void count_vm_event(enum vm_event_item item)
{
	vm_events[item]++;
}

static inline void count_vm_events(enum vm_event_item item, unsigned long n)
{
	vm_events[item] += n;
}

/* /proc/vmstat's text; returns the length */
size_t vmstat_format(char *buf, size_t size);

#endif
