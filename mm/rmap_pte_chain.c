/*
 * The pte_chain scheme (Rik van Riel's rmap, Linux 2.5 - 2.6.6): `make
 * RMAP=pte_chain`.  Each anonymous page records every PTE that maps it.
 *
 *   anonymous page:  page->mapping = PAGE_MAPPING_ANON (the bit alone)
 *                    page->index   = its only PTE | PTE_CHAIN_DIRECT, or the
 *                                    head of a chain of struct pte_chain blocks
 *   page table:      its struct page holds its mm and base address
 *                    (mm/pgtable.c), so a PTE pointer gives (mm, address)
 *
 * 2.6.0 paid a word in every struct page for this (page->pte); anvil keeps
 * struct page at 32 bytes by using index, which an anonymous page does not
 * otherwise need because only anonymous pages are chained here: file pages
 * stay on i_mmap.  The walk is exact -- one PTE per mapping, no VMA that
 * misses -- but the chain costs memory per mapping: every fork adds an
 * entry to every page, and mremap rewrites one entry per page moved
 * (none when a whole page table moves: the entries point into it).
 */
#include <anvil/kernel.h>
#include <abi/errno.h>
#include <anvil/mm.h>
#include <anvil/slab.h>
#include "rmap_pte_chain.h"

BUILD_BUG_ON(sizeof(struct pte_chain) != PTE_CHAIN_BYTES);

const char rmap_scheme[] = "pte_chain";
struct kmem_cache *pte_chain_cachep;

/*
 * One lock for every chain and for the reserve.  2.6.0 had a bit lock in
 * each page's flags (PG_chainlock); on one CPU a single lock is the same,
 * and a deadlock report names it.  It is the innermost lock: the page
 * hooks take it under page_table_lock, and it is never held while taking
 * another -- the walk drops it around each rmap_one, which takes
 * page_table_lock and may remove the very entry it was called for.
 */
static DEFINE_SPINLOCK(pte_chain_lock);

/*
 * The reserve.  A chain grows under page_table_lock, where nothing may
 * sleep, so its blocks are set aside before, at points that may (2.6.0
 * called pte_chain_alloc(GFP_KERNEL) before taking the lock):
 *  - a swap-in (do_swap_page, unuse_one) adds one PTE to a page maybe
 *    mapped elsewhere: anon_vma_prepare, called right before the lock with
 *    nothing sleeping in between, keeps PTE_CHAIN_FAULT_RESERVE blocks;
 *  - fork adds an entry to every page it shares, and copy_page_range sleeps
 *    (allocating page tables) while other tasks run: anon_vma_link promises at fork
 *    the child mm one block per present anonymous PTE of the parent's VMA
 *    (mm->pte_chain_promised), and the reserve is always kept above every
 *    promise, so nobody else can use a fork's blocks.
 * A refill that finds no memory fails the fault or the fork with -ENOMEM;
 * under the lock, the reserve never runs dry (BUG_ON).  A new page never
 * needs a block: it is mapped once, directly.
 */
#define PTE_CHAIN_FAULT_RESERVE 1   /* one swap-in maps one PTE */
static struct pte_chain *pte_chain_reserve;   /* linked by next */
static unsigned long pte_chain_reserved;      /* blocks in it */
static unsigned long pte_chain_promised;      /* sum of every mm's pte_chain_promised */

/* ---- the reserve --------------------------------------------------------- */

/* Give back what the reserve holds beyond the promises and one swap-in. */
static void pte_chain_reserve_trim(void)
{
	for (;;) {
		struct pte_chain *pc = NULL;

		spin_lock(&pte_chain_lock);
		if (pte_chain_reserved > pte_chain_promised + PTE_CHAIN_FAULT_RESERVE) {
			pc = pte_chain_reserve;
			pte_chain_reserve = pc->next;
			pte_chain_reserved--;
		}
		spin_unlock(&pte_chain_lock);
		if (!pc)
			return;
		kmem_cache_free(pte_chain_cachep, pc);
	}
}

/* Fill the reserve up to the promises plus one swap-in.  May sleep. */
static int pte_chain_reserve_fill(void)
{
	pte_chain_reserve_trim();
	for (;;) {
		struct pte_chain *pc;
		bool full;

		spin_lock(&pte_chain_lock);
		full = pte_chain_reserved >= pte_chain_promised + PTE_CHAIN_FAULT_RESERVE;
		spin_unlock(&pte_chain_lock);
		if (full)
			return 0;
		pc = kmem_cache_alloc(pte_chain_cachep, GFP_KERNEL);
		if (!pc)
			return -ENOMEM;
		spin_lock(&pte_chain_lock);
		pc->next = pte_chain_reserve;
		pte_chain_reserve = pc;
		pte_chain_reserved++;
		spin_unlock(&pte_chain_lock);
	}
}

