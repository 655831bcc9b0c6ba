/*
 * The buddy allocator.  Free memory is kept in blocks of 2^order pages
 * (order 0..MAX_ORDER-1), each block aligned to its size, on one free
 * list per order.  Allocation takes the smallest block big enough and
 * splits off the unused halves; freeing merges a block with its "buddy"
 * (the neighbour it was split from, pfn ^ (1 << order)) for as long as
 * the buddy is free too.  mem_init() builds mem_map[] and fills the
 * allocator from bootmem at boot.
 *
 * Lab buddy (labs/README.md): the student writes what "LAB buddy: BEGIN/END" fence
 * here; a student's tree has a "TODO(lab buddy)" and the stub from labs/buddy/stubs.c
 * in their place.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/bootmem.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#include <anvil/sched.h>
#include <anvil/oom.h>

#define MAX_ALLOC_ATTEMPTS 16    /* reclaim-and-retry rounds before giving up */
#define OOM_RECLAIM_ROUNDS 4     /* rounds in a row that free nothing: out of memory */

BUILD_BUG_ON(sizeof(struct page) > 32);   /* Linux 2.6's i386 size: docs/physical-memory.md */

struct page *mem_map;
unsigned long totalram_pages;
struct zone normal_zone = { .name = "Normal" };

static inline void set_page_order(struct page *page, unsigned int order)
{
	page->private = order;
	SetPageBuddy(page);
}

static inline void rmv_page_order(struct page *page)
{
	ClearPageBuddy(page);
	page->private = 0;
}

/* LAB buddy: BEGIN page_is_buddy(), and the merge loop in __free_one_page() */
/* Is the page at pfn the head of a free block of exactly this order? */
static bool page_is_buddy(const struct zone *zone, unsigned long pfn, unsigned int order)
{
	const struct page *page;

	if (pfn < zone->zone_start_pfn || pfn >= zone->zone_start_pfn + zone->spanned_pages)
		return false;
	page = pfn_to_page(pfn);
	return PageBuddy(page) && page->private == order;
}
/* LAB buddy: END */

/*
 * A page handed back must be truly unused: a reference, a mapping or a
 * list membership left over here means someone still holds it, and
 * freeing it would corrupt memory later.  That is a kernel bug.
 */
static void check_free_page(const struct page *page)
{
	if (unlikely(page_count(page) != 0 || page_mapped(page) || page->mapping ||
		     (page->flags & ((1UL << PG_lru) | (1UL << PG_slab) | (1UL << PG_reserved) |
				     (1UL << PG_buddy) | (1UL << PG_swapcache) |
				     (1UL << PG_writeback) | (1UL << PG_locked) |
				     (1UL << PG_mlocked))))) {
		printk(KERN_EMERG
		       "Bad page state: pfn %lu flags %#lx count %d mapcount %d mapping %p\n",
		       page_to_pfn(page), page->flags, page_count(page),
		       page_mapcount(page), page->mapping);
		BUG();
	}
}

static void __free_one_page(struct zone *zone, struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);

	BUG_ON(pfn & ((1UL << order) - 1));
	/* LAB buddy: BEGIN coalesce: while the buddy (pfn ^ (1 << order)) is free, merge with it */
	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);
		struct page *buddy;

		if (!page_is_buddy(zone, buddy_pfn, order))
			break;
		buddy = pfn_to_page(buddy_pfn);
		list_del(&buddy->lru);
		zone->free_area[order].nr_free--;
		rmv_page_order(buddy);
		pfn &= ~(1UL << order);    /* the merged block starts at the lower half */
		order++;
	}
	/* LAB buddy: END */
	page = pfn_to_page(pfn);
	set_page_order(page, order);
	list_add(&page->lru, &zone->free_area[order].free_list);
	zone->free_area[order].nr_free++;
}

static void free_pages_ok(struct page *page, unsigned int order)
{
	struct zone *zone = &normal_zone;
	unsigned long flags;

	for (unsigned long i = 0; i < (1UL << order); i++) {
		check_free_page(page + i);
		page[i].flags = 0;
		page[i].private = 0;
		page[i].index = 0;
	}
	spin_lock_irqsave(&zone->lock, flags);
	__free_one_page(zone, page, order);
	zone->free_pages += 1UL << order;
	spin_unlock_irqrestore(&zone->lock, flags);
}

void __free_pages(struct page *page, unsigned int order)
{
	BUG_ON(order >= MAX_ORDER);
	if (!order)
		put_page(page);
	else if (put_page_testzero(page))
		free_pages_ok(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page(addr), order);
}

