/*
 * The slab allocator, after Bonwick's design as Linux 2.6 used it.  A
 * cache hands out objects of one size from slabs (2^gfporder pages each)
 * kept on three lists: full, partial and free.  Each slab has a
 * descriptor -- in the slab for small objects, kmalloc'ed beside it for
 * big ones -- with a bufctl array chaining its free objects by index,
 * so a free object's own bytes stay untouched and can carry poison.
 * Every page of a slab has PG_slab and points back at its cache and
 * slab (page->lru), which is how kfree() finds them.
 */
#include <anvil/kernel.h>
#include <anvil/slab.h>
#include <anvil/mm.h>
#include <abi/errno.h>
#include <anvil/syscalls.h>
#include <anvil/swap.h>
#include <anvil/radix-tree.h>

#define BUFCTL_END 0xffffu
#define MAX_SLAB_ORDER 5
#define MAX_OBJS_PER_SLAB 0xfffe
#define OFF_SLAB_MIN_SIZE (PAGE_SIZE / 8)
#define SLAB_WASTE_DIVISOR 8    /* accept at most 1/8 of a slab unused */
#define SLAB_MIN_ALIGN 4
#define HWCACHE_ALIGN 32
#define REDZONE_SIZE sizeof(u32)

struct slab {
	struct list_head list;
	void *s_mem;            /* the first object */
	unsigned int inuse;     /* objects handed out */
	u16 free;               /* index of the first free object, or BUFCTL_END */
	u16 bufctl[];           /* bufctl[i]: the free object after i */
};

static LIST_HEAD(cache_chain);
static DEFINE_SPINLOCK(cache_chain_lock);
static struct kmem_cache cache_cache;        /* the cache of struct kmem_cache */
static struct kmem_cache *kmalloc_caches[16];
static unsigned long nr_slab_pages;
unsigned long slab_error_count;
bool slab_debug_default = true;

static size_t mgmt_size(unsigned int num)
{
	return sizeof(struct slab) + num * sizeof(u16);
}

static void slab_error(struct kmem_cache *cache, const char *what, const void *obj)
{
	cache->errors++;
	slab_error_count++;
	printk(KERN_ERR "slab error in cache %s: %s (object %p)\n", cache->name, what, obj);
	dump_stack();
}

static u32 *redzone(const struct kmem_cache *cache, void *obj)
{
	return (u32 *)((char *)obj + ALIGN_UP(cache->object_size, REDZONE_SIZE));
}

static bool poisoned(const struct kmem_cache *cache)
{
	return (cache->flags & SLAB_DEBUG) && !cache->ctor;
}

/*
 * Red zones only on objects smaller than a page: on a page-sized object
 * the extra word would double the slab.  Big objects catch a double free
 * by looking for the object on its slab's free chain instead (short:
 * such slabs hold few objects).
 */
static bool red_zoned(const struct kmem_cache *cache)
{
	return (cache->flags & SLAB_DEBUG) && cache->object_size < PAGE_SIZE;
}

static void poison_obj(const struct kmem_cache *cache, void *obj, u8 val)
{
	memset(obj, val, cache->object_size);
	if (val == POISON_FREE)
		((u8 *)obj)[cache->object_size - 1] = POISON_END;
}

/* Was the freed object written to while it sat on the free list? */
static bool poison_intact(const struct kmem_cache *cache, const u8 *obj)
{
	for (size_t i = 0; i + 1 < cache->object_size; i++)
		if (obj[i] != POISON_FREE)
			return false;
	return obj[cache->object_size - 1] == POISON_END;
}

/* Pick the stride, slab order and objects per slab for a new cache. */
static void cache_estimate(struct kmem_cache *cache)
{
	size_t size = ALIGN_UP(cache->object_size, SLAB_MIN_ALIGN);

	if (red_zoned(cache))
		size += REDZONE_SIZE;
	cache->size = ALIGN_UP(size, cache->align);
	cache->off_slab = cache->size >= OFF_SLAB_MIN_SIZE;
	for (unsigned int order = 0; order <= MAX_SLAB_ORDER; order++) {
		size_t bytes = PAGE_SIZE << order;
		unsigned int num;
		size_t left;

		if (cache->off_slab) {
			num = bytes / cache->size;
			left = bytes - num * cache->size;
		} else {
			num = (bytes - sizeof(struct slab)) / (cache->size + sizeof(u16));
			while (num &&
			       ALIGN_UP(mgmt_size(num), cache->align) + num * cache->size > bytes)
				num--;
			left = bytes - ALIGN_UP(mgmt_size(num), cache->align) - num * cache->size;
		}
		if (num > MAX_OBJS_PER_SLAB)
			num = MAX_OBJS_PER_SLAB;
		cache->gfporder = order;
		cache->num = num;
		if (num && left * SLAB_WASTE_DIVISOR <= bytes)
			break;
	}
	BUG_ON(!cache->num);
}

