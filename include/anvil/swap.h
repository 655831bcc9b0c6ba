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
#define SWP_OFFSET_BITS (32 - SWP_OFFSET_SHIFT)
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
struct zone;
void add_page_to_lru(struct zone *zone, struct page *page);
void lru_cache_add(struct page *page);
void lru_cache_add_active(struct page *page);
void lru_cache_del(struct page *page);
bool isolate_lru_page(struct page *page);
void deactivate_page(struct page *page);
void rotate_reclaimable_page(struct page *page);

/*
 * swap_map[] counts, one per slot: the swap cache's reference plus one
 * per PTE holding the entry.  The high bits mark slots not to hand out.
 */
#define SWAP_MAP_COUNT 0x3fff        /* the count bits */
#define SWAP_MAP_ERROR 0x4000        /* a write failed: retire the slot when the count reaches 0 */
#define SWAP_MAP_BAD 0x8000          /* never use: the header, mkswap's bad pages, failed writes */
#define SWAPFILE_CLUSTER 256         /* slots handed out in runs, so swap-out writes sequentially */
#define SWP_USED 0x01
#define SWP_WRITEOK 0x02             /* new entries may be allocated here */

struct block_device;

struct swap_info_struct {
	unsigned int flags;
	int prio;
	struct block_device *bdev;
	char name[16];
	unsigned short *swap_map;
	unsigned int swap_map_order;     /* its allocation */
	unsigned long max;               /* slots, the header's included */
	unsigned long pages;             /* usable slots */
	unsigned long inuse_pages;
	unsigned long lowest_bit, highest_bit;   /* where free slots may be */
	unsigned long cluster_next, cluster_nr;
};

extern struct swap_info_struct swap_info[MAX_SWAPFILES];
extern spinlock_t swap_lock;

/* mm/swapfile.c */
swp_entry_t get_swap_page(void);
bool vm_swap_full(void);                          /* more than half of swap in use */
/* The swap areas' disks, plugged around a batch of reclaim (swap_plug, swap_unplug). */
struct swap_plug {
	struct block_device *bdev[MAX_SWAPFILES];
};
void swap_plug(struct swap_plug *plug);
void swap_unplug(struct swap_plug *plug);
int page_swapcount(struct page *page);           /* PTEs holding the page's swap entry */
int swap_entry_count(swp_entry_t entry);         /* the same for a slot, swap cache included */
int remove_exclusive_swap_page(struct page *page);
int try_to_free_swap(struct page *page);
void swap_mark_write_error(swp_entry_t entry);
int swapon_device(struct block_device *bdev, int prio);
void swapfile_init(void);
struct swap_info_struct *swap_info_get(swp_entry_t entry);
bool swap_entry_valid(swp_entry_t entry);
bool swap_entry_writeok(struct page *page);      /* its area still takes pages (not in swapoff) */
bool swap_entry_failed(struct page *page);       /* a write to its slot failed */
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

/* mm/swap_state.c: the swap cache */
void swap_cache_init(void);
int add_to_swap(struct page *page);
int add_to_swap_cache(struct page *page, swp_entry_t entry);
void delete_from_swap_cache(struct page *page);
struct page *lookup_swap_cache(swp_entry_t entry);
struct page *read_swap_cache_async(swp_entry_t entry, gfp_t gfp);
/* entry's page, read with its neighbours on disk (2^page_cluster slots); NULL as above */
struct page *swapin_readahead(swp_entry_t entry, gfp_t gfp);
unsigned long valid_swaphandles(swp_entry_t entry, unsigned long *offset);
extern unsigned int page_cluster;                 /* /proc/sys/vm/page-cluster */
#define PAGE_CLUSTER_MAX 5           /* 2^5 pages: BIO_MAX_PAGES, one request */
unsigned long free_unused_swap_cache(void);

/* mm/shmem_swap.c: the slots shmem's swap maps hold */
int shmem_unuse(unsigned int type);
void shmem_swap_verify(void);

/* mm/page_io.c */
struct writeback_control;
struct address_space_operations;
void page_io_init(void);
int swap_writepage(struct page *page, struct writeback_control *wbc);
extern const struct address_space_operations swap_aops;   /* swapper_space's */
int swap_readpage(struct page *page);
void swap_readpages(struct page **pages, unsigned int n);   /* one burst, plugged */

/* mm/memory.c */
int do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
		 pte_t *pte, pte_t orig_pte, int write_access);

/* mm/vmscan.c: reclaim */
void kswapd_init(void);
void wakeup_kswapd(void);
unsigned long try_to_free_pages(gfp_t gfp);
unsigned long shrink_all_memory(unsigned long nr);
unsigned long reclaim_pages(struct list_head *page_list);
unsigned long shrink_isolated_pages(struct list_head *page_list, gfp_t gfp);
extern void (*reclaim_race_hook)(struct page *page);   /* tests: mm/vmscan.c */

#endif
