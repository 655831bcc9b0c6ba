/*
 * Swap: entries, the swap cache, the LRU lists and reclaim.
 *
 * A swap entry names one page-sized slot: (type = which swap area,
 * offset = slot number).  While a page is out, the PTE that mapped it
 * holds the entry instead, not present:
 *
 *   31                                8 7 6 5         1 0
 *  +-----------------------------------+-+-+-----------+-+
 *  |          offset (24 bits)         |0|0| type (5)  |0|
 *  +-----------------------------------+-+-+-----------+-+
 *  bit 0 (present) clear so the CPU faults; bit 7 (PROT_NONE) clear so
 *  pte_present() says no; a zero offset never occurs (slot 0 is the
 *  header), so an entry is never mistaken for an empty PTE.
 */
#ifndef ANVIL_SWAP_H
#define ANVIL_SWAP_H

#include <anvil/types.h>
#include <asm/pgtable.h>

struct page;
struct vm_area_struct;
struct mm_struct;

typedef struct {
	unsigned long val;
} swp_entry_t;

#define SWP_TYPE_SHIFT 1
#define SWP_TYPE_BITS 5
#define SWP_OFFSET_SHIFT 8
#define MAX_SWAPFILES (1 << SWP_TYPE_BITS)

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	swp_entry_t e = { (type << SWP_TYPE_SHIFT) | (offset << SWP_OFFSET_SHIFT) };

	return e;
}

static inline unsigned int swp_type(swp_entry_t e)
{
	return (e.val >> SWP_TYPE_SHIFT) & ((1 << SWP_TYPE_BITS) - 1);
}

static inline unsigned long swp_offset(swp_entry_t e)
{
	return e.val >> SWP_OFFSET_SHIFT;
}

static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	return __pte(e.val);
}

static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	swp_entry_t e = { pte_val(pte) };

	return e;
}

/* mm/swap.c: the LRU lists */
void lru_cache_add(struct page *page);
void lru_cache_add_active(struct page *page);
void lru_cache_del(struct page *page);

/* mm/swapfile.c */
struct swap_totals {
	unsigned long total, free;   /* pages */
};
struct swap_totals swap_totals(void);
size_t swaps_format(char *buf, size_t size);   /* /proc/swaps */
int swap_duplicate(swp_entry_t entry);
void swap_free(swp_entry_t entry);
void free_swap_and_cache(swp_entry_t entry);
bool can_share_swap_page(struct page *page);

/* rmap_verify's swap half: count swap PTEs, then compare with swap_map */
void swap_verify_begin(void);
void swap_verify_pte(swp_entry_t entry);
int swap_verify_end(void);

/* mm/swap_state.c */
int do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
		 pte_t *pte, pte_t orig_pte, int write_access);

#endif