/*
 * The last reference to a page is gone: off the LRU, and an anonymous
 * page forgets its (possibly stale) anon_vma, then back to the buddy lists.
 */
void put_page(struct page *page)
{
	if (!put_page_testzero(page))
		return;
	if (PageLRU(page))
		lru_cache_del(page);
	if (PageAnon(page))
		page->mapping = NULL;
	free_pages_ok(page, 0);
}

/*
 * We took a block of order `high` to satisfy order `low`: give back the
 * upper halves, largest first, so that only the bottom 2^low pages remain.
 */
static void expand(struct zone *zone, struct page *page, unsigned int low, unsigned int high)
{
	/* LAB buddy: BEGIN split: free the upper half, order high - 1, until order low is left */
	while (high > low) {
		high--;
		set_page_order(page + (1UL << high), high);
		list_add(&page[1UL << high].lru, &zone->free_area[high].free_list);
		zone->free_area[high].nr_free++;
	}
	/* LAB buddy: END */
}

static struct page *__rmqueue(struct zone *zone, unsigned int order)
{
	for (unsigned int o = order; o < MAX_ORDER; o++) {
		struct free_area *area = &zone->free_area[o];
		struct page *page;

		if (list_empty(&area->free_list))
			continue;
		page = list_first_entry(&area->free_list, struct page, lru);
		list_del(&page->lru);
		rmv_page_order(page);
		area->nr_free--;
		zone->free_pages -= 1UL << order;
		expand(zone, page, order, o);
		return page;
	}
	return NULL;
}

/* Take a block, unless that would leave fewer than `min` free pages. */
static struct page *rmqueue_watermark(struct zone *zone, unsigned int order, unsigned long min)
{
	struct page *page = NULL;
	unsigned long flags;

	spin_lock_irqsave(&zone->lock, flags);
	if (zone->free_pages >= min + (1UL << order))
		page = __rmqueue(zone, order);
	spin_unlock_irqrestore(&zone->lock, flags);
	return page;
}

static void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;

		BUG_ON(p->flags || p->mapping || page_mapped(p) || page_count(p));
		set_page_count(p, 0);
	}
	set_page_count(page, 1);
	if (gfp & __GFP_ZERO)
		for (unsigned long i = 0; i < (1UL << order); i++)
			clear_page(page_address(page + i));
}

/*
 * Is current about to exit, its memory coming back?  Killed, or the OOM
 * killer's victim: its allocation takes from the reserve (alloc_watermark)
 * or fails at once.  Reclaiming, or waiting for a victim -- perhaps
 * itself -- would only keep it from the exit that frees the memory.
 */
static bool current_is_dying(void)
{
	return fatal_signal_pending(current) || (current->flags & PF_MEMDIE);
}

/*
 * The pages an allocation must leave free: pages_min normally, half of
 * it for __GFP_HIGH (atomic) allocations, none for reclaim itself
 * (PF_MEMALLOC: it is freeing memory, and may need a page to do so) and
 * none for a dying process (SIGKILL pending, or PF_MEMDIE, Linux's
 * TIF_MEMDIE): it must get to its exit, which frees its memory.
 */
static unsigned long alloc_watermark(const struct zone *zone, gfp_t gfp)
{
	if ((current->flags & PF_MEMALLOC) || current_is_dying())
		return 0;
	if (gfp & __GFP_HIGH)
		return zone->pages_min / 2;
	return zone->pages_min;
}

