/*
 * The Global Descriptor Table: flat 4 GiB code and data segments for
 * ring 0 and ring 3, the TSS (only for the ring-0 stack pointer used on
 * traps from user mode) and three thread-local-storage slots that
 * set_thread_area() fills per task.  See asm/segment.h for the layout.
 * There is no LDT: the LDT register is loaded null.  Each CPU has its
 * own GDT and TSS (Linux's cpu_gdt_table and per-CPU init_tss): two CPUs
 * run two tasks, each with its own TLS slots and kernel stack.
 */
#include <anvil/kernel.h>
#include <anvil/errno.h>
#include <asm/desc.h>

/* access byte */
#define DESC_PRESENT 0x80
#define DESC_DPL(n) ((n) << 5)
#define DESC_CODE_DATA 0x10
#define DESC_EXEC 0x08
#define DESC_RW 0x02          /* readable code / writable data */
#define DESC_EXPAND_DOWN 0x04 /* data: the limit is the lowest valid offset */
#define DESC_TSS_AVAIL 0x09
/* flags nibble */
#define DESC_FLAG_4K 0x8
#define DESC_FLAG_32 0x4
#define DESC_FLAG_AVL 0x1     /* free for software: user_desc's `useable` */
#define FLAT_LIMIT 0xfffff    /* with 4 KiB granularity: 4 GiB */

DEFINE_PER_CPU(struct tss_struct, init_tss);
static u64 cpu_gdt_table[NR_CPUS][GDT_ENTRIES];

static u64 make_desc(u32 base, u32 limit, u8 access, u8 flags)
{
	u64 d = 0;

	d |= limit & 0xffff;
	d |= (u64)(base & 0xffffff) << 16;
	d |= (u64)access << 40;
	d |= (u64)((limit >> 16) & 0xf) << 48;
	d |= (u64)(flags & 0xf) << 52;
	d |= (u64)(base >> 24) << 56;
	return d;
}

/*
 * The LDT register is null, so an LDT selector (one a user put in a
 * sigcontext) faults with #GP, which the segment-pop fixup handles; left
 * as the CPU comes out of reset (base 0, limit 0xffff) it would read
 * "descriptors" from user page 0 and oops with a page fault instead.
 */
static void load_gdt(const u64 *gdt)
{
	struct {
		u16 limit;
		u32 base;
	} __attribute__((packed)) gdtr = { sizeof(cpu_gdt_table[0]) - 1, (u32)gdt };

	__asm__ __volatile__("lgdt %0\n\t"
			     "ljmp %1, $1f\n"
			     "1:\n\t"
			     "movw %w2, %%ax\n\t"
			     "movw %%ax, %%ds\n\t"
			     "movw %%ax, %%es\n\t"
			     "movw %%ax, %%ss\n\t"
			     "xorw %%ax, %%ax\n\t"
			     "movw %%ax, %%fs\n\t"
			     "movw %%ax, %%gs\n\t"
			     "ltr %w3\n\t"
			     "lldt %%ax"
			     :
			     : "m"(gdtr), "i"(__KERNEL_CS), "r"(__KERNEL_DS), "r"(__TSS_SEL)
			     : "eax", "memory");
}

/* The running CPU's descriptors: CPU 0's at boot, each other CPU's as it starts. */
void gdt_init(void)
{
	unsigned int cpu = smp_processor_id();
	u64 *gdt = cpu_gdt_table[cpu];
	struct tss_struct *tss = &per_cpu(init_tss, cpu);
	u8 code = DESC_PRESENT | DESC_CODE_DATA | DESC_EXEC | DESC_RW;
	u8 data = DESC_PRESENT | DESC_CODE_DATA | DESC_RW;
	u8 flat = DESC_FLAG_4K | DESC_FLAG_32;

	gdt[GDT_ENTRY_KERNEL_CS] = make_desc(0, FLAT_LIMIT, code | DESC_DPL(0), flat);
	gdt[GDT_ENTRY_KERNEL_DS] = make_desc(0, FLAT_LIMIT, data | DESC_DPL(0), flat);
	gdt[GDT_ENTRY_USER_CS] = make_desc(0, FLAT_LIMIT, code | DESC_DPL(3), flat);
	gdt[GDT_ENTRY_USER_DS] = make_desc(0, FLAT_LIMIT, data | DESC_DPL(3), flat);

	tss->ss0 = __KERNEL_DS;
	tss->io_bitmap_base = sizeof(*tss); /* no I/O bitmap: ring 3 port I/O faults */
	gdt[GDT_ENTRY_TSS] = make_desc((u32)tss, sizeof(*tss) - 1,
				       DESC_PRESENT | DESC_TSS_AVAIL, 0);
	load_gdt(gdt);
}

void load_esp0(unsigned long esp0)
{
	__get_cpu_var(init_tss).esp0 = esp0;
}

void set_tls_desc(int entry, u64 raw)
{
	BUG_ON(entry < GDT_ENTRY_TLS_MIN || entry > GDT_ENTRY_TLS_MAX);
	cpu_gdt_table[smp_processor_id()][entry] = raw;
}

/* set_thread_area()'s two ways of asking for an empty slot (Linux's LDT_empty and LDT_zero). */
static bool tls_desc_empty(const struct user_desc *info)
{
	bool other_fields_zero = !info->base_addr && !info->limit && !info->contents &&
				 !info->seg_32bit && !info->limit_in_pages && !info->useable;

	return other_fields_zero && info->read_exec_only == info->seg_not_present;
}

/*
 * Which TLS descriptors a user may install (Linux's tls_desc_okay): only
 * present 32-bit data segments.  A not-present DPL-3 descriptor in %fs
 * or %gs faults (#NP) on the return to user mode; a 16-bit one in %ss
 * makes iret restore only the low half of %esp, so the high half shows
 * the kernel stack (CVE-2014-8133); code segments no TLS user needs.
 */
static bool tls_desc_okay(const struct user_desc *info)
{
	return info->seg_32bit && info->contents <= MODIFY_LDT_CONTENTS_STACK &&
	       !info->seg_not_present;
}

/*
 * A ring-3 descriptor from a set_thread_area() request: 0 in *desc for
 * the empty forms, -EINVAL for a segment tls_desc_okay() refuses.
 */
int tls_desc_from_user(const struct user_desc *info, u64 *desc)
{
	u8 access = DESC_PRESENT | DESC_CODE_DATA | DESC_DPL(3);
	u8 flags = DESC_FLAG_32;

	if (tls_desc_empty(info)) {
		*desc = 0;
		return 0;
	}
	if (!tls_desc_okay(info))
		return -EINVAL;
	if (!info->read_exec_only)
		access |= DESC_RW;
	if (info->contents == MODIFY_LDT_CONTENTS_STACK)
		access |= DESC_EXPAND_DOWN;
	if (info->limit_in_pages)
		flags |= DESC_FLAG_4K;
	if (info->useable)
		flags |= DESC_FLAG_AVL;
	*desc = make_desc(info->base_addr, info->limit, access, flags);
	return 0;
}
