/*
 * malloc/free/calloc/realloc: a first-fit free-list allocator over the
 * program break.  The heap is a row of blocks, each with an 8-byte
 * header (its size, bit 0 = in use, and the size of the block before it),
 * so free() can coalesce with both neighbours in O(1).  A zero-size,
 * in-use header ends the heap.  Payloads are 8-byte aligned; free blocks
 * are linked through their payloads.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct block {
	size_t size;        /* whole block, header included; bit 0 = in use */
	size_t prev_size;   /* size of the block just below; 0 for the first */
	/* free blocks only: */
	struct block *next, *prev;
};

#define HDR 8                   /* header bytes before the payload */
#define MIN_BLOCK 16            /* header + the two free-list links */
#define USED 1UL
#define GROW_MIN (64 * 1024)    /* grow the heap at least this much */

static struct block *free_list;
static struct block *heap_end;  /* the end marker */

static size_t bsize(struct block *b) { return b->size & ~USED; }
static struct block *next_block(struct block *b) { return (struct block *)((char *)b + bsize(b)); }
static struct block *prev_block(struct block *b) { return (struct block *)((char *)b - b->prev_size); }
static void *payload(struct block *b) { return (char *)b + HDR; }
static struct block *block_of(void *p) { return (struct block *)((char *)p - HDR); }

static void list_add(struct block *b)
{
	b->prev = NULL;
	b->next = free_list;
	if (free_list)
		free_list->prev = b;
	free_list = b;
}

static void list_del(struct block *b)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		free_list = b->next;
	if (b->next)
		b->next->prev = b->prev;
}

/* Give b the size; tell the block after it. */
static void set_size(struct block *b, size_t size, size_t used)
{
	b->size = size | used;
	next_block(b)->prev_size = size;
}

/* Merge the free block b with free neighbours; returns the merged block (not on the list). */
static struct block *coalesce(struct block *b)
{
	struct block *n = next_block(b);

	if (!(n->size & USED)) {
		list_del(n);
		set_size(b, bsize(b) + bsize(n), 0);
	}
	if (b->prev_size && !(prev_block(b)->size & USED)) {
		struct block *p = prev_block(b);

		list_del(p);
		set_size(p, bsize(p) + bsize(b), 0);
		b = p;
	}
	return b;
}

/* Extend the heap by at least need bytes, as one free block. */
static struct block *grow(size_t need)
{
	size_t size = need < GROW_MIN ? GROW_MIN : need;
	struct block *b;
	char *p;

	if (!heap_end) {
		/* Align the start, and leave room for the first end marker. */
		p = sbrk(0);
		if (p == (void *)-1 || sbrk((-(uintptr_t)p & 7) + HDR) == (void *)-1)
			return NULL;
		heap_end = (struct block *)(p + (-(uintptr_t)p & 7));
		heap_end->size = USED;
		heap_end->prev_size = 0;
	}
	if (sbrk(size) == (void *)-1)
		return NULL;
	/* The old end marker becomes the new block's header. */
	b = heap_end;
	heap_end = (struct block *)((char *)b + size);
	heap_end->size = USED;
	set_size(b, size, 0);
	b = coalesce(b);
	list_add(b);
	return b;
}

/* Mark b used with (at least) size bytes, returning any big enough tail to the free list. */
static void *take(struct block *b, size_t size)
{
	size_t have = bsize(b);

	if (have - size >= MIN_BLOCK) {
		struct block *rest = (struct block *)((char *)b + size);

		set_size(b, size, USED);
		set_size(rest, have - size, 0);
		list_add(coalesce(rest));
	} else {
		set_size(b, have, USED);
	}
	return payload(b);
}

/* The block size for an n-byte request, or 0 if it overflows. */
static size_t block_size(size_t n)
{
	if (n > SIZE_MAX / 2)
		return 0;
	n = (n + HDR + 7) & ~(size_t)7;
	return n < MIN_BLOCK ? MIN_BLOCK : n;
}

void *malloc(size_t n)
{
	size_t size = block_size(n);
	struct block *b;

	if (!size) {
		errno = ENOMEM;
		return NULL;
	}
	for (b = free_list; b; b = b->next)
		if (bsize(b) >= size)
			break;
	if (!b && !(b = grow(size))) {
		errno = ENOMEM;
		return NULL;
	}
	list_del(b);
	return take(b, size);
}

void free(void *p)
{
	struct block *b;

	if (!p)
		return;
	b = block_of(p);
	set_size(b, bsize(b), 0);
	list_add(coalesce(b));
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

/* Shrink in place, grow in place into a free next block, or move. */
void *realloc(void *p, size_t n)
{
	size_t size = block_size(n);
	struct block *b, *next;
	void *q;

	if (!p)
		return malloc(n);
	if (!size) {
		errno = ENOMEM;
		return NULL;
	}
	b = block_of(p);
	next = next_block(b);
	if (!(next->size & USED) && bsize(b) + bsize(next) >= size) {
		list_del(next);
		set_size(b, bsize(b) + bsize(next), USED);
	}
	if (bsize(b) >= size)
		return take(b, size);
	q = malloc(n);
	if (q) {
		memcpy(q, p, bsize(b) - HDR);
		free(p);
	}
	return q;
}
