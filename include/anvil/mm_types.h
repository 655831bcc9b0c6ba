/*
 * struct page: one per physical page frame, in mem_map[].  Its layout is
 * a promise (docs/physical-memory.md, "Why exactly 32 bytes"): at most 32
 * bytes, as in Linux 2.6 on i386, and checked at build time in
 * mm/page_alloc.c.
 *
 * The fields are shared between owners, as in Linux:
 *   free (buddy):  PG_buddy, private = order, lru = free-list link
 *   slab:          PG_slab, lru.next = the kmem_cache, lru.prev = the slab
 *   anonymous:     mapping = the rmap scheme's object | PAGE_MAPPING_ANON,
 *                  index = linear page number (anvil/rmap.h; pte_chain and
 *                  anonmm use index differently, see their files)
 *   page table:    mapping = the mm_struct it belongs to (cast), index = the
 *                  user address it starts at (pte_alloc, mm/pgtable.c)
 *   file / shmem:  mapping = address_space, index = page offset in the file
 *   swap cache:    PG_swapcache, private = the swap entry
 *   on the LRU:    PG_lru (+ PG_active), lru = LRU list link
 */
#ifndef ANVIL_MM_TYPES_H
#define ANVIL_MM_TYPES_H

#include <anvil/types.h>
#include <anvil/cpumask.h>
#include <anvil/list.h>
#include <anvil/rbtree.h>
#include <anvil/rwsem.h>
#include <anvil/spinlock.h>
#include <asm/pgtable.h>

struct address_space;
struct anon_vma;
struct anonmm;
struct file;
struct mm_struct;

struct page {
	unsigned long flags;             /* PG_* bits, anvil/page-flags.h */
	atomic_t _count;                 /* references; 0 = free */
	atomic_t _mapcount;              /* PTEs mapping this page, minus one (-1 = none) */
	unsigned long private;           /* buddy order / swap entry */
	struct address_space *mapping;   /* file mapping, or anon_vma with bit 0 set */
	unsigned long index;             /* page offset in mapping / linear page number */
	struct list_head lru;            /* free list, LRU list, or slab back-pointers */
};

/* vm_flags (Linux values) */
#define VM_READ 0x00000001
#define VM_WRITE 0x00000002
#define VM_EXEC 0x00000004
#define VM_SHARED 0x00000008
#define VM_MAYREAD 0x00000010      /* mprotect may add the matching VM_ flag */
#define VM_MAYWRITE 0x00000020
#define VM_MAYEXEC 0x00000040
#define VM_MAYSHARE 0x00000080
#define VM_GROWSDOWN 0x00000100    /* a stack: faults just below extend it */
#define VM_DENYWRITE 0x00000800
#define VM_EXECUTABLE 0x00001000
#define VM_LOCKED 0x00002000      /* mlock: pages faulted in and kept off reclaim (mm/mlock.c) */
#define VM_SEQ_READ 0x00008000    /* madvise MADV_SEQUENTIAL */
#define VM_RAND_READ 0x00010000   /* madvise MADV_RANDOM */
#define VM_DONTCOPY 0x00020000    /* madvise MADV_DONTFORK: fork leaves it out */
#define VM_LOCKONFAULT 0x00080000 /* with VM_LOCKED: lock pages as they fault, none at once */
#define VM_ACCOUNT 0x00100000
#define VM_NORESERVE 0x00200000
#define VM_WIPEONFORK 0x02000000  /* madvise MADV_WIPEONFORK: the child gets it empty */
#define VM_DONTDUMP 0x04000000    /* madvise MADV_DONTDUMP: left out of core dumps */
#define VM_HUGEPAGE 0x20000000    /* madvise MADV_HUGEPAGE (anvil has no huge pages) */
#define VM_NOHUGEPAGE 0x40000000  /* madvise MADV_NOHUGEPAGE */
#define VM_MERGEABLE 0x80000000   /* madvise MADV_MERGEABLE (anvil has no KSM) */
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)

struct vm_area_struct;

/* nopage's failure values (a real page comes back with a reference held) */
#define NOPAGE_SIGBUS ((struct page *)0)
#define NOPAGE_OOM ((struct page *)-1)

struct vm_operations_struct {
	/* the page backing address in a file or shared mapping (do_no_page) */
	struct page *(*nopage)(struct vm_area_struct *vma, unsigned long address);
};

