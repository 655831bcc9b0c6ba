/*
 * The kernel's own page directory, swapper_pg_dir (built by boot.asm
 * with the first 64 MiB).  paging_init() makes its upper quarter map
 * exactly the directly mapped RAM, in 4 MiB PSE pages, and nothing
 * else (but the ioremap window in the last 4 MiB, arch/i386/ioremap.c):
 * a kernel pointer past the end of RAM faults instead of reading
 * garbage.  Every process page directory copies these kernel entries.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <asm/page.h>
#include <asm/pgtable.h>
#include <asm/processor.h>
#include <asm/io.h>
#include <anvil/setup.h>

void paging_init(void)
{
	unsigned long top = max_low_pfn << PAGE_SHIFT;
	unsigned int last = USER_PGD_PTRS + DIV_ROUND_UP(top, PGDIR_SIZE);

	for (unsigned int i = USER_PGD_PTRS; i < PTRS_PER_PGD; i++) {
		u32 phys = (i - USER_PGD_PTRS) << PGDIR_SHIFT;

		swapper_pg_dir[i] = i < last ? phys | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE : 0;
	}
	ioremap_init();
	write_cr3(__pa(swapper_pg_dir));
	printk(KERN_INFO "paging: direct map %#lx-%#lx (%lu MiB in 4 MiB pages)\n",
	       PAGE_OFFSET, PAGE_OFFSET + (last - USER_PGD_PTRS) * PGDIR_SIZE - 1,
	       (unsigned long)(last - USER_PGD_PTRS) * 4);
}