static void cache_setup(struct kmem_cache *cache, const char *name, size_t size, size_t align,
			unsigned int flags, void (*ctor)(void *))
{
	memset(cache, 0, sizeof(*cache));
	cache->name = name;
	cache->object_size = size;
	cache->flags = flags;
	cache->ctor = ctor;
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max(align, (size_t)HWCACHE_ALIGN);
	cache->align = max(align, (size_t)SLAB_MIN_ALIGN);
	spin_lock_init(&cache->lock, "kmem_cache->lock");   /* one lock class for every cache */
	INIT_LIST_HEAD(&cache->slabs_full);
	INIT_LIST_HEAD(&cache->slabs_partial);
	INIT_LIST_HEAD(&cache->slabs_free);
	cache_estimate(cache);
	spin_lock(&cache_chain_lock);
	list_add_tail(&cache->next, &cache_chain);
	spin_unlock(&cache_chain_lock);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned int flags, void (*ctor)(void *))
{
	struct kmem_cache *cache;

	if (!size || size > (PAGE_SIZE << MAX_SLAB_ORDER) || (align & (align - 1)))
		return NULL;
	cache = kmem_cache_alloc(&cache_cache, GFP_KERNEL);
	if (!cache)
		return NULL;
	if (slab_debug_default)       /* slab_debug= on the command line reaches every cache */
		flags |= SLAB_DEBUG;
	cache_setup(cache, name, size, align, flags, ctor);
	return cache;
}

static bool on_free_chain(const struct slab *slab, u16 objnr)
{
	for (u16 i = slab->free; i != BUFCTL_END; i = slab->bufctl[i])
		if (i == objnr)
			return true;
	return false;
}

static struct kmem_cache *page_get_cache(const struct page *page)
{
	return (struct kmem_cache *)page->lru.next;
}

static struct slab *page_get_slab(const struct page *page)
{
	return (struct slab *)page->lru.prev;
}

/* Add one slab to the cache; called without the cache lock (it may sleep). */
static bool cache_grow(struct kmem_cache *cache, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp & ~__GFP_ZERO, cache->gfporder);
	unsigned long flags;
	struct slab *slab;
	char *addr;

	if (!page)
		return false;
	addr = page_address(page);
	if (cache->off_slab) {
		slab = kmalloc(mgmt_size(cache->num), gfp & ~__GFP_ZERO);
		if (!slab) {
			__free_pages(page, cache->gfporder);
			return false;
		}
		slab->s_mem = addr;
	} else {
		slab = (struct slab *)addr;
		slab->s_mem = addr + ALIGN_UP(mgmt_size(cache->num), cache->align);
	}
	slab->inuse = 0;
	slab->free = 0;
	for (unsigned int i = 0; i < cache->num; i++) {
		void *obj = (char *)slab->s_mem + i * cache->size;

		slab->bufctl[i] = i + 1 < cache->num ? i + 1 : BUFCTL_END;
		if (red_zoned(cache))
			*redzone(cache, obj) = RED_INACTIVE;
		if (poisoned(cache))
			poison_obj(cache, obj, POISON_FREE);
		if (cache->ctor)
			cache->ctor(obj);
	}
	for (unsigned int i = 0; i < (1u << cache->gfporder); i++) {
		SetPageSlab(page + i);
		page[i].lru.next = (struct list_head *)cache;
		page[i].lru.prev = (struct list_head *)slab;
	}
	spin_lock_irqsave(&cache->lock, flags);
	list_add(&slab->list, &cache->slabs_free);
	cache->nr_slabs++;
	nr_slab_pages += 1u << cache->gfporder;
	spin_unlock_irqrestore(&cache->lock, flags);
	return true;
}

/* Give an empty slab's pages back; the caller has taken it off its list. */
static void slab_destroy(struct kmem_cache *cache, struct slab *slab)
{
	struct page *page = virt_to_page(cache->off_slab ? slab->s_mem : (void *)slab);

	for (unsigned int i = 0; i < (1u << cache->gfporder); i++) {
		ClearPageSlab(page + i);
		INIT_LIST_HEAD(&page[i].lru);
	}
	if (cache->off_slab)
		kfree(slab);
	__free_pages(page, cache->gfporder);
}

