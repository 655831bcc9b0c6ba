/*
 * rmap_verify(): the reverse-mapping invariant (docs/rmap.md, "The
 * invariant"), checked over the whole system from the page tables up --
 * every user PTE of every mm, the rmap scheme's objects
 * (anon_rmap_verify_*), every page's counts and (mm/swapfile.c's half)
 * every swap slot's count, each mm's RSS, swap, page-table and
 * locked-memory counters, and the pages culled as locked.  The ktests,
 * usertests, the fuzzer, the swap stress and the shell's rmapcheck all end
 * with it.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/syscalls.h>

struct rmap_reach {
	struct mm_struct *mm;
	unsigned long address;
};

static bool rmap_reaches_one(struct page *page, struct vm_area_struct *vma,
			     unsigned long address, void *arg)
{
	const struct rmap_reach *want = arg;

	return vma->vm_mm == want->mm && address == want->address;
}

/* Does the rmap walk of page visit a VMA of mm that maps it at address? */
bool rmap_walk_reaches(struct page *page, struct mm_struct *mm, unsigned long address)
{
	struct rmap_reach want = { mm, address };

	return rmap_walk(page, rmap_reaches_one, &want);
}

int rmap_error(struct mm_struct *mm, unsigned long address, const char *what,
	       unsigned long pfn)
{
	printk(KERN_ERR "rmap_verify: mm %p address %08lx pfn %lu: %s\n", mm, address, pfn, what);
	return 1;
}

bool mm_is_live(const struct mm_struct *mm)
{
	const struct mm_struct *m;

	list_for_each_entry(m, &mmlist, mmlist)
		if (m == mm)
			return true;
	return false;
}

/* One present PTE mapping a page: its object is the VMA's, the walk reaches it. */
static int check_mapped_page(struct mm_struct *mm, struct vm_area_struct *vma,
			     unsigned long addr, struct page *page)
{
	struct address_space *mapping = vma->vm_file ? vma->vm_file->f_inode->i_mapping : NULL;
	unsigned long pfn = page_to_pfn(page);

	if (PageAnon(page)) {
		if (!vma_has_anon_vma(vma))
			return rmap_error(mm, addr,
					  "anonymous page in a VMA rmap cannot reach", pfn);
		if (anon_rmap_verify_page(page, vma, addr))
			return 1;
	} else if (page->mapping != mapping) {
		return rmap_error(mm, addr, "page's mapping is not its VMA's", pfn);
	} else if (page->index != linear_page_index(vma, addr)) {
		return rmap_error(mm, addr, "file page's index is not where its VMA maps it", pfn);
	} else if (radix_tree_lookup(&mapping->page_tree, page->index) != page) {
		return rmap_error(mm, addr, "file page is not in its mapping at its index", pfn);
	}
	if (!rmap_walk_reaches(page, mm, addr))
		return rmap_error(mm, addr, "rmap walk does not reach this PTE", pfn);
	return 0;
}

/* What an mm's page tables (and VMAs) hold, for its counters (mm_types.h) to be checked against. */
struct mm_tally {
	unsigned long anon_rss, file_rss, swap_ents, nr_ptes, locked_vm;
};

/* A page table must name its owner, as pte_alloc set it: the pte_chain walk relies on it. */
static int check_page_table(struct mm_struct *mm, unsigned long addr)
{
	struct page *table = virt_to_page(lookup_pte(mm, addr));

	if (table->mapping != (struct address_space *)mm || table->index != addr)
		return rmap_error(mm, addr, "page table does not name its mm and address",
				  page_to_pfn(table));
	return 0;
}

/* One counter against what the page tables (or VMAs) hold: the oom killer and /proc read it. */
static int check_counter(struct mm_struct *mm, const char *name, unsigned long counter,
			 unsigned long found)
{
	if (counter == found)
		return 0;
	printk(KERN_ERR "rmap_verify: mm %p: %s is %lu but it holds %lu\n", mm, name, counter,
	       found);
	return 1;
}

/*
 * A file VMA must be in its mapping's i_mmap, found by a query for its own
 * page range: a missing node or a stale subtree_last would hide its pages
 * from every file walk.
 */
