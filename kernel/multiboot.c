/*
 * Reading the Multiboot information.  kmain calls multiboot_parse()
 * before any allocator exists, so everything needed later (command
 * line, memory map, module ranges) is copied into boot_params; the
 * loader's own structure is then only reserved, never relied on.
 * Pointers in it are physical and reachable through the early 64 MiB
 * map of boot.asm.
 */
#include <anvil/kernel.h>
#include <anvil/multiboot.h>
#include <asm/page.h>

#define MB (1024 * 1024)
#define KB 1024

struct boot_params boot_params;

/* The virtual address of [phys, phys + len) if the early map covers it. */
static const void *boot_ptr(u32 phys, u32 len)
{
	if (!phys || phys >= BOOT_MAP_SIZE || len > BOOT_MAP_SIZE - phys)
		return NULL;
	return __va(phys);
}

static void copy_boot_string(char *dst, size_t size, u32 phys)
{
	const char *s = boot_ptr(phys, 1);

	dst[0] = '\0';
	if (s)
		strlcpy(dst, s, size);   /* early map is 64 MiB: the string is inside */
}

/*
 * QEMU's -kernel loader puts the image path in front of the command line
 * ("build/kernel.elf test=all"); GRUB 2 passes the arguments alone.  Keep
 * the path apart so that the parameters are the same under both.
 */
static void split_command_line(const char *full, bool has_image_path)
{
	size_t n;

	while (*full == ' ')
		full++;
	if (!has_image_path) {
		strlcpy(boot_params.cmdline, full, sizeof(boot_params.cmdline));
		return;
	}
	n = strcspn(full, " ");
	if (n >= sizeof(boot_params.image))
		n = sizeof(boot_params.image) - 1;
	memcpy(boot_params.image, full, n);
	boot_params.image[n] = '\0';
	full += strcspn(full, " ");
	while (*full == ' ')
		full++;
	strlcpy(boot_params.cmdline, full, sizeof(boot_params.cmdline));
}

static void add_region(u64 base, u64 len, u32 type)
{
	struct mem_region *r;

	if (boot_params.nr_regions >= MAX_MEM_REGIONS || !len)
		return;
	r = &boot_params.regions[boot_params.nr_regions++];
	r->base = base;
	r->len = len;
	r->type = type;
}

static void parse_memory_map(const struct multiboot_info *mbi)
{
	if (mbi->flags & MULTIBOOT_INFO_MEM_MAP) {
		const u8 *p = boot_ptr(mbi->mmap_addr, mbi->mmap_length);
		const u8 *end = p + mbi->mmap_length;

		while (p && p + sizeof(struct multiboot_mmap_entry) <= end) {
			const struct multiboot_mmap_entry *e = (const void *)p;

			add_region(e->addr, e->len, e->type);
			p += e->size + sizeof(e->size);
		}
	}
	if (!boot_params.nr_regions && (mbi->flags & MULTIBOOT_INFO_MEMORY)) {
		/* no map: trust the two basic sizes */
		add_region(0, (u64)mbi->mem_lower * KB, MULTIBOOT_MEMORY_AVAILABLE);
		add_region(MB, (u64)mbi->mem_upper * KB, MULTIBOOT_MEMORY_AVAILABLE);
	}
}

static void parse_modules(const struct multiboot_info *mbi)
{
	const struct multiboot_module *mods;

	if (!(mbi->flags & MULTIBOOT_INFO_MODS))
		return;
	mods = boot_ptr(mbi->mods_addr, mbi->mods_count * sizeof(*mods));
	for (u32 i = 0; mods && i < mbi->mods_count; i++) {
		struct boot_module *m;

		if (boot_params.nr_modules >= MAX_BOOT_MODULES) {
			printk(KERN_WARNING "multiboot: more than %d modules, ignoring the rest\n",
			       MAX_BOOT_MODULES);
			break;
		}
		if (mods[i].mod_end < mods[i].mod_start) {
			printk(KERN_WARNING "multiboot: module %u has a negative size, ignored\n",
			       i);
			continue;
		}
		m = &boot_params.modules[boot_params.nr_modules++];
		m->start = mods[i].mod_start;
		m->end = mods[i].mod_end;
		copy_boot_string(m->name, sizeof(m->name), mods[i].cmdline);
	}
}

bool multiboot_parse(u32 magic, phys_addr_t info_phys)
{
	const struct multiboot_info *mbi;
	char full[COMMAND_LINE_SIZE];

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		printk(KERN_EMERG "boot: bad Multiboot magic %#x (expected %#x): "
		       "anvil must be started by a Multiboot loader\n",
		       magic, MULTIBOOT_BOOTLOADER_MAGIC);
		return false;
	}
	mbi = boot_ptr(info_phys, sizeof(*mbi));
	if (!mbi) {
		printk(KERN_EMERG "boot: Multiboot information at %#x is out of reach\n",
		       info_phys);
		return false;
	}
	boot_params.info_start = info_phys;
	boot_params.info_end = info_phys + sizeof(*mbi);
	if (mbi->flags & MULTIBOOT_INFO_BOOT_LOADER_NAME)
		copy_boot_string(boot_params.loader, sizeof(boot_params.loader),
				 mbi->boot_loader_name);
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE) {
		copy_boot_string(full, sizeof(full), mbi->cmdline);
		split_command_line(full, !strncmp(boot_params.loader, "qemu", 4));
	}
	parse_memory_map(mbi);
	parse_modules(mbi);
	if (!boot_params.nr_regions) {
		printk(KERN_EMERG "boot: the loader gave no memory map\n");
		return false;
	}
	return true;
}

static const char *region_type_name(u32 type)
{
	switch (type) {
	case MULTIBOOT_MEMORY_AVAILABLE:
		return "usable";
	case MULTIBOOT_MEMORY_ACPI_RECLAIMABLE:
		return "ACPI data";
	case MULTIBOOT_MEMORY_NVS:
		return "ACPI NVS";
	case MULTIBOOT_MEMORY_BADRAM:
		return "bad RAM";
	default:
		return "reserved";
	}
}

void multiboot_print_memory_map(void)
{
	printk(KERN_INFO "Physical RAM map (from %s):\n",
	       boot_params.loader[0] ? boot_params.loader : "the boot loader");
	for (int i = 0; i < boot_params.nr_regions; i++) {
		const struct mem_region *r = &boot_params.regions[i];

		printk(KERN_INFO " mb: %016llx - %016llx (%s)\n",
		       r->base, r->base + r->len, region_type_name(r->type));
	}
	for (int i = 0; i < boot_params.nr_modules; i++) {
		const struct boot_module *m = &boot_params.modules[i];

		printk(KERN_INFO " module %d: %08x - %08x \"%s\"\n", i, m->start, m->end, m->name);
	}
}
