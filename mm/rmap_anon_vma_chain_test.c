/*
 * Tests of the anon_vma_chain scheme's own objects (mm/rmap_anon_vma_chain.c):
 * their size, the chain fork builds, COW pages going to the child's own
 * anon_vma, the walk after fork chains of depth 1, 10 and 100, swap-in
 * in a child, a family's anon_vmas all freed (the root last), a forked
 * neighbour's anon_vma never shared, and Linux's rule that a forked VMA
 * takes in no range that had no anonymous pages.  mm/rmap_test.c has the
 * tests every scheme passes.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <anvil/vmstat.h>
#include <anvil/swap.h>
#include <abi/mman.h>
#include "test_vm.h"
#include "rmap_anon_vma_chain.h"

#define P PAGE_SIZE
#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)
#define RWX (PROT_READ | PROT_WRITE | PROT_EXEC)
#define MAX_DEPTH 100
#define FIRST_BYTE 0x42

static long anon_vmas_alive(void)
{
	return vm_events[NR_ANON_VMA_ALLOC] - vm_events[NR_ANON_VMA_FREE];
}

static int list_length(const struct list_head *head)
{
	const struct list_head *pos;
	int n = 0;

	for (pos = head->next; pos != head; pos = pos->next)
		n++;
	return n;
}

static int chain_length(struct vm_area_struct *vma)
{
	return list_length(&vma->anon_vma_chain);
}

static int links_to(struct anon_vma *anon_vma)
{
	return list_length(&anon_vma->head);
}

static struct anon_vma *oldest(struct vm_area_struct *vma)
{
	return list_first_entry(&vma->anon_vma_chain, struct anon_vma_chain, same_vma)->anon_vma;
}

/* VMAs try_to_unmap visits to take page (kept by the caller's reference) out of every PTE. */
static long unmap_walk(struct page *page)
{
	unsigned long before;

	page_referenced(page);           /* clear the accessed bits: a young PTE is not unmapped */
	before = vm_events[RMAP_WALK_VMAS];
	if (tvm_unmap_page(page) != SWAP_SUCCESS)
		return -1;
	return vm_events[RMAP_WALK_VMAS] - before;
}

/* A process with two anonymous pages at B, the first written (FIRST_BYTE), and a forked child. */
static struct mm_struct *parent_and_child(struct mm_struct **child)
{
	struct mm_struct *parent = tvm_create();

	*child = NULL;
	if (!parent)
		return NULL;
	tvm_enter(parent);
	if (tvm_map(B, 2 * P, RW) || tvm_poke(B, FIRST_BYTE))
		return NULL;
	*child = dup_mm(parent);
	return *child ? parent : NULL;
}

KTEST(avc_memory_figures)
{
	size_t per_vma = sizeof(((struct vm_area_struct *)0)->anon_vma_chain) +
			 sizeof(((struct vm_area_struct *)0)->anon_vma);

	printk(KERN_INFO "memory figure: per-VMA reverse-mapping overhead = %zu bytes "
	       "(anon_vma_chain + anon_vma)\n", per_vma);
	printk(KERN_INFO "memory figure: sizeof(struct anon_vma) = %zu bytes\n",
	       sizeof(struct anon_vma));
	printk(KERN_INFO "memory figure: sizeof(struct anon_vma_chain) = %zu bytes\n",
	       sizeof(struct anon_vma_chain));
	KT_EQ(t, per_vma, 12);
	KT_ASSERT(t, sizeof(struct anon_vma) <= 16);          /* lock, root, head */
	KT_ASSERT(t, sizeof(struct anon_vma_chain) <= 24);    /* Linux 2.6.34's, 32-bit */
}

