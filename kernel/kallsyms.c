/*
 * Symbol lookup over the table that tools/gen-ksyms embeds in .ksyms:
 * parallel arrays sorted by address (start, size, name offset) and one
 * string blob.  A binary search finds the function containing an address.
 */
#include <anvil/kernel.h>
#include <anvil/kallsyms.h>

extern const u32 ksyms_count;
extern const u32 ksyms_addrs[];
extern const u32 ksyms_sizes[];
extern const u32 ksyms_offsets[];
extern const char ksyms_names[];
extern const char _text[], _etext[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset)
{
	u32 lo = 0, hi = ksyms_count;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext || !hi)
		return NULL;
	/* find the last symbol whose address is <= addr */
	while (hi - lo > 1) {
		u32 mid = (lo + hi) / 2;

		if (ksyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_addrs[lo] > addr)
		return NULL;
	/* in the padding after a function (assembly labels have no size) */
	if (ksyms_sizes[lo] && addr - ksyms_addrs[lo] >= ksyms_sizes[lo])
		return NULL;
	if (size)
		*size = ksyms_sizes[lo];
	if (offset)
		*offset = addr - ksyms_addrs[lo];
	return &ksyms_names[ksyms_offsets[lo]];
}

const char *kallsyms_symbol(u32 i, unsigned long *addr)
{
	if (i >= ksyms_count)
		return NULL;
	*addr = ksyms_addrs[i];
	return &ksyms_names[ksyms_offsets[i]];
}

unsigned long kallsyms_lookup_name(const char *name)
{
	for (u32 i = 0; i < ksyms_count; i++)
		if (!strcmp(&ksyms_names[ksyms_offsets[i]], name))
			return ksyms_addrs[i];
	return 0;
}

static int format_symbol(char *buf, size_t len, unsigned long addr, unsigned long lookup)
{
	unsigned long size, offset;
	const char *name = kallsyms_lookup(lookup, &size, &offset);

	if (!name)
		return snprintf(buf, len, "0x%08lx", addr);
	return snprintf(buf, len, "%s+0x%lx/0x%lx", name, offset + (addr - lookup), size);
}

int sprint_symbol(char *buf, size_t len, unsigned long addr)
{
	return format_symbol(buf, len, addr, addr);
}

/*
 * A return address: look up the byte before it, which is inside the call.
 * After a call to a noreturn function (panic) the return address is
 * already past the end of the calling function.
 */
int sprint_backtrace(char *buf, size_t len, unsigned long addr)
{
	return format_symbol(buf, len, addr, addr - 1);
}
