/*
 * The anonmm scheme (Hugh Dickins, Linux 2.6.6-mm "rmap-10", after Linus's
 * "anon memory group" of March 2004): `make RMAP=anonmm`.
 *
 *   anonymous page:  page->mapping = its group's head anonmm | PAGE_MAPPING_ANON
 *                    page->index   = its virtual page number (address >> PAGE_SHIFT)
 *   every mm with anonymous pages has an anonmm; fork puts the child's on
 *   the list of its parent's group head, exit takes it off (mm/rmap_anonmm.h).
 *
 * Fork shares a page only at the same address, so the walk looks at one
 * VMA (find_vma) and one PTE in each mm of the group, and there is nothing
 * per VMA at all.  The price is mremap: a page another mm maps too cannot
 * change its address, so moving it copies it first (anon_rmap_prepare_move).
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include <anvil/swap.h>
#include <anvil/vmstat.h>
#include "rmap_anonmm.h"

const char rmap_scheme[] = "anonmm";
static struct kmem_cache *anonmm_cachep;

void anon_rmap_init(void)
{
	anonmm_cachep = kmem_cache_create("anonmm", sizeof(struct anonmm), 0, 0, NULL);
	BUG_ON(!anonmm_cachep);
}

/* One object per mm, not per VMA: the point of the scheme. */
unsigned long anon_rmap_slab_bytes(void)
{
	return anonmm_cachep->active_objs * anonmm_cachep->size;
}

/* A new anonmm for mm: a group of its own (head NULL), or a member of head's. */
static struct anonmm *anonmm_alloc(struct mm_struct *mm, struct anonmm *head)
{
	struct anonmm *anonmm = kmem_cache_alloc(anonmm_cachep, GFP_KERNEL);

	if (!anonmm)
		return NULL;
	atomic_set(&anonmm->count, 1);           /* the mm's */
	raw_spin_lock_init(&anonmm->lock);
	anonmm->mm = mm;
	anonmm->head = head ? head : anonmm;
	INIT_LIST_HEAD(&anonmm->list);
	return anonmm;
}

/*
 * Drop a reference.  The last one takes a member off its group's list
 * and drops the member's reference to the head; a head goes only when it
 * has no member left -- its pages may be mapped by them long after the
 * mm that started the group exited.
 */
static void anonmm_put(struct anonmm *anonmm)
{
	struct anonmm *head = anonmm->head;

	if (!atomic_dec_and_test(&anonmm->count))
		return;
	BUG_ON(anonmm->mm);
	if (head == anonmm) {
		BUG_ON(!list_empty(&head->list));    /* each member holds a reference */
		kmem_cache_free(anonmm_cachep, head);
		return;
	}
	anonmm_lock(head);
	list_del(&anonmm->list);
	anonmm_unlock(head);
	kmem_cache_free(anonmm_cachep, anonmm);
	anonmm_put(head);
}

/* ---- address spaces ---------------------------------------------------- */

/*
 * Before the mm's first anonymous page: an mm that did not inherit a group
 * by fork (a fresh exec, or a parent with no anonymous pages) starts its
 * own.  Nothing is per VMA.
 */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anonmm *anonmm;

	if (likely(mm->anonmm))
		return 0;
	anonmm = anonmm_alloc(mm, NULL);
	if (!anonmm)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (likely(!mm->anonmm)) {
		mm->anonmm = anonmm;
		anonmm = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	/* another thread of mm got there while we slept */
	if (anonmm) {
		anonmm->mm = NULL;
		anonmm_put(anonmm);
	}
	return 0;
}

/*
 * fork, before any VMA or PTE is copied: the child joins its parent's
 * group, since every page it is about to share is at the same address.
 * A parent without an anonmm has no anonymous page or swap entry to share.
 */
int dup_rmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct anonmm *head, *anonmm;

	if (!oldmm->anonmm)
		return 0;
	head = oldmm->anonmm->head;
	anonmm = anonmm_alloc(mm, head);
	if (!anonmm)
		return -ENOMEM;
	anonmm_lock(head);
	atomic_inc(&head->count);                 /* the member's */
	list_add_tail(&anonmm->list, &head->list);
	anonmm_unlock(head);
	mm->anonmm = anonmm;
	return 0;
}

