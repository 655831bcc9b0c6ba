/*
 * Reverse mapping: from a physical page to the PTEs that map it.
 *
 * File and shmem pages are found through their address_space's i_mmap
 * tree in every build (mm/rmap.c).  Anonymous pages are found by one of
 * four schemes, chosen at build time with `make RMAP=<scheme>`, each in
 * its own file behind the interface below (docs/rmap-schemes.md):
 *
 *   anon_vma        mm/rmap_anon_vma.c        Andrea Arcangeli, 2.6.7-2.6.33 (default)
 *   anon_vma_chain  mm/rmap_anon_vma_chain.c  Rik van Riel, 2.6.34 on
 *   anonmm          mm/rmap_anonmm.c          Hugh Dickins, 2.6.6-mm
 *   pte_chain       mm/rmap_pte_chain.c       Rik van Riel, 2.5-2.6.6
 *
 * Generic code never looks inside a scheme's objects: it calls these
 * functions at the moments a scheme must hear about (a VMA is born,
 * split, merged, forked or freed; an anonymous page is first mapped) and
 * reclaim walks a page's PTEs with the scheme's try_to_unmap_anon() and
 * page_referenced_anon().  The lock order is at the top of mm/rmap.c.
 */
#ifndef ANVIL_RMAP_H
#define ANVIL_RMAP_H

#include <anvil/mm_types.h>
#include <anvil/page-flags.h>

#if defined(CONFIG_RMAP_ANON_VMA) + defined(CONFIG_RMAP_ANON_VMA_CHAIN) + \
	defined(CONFIG_RMAP_ANONMM) + defined(CONFIG_RMAP_PTE_CHAIN) != 1
#error "build with exactly one rmap scheme: make RMAP=anon_vma|anon_vma_chain|anonmm|pte_chain"
#endif

/* page->mapping with bit 0 set: an anonymous page (the rest is the scheme's) */
#define PAGE_MAPPING_ANON 1UL

/* The lock class of every scheme's anonymous-object lock: mm/rmap.c's "the scheme's lock". */
#define ANON_VMA_LOCK_CLASS "anon_vma->lock"

static inline bool PageAnon(const struct page *page)
{
	return ((unsigned long)page->mapping & PAGE_MAPPING_ANON) != 0;
}

extern struct address_space swapper_space;

/*
 * The address_space that holds page and writes it back (its a_ops): a
 * file or shmem page's own, the swap cache's for an anonymous page with
 * a slot (Linux's page_mapping), NULL for other anonymous pages.
 */
static inline struct address_space *page_mapping(const struct page *page)
{
	if (PageSwapCache(page))
		return &swapper_space;
	return PageAnon(page) ? NULL : page->mapping;
}

/* The page index of address in vma: linear page number for anon VMAs. */
static inline unsigned long linear_page_index(const struct vm_area_struct *vma,
					      unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* ---- common to every scheme (mm/rmap.c) ------------------------------- */

/*
 * try_to_unmap's answers, as in 2.6.11 (SWAP_MLOCK is 2.6.28's, from the
 * unevictable-LRU work: see mm/mlock.c).  try_to_unmap_one answers
 * SWAP_AGAIN when the walk may go on to the next VMA.
 */
#define SWAP_SUCCESS 0    /* no PTE maps the page any more */
#define SWAP_AGAIN 1      /* some PTE still does, one the walk did not reach: try later */
#define SWAP_FAIL 2       /* a PTE was used since page_referenced ran: the page is in use */
#define SWAP_MLOCK 3      /* a VM_LOCKED VMA maps it: keep it off the LRU (mm/mlock.c) */

int page_referenced(struct page *page);
int try_to_unmap(struct page *page);
/* what the walks do at each VMA: a scheme's walk calls them too (mm/rmap_<scheme>.c) */
int page_referenced_one(struct page *page, struct vm_area_struct *vma, unsigned long address);
int try_to_unmap_one(struct page *page, struct vm_area_struct *vma, unsigned long address);
unsigned long vma_address(struct page *page, struct vm_area_struct *vma);
void page_add_file_rmap(struct page *page);
void page_dup_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);
void page_remove_rmap(struct page *page, struct vm_area_struct *vma, unsigned long address);
/* _mapcount bookkeeping for the schemes: true on the first mapping / after the last */
bool page_mapcount_inc(struct page *page, bool anon);
bool page_mapcount_dec(struct page *page);
/* mapping: the scheme's object tagged with PAGE_MAPPING_ANON (anon_vma_mapping(), ...) */
void __page_add_anon_rmap(struct page *page, struct address_space *mapping, unsigned long index);

