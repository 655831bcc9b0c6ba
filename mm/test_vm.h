/*
 * Helpers for the in-kernel VM tests (mm/..._test.c): address spaces built
 * directly -- no process needed -- and entered by the test so that its
 * user-copy calls touch them through the real page tables and the real
 * fault path.
 */
#ifndef MM_TEST_VM_H
#define MM_TEST_VM_H

#include <anvil/mm.h>

#define TVM_BASE 0x20000000UL     /* where tests put their mappings */

struct mm_struct *tvm_create(void);
void tvm_enter(struct mm_struct *mm);    /* make mm the current address space */
void tvm_leave(void);                    /* back to the kernel's page tables */
void tvm_destroy(struct mm_struct *mm);  /* tvm_leave first if it is current */
/* anonymous private mapping at addr with prot (PROT_*) in the current mm; 0 or -errno */
long tvm_map(unsigned long addr, unsigned long len, unsigned long prot);
/* the same with mmap flags (MAP_SHARED, MAP_LOCKED, ...): anonymous and fixed always */
long tvm_mmap(unsigned long addr, unsigned long len, unsigned long prot, unsigned long flags);
/* write / read one byte through the fault path; 0 or -EFAULT */
int tvm_poke(unsigned long addr, u8 val);
int tvm_peek(unsigned long addr, u8 *val);
/* the page mapped at addr in mm, or NULL */
struct page *tvm_page(struct mm_struct *mm, unsigned long addr);
struct vm_area_struct *tvm_vma(struct mm_struct *mm, unsigned long addr);
/* Does mm have exactly one VMA covering [start, end)? */
bool tvm_one_vma(struct mm_struct *mm, unsigned long start, unsigned long end);
/* try_to_unmap as reclaim does it: page locked, an anonymous one given a swap slot first */
int tvm_unmap_page(struct page *page);

#endif
