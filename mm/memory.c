/*
 * Page faults, and the other writers of user PTEs.  A fault in a VMA arrives at
 * handle_mm_fault(), which finds (or makes) the PTE and decides:
 *   empty PTE, anonymous VMA  -> do_anonymous_page (zero page, or a new page)
 *   empty PTE, file/shm VMA   -> do_no_page (the page cache page; COW if private write)
 *   read-only PTE, write      -> do_wp_page (copy-on-write, or reuse if we are alone)
 *   swap entry                -> do_swap_page (the page from the swap cache, mm/swap_state.c)
 * Also here: tearing mappings down (zap_page_range, with a small
 * mmu_gather so no page is freed while the TLB may still map it) and
 * fork's copy_page_range.  The page tables themselves: mm/pgtable.c.
 *
 * Labs cow and reclaim (labs/README.md): the student writes what the "LAB cow"
 * and "LAB reclaim" markers fence here; a student's tree has a TODO and the lab's
 * stub (labs/cow/stubs.c, labs/reclaim/stubs.c) in their place.
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#include <anvil/syscalls.h>
#include <anvil/writeback.h>
#include <asm/pgtable.h>
#include "internal.h"

struct page *empty_zero_page;

void memory_init(void)
{
	empty_zero_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	BUG_ON(!empty_zero_page);
	SetPageReserved(empty_zero_page);    /* never counted, never freed, never in rmap */
}

/* ---- tearing down ----------------------------------------------------- */

/*
 * Pages unmapped by zap are only freed after the TLB flush: until then
 * the CPU may still write through a stale translation.  (Linux's
 * mmu_gather, reduced to one batch.)  Only present PTEs can be in the
 * TLB, so the flush covers [start, end), the span of those cleared --
 * nothing at all when the range held none.
 */
#define MMU_GATHER_BATCH 64

struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;       /* present PTEs cleared since the last flush */
	unsigned int nr;
	struct page *pages[MMU_GATHER_BATCH];
};

static void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->end)
		flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end);
	tlb->start = tlb->end = 0;
	for (unsigned int i = 0; i < tlb->nr; i++)
		put_page(tlb->pages[i]);
	tlb->nr = 0;
}

/* A present PTE for addr was cleared: the next flush must cover it. */
static void tlb_cleared(struct mmu_gather *tlb, unsigned long addr)
{
	if (!tlb->end || addr < tlb->start)
		tlb->start = addr;
	if (addr + PAGE_SIZE > tlb->end)
		tlb->end = addr + PAGE_SIZE;
}

static void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr++] = page;
	if (tlb->nr == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

/*
 * Unmap the PTEs of [addr, end); with only (Linux's zap_details
 * check_mapping), just those of that file's pages: a hole punched in a
 * file leaves private COW copies and swapped-out anonymous pages alone.
 */
static void zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, pte_t *pte,
			  unsigned long addr, unsigned long end, const struct address_space *only)
{
	struct mm_struct *mm = vma->vm_mm;

	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t ptent = *pte;
		struct page *page;

		if (pte_none(ptent))
			continue;
		if (only && (!pte_present(ptent) || pfn_to_page(pte_pfn(ptent))->mapping != only))
			continue;
		ptent = ptep_get_and_clear(pte);
		if (!pte_present(ptent)) {
			free_swap_and_cache(pte_to_swp_entry(ptent));
			mm->swap_ents--;
			continue;
		}
		tlb_cleared(tlb, addr);
		page = pfn_to_page(pte_pfn(ptent));
		if (PageReserved(page))
			continue;            /* the zero page */
		if (pte_dirty(ptent))
			set_page_dirty(page);
		if (pte_young(ptent))
			mark_page_accessed(page);
		if (PageAnon(page))
			mm->anon_rss--;
		else
			mm->file_rss--;
		page_remove_rmap(page, vma, addr);
		tlb_remove_page(tlb, page);   /* the PTE's reference, dropped after the flush */
	}
}

