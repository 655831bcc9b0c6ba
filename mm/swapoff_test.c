/*
 * Tests of swapoff's walk (mm/swapoff.c): the step for one swap PTE may
 * sleep, and the PTE's owner may meanwhile fault the page back in and
 * free the slot -- nothing is left to bring back, and swapoff goes on.
 * The ktest boot attaches a swap disk.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/swap.h>
#include <abi/mman.h>
#include "internal.h"
#include "test_vm.h"

#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)

/*
 * unuse_one takes the swap entry from the PTE, then sleeps reading the
 * page (an allocation that reclaims, the disk).  Here the owner's write
 * fault comes first: unuse_one is handed the PTE as it read it, and the
 * slot behind it is free.  Linux's try_to_unuse re-checks the count and
 * goes on; anvil once failed the whole swapoff with -ENOMEM here.
 */
KTEST(swapoff_unuse_slot_freed_while_it_slept)
{
	struct mm_struct *mm = tvm_create();
	struct page *page;
	swp_entry_t entry;
	pte_t seen;
	u8 v;

	KT_ASSERT(t, mm);
	tvm_enter(mm);
	KT_EQ(t, tvm_map(B, PAGE_SIZE, RW), 0);
	KT_EQ(t, tvm_poke(B, 0x5a), 0);
	page = tvm_page(mm, B);
	KT_ASSERT(t, page);
	page_referenced(page);                       /* as reclaim ages it first */
	KT_EQ(t, tvm_unmap_page(page), SWAP_SUCCESS);
	seen = *lookup_pte(mm, B);                   /* what swapoff's walk read */
	KT_ASSERT(t, !pte_none(seen) && !pte_present(seen));
	entry = pte_to_swp_entry(seen);

	KT_EQ(t, tvm_poke(B, 0x5b), 0);              /* the owner's fault, while swapoff sleeps */
	free_unused_swap_cache();
	KT_ASSERT(t, !swap_entry_valid(entry));      /* the slot is gone */

	KT_EQ(t, unuse_one(tvm_vma(mm, B), B, &seen), 0);
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, v, 0x5b);                           /* the owner's page, untouched */
	KT_EQ(t, mm->swap_ents, 0);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm);
}
