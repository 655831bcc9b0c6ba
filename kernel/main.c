/*
 * kmain: the C entry point, called by boot/boot.asm on the boot stack
 * with paging on and interrupts off.  It brings the machine up in
 * dependency order -- consoles first so that anything can be reported,
 * then CPU tables, physical memory, slab, timer -- prints the banner,
 * and then runs what the command line asks for.
 */
#include <anvil/kernel.h>
#include <anvil/setup.h>
#include <anvil/multiboot.h>
#include <anvil/cmdline.h>
#include <anvil/serial.h>
#include <anvil/irq.h>
#include <anvil/time.h>
#include <anvil/mm.h>
#include <anvil/bootmem.h>
#include <anvil/slab.h>
#include <anvil/ktest.h>
#include <anvil/kbench.h>
#include <anvil/reboot.h>
#include <asm/desc.h>

static void print_banner(void)
{
	printk(KERN_NOTICE "anvil %s (git %s), an i386 teaching kernel with anon_vma reverse mapping\n",
	       ANVIL_VERSION, ANVIL_GIT_REV);
}

static void print_command_line(void)
{
	if (boot_params.image[0])
		printk(KERN_INFO "Kernel image: %s\n", boot_params.image);
	printk(KERN_NOTICE "Kernel command line: %s\n", boot_params.cmdline);
	for (int i = 0; i < kernel_cmdline.nr; i++) {
		const struct cmdline_param *p = &kernel_cmdline.params[i];

		if (*p->value)
			printk(KERN_INFO "  param %s = \"%s\"\n", p->key, p->value);
		else
			printk(KERN_INFO "  flag  %s\n", p->key);
	}
}

static void parse_early_params(void)
{
	const char *v;

	if (cmdline_parse(&kernel_cmdline, boot_params.cmdline) < 0)
		printk(KERN_WARNING "command line: more than %d parameters, the rest ignored\n",
		       CMDLINE_MAX_PARAMS);
	if (kernel_flag("quiet"))
		console_loglevel = CONSOLE_LOGLEVEL_QUIET;
	v = kernel_param("loglevel");
	if (v && *v)
		console_loglevel = (int)cmdline_get_long(&kernel_cmdline, "loglevel",
							 CONSOLE_LOGLEVEL_DEFAULT);
	v = kernel_param("slab_debug");
	if (v)
		slab_debug_default = strcmp(v, "0") != 0;
}

/* Test and bench boots end here: report, then leave QEMU with a status. */
static void run_requested_suites(void)
{
	const char *tests = kernel_param("test");
	const char *bench = kernel_param("bench");
	const char *crash = kernel_param("crash");

	if (crash)
		crashtest_run(crash);
	if (tests) {
		int failed = run_ktests(tests);

		qemu_debug_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	}
	if (bench) {
		run_kbench(bench);
		qemu_debug_exit(QEMU_EXIT_PASS);
	}
}

void kmain(unsigned long magic, unsigned long info_phys)
{
	time_early_init();
	gdt_init();
	serial_early_init();
	vga_init();
	print_banner();
	if (!multiboot_parse(magic, info_phys))
		panic("cannot continue without valid Multiboot information");
	parse_early_params();
	print_command_line();
	multiboot_print_memory_map();

	idt_init();
	init_IRQ();
	bootmem_init();
	paging_init();
	mem_init();
	kmem_cache_init();
	time_init();
	serial_init();
	local_irq_enable();

	printk(KERN_NOTICE "anvil: %lu pages free (%lu KiB)\n", nr_free_pages(),
	       nr_free_pages() * (PAGE_SIZE / 1024));
	run_requested_suites();
	printk(KERN_NOTICE "anvil: nothing more to run; idling (Ctrl-A X leaves QEMU)\n");
	for (;;)
		safe_halt();
}
