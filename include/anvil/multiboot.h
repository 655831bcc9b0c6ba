/*
 * Multiboot (v1) as GRUB and QEMU's -kernel loader hand it over, and
 * struct boot_params: the copy kmain takes of everything it needs
 * (command line, memory map, modules) before memory management starts.
 */
#ifndef ANVIL_MULTIBOOT_H
#define ANVIL_MULTIBOOT_H

#include <anvil/types.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

#define MULTIBOOT_INFO_MEMORY 0x001
#define MULTIBOOT_INFO_CMDLINE 0x004
#define MULTIBOOT_INFO_MODS 0x008
#define MULTIBOOT_INFO_MEM_MAP 0x040
#define MULTIBOOT_INFO_BOOT_LOADER_NAME 0x200

#define MULTIBOOT_MEMORY_AVAILABLE 1
#define MULTIBOOT_MEMORY_RESERVED 2
#define MULTIBOOT_MEMORY_ACPI_RECLAIMABLE 3
#define MULTIBOOT_MEMORY_NVS 4
#define MULTIBOOT_MEMORY_BADRAM 5

struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;        /* KiB below 1 MiB / above 1 MiB */
	u32 boot_device;
	u32 cmdline;                     /* physical address of a C string */
	u32 mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr;
	u32 drives_length, drives_addr;
	u32 config_table;
	u32 boot_loader_name;
} __attribute__((packed));

struct multiboot_mmap_entry {
	u32 size;                        /* of the rest of this entry */
	u64 addr, len;
	u32 type;
} __attribute__((packed));

struct multiboot_module {
	u32 mod_start, mod_end;          /* physical, end exclusive */
	u32 cmdline;
	u32 pad;
} __attribute__((packed));

#define COMMAND_LINE_SIZE 1024
#define MAX_MEM_REGIONS 32
#define MAX_BOOT_MODULES 8
#define MODULE_NAME_LEN 64
#define LOADER_NAME_LEN 64

struct mem_region {
	u64 base, len;
	u32 type;
};

struct boot_module {
	phys_addr_t start, end;
	char name[MODULE_NAME_LEN];
};

struct boot_params {
	char image[MODULE_NAME_LEN];      /* first word of the command line */
	char cmdline[COMMAND_LINE_SIZE];  /* the rest: kernel parameters */
	char loader[LOADER_NAME_LEN];
	int nr_regions;
	struct mem_region regions[MAX_MEM_REGIONS];
	int nr_modules;
	struct boot_module modules[MAX_BOOT_MODULES];
	phys_addr_t info_start, info_end; /* the multiboot structure itself */
};

extern struct boot_params boot_params;

/* Copy what we need out of the loader's structure; false if it is unusable. */
bool multiboot_parse(u32 magic, phys_addr_t info_phys);
void multiboot_print_memory_map(void);

#endif
