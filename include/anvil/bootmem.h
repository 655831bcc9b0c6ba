/*
 * Boot-time memory: what RAM exists, what is already taken (low 1 MiB,
 * kernel image, Multiboot data and modules), and a tiny allocator for
 * the few big tables (mem_map) that must exist before the buddy
 * allocator can run.  bootmem_free_all() then hands every untaken page
 * of RAM to the buddy allocator.
 */
#ifndef ANVIL_BOOTMEM_H
#define ANVIL_BOOTMEM_H

#include <anvil/types.h>

#define MAX_RESERVED_RANGES 32

void bootmem_init(void);      /* find RAM, compute max_low_pfn, reserve the fixed ranges */
void bootmem_reserve(phys_addr_t start, phys_addr_t end, const char *what);
void *bootmem_alloc(size_t size, size_t align);   /* zeroed; panics if RAM is that short */
unsigned long bootmem_free_all(void);             /* pages released to the buddy allocator */
void bootmem_print_reserved(void);

#endif
