/*
 * kmain: the C entry point, called by boot/boot.asm on the boot stack
 * with paging on and interrupts off.  It brings the machine up in
 * dependency order -- consoles first so that anything can be reported,
 * then CPU tables, physical memory, slab, timer -- prints the banner,
 * and then runs what the command line asks for.
 */
#include <anvil/kernel.h>
#include <anvil/smp.h>
#include <anvil/smp_lock.h>
#include <anvil/profile.h>
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
#include <anvil/sched.h>
#include <anvil/switch.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/tty.h>
#include <anvil/radix-tree.h>
#include <anvil/swap.h>
#include <anvil/writeback.h>
#include <anvil/blkdev.h>
#include <anvil/futex.h>
#include <anvil/fs_struct.h>
#include <asm/desc.h>
#include <asm/acpi.h>
#include <asm/apic.h>

#define DEFAULT_INIT "/sbin/init"

static void print_banner(void)
{
	printk(KERN_NOTICE "anvil %s (git %s), an i386 teaching kernel with %s reverse mapping\n",
	       ANVIL_VERSION, ANVIL_GIT_REV, rmap_scheme);
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
	debug_locks = !kernel_flag("nolockdep");     /* lockdep: on unless asked */
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

/* Open the console as stdin, stdout and stderr of init (pid 1). */
static void open_console(void)
{
	int err;
	struct file *f = file_open_path("/dev/console", O_RDWR, 0, &err);

	if (!f) {
		printk(KERN_WARNING "init: cannot open /dev/console (%d)\n", err);
		return;
	}
	fd_install(current->files, 0, f);
	fd_install(current->files, 1, get_file(f));
	fd_install(current->files, 2, get_file(f));
}

/*
 * Task 1: a kernel thread that becomes init.  It gets a session, the
 * console and a descriptor table, then execs init= (or /sbin/init, or
 * /bin/sh as a last resort) and leaves the kernel as that program.
 */
static int kernel_init(void *unused)
{
	static const char *const envp[] = { "HOME=/", "TERM=vt100", "PATH=/bin:/sbin", NULL };
	const char *init = kernel_param("init");
	const char *candidates[] = { init && *init ? init : DEFAULT_INIT, "/bin/sh" };

	current->session = current->pgrp = current->pid;
	current->files = files_alloc();
	BUG_ON(!current->files);
	open_console();
	for (unsigned int i = 0; i < ARRAY_SIZE(candidates); i++) {
		const char *argv[] = { candidates[i], NULL };
		int err = kernel_execve(candidates[i], argv, envp);

		if (!err)
			ret_to_user(task_pt_regs(current));
		printk(KERN_ERR "init: cannot run %s (error %d)\n", candidates[i], err);
	}
	panic("No working init found.  Try passing init= option to kernel.");
}

/*
 * The boot ramfs with the device nodes, before anything runs; what is
 * the root -- a disk or the initramfs -- is decided once the disks are
 * found (prepare_namespace).
 */
static void vfs_init(void)
{
	struct inode *root;

	inode_cache_init();
	files_init();
	root = ramfs_new_root();
	set_root_inode(root);
	mnt_init(root);
	init_task.fs->cwd = path_get(root);
	devices_init();
	tty_init();
}

void kmain(unsigned long magic, unsigned long info_phys)
{
	lock_kernel();          /* the boot CPU runs kernel code: see kernel/smp_lock.c */
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
	acpi_boot_init();
	mem_init();
	bootmem_print_reserved();
	show_free_areas();
	kmem_cache_init();
	radix_tree_init();
	mmap_init();
	anon_rmap_init();
	memory_init();
	fork_init();
	futex_init();
	sched_init();
	fpu_init();
	time_init();
	APIC_init_uniprocessor();
	timekeeping_init();
	profile_init();
	serial_init();
	swap_cache_init();
	page_io_init();
	vfs_init();
	local_irq_enable();
	smp_boot_cpus();
	ata_init();
	block_devices_make_nodes();
	prepare_namespace();
	swapfile_init();

	printk(KERN_NOTICE "anvil: %lu pages free (%lu KiB)\n", nr_free_pages(),
	       nr_free_pages() * (PAGE_SIZE / 1024));
	run_requested_suites();
	if (!kernel_thread(kernel_init, NULL, "init"))     /* first: init is pid 1 */
		panic("cannot create the init task");
	kswapd_init();
	pdflush_init();
	smp_commence();
	cpu_idle();
}
