/*
 * The i386 memory layout (docs/boot.md): 4 KiB pages, the kernel in the
 * top quarter at PAGE_OFFSET, low memory direct-mapped there so that
 * physical address p is reachable at p + PAGE_OFFSET.
 */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define PAGE_OFFSET 0xC0000000UL
#define TASK_SIZE PAGE_OFFSET

/* The kernel image is loaded at 1 MiB physical, linked at PAGE_OFFSET + 1 MiB. */
#define KERNEL_PHYS_LOAD 0x00100000UL

/* What boot/boot.asm maps before paging_init (BOOT_MAP_MB there: keep equal). */
#define BOOT_MAP_SIZE (64UL << 20)

/* As Linux i386: at most 896 MiB of RAM is direct-mapped ("lowmem"). */
#define MAXMEM (896UL << 20)

/* PSE pages for the direct map: one page-directory entry covers 4 MiB. */
#define PGDIR_SHIFT 22
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PTRS_PER_PGD 1024
#define PTRS_PER_PTE 1024
#define USER_PGD_PTRS (PAGE_OFFSET >> PGDIR_SHIFT) /* 768 */

#ifndef __ASSEMBLER__
#define __pa(v) ((unsigned long)(v) - PAGE_OFFSET)
#define __va(p) ((void *)((unsigned long)(p) + PAGE_OFFSET))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

/* Zero or copy one whole page (arch/i386/page_ops.c: why not memset/memcpy). */
void clear_page(void *page);
void copy_page(void *to, const void *from);
#endif

#endif
