/*
 * Page tables: a new mm's page directory, finding and allocating the
 * page table under an address and freeing the tables munmap emptied.
 * The PTEs themselves are written by the fault, zap and fork code in
 * mm/memory.c; the TLB flushes they need are arch/i386/tlb.c's.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <asm/pgtable.h>

unsigned long nr_page_table_pages;

/* ---- page tables ------------------------------------------------------ */

/* A new page directory: empty user part, the kernel part shared with every mm. */
pgd_t *pgd_alloc(struct mm_struct *mm)
{
	pgd_t *pgd = (pgd_t *)get_zeroed_page(GFP_KERNEL);

	if (pgd)
		memcpy(pgd + USER_PGD_PTRS, swapper_pg_dir + USER_PGD_PTRS,
		       (PTRS_PER_PGD - USER_PGD_PTRS) * sizeof(pgd_t));
	return pgd;
}

void pgd_free(pgd_t *pgd)
{
	for (unsigned int i = 0; i < USER_PGD_PTRS; i++)
		BUG_ON(!pgd_none(pgd[i]));      /* free_pgtables ran first */
	free_page((unsigned long)pgd);
}

static pte_t *pte_table(pgd_t pgd)
{
	return (pte_t *)__va(pgd_page_paddr(pgd));
}

/* The PTE for address, or NULL if there is no page table there. */
pte_t *lookup_pte(struct mm_struct *mm, unsigned long address)
{
	pgd_t pgd = mm->pgd[pgd_index(address)];

	if (!pgd_present(pgd))
		return NULL;
	return pte_table(pgd) + pte_index(address);
}

/*
 * The PTE for address, allocating the page table if needed (may sleep).
 * A page table's struct page records its owner -- mapping = the mm,
 * index = the first address it maps -- so a PTE pointer leads back to
 * (mm, address), as Linux 2.6.0's ptep_to_mm/ptep_to_address did; the
 * pte_chain rmap walks that way.  It is marked PageTable (for
 * /proc/kpageflags).  free_pgtables clears all that again.
 */
pte_t *pte_alloc(struct mm_struct *mm, unsigned long address)
{
	pgd_t *pgd = &mm->pgd[pgd_index(address)];
	unsigned long table;

	if (pgd_present(*pgd))
		return pte_table(*pgd) + pte_index(address);
	table = get_zeroed_page(GFP_KERNEL);    /* not under page_table_lock: may sleep */
	if (!table)
		return NULL;
	spin_lock(&mm->page_table_lock);
	if (pgd_present(*pgd)) {                 /* someone else made it while we slept */
		spin_unlock(&mm->page_table_lock);
		free_page(table);
	} else {
		SetPageTable(virt_to_page(table));
		virt_to_page(table)->mapping = (struct address_space *)mm;
		virt_to_page(table)->index = address & ~(PGDIR_SIZE - 1);
		*pgd = __pgd(__pa(table) | _PAGE_TABLE);
		mm->nr_ptes++;
		nr_page_table_pages++;
		spin_unlock(&mm->page_table_lock);
	}
	return pte_table(*pgd) + pte_index(address);
}

/*
 * Free every page table in [start, end) that maps nothing any more.
 * (Zap has cleared the PTEs; a table still used by a remaining VMA keeps
 * its entries and stays.)
 */
void free_pgtables(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long first = pgd_index(start);
	unsigned long last = end >= TASK_SIZE ? USER_PGD_PTRS : pgd_index(end - 1) + 1;
	struct page *freed[8];
	unsigned int nr = 0;

	for (unsigned long i = first; i < last; i++) {
		pgd_t *pgd = &mm->pgd[i];
		pte_t *pte;
		bool empty = true;

		if (!pgd_present(*pgd))
			continue;
		pte = pte_table(*pgd);
		for (int j = 0; j < PTRS_PER_PTE && empty; j++)
			empty = pte_none(pte[j]);
		if (!empty)
			continue;
		spin_lock(&mm->page_table_lock);
		*pgd = __pgd(0);
		mm->nr_ptes--;
		nr_page_table_pages--;
		spin_unlock(&mm->page_table_lock);
		freed[nr] = virt_to_page(pte);
		ClearPageTable(freed[nr]);
		freed[nr]->mapping = NULL;      /* no owner: free pages have none */
		freed[nr++]->index = 0;
		if (nr == ARRAY_SIZE(freed)) {
			flush_tlb_mm(mm);       /* the CPU may cache directory entries too */
			while (nr)
				__free_page(freed[--nr]);
		}
	}
	if (nr)
		flush_tlb_mm(mm);
	while (nr)
		__free_page(freed[--nr]);
}
