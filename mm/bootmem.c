/*
 * Boot-time memory.  Before mem_map exists we only know RAM as the
 * loader's memory map and a list of reserved ranges.  bootmem_alloc()
 * carves page-aligned blocks out of usable RAM that overlap no
 * reservation (and reserves them); bootmem_free_all() finally gives
 * every other page of directly mapped RAM to the buddy allocator.
 */
#include <anvil/kernel.h>
#include <anvil/bootmem.h>
#include <anvil/multiboot.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>

#define LOW_MEMORY_END 0x100000   /* BIOS, VGA and ROM area: never allocated */

struct reserved_range {
	phys_addr_t start, end;
	const char *what;
};

static struct reserved_range reserved[MAX_RESERVED_RANGES];
static int nr_reserved;

unsigned long max_low_pfn;

extern const char _text[], _end[];

void bootmem_reserve(phys_addr_t start, phys_addr_t end, const char *what)
{
	if (end <= start)
		return;
	if (nr_reserved >= MAX_RESERVED_RANGES)
		panic("bootmem: more than %d reserved ranges", MAX_RESERVED_RANGES);
	reserved[nr_reserved].start = ALIGN_DOWN(start, PAGE_SIZE);
	reserved[nr_reserved].end = PAGE_ALIGN(end);
	reserved[nr_reserved].what = what;
	nr_reserved++;
}

/* The first reserved range overlapping [start, end), or NULL. */
static const struct reserved_range *overlap(phys_addr_t start, phys_addr_t end)
{
	for (int i = 0; i < nr_reserved; i++)
		if (start < reserved[i].end && reserved[i].start < end)
			return &reserved[i];
	return NULL;
}

void bootmem_init(void)
{
	u64 top = 0, limit = MAXMEM;

	for (int i = 0; i < boot_params.nr_regions; i++) {
		const struct mem_region *r = &boot_params.regions[i];

		if (r->type == MULTIBOOT_MEMORY_AVAILABLE && r->base + r->len > top)
			top = r->base + r->len;
	}
	if (top > limit) {
		printk(KERN_NOTICE "bootmem: %llu MiB above the %lu MiB direct map ignored "
		       "(anvil has no highmem)\n", (top - limit) >> 20, MAXMEM >> 20);
		top = limit;
	}
	max_low_pfn = (unsigned long)(top >> PAGE_SHIFT);

	bootmem_reserve(0, LOW_MEMORY_END, "low memory (BIOS, VGA)");
	bootmem_reserve(__pa(_text), __pa(_end), "kernel image");
	bootmem_reserve(boot_params.info_start, boot_params.info_end, "multiboot info");
	for (int i = 0; i < boot_params.nr_modules; i++)
		bootmem_reserve(boot_params.modules[i].start, boot_params.modules[i].end,
				"multiboot module");
}

void *bootmem_alloc(size_t size, size_t align)
{
	size = PAGE_ALIGN(size);
	align = align < PAGE_SIZE ? PAGE_SIZE : align;

	for (int i = 0; i < boot_params.nr_regions; i++) {
		const struct mem_region *r = &boot_params.regions[i];
		u64 end = r->base + r->len;
		u64 p;

		if (r->type != MULTIBOOT_MEMORY_AVAILABLE)
			continue;
		if (end > (u64)max_low_pfn << PAGE_SHIFT)
			end = (u64)max_low_pfn << PAGE_SHIFT;
		p = ALIGN_UP(r->base, (u64)align);
		while (p + size <= end) {
			const struct reserved_range *busy = overlap(p, p + size);

			if (!busy) {
				bootmem_reserve(p, p + size, "boot allocation");
				memset(__va(p), 0, size);
				return __va(p);
			}
			p = ALIGN_UP((u64)busy->end, (u64)align);
		}
	}
	panic("bootmem: cannot find %zu bytes of free RAM at boot", size);
}

static bool pfn_is_free_ram(unsigned long pfn)
{
	phys_addr_t p = (phys_addr_t)pfn << PAGE_SHIFT;

	for (int i = 0; i < boot_params.nr_regions; i++) {
		const struct mem_region *r = &boot_params.regions[i];

		if (r->type == MULTIBOOT_MEMORY_AVAILABLE &&
		    r->base <= p && p + PAGE_SIZE <= r->base + r->len)
			return !overlap(p, p + PAGE_SIZE);
	}
	return false;
}

/* The largest order of an aligned block of free RAM starting at pfn (pfn itself is free). */
static unsigned int free_block_order(unsigned long pfn)
{
	unsigned int order = 0;

	while (order + 1 < MAX_ORDER && !(pfn & ((2UL << order) - 1)) &&
	       pfn + (2UL << order) <= max_low_pfn) {
		for (unsigned long p = pfn + (1UL << order); p < pfn + (2UL << order); p++)
			if (!pfn_is_free_ram(p))
				return order;
		order++;
	}
	return order;
}

/*
 * Free RAM goes to the buddy allocator in the largest aligned blocks that
 * fit, as Linux's __free_pages_bootmem does: the allocator starts out
 * unfragmented without depending on its own coalescing (labs/buddy).
 */
unsigned long bootmem_free_all(void)
{
	unsigned long freed = 0, pfn = 0;

	while (pfn < max_low_pfn) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order;

		if (!pfn_is_free_ram(pfn)) {
			pfn++;
			continue;
		}
		order = free_block_order(pfn);
		for (unsigned long i = 0; i < (1UL << order); i++) {
			ClearPageReserved(page + i);
			set_page_count(page + i, 0);
		}
		set_page_count(page, 1);
		__free_pages(page, order);
		freed += 1UL << order;
		pfn += 1UL << order;
	}
	return freed;
}

void bootmem_print_reserved(void)
{
	for (int i = 0; i < nr_reserved; i++)
		printk(KERN_INFO " reserved: %08x - %08x %s\n",
		       reserved[i].start, reserved[i].end, reserved[i].what);
}
