/*
 * What mm/shmem.c (the pages: getpage, mappings) and mm/shmem_swap.c (the
 * swap map: writepage, swap-in, truncate, swapoff) ask of each other.
 */
#ifndef MM_SHMEM_H
#define MM_SHMEM_H

#include <anvil/mm.h>
#include <anvil/swap.h>

struct inode;

/* The swap entry of the page at index while it is out on swap; 0 if none. */
swp_entry_t shmem_swp_lookup(struct inode *inode, unsigned long index);
/* Bring the page at index back from entry into the page cache; NULL and 0: look again. */
struct page *shmem_swapin(struct inode *inode, unsigned long index, swp_entry_t entry,
			  gfp_t gfp, int *err);
struct page *shmem_getpage_gfp(struct inode *inode, unsigned long index, enum sgp_type sgp,
			       gfp_t gfp, int *err);

#endif