/* The fork into mm is over (or failed): what it did not take is free again. */
static void pte_chain_unpromise(struct mm_struct *mm)
{
	spin_lock(&pte_chain_lock);
	pte_chain_promised -= mm->pte_chain_promised;
	mm->pte_chain_promised = 0;
	spin_unlock(&pte_chain_lock);
	pte_chain_reserve_trim();
}

/* An empty block from the reserve (pte_chain_lock held). */
static struct pte_chain *pte_chain_take(void)
{
	struct pte_chain *pc = pte_chain_reserve;

	BUG_ON(!pc);       /* a caller that did not reserve: see the reserve above */
	pte_chain_reserve = pc->next;
	pte_chain_reserved--;
	memset(pc, 0, sizeof(*pc));
	return pc;
}

/* The cache, and the reserve at rest already: it only changes with forks and swap-ins. */
void anon_rmap_init(void)
{
	pte_chain_cachep = kmem_cache_create("pte_chain", sizeof(struct pte_chain), 0, 0, NULL);
	BUG_ON(!pte_chain_cachep || pte_chain_reserve_fill());
}

/* The chain blocks and the reserve: every pte_chain the scheme holds. */
unsigned long anon_rmap_slab_bytes(void)
{
	return pte_chain_cachep->active_objs * pte_chain_cachep->size;
}

unsigned long pte_chain_reserve_blocks(void)
{
	return pte_chain_reserved;
}

/* ---- chains (pte_chain_lock held) ------------------------------------- */

/* The head block's first slot in use. */
static unsigned int pte_chain_first(const struct pte_chain *pc)
{
	unsigned int i = 0;

	while (i < NRPTE && !pc->ptes[i])
		i++;
	BUG_ON(i == NRPTE);      /* an empty block is freed at once */
	return i;
}

unsigned int pte_chain_length(const struct page *page)
{
	unsigned int n;

	if (page_rmap_direct(page))
		return 1;
	if (!page->index)
		return 0;
	n = NRPTE - pte_chain_first(page_pte_chain(page));
	for (struct pte_chain *pc = page_pte_chain(page)->next; pc; pc = pc->next)
		n += NRPTE;
	return n;
}

/*
 * The k-th PTE of page's chain, or NULL past its end.  The order is the
 * head block's slots from first up, then each full block after it; the
 * walk relies on how a removal renumbers it (pte_chain_remove).
 */
static pte_t *pte_chain_nth(const struct page *page, unsigned int k)
{
	const struct pte_chain *pc = page_pte_chain(page);
	unsigned int i;

	if (page_rmap_direct(page))
		return k ? NULL : page_pte_direct(page);
	if (!pc)
		return NULL;
	for (i = pte_chain_first(pc) + k; i >= NRPTE; i -= NRPTE) {
		pc = pc->next;
		if (!pc)
			return NULL;
	}
	return pc->ptes[i];
}

/* The slot of page's chain that holds ptep, or NULL. */
static pte_t **pte_chain_find(struct page *page, const pte_t *ptep)
{
	for (struct pte_chain *pc = page_pte_chain(page); pc; pc = pc->next)
		for (unsigned int i = 0; i < NRPTE; i++)
			if (pc->ptes[i] == ptep)
				return &pc->ptes[i];
	return NULL;
}

/* One more PTE maps a page that is mapped already. */
static void pte_chain_add(struct page *page, pte_t *ptep)
{
	struct pte_chain *pc;
	unsigned int first;

	if (page_rmap_direct(page)) {          /* direct -> a chain of two */
		pc = pte_chain_take();
		pc->ptes[NRPTE - 1] = page_pte_direct(page);
		pc->ptes[NRPTE - 2] = ptep;
		page->index = (unsigned long)pc;
		return;
	}
	pc = page_pte_chain(page);
	first = pte_chain_first(pc);
	if (first) {
		pc->ptes[first - 1] = ptep;
		return;
	}
	pc = pte_chain_take();                 /* the head is full: a new head */
	pc->next = page_pte_chain(page);
	pc->ptes[NRPTE - 1] = ptep;
	page->index = (unsigned long)pc;
}

/*
 * ptep no longer maps page.  The hole is filled from the front (the head
 * block's first entry moves into it, as 2.6.0 did), so every entry after
 * the removed one moves one place forward in pte_chain_nth's order.  A
 * chain of one becomes direct again.  Returns a block to free, or NULL.
 */
