/*
 * The global text files of /proc (Linux 2.6's proc_misc.c): meminfo,
 * vmstat, slabinfo, buddyinfo, uptime, stat, loadavg, version, cmdline,
 * swaps, diskstats, cpuinfo and interrupts, in Linux's formats so that
 * free, top and students' habits carry over.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/time.h>
#include <anvil/vmstat.h>
#include <anvil/cmdline.h>
#include <anvil/swap.h>
#include <anvil/blkdev.h>
#include <anvil/kallsyms.h>
#include <anvil/irq.h>
#include "internal.h"

size_t show_meminfo(char *buf, size_t size, struct task_struct *t)
{
	struct swap_totals sw = swap_totals();
	size_t n = 0;

#define KB(label, pages) \
	n = add(buf, size, n, "%-16s%8lu kB\n", label ":", (unsigned long)(pages) * KB_PER_PAGE)
	KB("MemTotal", totalram_pages);
	KB("MemFree", nr_free_pages());
	KB("MemAvailable", nr_free_pages() + vm_stat[NR_FILE_PAGES] - vm_stat[NR_SHMEM]);
	KB("Buffers", 0);
	KB("Cached", vm_stat[NR_FILE_PAGES]);
	KB("SwapCached", vm_stat[NR_SWAPCACHE]);
	KB("Active", vm_stat[NR_ACTIVE]);
	KB("Inactive", vm_stat[NR_INACTIVE]);
	KB("SwapTotal", sw.total);
	KB("SwapFree", sw.free);
	KB("Dirty", vm_stat[NR_FILE_DIRTY]);
	KB("Writeback", vm_stat[NR_WRITEBACK]);
	KB("AnonPages", vm_stat[NR_ANON_PAGES]);
	KB("Mapped", vm_stat[NR_MAPPED]);
	KB("Shmem", vm_stat[NR_SHMEM]);
	KB("Slab", slab_pages());
	KB("PageTables", nr_page_table_pages);
#undef KB
	return n;
}

size_t show_vmstat(char *buf, size_t size, struct task_struct *t)
{
	return proc_format_len(vmstat_format(buf, size), size);
}

size_t show_slabinfo(char *buf, size_t size, struct task_struct *t)
{
	return proc_format_len(slabinfo_format(buf, size), size);
}

size_t show_buddyinfo(char *buf, size_t size, struct task_struct *t)
{
	size_t n = add(buf, size, 0, "Node 0, zone %8s ", normal_zone.name);

	for (int o = 0; o < MAX_ORDER; o++)
		n = add(buf, size, n, "%6lu ", normal_zone.free_area[o].nr_free);
	return add(buf, size, n, "\n");
}

size_t show_uptime(char *buf, size_t size, struct task_struct *t)
{
	unsigned long up = jiffies, idle = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		idle += cpu_kstat(cpu)->idle;      /* summed over CPUs, as Linux does */

	return add(buf, size, 0, "%lu.%02lu %lu.%02lu\n", up / HZ, up % HZ, idle / HZ, idle % HZ);
}

static unsigned long nr_running(void)
{
	struct task_struct *p;
	unsigned long n = 0;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid > 0 && p->state == TASK_RUNNING)
			n++;
	return n;
}

static size_t add_cpu_line(char *buf, size_t size, size_t n, const char *name,
			   const struct kernel_cpustat *st)
{
	return add(buf, size, n, "%s %lu 0 %lu %lu 0 0 0 0 0 0\n", name, st->user, st->system,
		   st->idle);
}

/* Linux's /proc/stat: CPU ticks (USER_HZ = HZ) by kind, all CPUs' sum, then each CPU's. */
size_t show_stat(char *buf, size_t size, struct task_struct *t)
{
	struct kernel_cpustat sum = { 0 };
	char name[8];
	unsigned int cpu;
	size_t n;

	for_each_online_cpu(cpu) {
		sum.user += cpu_kstat(cpu)->user;
		sum.system += cpu_kstat(cpu)->system;
		sum.idle += cpu_kstat(cpu)->idle;
	}
	n = add_cpu_line(buf, size, 0, "cpu ", &sum);
	for_each_online_cpu(cpu) {
		snprintf(name, sizeof(name), "cpu%u", cpu);
		n = add_cpu_line(buf, size, n, name, cpu_kstat(cpu));
	}
	return add(buf, size, n, "intr 0\nctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %lu\n"
		   "procs_blocked 0\n", nr_context_switches,
		   (unsigned long)(current_time_sec() - jiffies / HZ), total_forks, nr_running());
}

/* anvil computes no load average: the three figures are 0.00, the counts are real. */
size_t show_loadavg(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "0.00 0.00 0.00 %lu/%lu %d\n", nr_running(), nr_tasks, last_pid);
}

size_t show_version(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "anvil version %s (git %s) i386\n", ANVIL_VERSION, ANVIL_GIT_REV);
}

size_t show_cmdline(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "%s\n", boot_params.cmdline);
}

size_t show_swaps(char *buf, size_t size, struct task_struct *t)
{
	return proc_format_len(swaps_format(buf, size), size);
}

size_t show_diskstats(char *buf, size_t size, struct task_struct *t)
{
	return proc_format_len(diskstats_format(buf, size), size);
}

/* Linux's format, "address type name"; anvil's table holds only the kernel's text. */
size_t show_kallsyms(char *buf, size_t size, struct task_struct *t)
{
	unsigned long addr;
	const char *name;
	size_t n = 0;

	for (u32 i = 0; (name = kallsyms_symbol(i, &addr)); i++)
		n = add(buf, size, n, "%08lx t %s\n", addr, name);
	return proc_format_len(n, size);
}

size_t show_cpuinfo(char *buf, size_t size, struct task_struct *t)
{
	return proc_format_len(cpuinfo_format(buf, size), size);
}

size_t show_interrupts(char *buf, size_t size, struct task_struct *t)
{
	return proc_format_len(interrupts_format(buf, size), size);
}
