/*
 * Tests of the buddy allocator (mm/page_alloc.c): splitting, coalescing,
 * alignment, exhaustion, zeroing, and the per-order free counts coming
 * back exactly as they were.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/sched.h>

struct order_counts {
	unsigned long nr_free[MAX_ORDER];
	unsigned long free_pages;
};

static void snapshot(struct order_counts *c)
{
	for (int o = 0; o < MAX_ORDER; o++)
		c->nr_free[o] = normal_zone.free_area[o].nr_free;
	c->free_pages = nr_free_pages();
}

static bool same_counts(const struct order_counts *a, const struct order_counts *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* The lowest order that has a free block, at or above `order`. */
static int lowest_free_order(int order)
{
	for (int o = order; o < MAX_ORDER; o++)
		if (normal_zone.free_area[o].nr_free)
			return o;
	return -1;
}

KTEST(buddy_split_coalesce)
{
	struct order_counts before, after;
	struct page *page;
	int from;

	/* take every order-0 block so the next allocation must split */
	LIST_HEAD(held);
	while (normal_zone.free_area[0].nr_free) {
		page = alloc_page(GFP_KERNEL);
		KT_ASSERT(t, page);
		list_add(&page->lru, &held);
	}
	from = lowest_free_order(1);
	KT_ASSERT(t, from > 0);
	snapshot(&before);

	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(t, page);
	/* one block of order `from` was split: one free block left at every order below it */
	KT_EQ(t, normal_zone.free_area[from].nr_free, before.nr_free[from] - 1);
	for (int o = 0; o < from; o++)
		KT_EQ(t, normal_zone.free_area[o].nr_free, before.nr_free[o] + 1);
	KT_EQ(t, nr_free_pages(), before.free_pages - 1);

	__free_page(page);
	snapshot(&after);
	KT_ASSERT(t, same_counts(&before, &after));     /* coalesced all the way back */

	while (!list_empty(&held)) {
		page = list_first_entry(&held, struct page, lru);
		list_del_init(&page->lru);
		__free_page(page);
	}
}

KTEST(buddy_orders_and_alignment)
{
	struct order_counts before, after;
	struct page *blocks[MAX_ORDER];

	snapshot(&before);
	for (int o = 0; o < MAX_ORDER; o++) {
		blocks[o] = alloc_pages(GFP_KERNEL, o);
		KT_ASSERT(t, blocks[o]);
		KT_EQ(t, page_to_pfn(blocks[o]) & ((1UL << o) - 1), 0);   /* naturally aligned */
		KT_EQ(t, page_count(blocks[o]), 1);
	}
	KT_ASSERT(t, alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER) == NULL);
	for (int o = MAX_ORDER - 1; o >= 0; o--)
		__free_pages(blocks[o], o);
	snapshot(&after);
	KT_ASSERT(t, same_counts(&before, &after));
}

KTEST(buddy_zeroed_pages)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	u8 *p;

	KT_ASSERT(t, page);
	memset(page_address(page), 0xee, 2 * PAGE_SIZE);   /* dirty it, then free and re-get */
	__free_pages(page, 1);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	KT_ASSERT(t, page);
	p = page_address(page);
	for (unsigned long i = 0; i < 2 * PAGE_SIZE; i++)
		KT_EQ(t, p[i], 0);
	__free_pages(page, 1);
}

KTEST(buddy_exhaustion)
{
	struct order_counts before, after;
	unsigned long got = 0, flags = current->flags;
	LIST_HEAD(held);

	current->flags |= PF_MEMALLOC;    /* allowed below the watermarks: truly every page */
	snapshot(&before);
	for (;;) {
		struct page *page = alloc_page(GFP_KERNEL | __GFP_NOWARN);

		if (!page)
			break;            /* out of memory is NULL, not a panic */
		list_add(&page->lru, &held);
		got++;
	}
	current->flags = flags;
	KT_EQ(t, got, before.free_pages);
	KT_EQ(t, nr_free_pages(), 0);
	while (!list_empty(&held)) {
		struct page *page = list_first_entry(&held, struct page, lru);

		list_del_init(&page->lru);
		__free_page(page);
	}
	snapshot(&after);
	KT_ASSERT(t, same_counts(&before, &after));
}

KTEST(buddy_refcount)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long free = nr_free_pages();

	KT_ASSERT(t, page);
	get_page(page);
	KT_EQ(t, page_count(page), 2);
	put_page(page);                   /* still referenced: not freed */
	KT_EQ(t, nr_free_pages(), free);
	KT_ASSERT(t, !PageBuddy(page));
	put_page(page);                   /* last reference: back to the allocator */
	KT_EQ(t, nr_free_pages(), free + 1);
}

KTEST(struct_page_size)
{
	printk(KERN_INFO "memory figure: sizeof(struct page) = %zu bytes\n", sizeof(struct page));
	KT_ASSERT(t, sizeof(struct page) <= 32);
}