/* fork: the child's VMA is linked to the parent's anon_vma and to its own new one. */
KTEST(avc_chain_after_fork)
{
	long alive = anon_vmas_alive();
	struct mm_struct *parent = tvm_create(), *child;
	struct vm_area_struct *pvma, *cvma;
	struct anon_vma *root;

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B, 4 * P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	pvma = tvm_vma(parent, B);
	root = pvma->anon_vma;
	KT_ASSERT(t, root && root->root == root);
	KT_EQ(t, chain_length(pvma), 1);
	child = dup_mm(parent);
	KT_ASSERT(t, child);
	cvma = tvm_vma(child, B);
	KT_EQ(t, chain_length(cvma), 2);
	KT_ASSERT(t, oldest(cvma) == root);               /* the parent's, first */
	KT_ASSERT(t, cvma->anon_vma != root && cvma->anon_vma->root == root);
	KT_EQ(t, links_to(root), 2);                      /* parent and child */
	KT_EQ(t, links_to(cvma->anon_vma), 1);            /* the child alone */
	KT_EQ(t, anon_vmas_alive(), alive + 2);
	KT_ASSERT(t, page_anon_vma(tvm_page(child, B)) == root);
	KT_EQ(t, page_mapcount(tvm_page(child, B)), 2);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
	KT_EQ(t, anon_vmas_alive(), alive);
}