static void zap_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
		      unsigned long addr, unsigned long end, const struct address_space *only)
{
	struct mm_struct *mm = vma->vm_mm;

	update_hiwater_rss(mm);                /* the rss is about to fall */
	while (addr < end) {
		unsigned long next = (addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1);
		pte_t *pte = lookup_pte(mm, addr);

		if (!next || next > end)
			next = end;
		if (pte) {
			spin_lock(&mm->page_table_lock);
			zap_pte_range(tlb, vma, pte, addr, next, only);
			spin_unlock(&mm->page_table_lock);
		}
		addr = next;
	}
}

/* Unmap the pages of [start, end) in vma and every VMA after it that starts below end. */
void unmap_vmas(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mmu_gather tlb = { .mm = vma->vm_mm };

	for (; vma && vma->vm_start < end; vma = vma->vm_next)
		zap_range(&tlb, vma, max(start, vma->vm_start), min(end, vma->vm_end), NULL);
	tlb_flush_mmu(&tlb);
}

void zap_page_range(struct vm_area_struct *vma, unsigned long address, unsigned long size)
{
	struct mmu_gather tlb = { .mm = vma->vm_mm };

	zap_range(&tlb, vma, address, min(address + size, vma->vm_end), NULL);
	tlb_flush_mmu(&tlb);
}

/*
 * Unmap a file's pages [holebegin, holebegin + holelen) (bytes; holelen
 * 0 means to the end) from every VMA mapping it (the i_mmap tree gives
 * just those, each with a page of the range).  A truncate passes
 * even_cows, as Linux does, so private COW copies beyond the new end go
 * too and an access there gets SIGBUS; a punched hole keeps them.
 */
void unmap_mapping_range(struct address_space *mapping, loff_t holebegin, loff_t holelen,
			 bool even_cows)
{
	unsigned long first = holebegin >> PAGE_SHIFT;
	unsigned long last = holelen ? (unsigned long)((holebegin + holelen - 1) >> PAGE_SHIFT) :
				       ~0UL;
	struct vm_area_struct *vma;

	spin_lock(&mapping->i_mmap_lock);
	mapping->truncate_count++;             /* faults asleep in nopage retry (do_no_page) */
	vma_interval_tree_foreach(vma, &mapping->i_mmap, first, last) {
		unsigned long pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		unsigned long from = max(first, vma->vm_pgoff);
		unsigned long to = min(last, vma->vm_pgoff + pages - 1);
		bool cows = !(vma->vm_flags & VM_SHARED) && !even_cows;
		struct mmu_gather tlb = { .mm = vma->vm_mm };

		spin_unlock(&mapping->i_mmap_lock);
		zap_range(&tlb, vma, vma->vm_start + ((from - vma->vm_pgoff) << PAGE_SHIFT),
			  vma->vm_start + ((to + 1 - vma->vm_pgoff) << PAGE_SHIFT),
			  cows ? mapping : NULL);
		tlb_flush_mmu(&tlb);
		spin_lock(&mapping->i_mmap_lock);
	}
	spin_unlock(&mapping->i_mmap_lock);
}

/* ---- fork ------------------------------------------------------------- */

