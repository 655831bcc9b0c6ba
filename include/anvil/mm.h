/*
 * Physical pages: mem_map[], conversions between struct page, page frame
 * numbers and kernel virtual addresses, and the page reference count.
 */
#ifndef ANVIL_MM_H
#define ANVIL_MM_H

#include <anvil/types.h>
#include <anvil/atomic.h>
#include <anvil/bug.h>
#include <anvil/mm_types.h>
#include <anvil/page-flags.h>
#include <anvil/gfp.h>
#include <asm/page.h>

extern struct page *mem_map;
extern unsigned long max_low_pfn;     /* first pfn past directly mapped RAM */
extern unsigned long totalram_pages;  /* pages given to the buddy allocator at boot */

#define pfn_to_page(pfn) (mem_map + (pfn))
#define page_to_pfn(page) ((unsigned long)((page) - mem_map))
#define pfn_valid(pfn) ((pfn) < max_low_pfn)
#define virt_to_page(addr) pfn_to_page(__pa(addr) >> PAGE_SHIFT)
#define page_to_phys(page) ((phys_addr_t)page_to_pfn(page) << PAGE_SHIFT)

static inline void *page_address(const struct page *page)
{
	return __va(page_to_pfn(page) << PAGE_SHIFT);
}

static inline int page_count(const struct page *page)
{
	return atomic_read(&page->_count);
}

static inline void set_page_count(struct page *page, int v)
{
	atomic_set(&page->_count, v);
}

static inline void get_page(struct page *page)
{
	BUG_ON(page_count(page) <= 0);
	atomic_inc(&page->_count);
}

/* Drop a reference; returns true when it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	BUG_ON(page_count(page) <= 0);
	return atomic_dec_and_test(&page->_count);
}

void put_page(struct page *page);

static inline int page_mapcount(const struct page *page)
{
	return atomic_read(&page->_mapcount) + 1;
}

static inline bool page_mapped(const struct page *page)
{
	return atomic_read(&page->_mapcount) >= 0;
}

/* Boot-time memory setup (mm/page_alloc.c). */
void mem_init(void);
void show_free_areas(void);

#endif
