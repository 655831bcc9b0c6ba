/*
 * Address spaces for the in-kernel VM tests (see mm/test_vm.h).  The
 * test runs in the idle task, which has no address space of its own, so
 * it can borrow one: tvm_enter() makes a test mm current and loads its
 * page directory, exactly as exec does while building a new image.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/switch.h>
#include <anvil/uaccess.h>
#include <anvil/swap.h>
#include <abi/mman.h>
#include "test_vm.h"

struct mm_struct *tvm_create(void)
{
	return mm_alloc();
}

void tvm_enter(struct mm_struct *mm)
{
	current->mm = current->active_mm = mm;
	switch_mm(mm);
}

void tvm_leave(void)
{
	current->mm = current->active_mm = NULL;
	leave_mm();
}

void tvm_destroy(struct mm_struct *mm)
{
	if (current->mm == mm)
		tvm_leave();
	mmput(mm);
}

long tvm_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	down_write(&mm->mmap_sem);
	ret = do_mmap_pgoff(NULL, addr, len, prot, flags | MAP_ANONYMOUS | MAP_FIXED, 0);
	up_write(&mm->mmap_sem);
	return ret == addr ? 0 : (long)ret;
}

long tvm_map(unsigned long addr, unsigned long len, unsigned long prot)
{
	return tvm_mmap(addr, len, prot, MAP_PRIVATE);
}

int tvm_poke(unsigned long addr, u8 val)
{
	return put_user(val, (u8 *)addr);
}

int tvm_peek(unsigned long addr, u8 *val)
{
	return get_user(*val, (u8 *)addr);
}

struct page *tvm_page(struct mm_struct *mm, unsigned long addr)
{
	pte_t *pte = lookup_pte(mm, addr);

	if (!pte || !pte_present(*pte) || !pfn_valid(pte_pfn(*pte)))
		return NULL;
	return pfn_to_page(pte_pfn(*pte));
}

struct vm_area_struct *tvm_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

bool tvm_one_vma(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma = tvm_vma(mm, start);

	return vma && vma->vm_start == start && vma->vm_end == end;
}

int tvm_unmap_page(struct page *page)
{
	int ret = SWAP_FAIL;

	lock_page(page);
	if (!PageAnon(page) || PageSwapCache(page) || add_to_swap(page))
		ret = try_to_unmap(page);
	unlock_page(page);
	return ret;
}
