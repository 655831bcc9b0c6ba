/*
 * Tests of copy-on-write fork (labs/cow), one half each: copy_one_pte
 * shares a private page read-only in both processes with one more
 * reference and mapcount; do_wp_page writes in place to a page that the
 * writer is the last to map.  rmap_test.c's cow_after_fork runs the two.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>
#include <abi/mman.h>
#include "test_vm.h"

#define B TVM_BASE
#define RW (PROT_READ | PROT_WRITE)

/* A parent with one written page at B, entered, and its forked child (NULL on failure). */
static struct mm_struct *fork_one_page(u8 val, struct mm_struct **child)
{
	struct mm_struct *parent = tvm_create();

	*child = NULL;
	if (!parent)
		return NULL;
	tvm_enter(parent);
	if (tvm_map(B, PAGE_SIZE, RW) || tvm_poke(B, val))
		return parent;
	*child = dup_mm(parent);
	return parent;
}

KTEST(cow_fork_shares_read_only)
{
	struct mm_struct *child, *parent = fork_one_page(0x5a, &child);
	struct page *page;
	u8 v;

	KT_ASSERT(t, parent && child);
	page = tvm_page(parent, B);
	KT_ASSERT(t, page && tvm_page(child, B) == page);   /* shared, not copied */
	KT_ASSERT(t, !pte_write(*lookup_pte(parent, B)));
	KT_ASSERT(t, !pte_write(*lookup_pte(child, B)));
	KT_EQ(t, page_count(page), 2);                      /* one reference per PTE */
	KT_EQ(t, page_mapcount(page), 2);
	KT_EQ(t, child->anon_rss, 1);
	tvm_enter(child);
	KT_EQ(t, tvm_peek(B, &v), 0);
	KT_EQ(t, v, 0x5a);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(child);
	tvm_destroy(parent);
}

KTEST(cow_exclusive_page_reused)
{
	struct mm_struct *child, *parent = fork_one_page(1, &child);
	struct page *page;
	unsigned long free;

	KT_ASSERT(t, parent && child);
	page = tvm_page(parent, B);
	tvm_destroy(child);                                 /* the parent is alone again */
	KT_ASSERT(t, page && !pte_write(*lookup_pte(parent, B)));
	free = nr_free_pages();
	KT_EQ(t, tvm_poke(B, 2), 0);                        /* a write fault on a read-only PTE */
	KT_ASSERT(t, tvm_page(parent, B) == page);          /* written in place */
	KT_ASSERT(t, pte_write(*lookup_pte(parent, B)));
	KT_EQ(t, nr_free_pages(), free);                    /* no copy was allocated */
	KT_EQ(t, page_mapcount(page), 1);
	KT_EQ(t, rmap_verify(), 0);
	tvm_destroy(parent);
}