/*
 * The mm is gone (after exit_mmap unmapped it all): leave the group.  An
 * mm that never joined one -- no anonymous page, or dup_mm failing before
 * dup_rmap -- has nothing to leave.
 */
void exit_rmap(struct mm_struct *mm)
{
	struct anonmm *anonmm = mm->anonmm;

	if (!anonmm)
		return;
	BUG_ON(mm->anon_rss || mm->swap_ents);
	anonmm_lock(anonmm->head);
	anonmm->mm = NULL;                        /* the walk skips it from now on */
	anonmm_unlock(anonmm->head);
	mm->anonmm = NULL;
	anonmm_put(anonmm);
}

/* ---- VMAs: nothing per VMA ---------------------------------------------- */

int anon_vma_link(struct vm_area_struct *vma, struct vm_area_struct *src)
{
	return 0;
}

void anon_vma_unlink(struct vm_area_struct *vma)
{
}

void __anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next)
{
}

/*
 * Every private VMA's anonymous pages are reachable once its mm has an
 * anonmm; a shared VMA never holds one.  (Not simply "true": so that
 * rmap_verify catches an anonymous page in an mm outside every group.)
 */
bool vma_has_anon_vma(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & VM_SHARED) && vma->vm_mm->anonmm;
}

/* Any two VMAs may merge: no rmap object keeps them apart. */
bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return true;
}

/*
 * vm_start changes under mmap_sem only, while another mm's walk calls
 * find_vma on this mm's tree without it.  An SMP anvil would take the
 * group's lock here (and around vma_link/unlink), as 2.6.6 guarded the
 * VMA tree with page_table_lock; on UP the walk never sleeps, so it
 * cannot run in the middle of a change, and there is nothing to lock.
 */
void vma_lock_anon_vma(struct vm_area_struct *vma)
{
}

void vma_unlock_anon_vma(struct vm_area_struct *vma)
{
}

/* ---- pages ------------------------------------------------------------------ */

/*
 * The first mapping of a page sets its group and virtual page number;
 * any later one (swap-in by another member, swapoff) must be in the same
 * group at the same address -- anon_rmap_prepare_move sees to that.
 */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(!vma->vm_mm->anonmm);
	__page_add_anon_rmap(page, anonmm_mapping(vma->vm_mm->anonmm->head), address >> PAGE_SHIFT);
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(page_mapped(page));
	page_add_anon_rmap(page, vma, address);
}

/*
 * The one place a member's mm may map the page: the private VMA covering
 * its address there, if any.  A member that unmapped the range, or put a
 * shared mapping there, is skipped without a visit.
 */
static struct vm_area_struct *anonmm_vma(struct anonmm *anonmm, unsigned long address)
{
	struct vm_area_struct *vma;

	if (!anonmm->mm)
		return NULL;                      /* a head whose mm has exited */
	vma = find_vma(anonmm->mm, address);
	if (!vma || vma->vm_start > address || (vma->vm_flags & VM_SHARED))
		return NULL;
	return vma;
}

/* After anonmm in its group: the head's list holds the members, in order. */
static struct anonmm *anonmm_next(struct anonmm *anonmm, struct anonmm *head)
{
	struct list_head *next = anonmm->list.next;

	return next == &head->list ? NULL : list_entry(next, struct anonmm, list);
}

/* The head of the group page->mapping names (only a head is ever named). */
static struct anonmm *page_group(const struct page *page)
{
	struct anonmm *head = page_anonmm(page);

	BUG_ON(head->head != head);
	return head;
}

/* The page's group: its head first, then each member. */
#define for_each_anonmm(anonmm, head) \
	for (anonmm = (head); anonmm; anonmm = anonmm_next(anonmm, head))

/*
 * The walks: every mm of the page's group at the page's one address.  No
 * mmap_sem is taken on the other mms: anvil is UP and nothing here
 * sleeps, so no VMA changes under find_vma (an SMP anvil needs
 * vma_lock_anon_vma to take the group's lock; see there).
 */
