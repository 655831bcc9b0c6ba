/*
 * The slab allocator: caches of equal-sized objects carved out of pages
 * from the buddy allocator, and kmalloc()/kfree() on top of a set of
 * power-of-two caches.  With SLAB_DEBUG a cache poisons freed objects,
 * checks the poison when handing them out again, and guards each object
 * with a red-zone word that catches double frees and overruns.
 */
#ifndef ANVIL_SLAB_H
#define ANVIL_SLAB_H

#include <anvil/types.h>
#include <anvil/list.h>
#include <anvil/spinlock.h>
#include <anvil/gfp.h>

#define SLAB_DEBUG 0x01u        /* poison + red zone */
#define SLAB_HWCACHE_ALIGN 0x02u

#define POISON_INUSE 0x5a       /* freshly allocated, not yet initialised */
#define POISON_FREE 0x6b        /* freed */
#define POISON_END 0xa5         /* last byte of a freed object */
#define RED_ACTIVE 0x170fc2a5u  /* the red zone of an allocated object */
#define RED_INACTIVE 0x09f91102u /* the red zone of a free object */

#define KMALLOC_MIN_SIZE 16
#define KMALLOC_MAX_SIZE (128 * 1024)

struct kmem_cache {
	const char *name;
	size_t object_size;      /* what the creator asked for */
	size_t size;             /* stride between objects (object + red zone + padding) */
	size_t align;
	unsigned int flags;
	unsigned int gfporder;   /* each slab is 2^gfporder pages */
	unsigned int num;        /* objects per slab */
	bool off_slab;           /* slab descriptor kmalloc'ed rather than in the slab */
	void (*ctor)(void *obj);
	spinlock_t lock;
	struct list_head slabs_full, slabs_partial, slabs_free;
	unsigned long active_objs;
	unsigned long nr_slabs;
	unsigned long errors;    /* debug checks that fired */
	struct list_head next;   /* on cache_chain */
};

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *));
int kmem_cache_destroy(struct kmem_cache *cache);   /* -EBUSY while objects are live */
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void *kmem_cache_zalloc(struct kmem_cache *cache, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *obj);
unsigned long kmem_cache_shrink(struct kmem_cache *cache);   /* pages freed */
unsigned long kmem_cache_shrink_all(void);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *obj);
size_t ksize(const void *obj);

void kmem_cache_init(void);
unsigned long slab_pages(void);     /* pages currently owned by slab */
extern unsigned long slab_error_count;
extern bool slab_debug_default;
/* Format /proc/slabinfo-style lines into buf; returns the length. */
size_t slabinfo_format(char *buf, size_t size);

#endif
