/*
 * /proc/kpagecount and /proc/kpageflags: one 64-bit word per page frame
 * (at offset pfn * 8): how many page-table entries map it, and its
 * struct page flags translated to Linux's stable KPF_* bits, so that
 * Linux's page-types tool can read anvil's memory.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <abi/kernel-page-flags.h>
#include "internal.h"

/* anvil's page flags that Linux exports as they are, and their KPF_ bits */
static const struct {
	u8 pg, kpf;
} kpf_of_pg[] = {
	{ PG_locked, KPF_LOCKED },       { PG_error, KPF_ERROR },
	{ PG_referenced, KPF_REFERENCED }, { PG_uptodate, KPF_UPTODATE },
	{ PG_dirty, KPF_DIRTY },         { PG_lru, KPF_LRU },
	{ PG_active, KPF_ACTIVE },       { PG_slab, KPF_SLAB },
	{ PG_writeback, KPF_WRITEBACK }, { PG_reclaim, KPF_RECLAIM },
	{ PG_buddy, KPF_BUDDY },         { PG_swapcache, KPF_SWAPCACHE },
	{ PG_reserved, KPF_RESERVED },   { PG_mlocked, KPF_MLOCKED },
	{ PG_pgtable, KPF_PGTABLE },
};

/*
 * Is page in a file's page cache (its mapping an address_space)?  Page
 * tables set mapping too, to the mm that owns them (mm/pgtable.c); they
 * are PageTable.
 */
static bool page_is_file_cache(const struct page *page)
{
	return page->mapping && !PageAnon(page) && !PageTable(page);
}

/*
 * Linux's stable_page_flags.  Beside the copied bits: MMAP (some PTE maps
 * it), ANON, ZERO_PAGE, and what Linux keeps as page flags and anvil
 * derives: SWAPBACKED -- anonymous memory, in the swap cache or not, and
 * shmem (its mapping swap_backed); UPTODATE for every anonymous page
 * (Linux marks each one it fills; anvil's fault paths do not); and
 * UNEVICTABLE for an mlocked page (Linux moves it to the unevictable
 * list, anvil culls it off the LRU: mm/mlock.c).
 */
static u64 kpageflags_word(struct page *page)
{
	u64 flags = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(kpf_of_pg); i++)
		if (test_bit(kpf_of_pg[i].pg, &page->flags))
			flags |= 1ULL << kpf_of_pg[i].kpf;
	if (page_mapped(page))
		flags |= 1ULL << KPF_MMAP;
	if (PageAnon(page))
		flags |= 1ULL << KPF_ANON | 1ULL << KPF_UPTODATE;
	if (PageMlocked(page))
		flags |= 1ULL << KPF_UNEVICTABLE;
	if (page == ZERO_PAGE(0))
		flags |= 1ULL << KPF_ZERO_PAGE;
	if (PageAnon(page) || PageSwapCache(page) ||
	    (page_is_file_cache(page) && page->mapping->swap_backed))
		flags |= 1ULL << KPF_SWAPBACKED;
	return flags;
}

/* Linux's page_mapcount: the PTEs mapping the page (0 for the unmapped and the zero page). */
static u64 kpagecount_word(struct page *page)
{
	return page_mapped(page) ? page_mapcount(page) : 0;
}

static void kpage_fill(void *arg, u64 *words, unsigned long first, size_t nr)
{
	u64 (*word)(struct page *page) = arg;

	for (size_t i = 0; i < nr; i++)
		words[i] = word(pfn_to_page(first + i));
}

/* Every frame has a struct page up to max_low_pfn: the file ends there. */
static ssize_t kpagecount_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	return proc_read_words(ubuf, count, pos, max_low_pfn, kpage_fill, kpagecount_word);
}

static ssize_t kpageflags_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	return proc_read_words(ubuf, count, pos, max_low_pfn, kpage_fill, kpageflags_word);
}

const struct file_operations proc_kpagecount_operations = {
	.read = kpagecount_read,
	.write = proc_no_write,
	.llseek = generic_file_llseek,
};

const struct file_operations proc_kpageflags_operations = {
	.read = kpageflags_read,
	.write = proc_no_write,
	.llseek = generic_file_llseek,
};
