/*
 * ioremap: a window of kernel virtual addresses for physical memory the
 * direct map does not cover -- the local and I/O APIC registers at
 * 0xFEE00000 / 0xFEC00000, ACPI tables past the end of usable RAM.  The
 * window is the last 4 MiB of the address space, one page table that
 * paging_init() hooks into swapper_pg_dir before any process page
 * directory copies the kernel entries, so every mm sees each mapping.
 */
#include <anvil/kernel.h>
#include <anvil/spinlock.h>
#include <asm/io.h>
#include <asm/page.h>
#include <asm/pgtable.h>

#define IOREMAP_START (0UL - PGDIR_SIZE)
#define IOREMAP_PAGES PTRS_PER_PTE
#define IOREMAP_MAX_SIZE (IOREMAP_PAGES * PAGE_SIZE / 2)  /* one user cannot fill it */

static u32 ioremap_pte[IOREMAP_PAGES] __aligned(PAGE_SIZE);
/* pages mapped by the ioremap() whose first slot this is (for iounmap) */
static u16 ioremap_nr[IOREMAP_PAGES];
static DEFINE_SPINLOCK(ioremap_lock);

void ioremap_init(void)
{
	swapper_pg_dir[PTRS_PER_PGD - 1] = __pa(ioremap_pte) | _PAGE_PRESENT | _PAGE_RW;
}

/* The first run of nr free slots in the window, or -1. */
static int find_free_run(unsigned int nr)
{
	unsigned int run = 0;

	for (unsigned int i = 0; i < IOREMAP_PAGES; i++) {
		run = ioremap_pte[i] ? 0 : run + 1;
		if (run == nr)
			return (int)(i + 1 - nr);
	}
	return -1;
}

static void *__ioremap(unsigned long phys, unsigned long size, u32 flags)
{
	unsigned long first = ALIGN_DOWN(phys, PAGE_SIZE);
	unsigned int nr = (PAGE_ALIGN(phys + size) - first) >> PAGE_SHIFT;
	unsigned long irqflags;
	int slot;

	if (!size || phys + size < phys || size > IOREMAP_MAX_SIZE)
		return NULL;
	spin_lock_irqsave(&ioremap_lock, irqflags);
	slot = find_free_run(nr);
	if (slot >= 0) {
		for (unsigned int i = 0; i < nr; i++)
			ioremap_pte[slot + i] = (first + i * PAGE_SIZE) | flags;
		ioremap_nr[slot] = (u16)nr;
	}
	spin_unlock_irqrestore(&ioremap_lock, irqflags);
	if (slot < 0) {
		printk(KERN_WARNING "ioremap: no room for %lu bytes at %#lx\n", size, phys);
		return NULL;
	}
	return (void *)(IOREMAP_START + ((unsigned long)slot << PAGE_SHIFT) + (phys - first));
}

void *ioremap(unsigned long phys, unsigned long size)
{
	return __ioremap(phys, size, _PAGE_PRESENT | _PAGE_RW);
}

/* Device registers: PCD|PWT, so every access reaches the device. */
void *ioremap_nocache(unsigned long phys, unsigned long size)
{
	return __ioremap(phys, size, _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT);
}

void iounmap(void *addr)
{
	unsigned long slot = ((unsigned long)addr - IOREMAP_START) >> PAGE_SHIFT;
	unsigned long flags;

	if (!addr)
		return;
	BUG_ON((unsigned long)addr < IOREMAP_START || !ioremap_nr[slot]);
	spin_lock_irqsave(&ioremap_lock, flags);
	for (unsigned int i = 0; i < ioremap_nr[slot]; i++) {
		ioremap_pte[slot + i] = 0;
		__flush_tlb_one(IOREMAP_START + ((slot + i) << PAGE_SHIFT));
	}
	ioremap_nr[slot] = 0;
	spin_unlock_irqrestore(&ioremap_lock, flags);
}