static inline bool is_cow_mapping(unsigned long flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/*
 * Copy one PTE into the child.  A private writable page becomes
 * read-only in *both* processes: the first write by either faults into
 * do_wp_page, which copies.  The page gains a reference and a mapcount.
 * Called with the source mm's page_table_lock held.
 */
static void copy_one_pte(struct vm_area_struct *dst_vma, pte_t *dst_pte, pte_t *src_pte,
			 struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	pte_t pte = *src_pte;
	struct page *page;

	if (pte_none(pte))
		return;
	if (!pte_present(pte)) {
		swap_duplicate(pte_to_swp_entry(pte));
		dst_mm->swap_ents++;
		set_pte(dst_pte, pte);
		return;
	}
	page = pfn_to_page(pte_pfn(pte));
	if (PageReserved(page)) {            /* the zero page: just share the PTE */
		set_pte(dst_pte, pte);
		return;
	}
	/* LAB cow: BEGIN share it: read-only both sides if private, +1 reference and mapcount */
	if (is_cow_mapping(vma->vm_flags) && pte_write(pte)) {
		ptep_set_wrprotect(src_pte);
		pte = pte_wrprotect(pte);
	}
	if (vma->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);
	get_page(page);
	page_dup_rmap(page, dst_vma, addr);
	if (PageAnon(page))
		dst_mm->anon_rss++;
	else
		dst_mm->file_rss++;
	set_pte(dst_pte, pte);
	/* LAB cow: END */
}

/*
 * Copy vma's PTEs into the child's copy of it, dst_vma (fork).  The
 * source table is read under src's page_table_lock -- reclaim may be
 * unmapping its pages -- and nothing may sleep there, so the child's page
 * table is allocated before the lock is taken.
 */
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *vma)
{
	struct mm_struct *dst = dst_vma->vm_mm, *src = vma->vm_mm;
	unsigned long addr = vma->vm_start;

	while (addr < vma->vm_end) {
		unsigned long next = (addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1);
		pte_t *src_pte = lookup_pte(src, addr), *dst_pte;

		if (!next || next > vma->vm_end)
			next = vma->vm_end;
		if (src_pte) {
			dst_pte = pte_alloc(dst, addr);
			if (!dst_pte)
				return -ENOMEM;
			spin_lock(&src->page_table_lock);
			for (; addr < next; addr += PAGE_SIZE, src_pte++, dst_pte++)
				copy_one_pte(dst_vma, dst_pte, src_pte, vma, addr);
			spin_unlock(&src->page_table_lock);
		}
		addr = next;
	}
	return 0;
}

/* ---- faults ----------------------------------------------------------- */

/* Writable if the VMA is: pages of writable VMAs get RW set when faulted for write. */
static pte_t maybe_mkwrite(pte_t pte, struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_WRITE) ? pte_mkwrite(pte) : pte;
}

static pte_t mk_pte(struct page *page, pgprot_t prot)
{
	return pfn_pte(page_to_pfn(page), prot);
}

/*
 * First touch of an anonymous page.  A read maps the shared zero page
 * read-only (no memory used yet); a write gets a fresh zeroed page,
 * which joins the VMA's anon_vma (created now if this is the first).
 *
 * The fault functions share one contract, 2.6.11's: entered with
 * mmap_sem held for reading (so the VMA and the page table under pte
 * stay, though other faults and reclaim may run) and page_table_lock not
 * held; they may sleep, so the PTE is trusted only as re-read under
 * page_table_lock, which they take and drop; they return with mmap_sem
 * still held and page_table_lock released.
 */
