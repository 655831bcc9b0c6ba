/*
 * The swap cache: pages that have (or are getting) a copy in a swap
 * slot, kept in swapper_space's radix tree by swap entry.  It is what
 * lets a page shared by several processes be swapped out once and come
 * back once: the first fault reads it into the cache, the others find it
 * there.  A page in the cache has PG_swapcache and its entry in
 * page->private; the cache holds one page reference and one reference
 * on the slot.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <anvil/fs.h>
#include <anvil/vmstat.h>
#include <abi/errno.h>

struct address_space swapper_space;

void swap_cache_init(void)
{
	address_space_init(&swapper_space, NULL);
	swapper_space.a_ops = &swap_aops;      /* reclaim's pageout writes through it */
}

/* Put page (locked) in the cache under entry, whose slot already counts this reference. */
/*
 * The swap cache's radix-tree key for an entry: type and offset packed
 * with the offset in the low bits, so that neighbouring slots share tree
 * nodes (keyed by the PTE form, they would be 256 apart and need a node
 * each).
 */
static unsigned long swap_cache_index(swp_entry_t entry)
{
	return ((unsigned long)swp_type(entry) << SWP_OFFSET_BITS) | swp_offset(entry);
}

int add_to_swap_cache(struct page *page, swp_entry_t entry)
{
	int err;

	BUG_ON(PageSwapCache(page) || !PageLocked(page));
	err = radix_tree_preload(GFP_NOIO);
	if (err)
		return err;
	spin_lock(&swapper_space.tree_lock);
	err = radix_tree_insert(&swapper_space.page_tree, swap_cache_index(entry), page);
	if (!err) {
		get_page(page);
		SetPageSwapCache(page);
		page->private = entry.val;
		swapper_space.nrpages++;
		mod_vm_stat(NR_SWAPCACHE, 1);
	}
	spin_unlock(&swapper_space.tree_lock);
	radix_tree_preload_end();
	return err;
}

/*
 * Give an anonymous page (locked, not yet in the cache) a swap slot and
 * put it in the cache, dirty: reclaim's first step.  0 if no slot.
 */
int add_to_swap(struct page *page)
{
	swp_entry_t entry = get_swap_page();

	if (!entry.val)
		return 0;
	if (add_to_swap_cache(page, entry)) {
		swap_free(entry);
		return 0;
	}
	SetPageUptodate(page);       /* the data is in memory: valid for a fault that finds it */
	SetPageDirty(page);          /* but the slot holds nothing yet */
	return 1;
}

/*
 * Take page (locked, not under writeback) out of the cache; its slot
 * loses the cache's reference.
 */
void delete_from_swap_cache(struct page *page)
{
	swp_entry_t entry = { page->private };

	BUG_ON(!PageLocked(page) || PageWriteback(page) || !PageSwapCache(page));
	spin_lock(&swapper_space.tree_lock);
	radix_tree_delete(&swapper_space.page_tree, swap_cache_index(entry));
	ClearPageSwapCache(page);
	page->private = 0;
	swapper_space.nrpages--;
	mod_vm_stat(NR_SWAPCACHE, -1);
	spin_unlock(&swapper_space.tree_lock);
	swap_free(entry);
	put_page(page);
}

/* The cached page for entry, with a reference, or NULL. */
struct page *lookup_swap_cache(swp_entry_t entry)
{
	return find_get_page(&swapper_space, swap_cache_index(entry));
}

/*
 * The page for entry, with a reference: from the cache (*new false), or
 * a new page (allocated with gfp) added to the cache, locked, its read
 * still to start (*new true).  NULL if memory is short or the slot is gone.
 */
static struct page *__read_swap_cache_async(swp_entry_t entry, gfp_t gfp, bool *new)
{
	*new = false;
	for (;;) {
		struct page *page = lookup_swap_cache(entry), *new_page;
		int err;

		if (page)
			return page;
		if (!swap_entry_valid(entry))
			return NULL;          /* freed while we looked: the PTE changed */
		new_page = alloc_page(gfp);
		if (!new_page)
			return NULL;
		/* the cache's reference; gone if the slot was freed */
		if (!swap_duplicate(entry)) {
			put_page(new_page);
			return NULL;
		}
		SetPageLocked(new_page);
		err = add_to_swap_cache(new_page, entry);
		if (!err) {
			lru_cache_add_active(new_page);
			*new = true;
			return new_page;
		}
		ClearPageLocked(new_page);
		swap_free(entry);
		put_page(new_page);
		if (err != -EEXIST)
			return NULL;          /* no memory for a tree node */
		/* else someone else added it meanwhile: use theirs */
	}
}