/* The child's COW copies and fresh pages go to its own anon_vma: only it is walked. */
KTEST(avc_cow_in_child_gets_its_anon_vma)
{
	struct mm_struct *child, *parent = parent_and_child(&child);
	struct page *page;

	KT_ASSERT(t, parent);
	tvm_enter(child);
	KT_EQ(t, tvm_poke(B, 2), 0);                     /* COW */
	KT_EQ(t, tvm_poke(B + P, 3), 0);                 /* first touch */
	KT_ASSERT(t, page_anon_vma(tvm_page(child, B)) == tvm_vma(child, B)->anon_vma);
	KT_ASSERT(t, page_anon_vma(tvm_page(child, B + P)) == tvm_vma(child, B)->anon_vma);
	KT_ASSERT(t, page_anon_vma(tvm_page(parent, B)) == tvm_vma(parent, B)->anon_vma);
	KT_EQ(t, rmap_verify(), 0);
	page = tvm_page(child, B);
	get_page(page);
	KT_EQ(t, unmap_walk(page), 1);                   /* the parent's VMA is not on its list */
	put_page(page);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/*
 * A chain of depth forks, each child forking the next.  The page the
 * deepest child makes by COW is walked through its own anon_vma: one VMA,
 * at any depth (anon_vma: depth + 1).  The page the first process made is
 * still shared by all and visits all.
 */
static void fork_chain_walk(struct ktest *t, int depth)
{
	static struct mm_struct *mm[MAX_DEPTH + 1];
	unsigned long bytes = anon_rmap_slab_bytes();
	struct page *deep, *shared;
	long deep_walk, shared_walk;

	mm[0] = tvm_create();
	KT_ASSERT(t, mm[0]);
	tvm_enter(mm[0]);
	KT_EQ(t, tvm_map(B, 2 * P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	KT_EQ(t, tvm_poke(B + P, 1), 0);
	for (int i = 1; i <= depth; i++) {
		mm[i] = dup_mm(mm[i - 1]);
		KT_ASSERT(t, mm[i]);
	}
	KT_EQ(t, chain_length(tvm_vma(mm[depth], B)), depth + 1);
	tvm_enter(mm[depth]);
	KT_EQ(t, tvm_poke(B, 2), 0);                     /* only the deepest child maps it */
	deep = tvm_page(mm[depth], B);
	shared = tvm_page(mm[0], B + P);
	KT_EQ(t, page_mapcount(shared), depth + 1);
	KT_EQ(t, rmap_verify(), 0);
	printk(KERN_INFO
	       "memory figure: fork chain depth %d: %lu bytes of anon_vma + anon_vma_chain\n",
	       depth, anon_rmap_slab_bytes() - bytes);
	get_page(deep);
	get_page(shared);
	deep_walk = unmap_walk(deep);
	shared_walk = unmap_walk(shared);
	printk(KERN_INFO "walk figure: fork chain depth %d: try_to_unmap visits %ld VMA(s) for the "
	       "deepest child's page, %ld for the first process's (shared by all)\n",
	       depth, deep_walk, shared_walk);
	KT_EQ(t, deep_walk, 1);
	KT_EQ(t, shared_walk, depth + 1);
	put_page(deep);
	put_page(shared);
	KT_EQ(t, rmap_verify(), 0);
	for (int i = 0; i <= depth; i++)
		tvm_destroy(mm[i]);
	KT_EQ(t, anon_rmap_slab_bytes(), bytes);
}

KTEST(avc_fork_chain_depth_10_walks_one_vma)
{
	fork_chain_walk(t, 10);
}

KTEST(avc_fork_chain_walk_figures)
{
	fork_chain_walk(t, 1);
	if (!t->failed)
		fork_chain_walk(t, MAX_DEPTH);
}

/*
 * Swap-in in the child of a page the parent made: the page gets the
 * oldest anon_vma on the child's chain -- the root, the parent's -- so the
 * parent's swap-in finds it reachable, and a walk reaches both.  The price:
 * a page the child made, swapped out and back in, goes to the root too,
 * and its walk visits the parent as well.
 */
KTEST(avc_swap_in_in_child_reaches_both)
{
	struct mm_struct *child, *parent = parent_and_child(&child);
	struct anon_vma *root;
	struct page *page;
	u8 v;

	KT_ASSERT(t, parent);
	root = tvm_vma(parent, B)->anon_vma;
	page = tvm_page(parent, B);
	get_page(page);
	KT_EQ(t, unmap_walk(page), 2);
	KT_ASSERT(t, !page_mapped(page) && PageSwapCache(page));
	tvm_enter(child);
	KT_EQ(t, tvm_peek(B, &v), 0);                    /* swap-in, child first */
	KT_EQ(t, v, FIRST_BYTE);
	KT_ASSERT(t, tvm_page(child, B) == page);
	KT_ASSERT(t, page_anon_vma(page) == root);
	tvm_enter(parent);
	/* the parent's: same page, same anon_vma */
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_ASSERT(t, tvm_page(parent, B) == page);
	KT_EQ(t, page_mapcount(page), 2);
	KT_EQ(t, rmap_verify(), 0);
	KT_EQ(t, unmap_walk(page), 2);                   /* reaches both */
	put_page(page);

	tvm_enter(child);
	KT_EQ(t, tvm_poke(B + P, 0x43), 0);              /* the child's own page */
	page = tvm_page(child, B + P);
	KT_ASSERT(t, page_anon_vma(page) == tvm_vma(child, B)->anon_vma);
	get_page(page);
	KT_EQ(t, unmap_walk(page), 1);
	KT_EQ(t, tvm_peek(B + P, &v), 0);
	KT_EQ(t, v, 0x43);
	KT_ASSERT(t, page_anon_vma(page) == root);       /* the non-exclusive rule's cost */
	KT_EQ(t, unmap_walk(page), 2);
	put_page(page);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/*
 * A family's anon_vmas go when its last VMA linked to each does: a child's
 * outlives its process while a grandchild may map its pages, and the root
 * -- linked by every VMA of the family -- goes last, with no refcount.
 */
KTEST(avc_family_exit_frees_all_root_last)
{
	long alive = anon_vmas_alive();
	unsigned long bytes = anon_rmap_slab_bytes();
	struct mm_struct *mm[3];
	struct anon_vma *root, *mid;

	mm[0] = tvm_create();
	KT_ASSERT(t, mm[0]);
	tvm_enter(mm[0]);
	KT_EQ(t, tvm_map(B, P, RW), 0);
	KT_EQ(t, tvm_poke(B, 1), 0);
	mm[1] = dup_mm(mm[0]);
	KT_ASSERT(t, mm[1]);
	mm[2] = dup_mm(mm[1]);
	KT_ASSERT(t, mm[2]);
	root = tvm_vma(mm[0], B)->anon_vma;
	mid = tvm_vma(mm[1], B)->anon_vma;
	KT_EQ(t, anon_vmas_alive(), alive + 3);
	KT_EQ(t, chain_length(tvm_vma(mm[2], B)), 3);
	/* the root stays: its children link to it */
	tvm_destroy(mm[0]);
	KT_EQ(t, anon_vmas_alive(), alive + 3);
	KT_EQ(t, links_to(root), 2);
	/* mid stays: the grandchild may map its pages */
	tvm_destroy(mm[1]);
	KT_EQ(t, anon_vmas_alive(), alive + 3);
	KT_EQ(t, links_to(root), 1);
	KT_EQ(t, links_to(mid), 1);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(mm[2]);
	KT_EQ(t, anon_vmas_alive(), alive);
	KT_EQ(t, anon_rmap_slab_bytes(), bytes);
}

/*
 * A new VMA below a forked one (different rwx, so not merged at mmap)
 * does not get its anon_vma: 2.6.34 gave it, with a chain of that one
 * link, and mprotect then merged the two with the new VMA surviving --
 * losing the link to the parent's anon_vma, whose pages the forked VMA
 * maps.  In a process that never forked it is shared, and they merge.
 */
KTEST(avc_forked_neighbour_anon_vma_not_shared)
{
	struct mm_struct *child, *parent = parent_and_child(&child);

	KT_ASSERT(t, parent);
	tvm_enter(child);
	KT_EQ(t, tvm_map(B - P, P, RWX), 0);
	KT_EQ(t, tvm_poke(B - P, 2), 0);
	KT_ASSERT(t, tvm_vma(child, B - P)->anon_vma != tvm_vma(child, B)->anon_vma);
	KT_EQ(t, chain_length(tvm_vma(child, B - P)), 1);  /* a family of its own */
	KT_EQ(t, sys_mprotect(B - P, P, RW), 0);
	KT_EQ(t, child->map_count, 2);                   /* not merged */
	KT_EQ(t, sys_mprotect(B, P, PROT_READ), 0);      /* a forked VMA splits: one chain, */
	KT_EQ(t, child->map_count, 3);
	KT_EQ(t, rmap_verify(), 0);
	KT_EQ(t, sys_mprotect(B, P, RW), 0);             /* so its halves merge back */
	KT_EQ(t, child->map_count, 2);
	KT_EQ(t, rmap_verify(), 0);

	tvm_enter(parent);
	KT_EQ(t, tvm_map(B - P, P, RWX), 0);
	KT_EQ(t, tvm_poke(B - P, 3), 0);
	KT_ASSERT(t, tvm_vma(parent, B - P)->anon_vma == tvm_vma(parent, B)->anon_vma);
	KT_EQ(t, sys_mprotect(B - P, P, RW), 0);
	KT_ASSERT(t, tvm_one_vma(parent, B - P, B + 2 * P));  /* merged */
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/*
 * Linux 3.0's rule (LTP's vma01): a fresh mapping right after a VMA the
 * child inherited is not merged into it -- the forked VMA is linked to
 * its parent's anon_vma, and growing it would put more pages under the
 * family's root lock.  The parent's own VMA, one link, takes it.
 */
KTEST(avc_fresh_range_not_merged_into_forked_vma)
{
	struct mm_struct *child, *parent = parent_and_child(&child);

	KT_ASSERT(t, parent);
	tvm_enter(child);
	KT_EQ(t, tvm_poke(B, 2), 0);                     /* copy-on-write: a page of its own too */
	KT_EQ(t, tvm_map(B + 2 * P, 2 * P, RW), 0);
	KT_EQ(t, child->map_count, 2);
	KT_EQ(t, tvm_poke(B + 2 * P, 3), 0);
	KT_ASSERT(t, tvm_vma(child, B + 2 * P)->anon_vma != tvm_vma(child, B)->anon_vma);
	KT_EQ(t, chain_length(tvm_vma(child, B + 2 * P)), 1);
	KT_EQ(t, rmap_verify(), 0);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B + 2 * P, 2 * P, RW), 0);
	KT_ASSERT(t, tvm_one_vma(parent, B, B + 4 * P));
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

/*
 * The other way round: a VMA with pages joins a neighbour that never
 * faulted (mprotect making their flags equal) -- unless the VMA was
 * forked.  Linux 3.0's test refused both, since the neighbour's empty
 * chain is not "singular" either; Linux allowed the first again in 2025.
 */
KTEST(avc_faulted_range_joins_unfaulted_neighbour_unless_forked)
{
	struct mm_struct *child, *parent = parent_and_child(&child);

	KT_ASSERT(t, parent);
	tvm_enter(parent);
	KT_EQ(t, tvm_map(B - 2 * P, 2 * P, PROT_READ), 0);   /* never faulted */
	KT_EQ(t, sys_mprotect(B, 2 * P, PROT_READ), 0);
	KT_ASSERT(t, tvm_one_vma(parent, B - 2 * P, B + 2 * P));
	KT_EQ(t, rmap_verify(), 0);
	tvm_enter(child);
	KT_EQ(t, tvm_map(B - 2 * P, 2 * P, PROT_READ), 0);
	KT_EQ(t, sys_mprotect(B, 2 * P, PROT_READ), 0);
	KT_EQ(t, child->map_count, 2);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}
