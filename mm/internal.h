/*
 * Helpers shared inside mm/ only: mm/mmap.c's linking primitives, which
 * mm/vma.c's merging and splitting use with the locks already held, and
 * the swap-area lookup swapon (mm/swapfile.c) and swapoff (mm/swapoff.c)
 * share, and the write-protect fault and swapoff's unuse_one, which the
 * tests call directly.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <anvil/mm.h>

void __insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
void __vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
void vma_gap_update(struct vm_area_struct *vma);
void __remove_shared_vm_struct(struct vm_area_struct *vma);

/* The write-protect fault (mm/memory.c); mm/mmap_test.c hands it a stale PTE. */
int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
	       pte_t *pte, pte_t orig_pte);

struct block_device;
struct block_device *swap_bdev_from_user(const char *upath, int *err);

/* swapoff's step for one swap PTE (mm/swapoff.c); mm/swapoff_test.c hands it a stale one. */
int unuse_one(struct vm_area_struct *vma, unsigned long addr, pte_t *pte);

#endif