static int do_anonymous_page(struct mm_struct *mm, struct vm_area_struct *vma,
			     pte_t *pte, unsigned long address, int write_access)
{
	struct page *page;
	pte_t entry;

	if (!write_access) {
		entry = pte_wrprotect(mk_pte(ZERO_PAGE(address), vma->vm_page_prot));
		spin_lock(&mm->page_table_lock);
		if (pte_none(*pte))
			set_pte(pte, entry);
		spin_unlock(&mm->page_table_lock);
		return VM_FAULT_MINOR;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	if (!page)
		return VM_FAULT_OOM;
	spin_lock(&mm->page_table_lock);
	if (!pte_none(*pte)) {                 /* raced while we slept in the allocator */
		spin_unlock(&mm->page_table_lock);
		put_page(page);
		return VM_FAULT_MINOR;
	}
	entry = maybe_mkwrite(pte_mkdirty(mk_pte(page, vma->vm_page_prot)), vma);
	mm->anon_rss++;
	set_pte(pte, entry);
	page_add_new_anon_rmap(page, vma, address);
	lru_cache_add_active(page);
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_MINOR;
}

/*
 * First touch of a file or shared-memory page: ask the VMA for it
 * (filemap_nopage: the page cache).  A write to a private mapping copies
 * it at once into a new anonymous page (COW on first write); a write to
 * a shared one dirties the page, and the writer may have to wait for
 * writeback (balance_dirty_pages).
 *
 * "The truncate() bug" (2003): nopage may sleep (reading the disk), and
 * a truncate meanwhile -- size cut, unmap_mapping_range finding nothing
 * mapped yet, the page taken out of the cache -- would leave this fault
 * mapping a page beyond the end of the file, one no longer in it.  So
 * the fault reads the mapping's truncate_count before nopage, and if an
 * unmap_mapping_range ran meanwhile it drops the page and asks again
 * (nopage then sees the new size: SIGBUS).  Linux 2.6's answer.
 */
static int do_no_page(struct mm_struct *mm, struct vm_area_struct *vma, pte_t *pte,
		      unsigned long address, int write_access)
{
	struct address_space *mapping = NULL;
	unsigned long sequence = 0;
	struct page *new_page;
	bool anon = false, dirtied = false;
	pte_t entry;

	if (vma->vm_file) {
		mapping = vma->vm_file->f_inode->i_mapping;
		sequence = mapping->truncate_count;
		barrier();                         /* read it before nopage looks at i_size */
	}
retry:
	new_page = vma->vm_ops->nopage(vma, address & PAGE_MASK);
	if (new_page == NOPAGE_SIGBUS)
		return VM_FAULT_SIGBUS;
	if (new_page == NOPAGE_OOM)
		return VM_FAULT_OOM;
	if (write_access && !(vma->vm_flags & VM_SHARED)) {
		struct page *copy;

		if (anon_vma_prepare(vma) || !(copy = alloc_page(GFP_HIGHUSER))) {
			put_page(new_page);
			return VM_FAULT_OOM;
		}
		copy_page(page_address(copy), page_address(new_page));
		put_page(new_page);
		new_page = copy;
		anon = true;
	}
	spin_lock(&mm->page_table_lock);
	if (mapping && sequence != mapping->truncate_count) {
		/* a truncate ran while nopage slept: the page may be beyond the end now */
		sequence = mapping->truncate_count;
		spin_unlock(&mm->page_table_lock);
		put_page(new_page);
		count_vm_event(NOPAGE_TRUNCATE_RETRIES);
		goto retry;
	}
	if (!pte_none(*pte)) {
		spin_unlock(&mm->page_table_lock);
		put_page(new_page);
		return VM_FAULT_MINOR;
	}
	entry = mk_pte(new_page, vma->vm_page_prot);
	if (write_access)
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	set_pte(pte, entry);
	if (anon) {
		mm->anon_rss++;
		page_add_new_anon_rmap(new_page, vma, address);
		lru_cache_add_active(new_page);
	} else {
		mm->file_rss++;
		page_add_file_rmap(new_page);
		if (write_access) {
			set_page_dirty(new_page);
			dirtied = true;
		}
	}
	spin_unlock(&mm->page_table_lock);
	if (dirtied)
		balance_dirty_pages_ratelimited(mapping);
	return VM_FAULT_MINOR;
}

/*
 * Write to a present, read-only PTE in a writable VMA: copy-on-write.
 * If the page is anonymous and this PTE is its only user (no other
 * mapping, no swap slot holding a copy), just make it writable in place;
 * otherwise copy it into a new anonymous page and move this PTE over.
 * orig_pte is the PTE as the fault read it: the PTE is changed only if
 * it still holds that under page_table_lock, else another fault (or
 * reclaim) got there first and the fault is simply retried.  Locks as
 * do_anonymous_page's contract says.
 */
int do_wp_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
	       pte_t *pte, pte_t orig_pte)
{
	struct page *old_page = pfn_to_page(pte_pfn(orig_pte)), *new_page;
	bool reuse = vma->vm_flags & VM_SHARED;     /* shared: the page itself is written */
	pte_t entry;

	/* LAB cow: BEGIN reuse an anonymous page that is ours alone (no other PTE, no swap slot) */
	if (!PageReserved(old_page) && PageAnon(old_page) && can_share_swap_page(old_page))
		reuse = true;
	/* LAB cow: END */
	if (reuse) {
		bool dirtied = false;

		spin_lock(&mm->page_table_lock);
		if (pte_same(*pte, orig_pte)) {    /* else it changed since it was read: retry */
			set_pte(pte, pte_mkyoung(pte_mkdirty(pte_mkwrite(orig_pte))));
			flush_tlb_page(vma, address);
			if (!PageAnon(old_page) && !PageReserved(old_page)) {
				set_page_dirty(old_page);     /* a shared file page */
				dirtied = true;
			}
		}
		spin_unlock(&mm->page_table_lock);
		if (dirtied)
			balance_dirty_pages_ratelimited(page_mapping(old_page));
		return VM_FAULT_MINOR;
	}

	get_page(old_page);                     /* keep it while we may sleep */
	if (anon_vma_prepare(vma))
		goto oom;
	new_page = alloc_page(GFP_HIGHUSER);
	if (!new_page)
		goto oom;
	if (PageReserved(old_page))
		clear_page(page_address(new_page));
	else
		copy_page(page_address(new_page), page_address(old_page));

	spin_lock(&mm->page_table_lock);
	if (pte_same(*pte, orig_pte)) {
		if (!PageReserved(old_page)) {
			if (PageAnon(old_page))
				mm->anon_rss--;
			else
				mm->file_rss--;
			page_remove_rmap(old_page, vma, address);
			put_page(old_page);          /* the PTE's reference */
		}
		mm->anon_rss++;
		entry = maybe_mkwrite(pte_mkdirty(mk_pte(new_page, vma->vm_page_prot)), vma);
		set_pte(pte, entry);
		flush_tlb_page(vma, address);
		page_add_new_anon_rmap(new_page, vma, address);
		lru_cache_add_active(new_page);
		new_page = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (new_page)
		put_page(new_page);                  /* lost a race: not needed */
	put_page(old_page);
	return VM_FAULT_MINOR;
oom:
	put_page(old_page);
	return VM_FAULT_OOM;
}

/*
 * A swap entry in the PTE: the page is on disk, or in the swap cache if
 * another sharer (or readahead) brought it back already.  Read it if
 * needed -- sleeping, so the PTE is checked again afterwards -- then map
 * it and drop the PTE's reference on the slot.  A write by the only user
 * takes the page writable at once, without a COW copy.  Locks as
 * do_anonymous_page's contract says; besides, the page is locked
 * (lock_page, which sleeps) from before page_table_lock is taken until
 * after it is dropped: reclaim and swapoff change a page's swap state
 * only under that lock, so the slot and the swap cache hold still.
 */
int __noinline do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma,
			    unsigned long address, pte_t *pte, pte_t orig_pte, int write_access)
{
	swp_entry_t entry = pte_to_swp_entry(orig_pte);
	int ret = VM_FAULT_MINOR;
	struct page *page;
	pte_t new;

	page = lookup_swap_cache(entry);
	if (!page) {
		page = swapin_readahead(entry, GFP_HIGHUSER);
		if (!page) {
			/* the slot went away while we looked: someone else resolved this PTE */
			if (!pte_same(*pte, orig_pte))
				return VM_FAULT_MINOR;
			return VM_FAULT_OOM;
		}
		ret = VM_FAULT_MAJOR;
	}
	mark_page_accessed(page);
	lock_page(page);                       /* waits for the read to finish */
	if (anon_vma_prepare(vma)) {           /* the rmap may need memory to map it here */
		ret = VM_FAULT_OOM;
		goto out_page;
	}
	spin_lock(&mm->page_table_lock);
	if (!pte_same(*pte, orig_pte)) {       /* resolved by another fault while we slept */
		ret = VM_FAULT_MINOR;
		goto out_nomap;
	}
	if (!PageUptodate(page)) {             /* the disk failed us: the data is gone */
		ret = VM_FAULT_SIGBUS;
		goto out_nomap;
	}
	/*
	 * Ours alone?  Asked before our own slot reference is dropped: that
	 * reference stands for this PTE, and a page still mapped (or swapped)
	 * elsewhere must not become writable here.
	 */
	/* LAB reclaim: BEGIN map it, writable at once if ours alone; drop the slot reference */
	new = mk_pte(page, vma->vm_page_prot);
	if (write_access && can_share_swap_page(page)) {
		new = maybe_mkwrite(pte_mkdirty(new), vma);
		write_access = 0;
	}
	swap_free(entry);                      /* the lookup's page reference becomes the PTE's */
	mm->swap_ents--;
	mm->anon_rss++;
	set_pte(pte, new);
	page_add_anon_rmap(page, vma, address);
	flush_tlb_page(vma, address);
	/* LAB reclaim: END */
	spin_unlock(&mm->page_table_lock);
	/* a slot that failed a write, or swap running short: free the slot if only we use it */
	if (PageSwapCache(page) && (PageError(page) || vm_swap_full()))
		remove_exclusive_swap_page(page);
	unlock_page(page);
	if (write_access) {
		int wp = do_wp_page(mm, vma, address, pte, new);

		return wp == VM_FAULT_OOM ? wp : ret;
	}
	return ret;

out_nomap:
	spin_unlock(&mm->page_table_lock);
out_page:
	unlock_page(page);
	put_page(page);
	return ret;
}

