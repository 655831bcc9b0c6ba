/*
 * Page reclaim.  Pages in use sit on the zone's active list; reclaim
 * moves those whose PTEs show no recent use (page_referenced) to the
 * inactive list, then tries to free pages from the inactive tail in
 * Linux's order (shrink_page_list):
 *
 *   referenced again            -> back to the active list
 *   in ramfs (no a_ops)         -> kept: memory is its only home
 *   anonymous, no swap slot yet -> add_to_swap (a slot; into the swap cache)
 *   mapped                      -> try_to_unmap: every PTE becomes the swap entry
 *                                  (a file page's PTEs, found through i_mmap, just go;
 *                                  their dirty bits move to the page)
 *   mapped by a locked VMA      -> culled off the LRU (mm/mlock.c), never scanned again
 *   dirty                       -> pageout -> the mapping's a_ops->writepage
 *                                  (swap_writepage, a file system's; asynchronous;
 *                                  shmem_writepage moves a shmem page to the swap cache)
 *   clean and unmapped          -> out of the swap cache or page cache and freed
 *
 * kswapd does this in the background, woken when free memory drops below
 * pages_low, until it is above pages_high; an allocation that finds less
 * than pages_min reclaims directly (try_to_free_pages), and when even that
 * frees nothing, the OOM killer picks a victim.  The watermarks are set
 * in mm/page_alloc.c (setup_per_zone_pages_min).
 *
 * Lab reclaim (labs/README.md): the student writes what "LAB reclaim: BEGIN/END" fence
 * here; a student's tree has a "TODO(lab reclaim)" and the stub from labs/reclaim/stubs.c
 * in their place.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/swap.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/vmstat.h>
#include <anvil/writeback.h>
#include <anvil/fs.h>
#include <anvil/time.h>
#include <anvil/blkdev.h>
#include <anvil/errno.h>

#define DEF_PRIORITY 12          /* scan 1/2^priority of a list per pass, lower = harder */
#define SWAP_CLUSTER_MAX 32      /* pages handled per batch */

enum pageout_result { PAGE_KEEP, PAGE_ACTIVATE, PAGE_SUCCESS, PAGE_CLEAN };

struct scan_control {
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
	unsigned long target;        /* stop once this many pages are freed */
	gfp_t gfp;
	bool ignore_references;      /* reclaim even pages in use (MADV_PAGEOUT) */
};

static DECLARE_WAIT_QUEUE_HEAD(kswapd_wait);
static struct task_struct *kswapd_task;

/* Move up to nr pages from the tail of an LRU list onto dst, each with a reference. */
static unsigned long isolate_lru_pages(struct zone *zone, unsigned long nr, bool active,
				       struct list_head *dst)
{
	struct list_head *src = active ? &zone->active_list : &zone->inactive_list;
	unsigned long flags, n = 0;

	spin_lock_irqsave(&zone->lru_lock, flags);
	while (n < nr && !list_empty(src)) {
		struct page *page = list_last_entry(src, struct page, lru);

		BUG_ON(!PageLRU(page));
		ClearPageLRU(page);
		list_move(&page->lru, dst);
		get_page(page);
		n++;
	}
	if (active) {
		zone->nr_active -= n;
		mod_vm_stat(NR_ACTIVE, -(long)n);
	} else {
		zone->nr_inactive -= n;
		mod_vm_stat(NR_INACTIVE, -(long)n);
	}
	spin_unlock_irqrestore(&zone->lru_lock, flags);
	return n;
}

/* Return isolated pages to the list their PG_active says, and drop our references. */
static void putback_lru_pages(struct zone *zone, struct list_head *pages)
{
	while (!list_empty(pages)) {
		struct page *page = list_first_entry(pages, struct page, lru);

		list_del(&page->lru);
		add_page_to_lru(zone, page);
		put_page(page);        /* may be the last reference: put_page takes it off again */
	}
}

/* A written page just became clean (end_page_writeback): to the inactive tail, freed next. */
void rotate_reclaimable_page(struct page *page)
{
	struct zone *zone = &normal_zone;
	unsigned long flags;

	spin_lock_irqsave(&zone->lru_lock, flags);
	if (PageLRU(page) && !PageActive(page))
		list_move_tail(&page->lru, &zone->inactive_list);
	spin_unlock_irqrestore(&zone->lru_lock, flags);
}