/*
 * A virtual memory area: one contiguous range [vm_start, vm_end) of an
 * address space with the same protection and the same backing.
 *
 * Reverse mapping (docs/rmap.md): an anonymous page's index is its linear
 * page number; a VMA maps it at vm_start + ((index - vm_pgoff) << PAGE_SHIFT).
 * Anonymous VMAs get vm_pgoff = vm_start >> PAGE_SHIFT at creation and
 * keep it when mremap moves them.  The rmap scheme's per-VMA fields
 * (anvil/rmap.h) are what it costs per VMA: 12 bytes for anon_vma and
 * anon_vma_chain, none for anonmm and pte_chain.  shared puts file VMAs
 * in their address_space's i_mmap, an interval tree of file page ranges
 * (mm/interval_tree.c).  rb_subtree_gap makes mm->mm_rb an augmented
 * tree too: the gap below a VMA is vm_start - vm_prev->vm_end (or
 * vm_start for the first), and get_unmapped_area finds a gap that fits
 * in O(log n) (Linux 3.8's search, mm/mmap.c).
 */
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start;
	unsigned long vm_end;           /* first byte after */
	struct vm_area_struct *vm_next, *vm_prev; /* sorted list, by address */
	pgprot_t vm_page_prot;          /* PTE bits for pages of this VMA */
	unsigned long vm_flags;
	struct rb_node vm_rb;           /* in mm->mm_rb */
	unsigned long rb_subtree_gap;   /* largest free gap below a VMA in vm_rb's subtree */
	struct {                        /* file/shmem: in the mapping->i_mmap tree */
		struct rb_node rb;
		unsigned long rb_subtree_last;  /* largest last page index under rb */
	} shared;
#if defined(CONFIG_RMAP_ANON_VMA)
	struct list_head anon_vma_node; /* on anon_vma->head */
	struct anon_vma *anon_vma;      /* NULL until the first anonymous page */
#elif defined(CONFIG_RMAP_ANON_VMA_CHAIN)
	struct list_head anon_vma_chain; /* this VMA's anon_vma_chain links (avc->same_vma) */
	struct anon_vma *anon_vma;      /* the anon_vma its new pages get; NULL until the first */
#endif
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff;         /* offset in PAGE_SIZE units (see above) */
	struct file *vm_file;
};

/*
 * An address space.  mmap_sem (sleeping, read for faults, write for
 * changes to the VMA set) protects the VMAs; page_table_lock protects the
 * page tables and the counters.  See the lock order at the top of mm/rmap.c.
 */
struct mm_struct {
	struct vm_area_struct *mmap;        /* VMA list, by address */
	struct rb_root mm_rb;               /* the same VMAs, for O(log n) find_vma */
	struct vm_area_struct *mmap_cache;  /* last find_vma result */
	pgd_t *pgd;
	atomic_t mm_users;                  /* tasks using it */
	int map_count;                      /* number of VMAs */
	struct rw_semaphore mmap_sem;
	spinlock_t page_table_lock;
	struct list_head mmlist;            /* on the list of all mms */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long total_vm;             /* pages in all VMAs */
	unsigned long locked_vm;            /* pages in VM_LOCKED VMAs (VmLck) */
	unsigned long def_flags;            /* vm_flags every new VMA gets (mlockall MCL_FUTURE) */
	int dumpable;                       /* SUID_DUMP_* (abi/misc.h), kernel/cred.c */
	unsigned long anon_rss, file_rss;   /* resident pages mapped here */
	unsigned long hiwater_rss;          /* their peak, as of the last fall (mm.h) */
	unsigned long swap_ents;            /* PTEs holding swap entries */
	unsigned long nr_ptes;              /* page-table pages */
	cpumask_t cpu_vm_mask;              /* CPUs whose TLB may hold this mm's entries */
	/* the rmap scheme's fields last (make bench-rmap counts what follows nr_ptes) */
#ifdef CONFIG_RMAP_ANONMM
	struct anonmm *anonmm;              /* this mm's place in its fork group; NULL until anon */
#endif
#ifdef CONFIG_RMAP_PTE_CHAIN
	unsigned long pte_chain_promised;   /* fork into this mm: reserve blocks still set aside */
#endif
};

#endif
