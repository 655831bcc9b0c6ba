/*
 * The zone: anvil has one, covering all directly mapped RAM ("Normal";
 * it needs no ISA-DMA zone and has no highmem).  It holds the buddy
 * allocator's free lists, one per order, and the watermarks that wake
 * kswapd (below pages_low) and make allocators reclaim directly (below
 * pages_min).
 */
#ifndef ANVIL_MMZONE_H
#define ANVIL_MMZONE_H

#include <anvil/types.h>
#include <anvil/list.h>
#include <anvil/spinlock.h>

#define MAX_ORDER 11   /* orders 0..10: blocks of 1 page .. 4 MiB */

struct free_area {
	struct list_head free_list;
	unsigned long nr_free;       /* blocks of this order */
};

struct zone {
	spinlock_t lock;
	unsigned long free_pages;
	unsigned long pages_min, pages_low, pages_high;
	struct free_area free_area[MAX_ORDER];
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;   /* pfns covered, holes included */
	unsigned long present_pages;   /* pages handed to the allocator at boot */
	const char *name;

	/* the LRU lists that reclaim scans (mm/swap.c, mm/vmscan.c) */
	spinlock_t lru_lock;
	struct list_head active_list;
	struct list_head inactive_list;
	unsigned long nr_active, nr_inactive;
};

extern struct zone normal_zone;

#endif