void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp)
{
	unsigned long flags;
	struct slab *slab;
	void *obj;
	u16 objnr;

	spin_lock_irqsave(&cache->lock, flags);
	for (;;) {
		if (!list_empty(&cache->slabs_partial)) {
			slab = list_first_entry(&cache->slabs_partial, struct slab, list);
			break;
		}
		if (!list_empty(&cache->slabs_free)) {
			slab = list_first_entry(&cache->slabs_free, struct slab, list);
			break;
		}
		spin_unlock_irqrestore(&cache->lock, flags);
		if (!cache_grow(cache, gfp))
			return NULL;
		spin_lock_irqsave(&cache->lock, flags);
	}
	objnr = slab->free;
	BUG_ON(objnr == BUFCTL_END);
	slab->free = slab->bufctl[objnr];
	slab->inuse++;
	list_move(&slab->list, slab->inuse == cache->num ? &cache->slabs_full
							 : &cache->slabs_partial);
	cache->active_objs++;
	spin_unlock_irqrestore(&cache->lock, flags);

	obj = (char *)slab->s_mem + objnr * cache->size;
	if (red_zoned(cache)) {
		if (*redzone(cache, obj) != RED_INACTIVE)
			slab_error(cache, "red zone of a free object overwritten", obj);
		*redzone(cache, obj) = RED_ACTIVE;
	}
	if (poisoned(cache)) {
		if (!poison_intact(cache, obj))
			slab_error(cache, "object written after it was freed", obj);
		poison_obj(cache, obj, POISON_INUSE);
	}
	if (gfp & __GFP_ZERO)
		memset(obj, 0, cache->object_size);
	return obj;
}

void *kmem_cache_zalloc(struct kmem_cache *cache, gfp_t gfp)
{
	return kmem_cache_alloc(cache, gfp | __GFP_ZERO);
}

void kmem_cache_free(struct kmem_cache *cache, void *obj)
{
	struct page *page = virt_to_page(obj);
	struct slab *slab;
	size_t offset;
	unsigned long flags;
	u16 objnr;

	if (!PageSlab(page) || page_get_cache(page) != cache) {
		slab_error(cache, "object does not belong to this cache", obj);
		return;
	}
	slab = page_get_slab(page);
	offset = (char *)obj - (char *)slab->s_mem;
	if (offset % cache->size || offset / cache->size >= cache->num) {
		slab_error(cache, "pointer is not the start of an object", obj);
		return;
	}
	objnr = offset / cache->size;
	if (red_zoned(cache)) {
		u32 rz = *redzone(cache, obj);

		if (rz == RED_INACTIVE) {
			slab_error(cache, "double free", obj);
			return;
		}
		if (rz != RED_ACTIVE)
			slab_error(cache, "red zone overwritten (write past the end)", obj);
		*redzone(cache, obj) = RED_INACTIVE;
	} else if ((cache->flags & SLAB_DEBUG) && on_free_chain(slab, objnr)) {
		slab_error(cache, "double free", obj);
		return;
	}
	if (poisoned(cache))
		poison_obj(cache, obj, POISON_FREE);

	spin_lock_irqsave(&cache->lock, flags);
	slab->bufctl[objnr] = slab->free;
	slab->free = objnr;
	slab->inuse--;
	cache->active_objs--;
	if (slab->inuse) {
		list_move(&slab->list, &cache->slabs_partial);
		slab = NULL;
	} else if (list_empty(&cache->slabs_free)) {
		list_move(&slab->list, &cache->slabs_free);   /* keep one empty slab ready */
		slab = NULL;
	} else {
		list_del(&slab->list);
		cache->nr_slabs--;
		nr_slab_pages -= 1u << cache->gfporder;
	}
	spin_unlock_irqrestore(&cache->lock, flags);
	if (slab)
		slab_destroy(cache, slab);
}

unsigned long kmem_cache_shrink(struct kmem_cache *cache)
{
	unsigned long freed = 0;
	unsigned long flags;

	for (;;) {
		struct slab *slab;

		spin_lock_irqsave(&cache->lock, flags);
		if (list_empty(&cache->slabs_free)) {
			spin_unlock_irqrestore(&cache->lock, flags);
			return freed;
		}
		slab = list_first_entry(&cache->slabs_free, struct slab, list);
		list_del(&slab->list);
		cache->nr_slabs--;
		nr_slab_pages -= 1u << cache->gfporder;
		spin_unlock_irqrestore(&cache->lock, flags);
		slab_destroy(cache, slab);
		freed += 1u << cache->gfporder;
	}
}

/*
 * Freeing an off-slab cache's slab kfree()s its descriptor, which can
 * empty a slab of a cache already passed: repeat until nothing moves.
 */