static int check_vma_in_i_mmap(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_inode->i_mapping;
	unsigned long first = vma->vm_pgoff;
	unsigned long last = first + ((vma->vm_end - vma->vm_start) >> PAGE_SHIFT) - 1;
	struct vm_area_struct *found;
	bool in_tree = false;

	spin_lock(&mapping->i_mmap_lock);
	vma_interval_tree_foreach(found, &mapping->i_mmap, first, last) {
		if (found == vma) {
			in_tree = true;
			break;
		}
	}
	spin_unlock(&mapping->i_mmap_lock);
	return in_tree ? 0 : rmap_error(mm, vma->vm_start, "file VMA not in its i_mmap tree", 0);
}

/*
 * Every user PTE of mm, inside a VMA or not (a PTE outside every VMA is
 * one no munmap or exit will ever free).  Counts the PTEs mapping each
 * page into ptes[], hands swap entries to the swap half, and tallies
 * what mm's counters should say: the zero page counts nowhere, as zap
 * and fork treat it.
 */
static int check_mm(struct mm_struct *mm, u16 *ptes)
{
	struct mm_tally tally = { 0 };
	int errors = 0;

	validate_mm(mm);         /* the VMA list, tree and gaps (BUGs: nothing to count) */
	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next) {
		errors += anon_rmap_verify_vma(mm, vma);
		if (vma->vm_file)
			errors += check_vma_in_i_mmap(mm, vma);
		if (vma->vm_flags & VM_LOCKED)
			tally.locked_vm += (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	}
	for (unsigned long addr = 0; addr < TASK_SIZE; addr += PAGE_SIZE) {
		pte_t *pte = lookup_pte(mm, addr);
		struct vm_area_struct *vma;
		struct page *page;

		if (!pte) {              /* no page table: skip to the next 4 MiB */
			addr = ((addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1)) - PAGE_SIZE;
			continue;
		}
		if (!(addr & (PGDIR_SIZE - 1))) {
			tally.nr_ptes++;
			errors += check_page_table(mm, addr);
		}
		if (pte_none(*pte))
			continue;
		if (!pte_present(*pte))
			tally.swap_ents++;
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr) {
			errors += rmap_error(mm, addr, "PTE outside every VMA", pte_pfn(*pte));
			continue;
		}
		if (!pte_present(*pte)) {
			if (!vma_has_anon_vma(vma))
				errors += rmap_error(mm, addr,
						     "swap PTE in a VMA rmap cannot reach", 0);
			swap_verify_pte(pte_to_swp_entry(*pte));
			continue;
		}
		if (!pfn_valid(pte_pfn(*pte))) {
			errors += rmap_error(mm, addr, "PTE maps no RAM", pte_pfn(*pte));
			continue;
		}
		page = pfn_to_page(pte_pfn(*pte));
		if (PageReserved(page))
			continue;        /* the zero page is not reverse-mapped */
		if (PageAnon(page))
			tally.anon_rss++;
		else
			tally.file_rss++;
		ptes[page_to_pfn(page)]++;
		errors += check_mapped_page(mm, vma, addr, page);
	}
	errors += check_counter(mm, "anon_rss", mm->anon_rss, tally.anon_rss);
	errors += check_counter(mm, "file_rss", mm->file_rss, tally.file_rss);
	errors += check_counter(mm, "swap_ents", mm->swap_ents, tally.swap_ents);
	errors += check_counter(mm, "nr_ptes", mm->nr_ptes, tally.nr_ptes);
	errors += check_counter(mm, "locked_vm", mm->locked_vm, tally.locked_vm);
	return errors;
}

/* rmap_one: does this VMA, a locked one, map page at address? */
static bool locked_mapping_one(struct page *page, struct vm_area_struct *vma,
			       unsigned long address, void *arg)
{
	pte_t *pte;

	if (!(vma->vm_flags & VM_LOCKED) || address == (unsigned long)-EFAULT)
		return false;
	pte = lookup_pte(vma->vm_mm, address);
	return pte && pte_present(*pte) && pte_pfn(*pte) == page_to_pfn(page);
}

/*
 * A page reclaim culled (PG_mlocked) is on no LRU list and a locked VMA
 * still maps it: one that is not would never be reclaimed again.
 */