/* LAB reclaim: BEGIN pageout() */
/*
 * Start writing a dirty page (locked) through its mapping's writepage:
 * the swap cache's (swap_writepage), a file system's, or shmem's (which
 * moves it to the swap cache, written at the next pass).  It comes back
 * unlocked unless ACTIVATE or CLEAN.
 */
static enum pageout_result __noinline pageout(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE, .nr_to_write = SWAP_CLUSTER_MAX, .for_reclaim = true,
	};
	int ret;

	if (!mapping || !mapping->a_ops || !mapping->a_ops->writepage)
		return PAGE_ACTIVATE;        /* nowhere to write it: it stays in memory */
	if (!clear_page_dirty_for_io(page))
		return PAGE_CLEAN;
	SetPageReclaim(page);
	ret = mapping->a_ops->writepage(page, &wbc);
	if (ret == AOP_WRITEPAGE_ACTIVATE) {
		ClearPageReclaim(page);      /* shmem without a swap slot: locked still */
		return PAGE_ACTIVATE;
	}
	if (ret)
		return PAGE_KEEP;            /* not written: the page is dirty again */
	if (!PageWriteback(page))
		ClearPageReclaim(page);      /* written at once: nothing will rotate it */
	count_vm_event(NR_VMSCAN_WRITE);
	return PAGE_SUCCESS;
}
/* LAB reclaim: END */

/*
 * A clean, unmapped file page leaves the page cache if only the cache
 * and reclaim hold it: a reference more is someone using it (read(), a
 * fault on its way to map it).  Linux's remove_mapping, whose swap-cache
 * half is the lab's code above.
 */
static bool remove_mapping(struct page *page)
{
	if (page_count(page) != 2 || page_mapped(page) || PageDirty(page))
		return false;
	remove_from_page_cache(page);
	put_page(page);                      /* the cache's reference */
	return true;
}

/*
 * Tests only, NULL otherwise: called for each page between page_referenced()
 * and try_to_unmap(), it stands for another CPU touching the page in that
 * gap -- the race try_to_unmap()'s SWAP_FAIL answers, which one CPU cannot
 * otherwise stage (mm/vmscan_test.c).
 */
void (*reclaim_race_hook)(struct page *page);

/* Try to free each page of page_list (isolated from the inactive list). */
static unsigned long __noinline shrink_page_list(struct list_head *page_list,
						 struct scan_control *sc)
{
	LIST_HEAD(ret_pages);
	unsigned long reclaimed = 0;
	struct swap_plug plug;