unsigned long kmem_cache_shrink_all(void)
{
	struct kmem_cache *cache;
	unsigned long freed = 0, pass;

	do {
		pass = 0;
		list_for_each_entry(cache, &cache_chain, next)
			pass += kmem_cache_shrink(cache);
		freed += pass;
	} while (pass);
	return freed;
}

int kmem_cache_destroy(struct kmem_cache *cache)
{
	if (cache->active_objs) {
		slab_error(cache, "destroyed with objects still allocated", NULL);
		return -EBUSY;
	}
	kmem_cache_shrink(cache);
	spin_lock(&cache_chain_lock);
	list_del(&cache->next);
	spin_unlock(&cache_chain_lock);
	kmem_cache_free(&cache_cache, cache);
	return 0;
}

static struct kmem_cache *kmalloc_cache(size_t size)
{
	size_t s = KMALLOC_MIN_SIZE;

	for (unsigned int i = 0; i < ARRAY_SIZE(kmalloc_caches) && kmalloc_caches[i]; i++, s <<= 1)
		if (size <= s)
			return kmalloc_caches[i];
	return NULL;
}

void *kmalloc(size_t size, gfp_t gfp)
{
	struct kmem_cache *cache;

	if (!size)
		return NULL;
	cache = kmalloc_cache(size);
	if (!cache) {
		if (!(gfp & __GFP_NOWARN))
			printk(KERN_WARNING "kmalloc: %zu bytes is above the %u-byte limit\n",
			       size, KMALLOC_MAX_SIZE);
		return NULL;
	}
	return kmem_cache_alloc(cache, gfp);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* The cache owning obj, or NULL (with a warning) if obj is not a slab object. */
static struct kmem_cache *obj_cache(const void *obj)
{
	unsigned long a = (unsigned long)obj;

	if (a < PAGE_OFFSET || !pfn_valid(__pa(a) >> PAGE_SHIFT) ||
	    !PageSlab(virt_to_page(a))) {
		printk(KERN_ERR "slab: kfree/ksize of %p, which is not a slab object\n", obj);
		slab_error_count++;
		dump_stack();
		return NULL;
	}
	return page_get_cache(virt_to_page(a));
}

void kfree(const void *obj)
{
	struct kmem_cache *cache;

	if (!obj)
		return;
	cache = obj_cache(obj);
	if (cache)
		kmem_cache_free(cache, (void *)obj);
}

size_t ksize(const void *obj)
{
	struct kmem_cache *cache = obj ? obj_cache(obj) : NULL;

	return cache ? cache->object_size : 0;
}

unsigned long slab_pages(void)
{
	return nr_slab_pages;
}

size_t slabinfo_format(char *buf, size_t size)
{
	struct kmem_cache *cache;
	size_t n;

	n = snprintf(buf, size, "# name            <active_objs> <num_objs> <objsize> "
		     "<objperslab> <pagesperslab>\n");
	spin_lock(&cache_chain_lock);
	list_for_each_entry(cache, &cache_chain, next) {
		if (n >= size)
			break;
		n += snprintf(buf + n, size - n, "%-17s %6lu %6lu %6zu %4u %4u\n", cache->name,
			      cache->active_objs, cache->nr_slabs * cache->num,
			      cache->object_size, cache->num, 1u << cache->gfporder);
	}
	spin_unlock(&cache_chain_lock);
	return n < size ? n : size;
}

void kmem_cache_init(void)
{
	static char names[ARRAY_SIZE(kmalloc_caches)][16];
	unsigned int debug = slab_debug_default ? SLAB_DEBUG : 0;
	size_t s = KMALLOC_MIN_SIZE;
	unsigned int i;


	cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0, debug, NULL);
	/* ascending, so the off-slab descriptors of big caches come from small ones */
	for (i = 0; s <= KMALLOC_MAX_SIZE; i++, s <<= 1) {
		BUG_ON(i >= ARRAY_SIZE(kmalloc_caches));
		snprintf(names[i], sizeof(names[i]), "kmalloc-%zu", s);
		kmalloc_caches[i] = kmem_cache_create(names[i], s, 0, 0, NULL);
		BUG_ON(!kmalloc_caches[i]);
	}
	printk(KERN_INFO "slab: %u kmalloc caches (%u..%u bytes), debug %s\n",
	       i, KMALLOC_MIN_SIZE, KMALLOC_MAX_SIZE,
	       debug ? "on (poison, red zones)" : "off");
}

/*
 * anvil_drop_caches(2): duplicate swap-cache copies, the radix-tree node
 * reserve and empty slabs back to the page allocator; returns the
 * free-page count after.
 */
long sys_anvil_drop_caches(void)
{
	free_unused_swap_cache();
	radix_tree_drain_preload();
	kmem_cache_shrink_all();
	return nr_free_pages();
}
