/*
 * ACPI at boot, only as far as SMP needs it (Linux's acpi_boot_init and
 * acpi_parse_madt): find the RSDP in the EBDA or the BIOS area, follow
 * the RSDT (or the XSDT's entries below 4 GiB) to the MADT, and record
 * the processors, the I/O APIC and the ISA interrupt overrides.  Every
 * table's checksum is checked; anything missing or corrupt is reported
 * and leaves one CPU on the 8259 PIC -- firmware never panics the boot.
 */
#include <anvil/kernel.h>
#include <anvil/errno.h>
#include <anvil/smp.h>
#include <asm/acpi.h>
#include <asm/io.h>
#include <asm/page.h>

#define EBDA_SEG_PTR 0x40e              /* BIOS data area: the EBDA's segment */
#define EBDA_SEARCH_LEN 1024
#define BIOS_ROM_START 0xe0000
#define BIOS_ROM_END 0x100000
#define RSDP_ALIGN 16
#define RSDP_V1_LEN 20
#define RSDP_V2_LEN 36
#define ACPI_MAX_TABLE_LEN 0x10000      /* larger than any MADT or RSDT a PC has */
#define MADT_ENTRY_LAPIC 0
#define MADT_ENTRY_IOAPIC 1
#define MADT_ENTRY_INT_SRC_OVR 2
#define MADT_LAPIC_ENABLED 0x1
#define ISA_BUS 0
#define SUBTABLE_LENGTH 1              /* offset of an MADT entry's length byte */

struct acpi_rsdp {
	char signature[8];                  /* "RSD PTR " */
	u8 checksum;                        /* of the first 20 bytes */
	char oem_id[6];
	u8 revision;                        /* 0: ACPI 1.0, 2: has the XSDT */
	u32 rsdt_address;
	u32 length;
	u64 xsdt_address;
	u8 extended_checksum;               /* of all length bytes */
	u8 reserved[3];
} __packed;

struct acpi_table_header {
	char signature[4];
	u32 length;                         /* header included */
	u8 revision;
	u8 checksum;                        /* all length bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 asl_compiler_id;
	u32 asl_compiler_revision;
} __packed;

struct acpi_table_madt {
	struct acpi_table_header header;    /* "APIC" */
	u32 lapic_address;
	u32 flags;
} __packed;

struct acpi_subtable_header {
	u8 type;
	u8 length;
} __packed;

struct acpi_madt_lapic {
	struct acpi_subtable_header header;
	u8 acpi_id;
	u8 apic_id;
	u32 flags;
} __packed;

struct acpi_madt_ioapic {
	struct acpi_subtable_header header;
	u8 id;
	u8 reserved;
	u32 address;
	u32 gsi_base;
} __packed;

struct acpi_madt_int_src_ovr {
	struct acpi_subtable_header header;
	u8 bus;
	u8 source_irq;
	u32 gsi;
	u16 flags;
} __packed;

unsigned int nr_cpu_ids = 1;
u8 cpu_to_apicid[NR_CPUS];
struct acpi_madt_info acpi_madt;
bool acpi_lapic;

static bool acpi_checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

static const struct acpi_rsdp *scan_rsdp(unsigned long start, unsigned long len)
{
	for (unsigned long p = start; p + RSDP_V1_LEN <= start + len; p += RSDP_ALIGN) {
		const struct acpi_rsdp *r = __va(p);

		if (!memcmp(r->signature, "RSD PTR ", sizeof(r->signature)) &&
		    acpi_checksum_ok(r, RSDP_V1_LEN))
			return r;
	}
	return NULL;
}

/* The RSDP: in the first KiB of the EBDA, else in the BIOS ROM area (ACPI 5.2.5.1). */
static const struct acpi_rsdp *acpi_find_rsdp(void)
{
	unsigned long ebda = (unsigned long)*(const u16 *)__va(EBDA_SEG_PTR) << 4;
	const struct acpi_rsdp *r = NULL;

	if (ebda && ebda < BIOS_ROM_START)
		r = scan_rsdp(ebda, EBDA_SEARCH_LEN);
	return r ? r : scan_rsdp(BIOS_ROM_START, BIOS_ROM_END - BIOS_ROM_START);
}

/*
 * Map the table at phys if it has signature sig (NULL: any), a sane
 * length and a good checksum; NULL otherwise (said why).  The caller
 * iounmaps it.
 */
static struct acpi_table_header *acpi_map_table(unsigned long phys, const char *sig)
{
	struct acpi_table_header *h = ioremap(phys, sizeof(*h));
	u32 len;

