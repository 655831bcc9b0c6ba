/*
 * The swap cache and swap-in.  With no swap area there is no swap PTE,
 * so a fault on one is a broken invariant.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/swap.h>

int do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
		 pte_t *pte, pte_t orig_pte, int write_access)
{
	panic("fault on swap PTE %#lx with no swap area", pte_val(orig_pte));
}