int page_referenced_anon(struct page *page)
{
	struct anonmm *head = page_group(page), *anonmm;
	unsigned long address = page->index << PAGE_SHIFT;
	struct vm_area_struct *vma;
	int referenced = 0;

	anonmm_lock(head);
	for_each_anonmm(anonmm, head) {
		vma = anonmm_vma(anonmm, address);
		if (vma)
			referenced += page_referenced_one(page, vma, address);
	}
	anonmm_unlock(head);
	return referenced;
}

int try_to_unmap_anon(struct page *page)
{
	struct anonmm *head = page_group(page), *anonmm;
	unsigned long address = page->index << PAGE_SHIFT;
	struct vm_area_struct *vma;
	int ret = SWAP_AGAIN;

	anonmm_lock(head);
	for_each_anonmm(anonmm, head) {
		vma = anonmm_vma(anonmm, address);
		if (!vma)
			continue;
		ret = try_to_unmap_one(page, vma, address);
		if (ret != SWAP_AGAIN || !page_mapped(page))
			break;
	}
	anonmm_unlock(head);
	return ret;
}

bool rmap_walk_anon(struct page *page, rmap_one_t rmap_one, void *arg)
{
	struct anonmm *head = page_group(page), *anonmm;
	unsigned long address = page->index << PAGE_SHIFT;
	struct vm_area_struct *vma;
	bool stopped = false;

	anonmm_lock(head);
	for_each_anonmm(anonmm, head) {
		vma = anonmm_vma(anonmm, address);
		if (!vma)
			continue;
		stopped = rmap_one(page, vma, address, arg);
		if (stopped)
			break;
	}
	anonmm_unlock(head);
	return stopped;
}

/* ---- mremap: the hard case ---------------------------------------------------- */

/*
 * Is the slot this swap PTE's alone?  No other swap PTE may hold it, and
 * its page, if cached, must be mapped nowhere: a member that swapped the
 * page back in maps it at the old address, and our later swap-in at the
 * new one would find that page in the swap cache.
 */
static bool swap_pte_exclusive(swp_entry_t entry)
{
	struct page *page = lookup_swap_cache(entry);
	bool exclusive;

	if (!page)
		return swap_entry_count(entry) == 1;
	exclusive = page_swapcount(page) == 1 && !page_mapped(page);
	put_page(page);
	return exclusive;
}

/* A fresh copy takes the PTE at addr: this mm's alone (page_table_lock held). */
static void map_copy(struct vm_area_struct *vma, unsigned long addr, pte_t *pte, pte_t entry,
		     struct page *copy)
{
	set_pte(pte, pte_mkdirty(entry));         /* no slot holds the copy's data */
	page_add_new_anon_rmap(copy, vma, addr);
	lru_cache_add_active(copy);
	count_vm_event(ANONMM_MREMAP_COPIES);
}

/*
 * A present anonymous page that another PTE maps, or whose slot a swap
 * PTE holds: give this PTE a copy, with the same protection, and drop
 * its mapping and reference on the original (whose dirty bit it gets).
 * -EAGAIN if the PTE changed while we slept in the allocator.
 */
static int copy_shared_page(struct vm_area_struct *vma, unsigned long addr, pte_t orig)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page, *copy;
	pte_t *pte;

	if (!pfn_valid(pte_pfn(orig)))
		return 0;
	page = pfn_to_page(pte_pfn(orig));
	if (PageReserved(page) || !PageAnon(page) || can_share_swap_page(page))
		return 0;
	get_page(page);                           /* keep it while we may sleep */
	copy = alloc_page(GFP_HIGHUSER);
	if (!copy) {
		put_page(page);
		return -ENOMEM;
	}
	copy_page(page_address(copy), page_address(page));
	spin_lock(&mm->page_table_lock);
	pte = lookup_pte(mm, addr);
	if (pte_same(*pte, orig)) {
		if (pte_dirty(orig))
			set_page_dirty(page);
		page_remove_rmap(page, vma, addr);
		put_page(page);                   /* the PTE's reference */
		map_copy(vma, addr, pte, pfn_pte(page_to_pfn(copy),
						 __pgprot(pte_val(orig) & PTE_FLAGS_MASK)), copy);
		flush_tlb_page(vma, addr);
		copy = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	put_page(page);
	if (copy) {
		put_page(copy);
		return -EAGAIN;
	}
	return 0;
}