static struct pte_chain *pte_chain_remove(struct page *page, pte_t *ptep)
{
	struct pte_chain *head;
	unsigned int first;
	pte_t **slot;

	if (page_rmap_direct(page)) {
		BUG_ON(page_pte_direct(page) != ptep);
		page->index = 0;
		return NULL;
	}
	head = page_pte_chain(page);
	first = pte_chain_first(head);
	slot = pte_chain_find(page, ptep);
	BUG_ON(!slot);
	*slot = head->ptes[first];
	head->ptes[first] = NULL;
	if (first == NRPTE - 1) {              /* the head is empty */
		BUG_ON(!head->next);               /* a chain holds two or more */
		page->index = (unsigned long)head->next;
		return head;
	}
	if (first == NRPTE - 2 && !head->next) {   /* one left: direct again */
		page->index = (unsigned long)head->ptes[NRPTE - 1] | PTE_CHAIN_DIRECT;
		return head;
	}
	return NULL;
}

/* ---- VMAs: nothing per VMA; the reserve at the sleepable points --------- */

/* Before a fault maps a page (and right before a swap-in takes its lock). */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	return pte_chain_reserve_fill();
}

/* The PTEs copy_page_range may add to chains for vma: its present anonymous pages. */
static unsigned long anon_ptes_in(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long n = 0;

	spin_lock(&mm->page_table_lock);
	for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		pte_t *pte = lookup_pte(mm, addr);
		struct page *page;

		if (!pte) {            /* no page table: on to the next 4 MiB */
			unsigned long next = (addr + PGDIR_SIZE) & ~(PGDIR_SIZE - 1);

			if (!next)
				break;
			addr = next - PAGE_SIZE;
			continue;
		}
		if (!pte_present(*pte) || !pfn_valid(pte_pfn(*pte)))
			continue;
		page = pfn_to_page(pte_pfn(*pte));
		if (!PageReserved(page) && PageAnon(page))
			n++;
	}
	spin_unlock(&mm->page_table_lock);
	return n;
}

/*
 * A split, mremap or a merge's importer needs nothing: the pages know
 * their PTEs, the VMA nothing.  A fork does: the child's vma will map
 * src's anonymous pages, each one more chain entry.  Set their blocks
 * aside now: failing here, before any page of this VMA is shared, fails
 * the fork cleanly (dup_mm drops the child).  The parent holds mmap_sem
 * for writing, so src can only lose present PTEs until copy_page_range
 * is done: the count is an upper bound.
 */
int anon_vma_link(struct vm_area_struct *vma, struct vm_area_struct *src)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long need;

	if (mm == src->vm_mm)
		return 0;
	pte_chain_unpromise(mm);              /* the copy of its previous VMA is done */
	need = anon_ptes_in(src);
	spin_lock(&pte_chain_lock);
	mm->pte_chain_promised = need;
	pte_chain_promised += need;
	spin_unlock(&pte_chain_lock);
	if (pte_chain_reserve_fill()) {
		pte_chain_unpromise(mm);
		return -ENOMEM;
	}
	return 0;
}

void anon_vma_unlink(struct vm_area_struct *vma)
{
}

void __anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next)
{
}

/* Every anonymous page is reachable: its chain names its PTEs. */
bool vma_has_anon_vma(const struct vm_area_struct *vma)
{
	return true;
}

/* Any two anonymous VMAs may merge: no VMA holds rmap state. */
bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return true;
}

/* A walk does not depend on vm_start or vm_pgoff: find_vma by address. */
void vma_lock_anon_vma(struct vm_area_struct *vma)
{
}

void vma_unlock_anon_vma(struct vm_area_struct *vma)
{
}

int dup_rmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	return 0;
}

/* A fork that failed, or whose last VMA took fewer blocks than promised. */
void exit_rmap(struct mm_struct *mm)
{
	pte_chain_unpromise(mm);
}

/* ---- pages --------------------------------------------------------------- */

static pte_t *rmap_pte(struct vm_area_struct *vma, unsigned long address)
{
	pte_t *ptep = lookup_pte(vma->vm_mm, address);

	BUG_ON(!ptep);            /* the hooks run with the PTE's page table in place */
	return ptep;
}