	if (!h)
		return NULL;
	len = h->length;
	if (sig && memcmp(h->signature, sig, sizeof(h->signature))) {
		iounmap(h);
		return NULL;
	}
	iounmap(h);
	if (len < sizeof(*h) || len > ACPI_MAX_TABLE_LEN) {
		printk(KERN_WARNING "ACPI: table at %#lx has a bad length %u\n", phys, len);
		return NULL;
	}
	h = ioremap(phys, len);
	if (h && !acpi_checksum_ok(h, len)) {
		printk(KERN_WARNING "ACPI: %.4s at %#lx has a bad checksum\n", h->signature, phys);
		iounmap(h);
		return NULL;
	}
	return h;
}

/* Find the table with signature sig through the RSDT, or the XSDT when there is one. */
static struct acpi_table_header *acpi_get_table(const struct acpi_rsdp *rsdp, const char *sig)
{
	bool xsdt = rsdp->revision >= 2 && rsdp->xsdt_address &&
		    rsdp->xsdt_address < (1ULL << 32) && acpi_checksum_ok(rsdp, RSDP_V2_LEN);
	struct acpi_table_header *root, *found = NULL;
	u32 entry_size = xsdt ? sizeof(u64) : sizeof(u32);
	u32 n;

	root = acpi_map_table(xsdt ? (unsigned long)rsdp->xsdt_address : rsdp->rsdt_address,
			      xsdt ? "XSDT" : "RSDT");
	if (!root) {
		printk(KERN_WARNING "ACPI: no valid %s\n", xsdt ? "XSDT" : "RSDT");
		return NULL;
	}
	n = (root->length - sizeof(*root)) / entry_size;
	for (u32 i = 0; i < n && !found; i++) {
		const u8 *entry = (const u8 *)(root + 1) + i * entry_size;
		u64 phys = xsdt ? *(const u64 *)entry : *(const u32 *)entry;

		if (phys && phys < (1ULL << 32))    /* no PAE: the rest is unreachable */
			found = acpi_map_table((unsigned long)phys, sig);
	}
	iounmap(root);
	return found;
}

static void madt_isa_defaults(struct acpi_madt_info *info)
{
	for (int irq = 0; irq < NR_IRQS; irq++) {
		info->isa_irq[irq].gsi = (u32)irq;
		info->isa_irq[irq].flags = 0;
	}
}

static const char *const polarity_names[] = { "dfl", "high", "res", "low" };
static const char *const trigger_names[] = { "dfl", "edge", "res", "level" };

static int madt_entry(const struct acpi_subtable_header *e, struct acpi_madt_info *info)
{
	const struct acpi_madt_lapic *lapic = (const void *)e;
	const struct acpi_madt_ioapic *ioapic = (const void *)e;
	const struct acpi_madt_int_src_ovr *ovr = (const void *)e;

	switch (e->type) {
	case MADT_ENTRY_LAPIC:
		if (e->length < sizeof(*lapic))
			return -EINVAL;
		printk(KERN_INFO "ACPI: LAPIC (acpi_id[0x%02x] lapic_id[0x%02x] %s)\n",
		       lapic->acpi_id, lapic->apic_id,
		       lapic->flags & MADT_LAPIC_ENABLED ? "enabled" : "disabled");
		if (!(lapic->flags & MADT_LAPIC_ENABLED))
			break;
		if (info->nr_cpus == NR_CPUS) {
			printk(KERN_WARNING "ACPI: NR_CPUS=%d reached, processor %u ignored\n",
			       NR_CPUS, lapic->apic_id);
			break;
		}
		info->apicid[info->nr_cpus++] = lapic->apic_id;
		break;
	case MADT_ENTRY_IOAPIC:
		if (e->length < sizeof(*ioapic))
			return -EINVAL;
		printk(KERN_INFO "ACPI: IOAPIC (id[0x%02x] address[%#010x] gsi_base[%u])\n",
		       ioapic->id, ioapic->address, ioapic->gsi_base);
		/* the ISA IRQs arrive on the one whose inputs start at GSI 0 */
		if (!info->have_ioapic && ioapic->gsi_base == 0) {
			info->have_ioapic = true;
			info->ioapic_id = ioapic->id;
			info->ioapic_addr = ioapic->address;
			info->ioapic_gsi_base = ioapic->gsi_base;
		}
		break;
	case MADT_ENTRY_INT_SRC_OVR:
		if (e->length < sizeof(*ovr))
			return -EINVAL;
		printk(KERN_INFO "ACPI: INT_SRC_OVR (bus %u bus_irq %u global_irq %u %s %s)\n",
		       ovr->bus, ovr->source_irq, ovr->gsi,
		       polarity_names[ovr->flags & ACPI_MADT_POLARITY_MASK],
		       trigger_names[(ovr->flags & ACPI_MADT_TRIGGER_MASK) >> 2]);
		if (ovr->bus == ISA_BUS && ovr->source_irq < NR_IRQS) {
			info->isa_irq[ovr->source_irq].gsi = ovr->gsi;
			info->isa_irq[ovr->source_irq].flags = ovr->flags;
		}
		break;
	default:        /* NMI sources, x2APIC entries...: nothing anvil uses */
		break;
	}
	return 0;
}