/*
 * A swap PTE whose slot is shared: swap the page in (or find it in the
 * swap cache) and map a copy of it here in place of the entry.  A slot
 * whose read failed holds no data to copy: the move fails instead.
 */
static int copy_shared_swap(struct vm_area_struct *vma, unsigned long addr, pte_t orig)
{
	swp_entry_t entry = pte_to_swp_entry(orig);
	struct mm_struct *mm = vma->vm_mm;
	struct page *page, *copy;
	bool uptodate;
	pte_t *pte;

	if (swap_pte_exclusive(entry))
		return 0;
	page = read_swap_cache_async(entry, GFP_HIGHUSER);
	if (!page)       /* the slot went away while we looked: the PTE changed */
		return pte_same(*lookup_pte(mm, addr), orig) ? -ENOMEM : -EAGAIN;
	lock_page(page);                          /* waits for the read */
	uptodate = PageUptodate(page);
	unlock_page(page);
	copy = uptodate ? alloc_page(GFP_HIGHUSER) : NULL;
	if (copy)
		copy_page(page_address(copy), page_address(page));
	put_page(page);
	if (!copy)       /* no memory, or no data: unless the PTE changed meanwhile */
		return !pte_same(*lookup_pte(mm, addr), orig) ? -EAGAIN : uptodate ? -ENOMEM : -EIO;
	spin_lock(&mm->page_table_lock);
	pte = lookup_pte(mm, addr);
	if (pte_same(*pte, orig)) {
		free_swap_and_cache(entry);
		mm->swap_ents--;
		mm->anon_rss++;
		map_copy(vma, addr, pte, pfn_pte(page_to_pfn(copy), vma->vm_page_prot), copy);
		copy = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (copy) {
		put_page(copy);
		return -EAGAIN;
	}
	return 0;
}

/*
 * mremap is about to move [old_addr, old_addr + len) of vma (mmap_sem held
 * for writing: no fault or fork in this mm meanwhile).  A moved page's
 * index becomes its new address, which only works for a page no other mm
 * maps or may map: every shared anonymous page in the range is replaced by
 * a private copy here -- Linus's "extra COW in mremap", counted in
 * /proc/vmstat's anonmm_mremap_copies.  Once exclusive, a page stays so
 * until the move (only this mm's fork or fault could share it again).
 */
int anon_rmap_prepare_move(struct vm_area_struct *vma, unsigned long old_addr, unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!vma_has_anon_vma(vma))
		return 0;
	for (unsigned long addr = old_addr; addr < old_addr + len; addr += PAGE_SIZE) {
		pte_t *pte = lookup_pte(mm, addr);
		int err;

		if (!pte) {              /* no page table: skip to the next 4 MiB */
			addr = ((addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1)) - PAGE_SIZE;
			continue;
		}
		do {
			pte_t orig = *lookup_pte(mm, addr);

			if (pte_none(orig))
				err = 0;
			else if (pte_present(orig))
				err = copy_shared_page(vma, addr, orig);
			else
				err = copy_shared_swap(vma, addr, orig);
		} while (err == -EAGAIN);
		if (err)
			return err;
	}
	return 0;
}

/* A present anonymous page moved with its PTE: it lives at the new address now. */
void __anon_rmap_move_pte(struct page *page, struct vm_area_struct *vma,
			  unsigned long old_addr, struct vm_area_struct *new_vma,
			  unsigned long new_addr)
{
	BUG_ON(page->index != old_addr >> PAGE_SHIFT);
	BUG_ON(!can_share_swap_page(page));        /* anon_rmap_prepare_move made it ours alone */
	page->index = new_addr >> PAGE_SHIFT;
}

/*
 * mremap moved a whole page table (mm/mremap.c's move_page_table): the
 * PTEs did not move, but each anonymous page in it lives at a new address,
 * so its index changes all the same -- anonmm pays a pass over the table
 * where the other schemes pay nothing.
 */