/* The first mapping goes in page->index itself; any later one makes a chain. */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	pte_t *ptep = rmap_pte(vma, address);

	spin_lock(&pte_chain_lock);
	if (page_mapcount_inc(page, true)) {
		page->mapping = (struct address_space *)PAGE_MAPPING_ANON;
		page->index = (unsigned long)ptep | PTE_CHAIN_DIRECT;
	} else {
		BUG_ON(page->mapping != (struct address_space *)PAGE_MAPPING_ANON);
		pte_chain_add(page, ptep);
	}
	spin_unlock(&pte_chain_lock);
}

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	BUG_ON(page_mapped(page));
	page_add_anon_rmap(page, vma, address);
}

/*
 * fork: one more entry, from the blocks anon_vma_link promised the child.
 * Once the VMA's promise is used up, what pages with room in their head
 * block did not need goes back at once (the fork has no "done" hook).
 */
void page_dup_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *ptep = rmap_pte(vma, address);
	bool done;

	spin_lock(&pte_chain_lock);
	BUG_ON(!mm->pte_chain_promised);     /* more shared pages than anon_vma_link counted */
	done = !--mm->pte_chain_promised;
	pte_chain_promised--;
	pte_chain_add(page, ptep);
	spin_unlock(&pte_chain_lock);
	if (done)
		pte_chain_reserve_trim();
}

void page_remove_anon_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	pte_t *ptep = rmap_pte(vma, address);
	struct pte_chain *freed;

	spin_lock(&pte_chain_lock);
	freed = pte_chain_remove(page, ptep);
	spin_unlock(&pte_chain_lock);
	if (freed)
		kmem_cache_free(pte_chain_cachep, freed);
}

/*
 * The k-th PTE of page's chain and, through its page table's owner, the
 * VMA it lies in; NULL past the chain's end.  No mmap_sem is needed for
 * find_vma: on one CPU nothing changes the VMAs while a walk does not
 * sleep.  An SMP anvil would need mmap_sem or a lock-held removal, as
 * 2.6.0's try_to_unmap_one did.
 */
static struct vm_area_struct *pte_chain_vma(struct page *page, unsigned int k, pte_t **ptep,
					    unsigned long *address)
{
	struct vm_area_struct *vma;

	spin_lock(&pte_chain_lock);
	*ptep = pte_chain_nth(page, k);
	spin_unlock(&pte_chain_lock);
	if (!*ptep)
		return NULL;
	*address = ptep_to_address(*ptep);
	vma = find_vma(ptep_to_mm(*ptep), *address);
	BUG_ON(!vma || vma->vm_start > *address);   /* a PTE outside every VMA */
	return vma;
}

/*
 * The walks: each PTE on the chain, in pte_chain_nth's order, with
 * pte_chain_lock dropped around each visit, so that try_to_unmap_one can
 * remove the entry it was called for (page_remove_anon_rmap takes the
 * lock).  A removal moves every later entry one place forward
 * (pte_chain_remove), so the walk stays at k when the entry there is no
 * longer the one it visited.
 */
static unsigned int pte_chain_next(struct page *page, unsigned int k, pte_t *visited)
{
	bool stayed;

	spin_lock(&pte_chain_lock);
	stayed = pte_chain_nth(page, k) == visited;
	spin_unlock(&pte_chain_lock);
	return stayed ? k + 1 : k;
}

int page_referenced_anon(struct page *page)
{
	struct vm_area_struct *vma;
	unsigned long address;
	int referenced = 0;
	unsigned int k = 0;
	pte_t *ptep;

	while ((vma = pte_chain_vma(page, k++, &ptep, &address)))
		referenced += page_referenced_one(page, vma, address);
	return referenced;
}

int try_to_unmap_anon(struct page *page)
{
	struct vm_area_struct *vma;
	unsigned long address;
	int ret = SWAP_AGAIN;
	unsigned int k = 0;
	pte_t *ptep;

	while ((vma = pte_chain_vma(page, k, &ptep, &address))) {
		ret = try_to_unmap_one(page, vma, address);
		if (ret != SWAP_AGAIN || !page_mapped(page))
			break;
		k = pte_chain_next(page, k, ptep);
	}
	return ret;
}

bool rmap_walk_anon(struct page *page, rmap_one_t rmap_one, void *arg)
{
	struct vm_area_struct *vma;
	unsigned long address;
	unsigned int k = 0;
	pte_t *ptep;

	while ((vma = pte_chain_vma(page, k, &ptep, &address))) {
		if (rmap_one(page, vma, address, arg))
			return true;
		k = pte_chain_next(page, k, ptep);
	}
	return false;
}

/* ---- mremap: one entry rewritten per page moved -------------------------- */

int anon_rmap_prepare_move(struct vm_area_struct *vma, unsigned long old_addr, unsigned long len)
{
	return 0;             /* a rewrite needs no memory */
}