/*
 * The page for entry: from the cache, or a new page (allocated with gfp)
 * added to the cache and being read from disk (locked until the read
 * completes; the caller waits with lock_page).  NULL if memory is short
 * or the slot is gone.
 */
struct page *read_swap_cache_async(swp_entry_t entry, gfp_t gfp)
{
	bool new;
	struct page *page = __read_swap_cache_async(entry, gfp, &new);

	if (page && new)
		swap_readpage(page);      /* unlocks when the data is in */
	return page;
}

/*
 * Swap-in reads 2^page_cluster slots at a time (Linux's page-cluster
 * sysctl and default): the aligned block around the faulting slot,
 * where reclaim, which hands out slots in clusters, put pages that were
 * neighbours in memory and were written together.  At most
 * PAGE_CLUSTER_MAX: 32 pages, the largest request.
 */
unsigned int page_cluster = 3;

/*
 * entry's page (Linux's swapin_readahead), read with the used slots
 * around it in its aligned block (valid_swaphandles); a fault on those
 * later finds them in the cache.  The pages are put in the cache first
 * (allocating may sleep), then their reads go out in one burst, in disk
 * order, into a plugged queue: one request for the whole run.  What it
 * saves: per neighbour a major fault, a request and an interrupt, and
 * for the faulting page a second wait behind a first request.  The
 * neighbours take no effort to allocate (__GFP_NORETRY): when memory is
 * that short, fewer of them are read.
 */
struct page *swapin_readahead(swp_entry_t entry, gfp_t gfp)
{
	struct page *reads[1U << PAGE_CLUSTER_MAX], *page = NULL;
	unsigned long offset, target = swp_offset(entry), end;
	unsigned int n = 0;

	end = valid_swaphandles(entry, &offset);
	for (end += offset; offset < end; offset++) {
		bool mine = offset == target, new;
		struct page *p = __read_swap_cache_async(swp_entry(swp_type(entry), offset),
							 mine ? gfp : gfp | __GFP_NORETRY |
							 __GFP_NOWARN, &new);

		if (!p && (mine || offset > target))
			break;
		if (!p) {
			offset = target - 1;      /* memory is short: on to entry's own */
			continue;
		}
		if (mine)
			page = p;
		if (new)
			reads[n++] = p;
		else if (!mine)
			put_page(p);
	}
	swap_readpages(reads, n);
	for (unsigned int i = 0; i < n; i++)
		if (reads[i] != page)
			put_page(reads[i]);
	return page;
}

/*
 * Leave no page both in memory and on swap where one copy will do (after
 * exits and swapoff, and for leak checks): a page whose slot nobody else
 * references leaves the swap cache (an unmapped one is freed, a mapped
 * one becomes a plain anonymous page again); an unmapped clean page whose
 * slot still holds its data for some swap PTE is freed.  Returns the
 * pages taken out of the cache.
 */
unsigned long free_unused_swap_cache(void)
{
	struct page *pages[16];
	unsigned long index = 0, freed = 0;
	unsigned int n;

	while ((n = radix_tree_gang_lookup(&swapper_space.page_tree, (void **)pages, index,
					   ARRAY_SIZE(pages)))) {
		for (unsigned int i = 0; i < n; i++) {
			struct page *page = pages[i];
			bool exclusive;

			index = swap_cache_index((swp_entry_t){ page->private }) + 1;
			get_page(page);
			if (TestSetPageLocked(page)) {
				put_page(page);
				continue;
			}
			exclusive = page_swapcount(page) == 0;
			if (!PageWriteback(page) &&
			    page_count(page) == page_mapcount(page) + 2 &&
			    (exclusive || (!page_mapped(page) && !PageDirty(page)))) {
				if (page_mapped(page))
					SetPageDirty(page);   /* its data lives only here now */
				delete_from_swap_cache(page);
				freed++;
			}
			unlock_page(page);
			put_page(page);
		}
	}
	return freed;
}
