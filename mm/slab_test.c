/*
 * Tests of the slab allocator (mm/slab.c): object allocation and reuse,
 * kmalloc size classes, and the debug mode catching use-after-free
 * writes, double frees and overruns without corrupting the cache.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/slab.h>
#include <anvil/mm.h>
#include <abi/errno.h>

#define TEST_OBJ_SIZE 100
#define TEST_NR_OBJS 200

KTEST(slab_alloc_free)
{
	struct kmem_cache *c = kmem_cache_create("test-100", TEST_OBJ_SIZE, 8, 0, NULL);
	void *objs[TEST_NR_OBJS];

	KT_ASSERT(t, c);
	for (int i = 0; i < TEST_NR_OBJS; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KT_ASSERT(t, objs[i]);
		KT_EQ(t, (unsigned long)objs[i] & 7, 0);
		memset(objs[i], i, TEST_OBJ_SIZE);
	}
	KT_EQ(t, c->active_objs, TEST_NR_OBJS);
	KT_ASSERT(t, c->nr_slabs >= DIV_ROUND_UP(TEST_NR_OBJS, c->num));
	/* no two objects overlap: each still holds its own pattern */
	for (int i = 0; i < TEST_NR_OBJS; i++)
		for (int b = 0; b < TEST_OBJ_SIZE; b++)
			KT_EQ(t, ((u8 *)objs[i])[b], (u8)i);
	KT_EQ(t, kmem_cache_destroy(c), -EBUSY);    /* live objects */
	for (int i = 0; i < TEST_NR_OBJS; i++)
		kmem_cache_free(c, objs[i]);
	KT_EQ(t, c->active_objs, 0);
	KT_EQ(t, kmem_cache_destroy(c), 0);
}

KTEST(slab_kmalloc_sizes)
{
	static const size_t sizes[] = { 1, 16, 17, 100, 512, 513, 4096, 5000, 65536,
					KMALLOC_MAX_SIZE };

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);
		size_t class = ksize(p);

		KT_ASSERT(t, p);
		KT_ASSERT(t, class >= sizes[i] && class < 2 * sizes[i] + KMALLOC_MIN_SIZE);
		memset(p, 0xab, sizes[i]);               /* the whole size is usable */
		kfree(p);
	}
	KT_ASSERT(t, kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
	KT_ASSERT(t, kmalloc(0, GFP_KERNEL) == NULL);
	kfree(NULL);
}

KTEST(slab_zalloc)
{
	u8 *p = kmalloc(300, GFP_KERNEL);

	KT_ASSERT(t, p);
	memset(p, 0xff, 300);
	kfree(p);
	p = kzalloc(300, GFP_KERNEL);
	KT_ASSERT(t, p);
	for (int i = 0; i < 300; i++)
		KT_EQ(t, p[i], 0);
	kfree(p);
}

KTEST(slab_poison_on_free)
{
	struct kmem_cache *c = kmem_cache_create("test-poison", 64, 0, SLAB_DEBUG, NULL);
	u8 *p;

	KT_ASSERT(t, c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(t, p);
	KT_EQ(t, p[0], POISON_INUSE);     /* uninitialised memory is recognisable */
	memset(p, 0, 64);
	kmem_cache_free(c, p);
	for (int i = 0; i < 63; i++)      /* the stale pointer sees poison, not old data */
		KT_EQ(t, p[i], POISON_FREE);
	KT_EQ(t, p[63], POISON_END);
	KT_EQ(t, kmem_cache_destroy(c), 0);
}

KTEST(slab_use_after_free_detected)
{
	struct kmem_cache *c = kmem_cache_create("test-uaf", 64, 0, SLAB_DEBUG, NULL);
	unsigned long errors;
	u8 *p, *q;

	KT_ASSERT(t, c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(t, p);
	kmem_cache_free(c, p);
	p[10] = 0x42;                     /* write after free */
	errors = c->errors;
	q = kmem_cache_alloc(c, GFP_KERNEL);   /* the same object comes back: check fires */
	KT_ASSERT(t, q == p);
	KT_EQ(t, c->errors, errors + 1);
	kmem_cache_free(c, q);
	KT_EQ(t, kmem_cache_destroy(c), 0);
}

KTEST(slab_double_free_detected)
{
	struct kmem_cache *c = kmem_cache_create("test-dfree", 40, 0, SLAB_DEBUG, NULL);
	void *a, *b, *d;

	KT_ASSERT(t, c);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(t, a);
	kmem_cache_free(c, a);
	kmem_cache_free(c, a);            /* caught, and not put on the free chain twice */
	KT_EQ(t, c->errors, 1);
	KT_EQ(t, c->active_objs, 0);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	d = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(t, b && d && b != d);   /* the cache is not corrupted */
	kmem_cache_free(c, b);
	kmem_cache_free(c, d);
	KT_EQ(t, kmem_cache_destroy(c), 0);
}

KTEST(slab_double_free_big_object_detected)
{
	struct kmem_cache *c = kmem_cache_create("test-dfree-big", PAGE_SIZE, 0, SLAB_DEBUG, NULL);
	void *a;

	KT_ASSERT(t, c);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(t, a);
	kmem_cache_free(c, a);
	kmem_cache_free(c, a);
	KT_EQ(t, c->errors, 1);
	KT_EQ(t, c->active_objs, 0);
	KT_EQ(t, kmem_cache_destroy(c), 0);
}

KTEST(slab_overrun_detected)
{
	struct kmem_cache *c = kmem_cache_create("test-overrun", 24, 0, SLAB_DEBUG, NULL);
	u8 *p;

	KT_ASSERT(t, c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(t, p);
	memset(p, 0, 24 + 4);             /* four bytes past the end: over the red zone */
	kmem_cache_free(c, p);
	KT_EQ(t, c->errors, 1);
	KT_EQ(t, c->active_objs, 0);
	KT_EQ(t, kmem_cache_destroy(c), 0);
}

KTEST(slab_bad_kfree_detected)
{
	unsigned long errors = slab_error_count;
	struct page *page = alloc_page(GFP_KERNEL);
	u8 *p = kmalloc(64, GFP_KERNEL);

	KT_ASSERT(t, page && p);
	kfree(page_address(page));        /* not a slab object: reported, nothing freed */
	KT_EQ(t, slab_error_count, errors + 1);
	kfree(p + 8);                     /* inside an object */
	KT_EQ(t, slab_error_count, errors + 2);
	kfree(p);
	__free_page(page);
}

KTEST(slab_pages_returned)
{
	unsigned long free = nr_free_pages();
	void *objs[64];

	for (int i = 0; i < 64; i++) {
		objs[i] = kmalloc(2048, GFP_KERNEL);
		KT_ASSERT(t, objs[i]);
	}
	KT_ASSERT(t, nr_free_pages() < free);
	for (int i = 0; i < 64; i++)
		kfree(objs[i]);
	kmem_cache_shrink_all();
	KT_ASSERT(t, nr_free_pages() >= free);
}