static int __handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,
			     unsigned long address, int write_access)
{
	pte_t *pte = pte_alloc(mm, address);
	pte_t entry;

	if (!pte)
		return VM_FAULT_OOM;
	entry = *pte;
	if (!pte_present(entry)) {
		if (pte_none(entry)) {
			if (vma->vm_ops && vma->vm_ops->nopage)
				return do_no_page(mm, vma, pte, address, write_access);
			return do_anonymous_page(mm, vma, pte, address, write_access);
		}
		return do_swap_page(mm, vma, address, pte, entry, write_access);
	}
	if (write_access && !pte_write(entry))
		return do_wp_page(mm, vma, address, pte, entry);
	/* present and allowed: only the accessed/dirty bits to set (e.g. after a race) */
	spin_lock(&mm->page_table_lock);
	if (pte_same(*pte, entry)) {
		entry = pte_mkyoung(entry);
		if (write_access)
			entry = pte_mkdirty(entry);
		set_pte(pte, entry);
		flush_tlb_page(vma, address);
	}
	spin_unlock(&mm->page_table_lock);
	return VM_FAULT_MINOR;
}

/*
 * Resolve a fault at address in vma (the caller checked the access is
 * allowed and holds mmap_sem for reading).  Returns VM_FAULT_*.  A fault
 * that was resolved counts for the task that took it, in ru_majflt if
 * the page had to be read from swap, else in ru_minflt.  Counted here,
 * not in the trap handler, so that the faults __mm_populate takes for
 * MAP_POPULATE and mlock count too, as Linux's get_user_pages' do.
 */
