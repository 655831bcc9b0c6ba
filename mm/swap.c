/*
 * The LRU lists.  Every user page (anonymous, COW copy, shared memory)
 * goes on the zone's active list when it enters use, a disk file's page
 * on the inactive list when it is read in (used once, it goes first);
 * reclaim (mm/vmscan.c) moves pages that stop being referenced to the
 * inactive list and reclaims from there.  mark_page_accessed() is the second
 * chance: a page referenced twice while inactive goes back to active.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>

/*
 * Put a page that is on no LRU list onto the one its PG_active names:
 * a new page, or one reclaim isolated and is giving back.
 */
void add_page_to_lru(struct zone *zone, struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&zone->lru_lock, flags);
	BUG_ON(PageLRU(page));
	SetPageLRU(page);
	if (PageActive(page)) {
		list_add(&page->lru, &zone->active_list);
		zone->nr_active++;
		mod_vm_stat(NR_ACTIVE, 1);
	} else {
		list_add(&page->lru, &zone->inactive_list);
		zone->nr_inactive++;
		mod_vm_stat(NR_INACTIVE, 1);
	}
	spin_unlock_irqrestore(&zone->lru_lock, flags);
}

void lru_cache_add(struct page *page)
{
	add_page_to_lru(&normal_zone, page);
}

void lru_cache_add_active(struct page *page)
{
	SetPageActive(page);                   /* not on a list yet: nobody else looks */
	add_page_to_lru(&normal_zone, page);
}

/* Unlink page from the list PG_lru says it is on, and from that list's count; lru_lock held. */
static bool del_page_from_lru(struct zone *zone, struct page *page)
{
	if (!TestClearPageLRU(page))
		return false;
	list_del_init(&page->lru);
	if (PageActive(page)) {
		zone->nr_active--;
		mod_vm_stat(NR_ACTIVE, -1);
	} else {
		zone->nr_inactive--;
		mod_vm_stat(NR_INACTIVE, -1);
	}
	return true;
}

/* Take the page off whichever list it is on (its last reference is going). */
void lru_cache_del(struct page *page)
{
	struct zone *zone = &normal_zone;
	unsigned long flags;

	spin_lock_irqsave(&zone->lru_lock, flags);
	if (del_page_from_lru(zone, page))
		ClearPageActive(page);
	spin_unlock_irqrestore(&zone->lru_lock, flags);
}

/*
 * Take one page off its LRU list for reclaim (MADV_PAGEOUT), with a
 * reference, as isolate_lru_pages takes a batch; false if it is on none
 * (reclaim has it already, or it is culled).
 */
bool isolate_lru_page(struct page *page)
{
	struct zone *zone = &normal_zone;
	unsigned long flags;
	bool isolated;

	spin_lock_irqsave(&zone->lru_lock, flags);
	isolated = del_page_from_lru(zone, page);
	if (isolated)
		get_page(page);
	spin_unlock_irqrestore(&zone->lru_lock, flags);
	return isolated;
}

/* MADV_COLD: an active page goes to the inactive list, the next that reclaim looks at. */
void deactivate_page(struct page *page)
{
	struct zone *zone = &normal_zone;
	unsigned long flags;

	spin_lock_irqsave(&zone->lru_lock, flags);
	if (PageLRU(page) && PageActive(page)) {
		list_move(&page->lru, &zone->inactive_list);
		ClearPageActive(page);
		zone->nr_active--;
		zone->nr_inactive++;
		mod_vm_stat(NR_ACTIVE, -1);
		mod_vm_stat(NR_INACTIVE, 1);
		count_vm_event(PGDEACTIVATE);
	}
	spin_unlock_irqrestore(&zone->lru_lock, flags);
}

static void activate_page(struct page *page)
{
	struct zone *zone = &normal_zone;
	unsigned long flags;

	spin_lock_irqsave(&zone->lru_lock, flags);
	if (PageLRU(page) && !PageActive(page)) {
		list_move(&page->lru, &zone->active_list);
		SetPageActive(page);
		zone->nr_inactive--;
		zone->nr_active++;
		mod_vm_stat(NR_INACTIVE, -1);
		mod_vm_stat(NR_ACTIVE, 1);
		count_vm_event(PGACTIVATE);
	}
	spin_unlock_irqrestore(&zone->lru_lock, flags);
}

/*
 * A use of the page that no PTE accessed bit records (read/write system
 * calls, unmapping a young PTE): inactive,unreferenced -> inactive,referenced
 * -> active,unreferenced.
 */
void mark_page_accessed(struct page *page)
{
	if (!PageActive(page) && PageReferenced(page) && PageLRU(page)) {
		activate_page(page);
		ClearPageReferenced(page);
	} else if (!PageReferenced(page)) {
		SetPageReferenced(page);
	}
}
