/*
 * Asking for pages.  gfp flags say what the allocator may do to find
 * memory: sleep and reclaim (__GFP_WAIT), start I/O (__GFP_IO), call
 * into a file system to write its pages (__GFP_FS), and whether to zero
 * the result.  Failure returns NULL (or 0), never panics.
 */
#ifndef ANVIL_GFP_H
#define ANVIL_GFP_H

#include <anvil/types.h>

struct page;

#define __GFP_WAIT 0x01u     /* may sleep, so may reclaim */
#define __GFP_IO 0x02u       /* may start disk I/O (swap-out) */
#define __GFP_HIGH 0x04u     /* may dip into the emergency reserve */
#define __GFP_ZERO 0x08u     /* return zeroed memory */
#define __GFP_NOWARN 0x10u   /* failure is expected: no message */
#define __GFP_NORETRY 0x20u  /* one reclaim attempt at most, no OOM kill */
#define __GFP_FS 0x40u       /* may write file pages (a_ops->writepage) */

#define GFP_ATOMIC (__GFP_HIGH)
#define GFP_NOIO (__GFP_WAIT)
#define GFP_NOFS (__GFP_WAIT | __GFP_IO)   /* a file system's own allocations: no recursion */
#define GFP_KERNEL (__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_HIGHUSER GFP_KERNEL   /* no highmem: user pages come from lowmem */

struct page *alloc_pages(gfp_t gfp, unsigned int order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
unsigned long __get_free_pages(gfp_t gfp, unsigned int order);
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);

void __free_pages(struct page *page, unsigned int order);
#define __free_page(page) __free_pages(page, 0)
void free_pages(unsigned long addr, unsigned int order);
#define free_page(addr) free_pages(addr, 0)

unsigned long nr_free_pages(void);

#endif