	swap_plug(&plug);                    /* the batch's swap writes go out merged */
	while (!list_empty(page_list)) {
		struct page *page = list_first_entry(page_list, struct page, lru);
		int referenced;

		list_del(&page->lru);
		sc->nr_scanned++;
		count_vm_event(PGSCAN);
		if (TestSetPageLocked(page))
			goto keep;
		if (PageWriteback(page))
			goto keep_locked;
		/* clears the accessed bits try_to_unmap checks */
		referenced = page_referenced(page);
		if (sc->ignore_references)
			referenced = 0;
		if (referenced && page_mapped(page))
			goto activate_locked;
		if (!PageAnon(page) && !PageSwapCache(page) &&
		    (!page->mapping || !page->mapping->a_ops))
			goto activate_locked;    /* ramfs, truncated: kept */
		if (PageSwapCache(page) && swap_entry_failed(page)) {
			/*
			 * Its slot failed a write.  If only the cache holds the slot,
			 * let it go (retired): next time the page gets a fresh one.
			 * Otherwise PTEs hold the bad entry; the page stays in memory
			 * until they fault it back.
			 */
			if (page_swapcount(page) || PageWriteback(page))
				goto activate_locked;
			SetPageDirty(page);
			delete_from_swap_cache(page);
			if (!page_mapped(page))
				goto free_it;        /* nobody needs it at all */
			goto activate_locked;
		}
		if (reclaim_race_hook)
			reclaim_race_hook(page);
		/* LAB reclaim: BEGIN give it a slot, unmap it, write it, free it if clean */
		if (PageAnon(page) && !PageSwapCache(page) && !add_to_swap(page))
			goto activate_locked;    /* no swap slot left */
		if (page_mapped(page)) {
			if (PageSwapCache(page) && !swap_entry_writeok(page))
				goto activate_locked;    /* its area is being swapped off */
			switch (try_to_unmap(page)) {
			case SWAP_FAIL:
				goto activate_locked;
			case SWAP_MLOCK:
				cull_mlocked_page(page);     /* off the LRU for good */
				continue;
			case SWAP_AGAIN:
				goto keep_locked;
			case SWAP_SUCCESS:
				break;
			}
		}
		if (PageDirty(page)) {
			if (referenced || !(sc->gfp & __GFP_IO))
				goto keep_locked;
			/* GFP_NOFS: a file system allocating; its writepage could deadlock */
			if (!PageSwapCache(page) && !(sc->gfp & __GFP_FS))
				goto keep_locked;
			switch (pageout(page)) {
			case PAGE_ACTIVATE:
				goto activate_locked;
			case PAGE_KEEP:
			case PAGE_SUCCESS:
				/* unlocked by writepage; freed after the write */
				goto keep;
			case PAGE_CLEAN:
				break;
			}
		}
		/* clean, unmapped: only the swap cache and we hold it */
		if (PageSwapCache(page)) {
			if (page_count(page) != 2 || page_mapped(page))
				goto keep_locked;
			delete_from_swap_cache(page);
		}
		/* LAB reclaim: END */
		/* a file page: out of the page cache, unless someone still uses it */
		if (!PageAnon(page) && page->mapping && !remove_mapping(page))
			goto keep_locked;
free_it:
		unlock_page(page);
		BUG_ON(page_count(page) != 1);
		count_vm_event(PageAnon(page) ? PGSTEAL_ANON : PGSTEAL_FILE);
		put_page(page);              /* freed */
		reclaimed++;
		count_vm_event(PGSTEAL);
		continue;
activate_locked:
		SetPageActive(page);
		count_vm_event(PGACTIVATE);
keep_locked:
		unlock_page(page);
keep:
		list_add(&page->lru, &ret_pages);
	}
	swap_unplug(&plug);
	putback_lru_pages(&normal_zone, &ret_pages);
	return reclaimed;
}

/*
 * Age the active list: pages whose PTEs were used since the last look
 * (page_referenced clears the bits as it reads them) stay active, the
 * rest move to the inactive list, where reclaim looks for victims.
 */
static void refill_inactive_zone(struct zone *zone, unsigned long nr)
{
	LIST_HEAD(hold);
	struct page *page, *next;

	isolate_lru_pages(zone, nr, true, &hold);
	list_for_each_entry_safe(page, next, &hold, lru) {
		count_vm_event(PGREFILL);
		if (page_mapped(page) && page_referenced(page))
			continue;                /* stays active */
		ClearPageActive(page);
		count_vm_event(PGDEACTIVATE);
	}
	putback_lru_pages(zone, &hold);
}

static void shrink_zone(struct zone *zone, int priority, struct scan_control *sc)
{
	unsigned long nr_active = (zone->nr_active >> priority) + 1;
	unsigned long nr_inactive = (zone->nr_inactive >> priority) + 1;

	while ((nr_active || nr_inactive) && sc->nr_reclaimed < sc->target) {
		if (nr_active) {
			unsigned long n = min(nr_active, (unsigned long)SWAP_CLUSTER_MAX);

			refill_inactive_zone(zone, n);
			nr_active -= n;
		}
		if (nr_inactive) {
			unsigned long n = min(nr_inactive, (unsigned long)SWAP_CLUSTER_MAX);
			LIST_HEAD(page_list);

			isolate_lru_pages(zone, n, false, &page_list);
			sc->nr_reclaimed += shrink_page_list(&page_list, sc);
			nr_inactive -= n;
		}
		cond_resched();
	}
}

/*
 * Writes in flight will free pages when they finish: wait for the next
 * request to complete (end_page_writeback rotates its pages to be freed
 * at the next scan), a tick at most.
 */
