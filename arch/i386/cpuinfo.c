/*
 * The CPU as the CPUID instruction describes it, written as Linux i386's
 * /proc/cpuinfo (arch/x86/kernel/cpu/proc.c for a uniprocessor kernel):
 * one "processor" block, the vendor, family, model and brand string, the
 * feature flags under Linux's names, and bogomips from the TSC rate.
 */
#include <anvil/kernel.h>
#include <anvil/time.h>
#include <asm/processor.h>

#define CPUID_EXT_BASE 0x80000000
#define CPUID_EXT_FEATURES 0x80000001
#define CPUID_BRAND_FIRST 0x80000002       /* three leaves of 16 bytes each */
#define CPUID_BRAND_LAST 0x80000004
#define CPUID_ADDRESS_SIZES 0x80000008
#define BRAND_LEN 48
#define X86_FEATURE_FPU (1u << 0)          /* leaf 1 edx */
#define X86_FEATURE_TSC (1u << 4)
#define X86_FEATURE_PAE (1u << 6)
#define X86_FEATURE_PSE36 (1u << 17)
#define X86_FEATURE_CLFLUSH (1u << 19)
#define DEFAULT_CLFLUSH_SIZE 32            /* Linux's 32-bit guess when CPUID has none */
#define FLAG_WORDS 4

/* Linux's names for the feature bits (x86_cap_flags); NULL: not shown */
static const char *const leaf1_edx[32] = {
	"fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep",
	"mtrr", "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi",
	"mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};
static const char *const ext_edx[32] = {
	[11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
	[26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
};
static const char *const leaf1_ecx[32] = {
	"pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
	"cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2",
	"x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c",
	"rdrand", "hypervisor",
};
static const char *const ext_ecx[32] = {
	"lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
	"3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL,
	"nodeid_msr", NULL, "tbm", "topoext", "perfctr_core", "perfctr_nb", NULL, "bpext",
	"ptsc", "perfctr_llc", "mwaitx",
};

struct cpuinfo_x86 {
	char vendor[13];
	char model_id[BRAND_LEN + 1];
	u32 cpuid_level, ext_level;
	u32 signature;                     /* leaf 1 eax: stepping, model, family */
	u32 features[FLAG_WORDS];          /* Linux's word order: 1:edx, ext:edx, 1:ecx, ext:ecx */
	unsigned int clflush_size, phys_bits, virt_bits;
};

/* The brand string without the spaces Intel pads it with (Linux trims them too). */
static void read_model_id(struct cpuinfo_x86 *c)
{
	u32 *w = (u32 *)c->model_id;
	char *s = c->model_id, *end;

	if (c->ext_level < CPUID_BRAND_LAST) {
		strcpy(c->model_id, "unknown");
		return;
	}
	for (u32 leaf = CPUID_BRAND_FIRST; leaf <= CPUID_BRAND_LAST; leaf++, w += 4)
		cpuid(leaf, &w[0], &w[1], &w[2], &w[3]);
	c->model_id[BRAND_LEN] = '\0';
	while (*s == ' ')
		s++;
	memmove(c->model_id, s, strlen(s) + 1);
	end = c->model_id + strlen(c->model_id);
	while (end > c->model_id && end[-1] == ' ')
		*--end = '\0';
}

static void identify_cpu(struct cpuinfo_x86 *c)
{
	u32 eax, ebx, ecx, edx;

	memset(c, 0, sizeof(*c));
	cpuid(0, &c->cpuid_level, (u32 *)&c->vendor[0], (u32 *)&c->vendor[8],
	      (u32 *)&c->vendor[4]);
	cpuid(1, &c->signature, &ebx, &c->features[2], &c->features[0]);
	cpuid(CPUID_EXT_BASE, &c->ext_level, &ebx, &ecx, &edx);
	if (c->ext_level >= CPUID_EXT_FEATURES)
		cpuid(CPUID_EXT_FEATURES, &eax, &ebx, &c->features[3], &c->features[1]);
	read_model_id(c);
	cpuid(1, &eax, &ebx, &ecx, &edx);
	c->clflush_size = edx & X86_FEATURE_CLFLUSH ? ((ebx >> 8) & 0xff) * 8 :
		DEFAULT_CLFLUSH_SIZE;
	c->virt_bits = 32;
	c->phys_bits = edx & (X86_FEATURE_PAE | X86_FEATURE_PSE36) ? 36 : 32;
	if (c->ext_level >= CPUID_ADDRESS_SIZES) {
		cpuid(CPUID_ADDRESS_SIZES, &eax, &ebx, &ecx, &edx);
		c->phys_bits = eax & 0xff;
		c->virt_bits = (eax >> 8) & 0xff;
	}
}

/* Linux's x86_family and x86_model: the extended fields count from family 15 and 6 up. */
static unsigned int cpu_family(u32 sig)
{
	unsigned int family = (sig >> 8) & 0xf;

	return family == 0xf ? family + ((sig >> 20) & 0xff) : family;
}

static unsigned int cpu_model(u32 sig)
{
	unsigned int model = (sig >> 4) & 0xf;

	return cpu_family(sig) >= 6 ? model + (((sig >> 16) & 0xf) << 4) : model;
}

/* bogomips: Linux takes loops_per_jiffy from the TSC rate, which makes it twice the MHz. */
size_t cpuinfo_format(char *buf, size_t size)
{
	static const char *const *const names[FLAG_WORDS] = {
		leaf1_edx, ext_edx, leaf1_ecx, ext_ecx,
	};
	struct cpuinfo_x86 c;
	bool fpu;
	size_t n;

	identify_cpu(&c);
	fpu = c.features[0] & X86_FEATURE_FPU;
	n = snprintf(buf, size, "processor\t: 0\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n"
		     "model name\t: %s\nstepping\t: %u\n", c.vendor, cpu_family(c.signature),
		     cpu_model(c.signature), c.model_id, c.signature & 0xf);
	if (n < size && (c.features[0] & X86_FEATURE_TSC))
		n += snprintf(buf + n, size - n, "cpu MHz\t\t: %u.%03u\n", tsc_khz / 1000,
			      tsc_khz % 1000);
	if (n < size)
		n += snprintf(buf + n, size - n, "fdiv_bug\t: no\nf00f_bug\t: no\ncoma_bug\t: no\n"
			      "fpu\t\t: %s\nfpu_exception\t: %s\ncpuid level\t: %u\nwp\t\t: %s\n"
			      "flags\t\t:", fpu ? "yes" : "no", fpu ? "yes" : "no", c.cpuid_level,
			      read_cr0() & X86_CR0_WP ? "yes" : "no");
	for (int w = 0; w < FLAG_WORDS; w++)
		for (int bit = 0; bit < 32 && n < size; bit++)
			if ((c.features[w] & (1u << bit)) && names[w][bit])
				n += snprintf(buf + n, size - n, " %s", names[w][bit]);
	if (n < size)
		n += snprintf(buf + n, size - n, "\nbogomips\t: %u.%02u\nclflush size\t: %u\n"
			      "cache_alignment\t: %u\n"
			      "address sizes\t: %u bits physical, %u bits virtual\n"
			      "power management:\n\n", tsc_khz / 500, (tsc_khz / 5) % 100,
			      c.clflush_size, c.clflush_size, c.phys_bits, c.virt_bits);
	return n < size ? n : size;
}