/*
 * rmap_verify's walk (mm/rmap_verify.c; the name is 2.6.27's -- reclaim
 * never uses it): rmap_one is called for every VMA that may map page,
 * with the one address where it would (-EFAULT if none), until it
 * returns true.  rmap_walk tells whether it stopped there.
 */
typedef bool (*rmap_one_t)(struct page *page, struct vm_area_struct *vma,
			   unsigned long address, void *arg);
bool rmap_walk(struct page *page, rmap_one_t rmap_one, void *arg);
int rmap_verify(void);
int rmap_error(struct mm_struct *mm, unsigned long address, const char *what,
	       unsigned long pfn);
bool mm_is_live(const struct mm_struct *mm);
bool rmap_walk_reaches(struct page *page, struct mm_struct *mm, unsigned long address);
/* mm/vma.c: the neighbours whose anonymous pages vma could share an object with */
void find_mergeable_anon_neighbours(struct vm_area_struct *vma, struct vm_area_struct **prev,
				    struct vm_area_struct **next);

/* ---- what each scheme provides (mm/rmap_<scheme>.c) -------------------- */

/*
 * Does mremap give the moving mm private copies of the anonymous pages it
 * shares?  Only anonmm must (its page records one address for all mms).
 */
#ifdef CONFIG_RMAP_ANONMM
#define RMAP_MREMAP_COPIES_SHARED 1
#else
#define RMAP_MREMAP_COPIES_SHARED 0
#endif

extern const char rmap_scheme[];            /* "anon_vma", ... */
void anon_rmap_init(void);                   /* slab caches, at boot */
unsigned long anon_rmap_slab_bytes(void);    /* bytes the scheme's objects take now */

/* VMAs: a zeroed VMA (vm_area_alloc) has no anonymous pages and no rmap object */
int anon_vma_prepare(struct vm_area_struct *vma);   /* before its first anon page; may sleep */
/*
 * vma will map some of src's anonymous pages: make the walk reach vma.
 * vma is a byte copy of src in the same mm (split_vma, mremap's
 * copy_vma), a VMA with no anonymous pages of its own yet (a merge's
 * importer), or src's copy in a fork child's mm (dup_mm); its scheme
 * fields are (re)initialised.  This is 2.6.11's anon_vma_link(vma), with
 * src for the schemes that need more than vma's byte copy of it
 * (anon_vma_chain copies src's links; 2.6.34 split the call into
 * anon_vma_clone and anon_vma_fork).  May sleep; -ENOMEM.
 */
int anon_vma_link(struct vm_area_struct *vma, struct vm_area_struct *src);
void anon_vma_unlink(struct vm_area_struct *vma);                /* vma is being freed */
void __anon_vma_merge(struct vm_area_struct *vma, struct vm_area_struct *next); /* next absorbed */
/*
 * Has vma an anon_vma yet -- may it have anonymous pages, which the walk
 * must reach?  2.6.11 tests vma->anon_vma; the schemes without one answer
 * the same question their way (pte_chain: always; anonmm: a private VMA
 * of an mm in a group).
 */
#if defined(CONFIG_RMAP_ANON_VMA) || defined(CONFIG_RMAP_ANON_VMA_CHAIN)
static inline bool vma_has_anon_vma(const struct vm_area_struct *vma)
{
	return vma->anon_vma != NULL;
}
#else
bool vma_has_anon_vma(const struct vm_area_struct *vma);
#endif
/* may a and b become one VMA?  2.6.11's is_mergeable_anon_vma test, asked of VMAs */
bool anon_vma_compatible(const struct vm_area_struct *a, const struct vm_area_struct *b);
/*
 * Is vma linked to the objects of a process it was forked from, sharing
 * its pages still?  (anon_vma_chain: more than one link.)  vma_merge then
 * keeps it from growing over ranges that had no anonymous pages: Linux's
 * rule since 3.0, so that fewer pages share the family's lock.  The other
 * schemes keep 2.6.9's rule, which lets a fresh range join a forked VMA
 * (every VMA of a family is on one object whatever merges;
 * docs/rmap-schemes.md).
 */