/*
 * Allocate 2^order pages.  Below pages_low kswapd is woken; an
 * allocation that may sleep and finds less than pages_min reclaims
 * directly, and if that frees nothing OOM_RECLAIM_ROUNDS times in a row,
 * the OOM killer makes room.
 * Failure is NULL, never a panic.
 *
 * The wait for the OOM killer's victim is bounded only by the victim
 * while it can run to its exit (oom_victim_will_free_mem): giving up
 * after MAX_ALLOC_ATTEMPTS while it tore down a big swapped-out mm
 * failed a bystander's signal frame, or had a second task killed.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct zone *zone = &normal_zone;
	struct page *page;

	if (gfp & __GFP_WAIT)
		might_sleep();
	if (order >= MAX_ORDER)
		return NULL;
	int failed_rounds = 0;

	for (int attempt = 0;; attempt++) {
		page = rmqueue_watermark(zone, order, alloc_watermark(zone, gfp));
		if (page) {
			if (zone->free_pages < zone->pages_low)
				wakeup_kswapd();
			prep_new_page(page, order, gfp);
			return page;
		}
		wakeup_kswapd();
		if (!(gfp & __GFP_WAIT) || (current->flags & PF_MEMALLOC) ||
		    current_is_dying() || attempt >= MAX_ALLOC_ATTEMPTS)
			break;
		current->flags |= PF_MEMALLOC;
		/* writes still in flight will make pages freeable: not out of memory yet */
		if (try_to_free_pages(gfp) || vm_stat[NR_WRITEBACK]) {
			current->flags &= ~PF_MEMALLOC;
			failed_rounds = 0;
			continue;
		}
		current->flags &= ~PF_MEMALLOC;
		if (gfp & __GFP_NORETRY)
			break;
		/*
		 * One round that frees nothing proves little: it may have spent
		 * itself ageing an active list of pages just faulted in (the next
		 * round frees what it deactivated), or another CPU may have freed
		 * its pages and taken them.  Early 2.6 Linux's out_of_memory likewise
		 * killed only after failures that went on.  (threadswap under -smp 2:
		 * four threads filled the active list, the first direct reclaim
		 * found the inactive list empty, and the process was OOM-killed
		 * with 127 MiB of swap free.)
		 */
		if (++failed_rounds < OOM_RECLAIM_ROUNDS)
			continue;
		if (!out_of_memory(gfp, order))
			break;
		/*
		 * A victim is dying: let it run and free its memory.  (If the
		 * victim is current, the next round takes from the reserve.)
		 */
		while (!current_is_dying()) {
			current->state = TASK_UNINTERRUPTIBLE;
			schedule_timeout(1);
			if (!oom_victim_will_free_mem())
				break;
		}
	}
	if (!(gfp & __GFP_NOWARN))
		printk(KERN_WARNING "page allocation failure: order %u, gfp %#x, %lu pages free\n",
		       order, gfp, zone->free_pages);
	return NULL;
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(gfp, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

unsigned long nr_free_pages(void)
{
	return normal_zone.free_pages;
}

/* Integer square root, for the watermark formula. */
static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/*
 * Watermarks as Linux 2.6 sets them: min_free_kbytes = sqrt(16 * lowmem
 * KiB), pages_low = 5/4 of it and pages_high = 3/2.  Below pages_low
 * kswapd is woken; below pages_min only atomic allocations may proceed
 * and others reclaim directly.
 */
static void setup_per_zone_pages_min(struct zone *zone)
{
	unsigned long lowmem_kb = zone->present_pages * (PAGE_SIZE / 1024);
	unsigned long min_kb = int_sqrt(lowmem_kb * 16);

	zone->pages_min = min_kb / (PAGE_SIZE / 1024);
	zone->pages_low = zone->pages_min * 5 / 4;
	zone->pages_high = zone->pages_min * 3 / 2;
}

void mem_init(void)
{
	struct zone *zone = &normal_zone;

	mem_map = bootmem_alloc(max_low_pfn * sizeof(struct page), PAGE_SIZE);
	for (unsigned long pfn = 0; pfn < max_low_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);

		page->flags = 1UL << PG_reserved;
		set_page_count(page, 1);
		atomic_set(&page->_mapcount, -1);
		INIT_LIST_HEAD(&page->lru);
	}
	spin_lock_init(&zone->lock, "zone->lock");
	spin_lock_init(&zone->lru_lock, "zone->lru_lock");
	INIT_LIST_HEAD(&zone->active_list);
	INIT_LIST_HEAD(&zone->inactive_list);
	for (int o = 0; o < MAX_ORDER; o++)
		INIT_LIST_HEAD(&zone->free_area[o].free_list);
	zone->zone_start_pfn = 0;
	zone->spanned_pages = max_low_pfn;

	totalram_pages = bootmem_free_all();
	zone->present_pages = totalram_pages;
	setup_per_zone_pages_min(zone);
	printk(KERN_INFO "Memory: %luk/%luk available, mem_map %luk (%zu bytes per struct page)\n",
	       nr_free_pages() * (PAGE_SIZE / 1024), max_low_pfn * (PAGE_SIZE / 1024),
	       PAGE_ALIGN(max_low_pfn * sizeof(struct page)) / 1024, sizeof(struct page));
	printk(KERN_INFO "Zone %s: pfn 0-%lu, watermarks min %lu low %lu high %lu pages\n",
	       zone->name, max_low_pfn - 1, zone->pages_min, zone->pages_low, zone->pages_high);
}

void show_free_areas(void)
{
	struct zone *zone = &normal_zone;
	char line[160];
	int n = 0;

	for (int o = 0; o < MAX_ORDER; o++)
		n += snprintf(line + n, sizeof(line) - n, " %lu", zone->free_area[o].nr_free);
	printk(KERN_INFO "Free pages by order (0..%d):%s = %lu pages\n", MAX_ORDER - 1, line,
	       zone->free_pages);
}