static int check_culled_page(struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	if (PageLRU(page)) {
		printk(KERN_ERR "rmap_verify: pfn %lu: culled as locked but on an LRU list\n", pfn);
		return 1;
	}
	if (!rmap_walk(page, locked_mapping_one, NULL)) {
		printk(KERN_ERR
		       "rmap_verify: pfn %lu: culled as locked, but no locked VMA maps it\n", pfn);
		return 1;
	}
	return 0;
}

/*
 * Each page: _mapcount + 1 is its PTEs, and it holds a reference for each
 * and for the swap cache or page cache; a culled one is locked still
 * (check_culled_page).
 */
static int check_page_counts(const u16 *ptes)
{
	int errors = 0;

	for (unsigned long pfn = 0; pfn < max_low_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		/* a mapped file page is in the page cache too, which holds it */
		bool cached = PageSwapCache(page) || (ptes[pfn] && !PageAnon(page));
		int least = ptes[pfn] + (cached ? 1 : 0);

		if (PageReserved(page) || PageBuddy(page) || PageSlab(page))
			continue;
		if (page_mapcount(page) != ptes[pfn]) {
			printk(KERN_ERR
			       "rmap_verify: pfn %lu: _mapcount + 1 = %d but %u PTEs map it\n",
			       pfn, page_mapcount(page), ptes[pfn]);
			errors++;
		}
		if (least && page_count(page) < least) {
			printk(KERN_ERR
			       "rmap_verify: pfn %lu: %d references, fewer than its %u PTEs%s\n",
			       pfn, page_count(page), ptes[pfn],
			       PageSwapCache(page) ? " + the swap cache" :
			       PageAnon(page) ? "" : " + the page cache");
			errors++;
		}
		if (PageMlocked(page))
			errors += check_culled_page(page);
	}
	return errors;
}

/*
 * The invariant, over the whole system:
 *  1. every user PTE lies inside a VMA of its mm; an anonymous page or a
 *     swap entry only in a VMA whose anonymous pages rmap can find;
 *  2. the scheme's own objects are consistent (anon_rmap_verify_vma: for
 *     anon_vma, every VMA is on the list of its anon_vma, and every VMA on
 *     such a list names that anon_vma and is linked into a live mm), and
 *     every file VMA is in its mapping's i_mmap tree;
 *  3. for every present PTE mapping a page, the page's object is its
 *     VMA's (anon_rmap_verify_page, or the file's mapping -- and a file
 *     page is in that mapping's page cache at the index vma_address
 *     implies, linear_page_index), and the rmap walk reaches that
 *     (mm, address);
 *  4. every page's _mapcount + 1 equals the PTEs mapping it, and its
 *     reference count covers them and the swap cache or page cache;
 *  5. every swap slot's count equals its swap PTEs plus its swap-cache
 *     reference (swap_verify_begin/_pte/_end, mm/swapfile.c);
 *  6. each mm's anon_rss, file_rss and swap_ents equal the anonymous
 *     pages, other pages and swap entries its PTEs hold, nr_ptes its
 *     page tables, each of which names the mm and its address, and
 *     locked_vm the pages of its locked VMAs;
 *  7. a page culled off the LRU as locked is mapped by a locked VMA.
 * Returns the number of violations (each is logged), or -ENOMEM.
 * Nothing sleeps once the walk starts, so nothing changes under it.
 */
int rmap_verify(void)
{
	unsigned int order = 0;
	struct page *counts_page;
	struct mm_struct *mm;
	int errors = 0;
	u16 *ptes;

	while ((PAGE_SIZE << order) < max_low_pfn * sizeof(u16))
		order++;
	counts_page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, order);
	if (!counts_page)
		return -ENOMEM;
	ptes = page_address(counts_page);
	swap_verify_begin();
	list_for_each_entry(mm, &mmlist, mmlist)
		errors += check_mm(mm, ptes);
	errors += check_page_counts(ptes);
	errors += swap_verify_end();
	__free_pages(counts_page, order);
	return errors;
}

/* anvil_rmap_verify(2): the invariant on demand (the shell's rmapcheck). */
long sys_anvil_rmap_verify(void)
{
	return rmap_verify();
}