static void wait_for_writeback(void)
{
	if (vm_stat[NR_WRITEBACK] > 0)
		blk_congestion_wait(1);
}

/*
 * Direct reclaim, by an allocation that found less than pages_min:
 * scan harder and harder until a batch of pages is free.
 */
unsigned long try_to_free_pages(gfp_t gfp)
{
	struct scan_control sc = { .gfp = gfp, .target = SWAP_CLUSTER_MAX };

	count_vm_event(ALLOCSTALL);
	for (int priority = DEF_PRIORITY; priority >= 0; priority--) {
		shrink_zone(&normal_zone, priority, &sc);
		if (sc.nr_reclaimed >= sc.target)
			break;
		if (priority < DEF_PRIORITY - 2)
			wait_for_writeback();
	}
	shrink_icache_memory(sc.nr_scanned, gfp);
	sc.nr_reclaimed += kmem_cache_shrink_all();
	count_vm_events(PGFREE_RECLAIM, sc.nr_reclaimed);
	return sc.nr_reclaimed;
}

/*
 * Reclaim the pages the caller isolated (isolate_lru_page) whatever their
 * accessed bits say: MADV_PAGEOUT, whose caller will not use them soon.
 * A dirty page is freed when its write has completed and reclaim next
 * finds it.  Returns the pages freed now.
 */
unsigned long reclaim_pages(struct list_head *page_list)
{
	struct scan_control sc = { .gfp = GFP_KERNEL, .ignore_references = true };

	return shrink_page_list(page_list, &sc);
}

/*
 * One pass of shrink_page_list() over pages the caller isolated, as a
 * direct reclaim by an allocation with gfp makes it: their accessed bits
 * count.  The tests of its table take a page through one row this way
 * (mm/vmscan_test.c): a whole-zone reclaim would pass again and again.
 */
unsigned long shrink_isolated_pages(struct list_head *page_list, gfp_t gfp)
{
	struct scan_control sc = { .gfp = gfp };

	return shrink_page_list(page_list, &sc);
}

/* Free about nr pages (tests and benchmarks force swap-out this way). */
unsigned long shrink_all_memory(unsigned long nr)
{
	struct scan_control sc = { .gfp = GFP_KERNEL, .target = nr };

	for (int priority = DEF_PRIORITY; priority >= 0 && sc.nr_reclaimed < nr; priority--) {
		shrink_zone(&normal_zone, priority, &sc);
		wait_for_writeback();
	}
	return sc.nr_reclaimed;
}

static bool zone_needs_balance(const struct zone *zone)
{
	return zone->free_pages < zone->pages_low;
}

/* kswapd: reclaim in the background until free memory is back above pages_high. */
static int __noinline kswapd(void *unused)
{
	struct zone *zone = &normal_zone;

	current->flags |= PF_MEMALLOC;
	for (;;) {
		/* interruptible only so that ps shows it sleeping (S), as Linux's */
		wait_event_interruptible(kswapd_wait, zone_needs_balance(zone));
		for (int priority = DEF_PRIORITY;
		     priority >= 0 && zone->free_pages < zone->pages_high; priority--) {
			struct scan_control sc = {
				.gfp = GFP_KERNEL,
				.target = zone->pages_high -
					  min(zone->free_pages, zone->pages_high),
			};

			shrink_zone(zone, priority, &sc);
			shrink_icache_memory(sc.nr_scanned, sc.gfp);
			count_vm_events(PGFREE_RECLAIM, sc.nr_reclaimed);
			if (!sc.nr_reclaimed)
				wait_for_writeback();
		}
		if (zone->free_pages < zone->pages_high) {
			/* nothing more to find now: rest until a request completes, or a while */
			blk_congestion_wait(HZ / 10);
		}
	}
	return 0;
}

void wakeup_kswapd(void)
{
	if (kswapd_task && waitqueue_active(&kswapd_wait)) {
		count_vm_event(KSWAPD_WAKEUPS);
		wake_up(&kswapd_wait);
	}
}

void kswapd_init(void)
{
	kswapd_task = kernel_thread(kswapd, NULL, "kswapd0");
	BUG_ON(!kswapd_task);
}