void anon_rmap_move_table(struct vm_area_struct *vma, unsigned long old_addr,
			  struct vm_area_struct *new_vma, unsigned long new_addr, pte_t *table)
{
	for (unsigned long i = 0; i < PTRS_PER_PTE; i++)
		anon_rmap_move_pte(vma, old_addr + i * PAGE_SIZE, new_vma, new_addr + i * PAGE_SIZE,
				   table[i]);
}

/* ---- rmap_verify's anonmm half ---------------------------------------------- */

/*
 * mm's group, both ways: mm's anonmm is its, names a head that heads
 * itself and lists it; everything on that list names the head back and
 * belongs to a live mm; the head's count is its members and its own mm.
 */
static int verify_group(struct mm_struct *mm, unsigned long where)
{
	struct anonmm *anonmm = mm->anonmm, *head = anonmm->head, *member;
	int errors = 0, refs = head->mm ? 1 : 0;
	bool listed = anonmm == head;

	if (anonmm->mm != mm)
		errors += rmap_error(mm, where, "mm's anonmm names another mm", 0);
	if (head->head != head)
		errors += rmap_error(mm, where, "mm's anonmm's head is not a group head", 0);
	if (head->mm && (!mm_is_live(head->mm) || head->mm->anonmm != head))
		errors += rmap_error(mm, where,
				     "the group head names an mm that is not its own", 0);
	list_for_each_entry(member, &head->list, list) {
		refs++;
		if (member == anonmm)
			listed = true;
		if (member->head != head)
			errors += rmap_error(mm, where,
					     "an anonmm on this group's list names another head",
					     0);
		else if (!member->mm || !mm_is_live(member->mm) || member->mm->anonmm != member)
			errors += rmap_error(mm, where,
					     "this group lists an anonmm no live mm has", 0);
	}
	if (!listed)
		errors += rmap_error(mm, where, "mm's anonmm is not on its group's list", 0);
	if (atomic_read(&head->count) != refs)
		errors += rmap_error(mm, where, "the group head's count is not its members", 0);
	return errors;
}

/*
 * A swap PTE of vma whose slot's page is back in memory, mapped by some
 * member: that page is in this mm's group at this very address, or the
 * next swap-in here would map it at two indexes (a missed mremap copy).
 */
static int verify_swap_ptes(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int errors = 0;

	for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		pte_t *pte = lookup_pte(mm, addr);
		struct page *page;

		if (!pte) {              /* no page table: skip to the next 4 MiB */
			addr = ((addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1)) - PAGE_SIZE;
			continue;
		}
		if (pte_none(*pte) || pte_present(*pte))
			continue;
		page = lookup_swap_cache(pte_to_swp_entry(*pte));
		if (!page)
			continue;
		if (page_mapped(page) && (page->index != addr >> PAGE_SHIFT ||
					  page_anonmm(page) != mm->anonmm->head))
			errors += rmap_error(mm, addr,
					     "swap PTE's cached page is mapped at another "
					     "address or in another group", page_to_pfn(page));
		put_page(page);
	}
	return errors;
}

/* The group is per mm: checked once, with the mm's first VMA. */
int anon_rmap_verify_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	int errors = 0;

	if (!mm->anonmm)
		return 0;
	if (vma == mm->mmap)
		errors += verify_group(mm, vma->vm_start);
	if (vma_has_anon_vma(vma))
		errors += verify_swap_ptes(mm, vma);
	return errors;
}

/* A page mapped in vma belongs to its mm's group, at its own virtual page number. */
int anon_rmap_verify_page(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	struct anonmm *anonmm = vma->vm_mm->anonmm;

	if (page_anonmm(page) != anonmm->head)
		return rmap_error(vma->vm_mm, address, "page's anonmm is not its mm's group head",
				  page_to_pfn(page));
	if (page->index != address >> PAGE_SHIFT)
		return rmap_error(vma->vm_mm, address,
				  "page's index is not its virtual page number",
				  page_to_pfn(page));
	return 0;
}
