/*
 * clear_page and copy_page: zero or copy one 4 KiB page.  Every fresh
 * anonymous page, copy-on-write break and __GFP_ZERO allocation comes
 * through here, so these two loops are the floor under the fault path.
 * They are unrolled word moves rather than the `rep stos`/`rep movs` of
 * memset and memcpy; arch/i386/page_ops_bench.c measures the two side by
 * side, arch/i386/page_ops_test.c checks them.
 */
#include <anvil/kernel.h>
#include <anvil/mm.h>

/*
 * Each pass of a loop body moves 128 bytes (32 words).  Under QEMU's
 * TCG each iteration of a `rep` instruction is a trip through the
 * translated-block dispatcher, while a straight run of movl stays inside
 * one translated block: zeroing a page this way costs about a twentieth
 * of `rep stosb` and a fifth of `rep stosl` (Linux's clear_page on a
 * 686), copying about a third of `rep movsl`.  On real hardware the
 * difference is small either way.
 */
void clear_page(void *page)
{
	char *p = page;

	for (char *end = p + PAGE_SIZE; p < end; )
		__asm__ __volatile__(".rept 32\n\t"
				     "movl %1, (%0)\n\t"
				     "addl $4, %0\n\t"
				     ".endr"
				     : "+r"(p) : "r"(0) : "memory");
}

void copy_page(void *to, const void *from)
{
	char *d = to;
	const char *s = from;

	for (char *end = d + PAGE_SIZE; d < end; )
		__asm__ __volatile__(".rept 16\n\t"
				     "movl (%1), %%eax\n\t"
				     "movl 4(%1), %%edx\n\t"
				     "movl %%eax, (%0)\n\t"
				     "movl %%edx, 4(%0)\n\t"
				     "addl $8, %1\n\t"
				     "addl $8, %0\n\t"
				     ".endr"
				     : "+r"(d), "+r"(s) : : "eax", "edx", "memory");
}
