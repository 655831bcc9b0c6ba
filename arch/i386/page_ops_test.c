/*
 * Tests of clear_page and copy_page (arch/i386/page_ops.c): every byte
 * of the page done, and not one byte of the page after it touched; and of
 * memset (lib/string.c), which moves words and then the tail.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/mm.h>

#define POISON 0xa5

/* Two adjacent pages, both filled with POISON; the caller frees them (order 1). */
static unsigned char *poisoned_pair(void)
{
	struct page *pair = alloc_pages(GFP_KERNEL, 1);
	unsigned char *p;

	if (!pair)
		return NULL;
	p = page_address(pair);
	memset(p, POISON, 2 * PAGE_SIZE);
	return p;
}

static bool all_bytes(const unsigned char *p, unsigned char v)
{
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		if (p[i] != v)
			return false;
	return true;
}

KTEST(clear_page_zeroes_one_page)
{
	unsigned char *p = poisoned_pair();

	KT_ASSERT(t, p != NULL);
	clear_page(p);
	KT_ASSERT(t, all_bytes(p, 0));
	KT_ASSERT(t, all_bytes(p + PAGE_SIZE, POISON));
	__free_pages(virt_to_page(p), 1);
}

KTEST(copy_page_copies_one_page)
{
	unsigned char *dst = poisoned_pair(), *src = poisoned_pair();
	bool same = true;

	KT_ASSERT(t, dst && src);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		src[i] = (unsigned char)(i * 7 + i / 256);   /* no two neighbouring words alike */
	copy_page(dst, src);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		same &= dst[i] == src[i];
	KT_ASSERT(t, same);
	KT_ASSERT(t, all_bytes(dst + PAGE_SIZE, POISON));
	__free_pages(virt_to_page(dst), 1);
	__free_pages(virt_to_page(src), 1);
}

/* memset moves four bytes a step: every start alignment and tail length, and nothing outside. */
KTEST(memset_every_alignment_and_tail)
{
	unsigned char buf[64];
	bool ok = true;

	for (int start = 0; start < 4; start++)
		for (int len = 0; len <= 13; len++) {
			memset(buf, POISON, sizeof(buf));
			memset(buf + start, 0x3c, len);
			for (int i = 0; i < (int)sizeof(buf); i++)
				ok &= buf[i] == (i >= start && i < start + len ? 0x3c : POISON);
		}
	KT_ASSERT(t, ok);
}
