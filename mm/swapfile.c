/*
 * Swap areas.  Until a swap device is activated there are no swap
 * entries anywhere, so every function that receives one finding it
 * would be a broken kernel invariant.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/swap.h>

int swap_duplicate(swp_entry_t entry)
{
	panic("swap entry %#lx with no swap area", entry.val);
}

void swap_free(swp_entry_t entry)
{
	panic("swap entry %#lx with no swap area", entry.val);
}

void free_swap_and_cache(swp_entry_t entry)
{
	panic("swap entry %#lx with no swap area", entry.val);
}

/* A COW fault may write in place when this is the page's only user. */
bool can_share_swap_page(struct page *page)
{
	return page_mapcount(page) == 1;
}

struct swap_totals swap_totals(void)
{
	struct swap_totals t = { 0, 0 };

	return t;
}

size_t swaps_format(char *buf, size_t size)
{
	return snprintf(buf, size, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
}

void swap_verify_begin(void)
{
}

void swap_verify_pte(swp_entry_t entry)
{
	panic("swap entry %#lx with no swap area", entry.val);
}

int swap_verify_end(void)
{
	return 0;
}