#ifdef CONFIG_RMAP_ANON_VMA_CHAIN
bool vma_had_uncowed_parents(const struct vm_area_struct *vma);
#else
static inline bool vma_had_uncowed_parents(const struct vm_area_struct *vma)
{
	return false;
}
#endif
/*
 * Around vm_start/vm_pgoff changes, so that no walk computes an address
 * from half-changed fields: 2.6.34's name for what 2.6.11's vma_adjust
 * writes out, spin_lock(&anon_vma->lock).
 */
void vma_lock_anon_vma(struct vm_area_struct *vma);
void vma_unlock_anon_vma(struct vm_area_struct *vma);

/*
 * pages: each is called with mm->page_table_lock held and the PTE's page
 * table in place (the PTE itself may be set or cleared already).  2.6.11
 * calls page_add_anon_rmap for both; the fresh-page call is 2.6.19's,
 * kept because anon_vma_chain files a fresh page under the VMA's own
 * anon_vma and a swapped-in one under the family's oldest.
 */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long address);       /* a fresh page, only here */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address);           /* swap-in: maybe mapped elsewhere */

/*
 * The walks: page_referenced's and try_to_unmap's over the page's
 * anonymous object, each a loop calling page_referenced_one or
 * try_to_unmap_one for every VMA it reaches (the default scheme's are in
 * mm/rmap.c, as in 2.6.11), and rmap_verify's rmap_walk over the same.
 */
int page_referenced_anon(struct page *page);
int try_to_unmap_anon(struct page *page);
bool rmap_walk_anon(struct page *page, rmap_one_t rmap_one, void *arg);

/*
 * What only the two older schemes need to hear of; anon_vma and
 * anon_vma_chain need none of it, so their kernels compile none of these
 * calls (each call site says which scheme it serves):
 *
 *   CONFIG_RMAP_MM_HOOKS     anonmm's object per mm, made at fork and
 *                            dropped at exit; pte_chain's promised blocks
 *   CONFIG_RMAP_PTE_HOOKS    pte_chain's record of each PTE: one more at
 *                            fork, one less when a PTE stops mapping
 *   CONFIG_RMAP_MOVE_HOOKS   mremap moves PTEs: pte_chain rewrites their
 *                            records, anonmm copies pages other mms share
 *                            and re-indexes the rest (a whole table moved:
 *                            anonmm re-indexes, pte_chain has nothing to do)
 */
#if defined(CONFIG_RMAP_ANONMM) || defined(CONFIG_RMAP_PTE_CHAIN)
#define CONFIG_RMAP_MM_HOOKS 1
#define CONFIG_RMAP_MOVE_HOOKS 1
int dup_rmap(struct mm_struct *mm, struct mm_struct *oldmm);     /* fork, before the VMAs */
void exit_rmap(struct mm_struct *mm);                            /* after exit_mmap */
/*
 * mremap moving [old_addr, old_addr + len) of vma: the scheme prepares
 * before (may sleep), and hears of each moved PTE after (mm/rmap.c's
 * anon_rmap_move_pte, which passes an anonymous page on to the scheme's
 * __anon_rmap_move_pte; page_table_lock held)
 */
int anon_rmap_prepare_move(struct vm_area_struct *vma, unsigned long old_addr,
			   unsigned long len);
void __anon_rmap_move_pte(struct page *page, struct vm_area_struct *vma,
			  unsigned long old_addr, struct vm_area_struct *new_vma,
			  unsigned long new_addr);
void anon_rmap_move_pte(struct vm_area_struct *vma, unsigned long old_addr,
			struct vm_area_struct *new_vma, unsigned long new_addr, pte_t pte);
/* ... or of a whole page table moved from old_addr to new_addr (page_table_lock held) */
void anon_rmap_move_table(struct vm_area_struct *vma, unsigned long old_addr,
			  struct vm_area_struct *new_vma, unsigned long new_addr, pte_t *table);
#endif
#ifdef CONFIG_RMAP_PTE_CHAIN
#define CONFIG_RMAP_PTE_HOOKS 1
void page_dup_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address);           /* fork: vma is the child's */
void page_remove_anon_rmap(struct page *page, struct vm_area_struct *vma,
			   unsigned long address);        /* before the PTE is cleared */
#endif

/* rmap_verify's scheme half: each returns the violations it logged */
int anon_rmap_verify_vma(struct mm_struct *mm, struct vm_area_struct *vma);
int anon_rmap_verify_page(struct page *page, struct vm_area_struct *vma, unsigned long address);

#endif
