/*
 * struct page: one per physical page frame, in mem_map[].  Its layout is
 * a promise (DESIGN.md): at most 32 bytes, as in Linux 2.6 on i386, and
 * checked at build time in mm/page_alloc.c.
 *
 * The fields are shared between owners, as in Linux:
 *   free (buddy):  PG_buddy, private = order, lru = free-list link
 *   slab:          PG_slab, lru.next = the kmem_cache, lru.prev = the slab
 *   anonymous:     mapping = anon_vma | PAGE_MAPPING_ANON, index = linear page number
 *   file / shmem:  mapping = address_space, index = page offset in the file
 *   swap cache:    PG_swapcache, private = the swap entry
 *   on the LRU:    PG_lru (+ PG_active), lru = LRU list link
 */
#ifndef ANVIL_MM_TYPES_H
#define ANVIL_MM_TYPES_H

#include <anvil/types.h>
#include <anvil/list.h>

struct address_space;

struct page {
	unsigned long flags;             /* PG_* bits, anvil/page-flags.h */
	atomic_t _count;                 /* references; 0 = free */
	atomic_t _mapcount;              /* PTEs mapping this page, minus one (-1 = none) */
	unsigned long private;           /* buddy order / swap entry */
	struct address_space *mapping;   /* file mapping, or anon_vma with bit 0 set */
	unsigned long index;             /* page offset in mapping / linear page number */
	struct list_head lru;            /* free list, LRU list, or slab back-pointers */
};

#endif