int handle_mm_fault(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long address, int write_access)
{
	int ret = __handle_mm_fault(mm, vma, address, write_access);

	if (ret == VM_FAULT_MAJOR) {
		current->maj_flt++;
		count_vm_event(PGMAJFAULT);
	} else if (ret == VM_FAULT_MINOR) {
		current->min_flt++;
	}
	if (ret == VM_FAULT_MAJOR || ret == VM_FAULT_MINOR)
		update_hiwater_rss(mm);            /* the rss may have risen */
	return ret;
}

/*
 * Read another process's memory (/proc/<pid>/cmdline): fault each page
 * in as that process would, then copy from it through the direct map.
 */
size_t access_process_vm(struct task_struct *tsk, unsigned long addr, void *buf, size_t len)
{
	struct mm_struct *mm = tsk->mm;
	size_t done = 0;

	if (!mm)
		return 0;
	down_read(&mm->mmap_sem);
	while (done < len) {
		unsigned long a = addr + done, off = a & ~PAGE_MASK;
		size_t n = min(len - done, PAGE_SIZE - off);
		struct vm_area_struct *vma = find_vma(mm, a);
		pte_t *pte;

		if (!vma || vma->vm_start > a || !(vma->vm_flags & VM_READ))
			break;
		pte = lookup_pte(mm, a);
		if (!pte || !pte_present(*pte)) {
			int ret = handle_mm_fault(mm, vma, a, 0);

			if (ret == VM_FAULT_OOM || ret == VM_FAULT_SIGBUS)
				break;
			pte = lookup_pte(mm, a);
		}
		if (!pte || !pte_present(*pte))
			break;
		memcpy((char *)buf + done,
		       (char *)page_address(pfn_to_page(pte_pfn(*pte))) + off, n);
		done += n;
	}
	up_read(&mm->mmap_sem);
	return done;
}