void __anon_rmap_move_pte(struct page *page, struct vm_area_struct *vma,
			  unsigned long old_addr, struct vm_area_struct *new_vma,
			  unsigned long new_addr)
{
	pte_t *old = rmap_pte(vma, old_addr), *new = rmap_pte(new_vma, new_addr);
	pte_t **slot;

	spin_lock(&pte_chain_lock);
	if (page_rmap_direct(page)) {
		BUG_ON(page_pte_direct(page) != old);
		page->index = (unsigned long)new | PTE_CHAIN_DIRECT;
	} else {
		slot = pte_chain_find(page, old);
		BUG_ON(!slot);
		*slot = new;
	}
	spin_unlock(&pte_chain_lock);
}

/*
 * mremap moved a whole page table: the chains point at PTE slots inside
 * it, which moved with it, and ptep_to_address reads the table's new base
 * from its struct page (mremap updated it) -- nothing to rewrite.
 */
void anon_rmap_move_table(struct vm_area_struct *vma, unsigned long old_addr,
			  struct vm_area_struct *new_vma, unsigned long new_addr, pte_t *table)
{
}

/* ---- rmap_verify's pte_chain half ----------------------------------------- */

int anon_rmap_verify_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	return 0;             /* no per-VMA state */
}

/* Is pc a block of the pte_chain cache (before anything reads through it)? */
static bool is_pte_chain_block(const struct pte_chain *pc)
{
	unsigned long addr = (unsigned long)pc;
	struct page *page;

	if (addr < PAGE_OFFSET || !pfn_valid(__pa(addr) >> PAGE_SHIFT))
		return false;
	page = virt_to_page(pc);
	return PageSlab(page) && page->lru.next == (struct list_head *)pte_chain_cachep;
}

/* How many PTEs pc holds if it is well formed: full, or (the head) used from the top; else 0. */
static unsigned int pte_chain_block_used(const struct pte_chain *pc, bool head)
{
	unsigned int i = 0;

	while (head && i < NRPTE && !pc->ptes[i])
		i++;
	for (unsigned int j = i; j < NRPTE; j++)
		if (!pc->ptes[j])
			return 0;
	return NRPTE - i;
}

/* Does the page's chain hold ptep?  Sets *n to its length, or returns -1 if malformed. */
static int pte_chain_check(const struct page *page, const pte_t *ptep, unsigned int *n)
{
	int found = 0;

	*n = 0;
	for (const struct pte_chain *pc = page_pte_chain(page); pc; pc = pc->next) {
		unsigned int used;

		if (!is_pte_chain_block(pc))
			return -1;
		used = pte_chain_block_used(pc, pc == page_pte_chain(page));
		if (!used)
			return -1;
		for (unsigned int i = NRPTE - used; i < NRPTE; i++)
			found |= pc->ptes[i] == ptep;
		*n += used;
		if (*n > (unsigned int)page_mapcount(page))
			break;              /* too long already (or a loop): no need to go on */
	}
	return *n >= 2 ? found : -1;
}

/*
 * The page's record: its rmap word is a direct PTE or a well-formed chain
 * (only pte_chain blocks, the head used from the top, the rest full, two
 * entries or more), it holds as many PTEs as the page's mapcount, and the
 * PTE at (vma, address) among them.  rmap_verify counts the PTEs that map
 * each page against its mapcount, so once each of them is found here the
 * chain holds exactly those PTEs: the walk that follows reads real PTEs.
 */
int anon_rmap_verify_page(struct page *page, struct vm_area_struct *vma, unsigned long address)
{
	pte_t *ptep = lookup_pte(vma->vm_mm, address);
	struct mm_struct *mm = vma->vm_mm;
	unsigned long pfn = page_to_pfn(page);
	unsigned int n = 1;
	int found;

	if (page->mapping != (struct address_space *)PAGE_MAPPING_ANON)
		return rmap_error(mm, address,
				  "anonymous page's mapping is not PAGE_MAPPING_ANON", pfn);
	if (page_rmap_direct(page))
		found = page_pte_direct(page) == ptep;
	else
		found = pte_chain_check(page, ptep, &n);
	if (found < 0)
		return rmap_error(mm, address,
				  "page->index is neither a direct PTE nor a pte_chain", pfn);
	if (n != (unsigned int)page_mapcount(page))
		return rmap_error(mm, address, "page's chain length is not its mapcount", pfn);
	if (!found)
		return rmap_error(mm, address, "PTE is not on its page's chain", pfn);
	return 0;
}