int acpi_parse_madt(const void *table, u32 len, struct acpi_madt_info *info)
{
	const struct acpi_table_madt *madt = table;
	const u8 *p, *end;

	memset(info, 0, sizeof(*info));
	madt_isa_defaults(info);
	if (len < sizeof(*madt) || madt->header.length != len ||
	    memcmp(madt->header.signature, "APIC", 4)) {
		printk(KERN_WARNING "ACPI: MADT: bad signature or length\n");
		return -EINVAL;
	}
	if (!acpi_checksum_ok(table, len)) {
		printk(KERN_WARNING "ACPI: MADT: bad checksum\n");
		return -EINVAL;
	}
	info->lapic_addr = madt->lapic_address;
	end = (const u8 *)table + len;
	for (p = (const u8 *)(madt + 1); p < end; p += p[SUBTABLE_LENGTH]) {
		const struct acpi_subtable_header *e = (const void *)p;

		if (p + sizeof(*e) > end || e->length < sizeof(*e) || p + e->length > end ||
		    madt_entry(e, info) < 0) {
			printk(KERN_WARNING "ACPI: MADT: malformed entry at offset %u\n",
			       (unsigned int)(p - (const u8 *)table));
			return -EINVAL;
		}
	}
	if (!info->nr_cpus) {
		printk(KERN_WARNING "ACPI: MADT: no enabled processor\n");
		return -EINVAL;
	}
	return 0;
}

/* The boot CPU's initial APIC id (CPUID leaf 1, EBX bits 31-24), before its APIC is mapped. */
static u8 boot_cpu_initial_apicid(void)
{
	u32 eax = 1, ebx, ecx = 0, edx;

	cpuid(1, &eax, &ebx, &ecx, &edx);
	return (u8)(ebx >> 24);
}

/* CPU 0 is the boot CPU, whatever its place in the table (as Linux numbers them). */
static void boot_cpu_first(struct acpi_madt_info *info)
{
	u8 boot = boot_cpu_initial_apicid();

	for (unsigned int i = 1; i < info->nr_cpus; i++)
		if (info->apicid[i] == boot) {
			info->apicid[i] = info->apicid[0];
			info->apicid[0] = boot;
		}
}

/* The fallback: the boot CPU alone, the ISA IRQs on the 8259 PIC. */
static void acpi_no_madt(const char *why)
{
	memset(&acpi_madt, 0, sizeof(acpi_madt));
	madt_isa_defaults(&acpi_madt);
	acpi_lapic = false;
	nr_cpu_ids = 1;
	memset(cpu_to_apicid, 0, sizeof(cpu_to_apicid));
	cpu_to_apicid[0] = boot_cpu_initial_apicid();
	printk(KERN_WARNING "ACPI: %s: one CPU, 8259 PIC\n", why);
}

/*
 * Use the MADT of len bytes: the CPUs, the local and I/O APIC, the
 * overrides.  A corrupt one leaves one CPU on the 8259 PIC.
 */
int acpi_table_parse_madt(const void *madt, u32 len)
{
	int err = acpi_parse_madt(madt, len, &acpi_madt);

	if (err) {
		acpi_no_madt("MADT unusable");
		return err;
	}
	boot_cpu_first(&acpi_madt);
	acpi_lapic = true;
	nr_cpu_ids = acpi_madt.nr_cpus;
	memcpy(cpu_to_apicid, acpi_madt.apicid, sizeof(cpu_to_apicid));
	printk(KERN_INFO "ACPI: %u CPUs found, local APIC at %#lx\n", nr_cpu_ids,
	       acpi_madt.lapic_addr);
	return 0;
}

void acpi_boot_init(void)
{
	const struct acpi_rsdp *rsdp = acpi_find_rsdp();
	struct acpi_table_header *madt;

	if (!rsdp) {
		acpi_no_madt("no RSDP found");
		return;
	}
	printk(KERN_INFO "ACPI: RSDP %#lx (v%02u %.6s)\n", __pa(rsdp), rsdp->revision,
	       rsdp->oem_id);
	madt = acpi_get_table(rsdp, "APIC");
	if (!madt) {
		acpi_no_madt("no valid MADT");
		return;
	}
	acpi_table_parse_madt(madt, madt->length);
	iounmap(madt);
}
