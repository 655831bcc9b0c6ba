/*
 * The /proc directory itself: its global files, the sys tree, the links
 * self (to the caller's /proc/<pid>) and mounts (to self/mounts, as Linux
 * has it), and one directory per live process.  proc_root_init mounts it.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <abi/errno.h>
#include "internal.h"

struct inode *proc_root;

/* The caller's process, whichever of its threads asks (Linux's: the tgid). */
static size_t show_self_link(char *buf, size_t size, struct task_struct *t)
{
	return snprintf(buf, size, "%d", current->tgid);
}

static size_t show_mounts_link(char *buf, size_t size, struct task_struct *t)
{
	return snprintf(buf, size, "self/mounts");
}

static const struct proc_entry root_entries[] = {
	PROC_TEXT("meminfo", show_meminfo),
	PROC_TEXT("vmstat", show_vmstat),
	PROC_TEXT("slabinfo", show_slabinfo),
	PROC_TEXT("buddyinfo", show_buddyinfo),
	PROC_TEXT("uptime", show_uptime),
	PROC_TEXT("stat", show_stat),
	PROC_TEXT("loadavg", show_loadavg),
	PROC_TEXT("version", show_version),
	PROC_TEXT("cmdline", show_cmdline),
	PROC_TEXT("swaps", show_swaps),
	PROC_TEXT("diskstats", show_diskstats),
	PROC_TEXT("cpuinfo", show_cpuinfo),
	PROC_TEXT("interrupts", show_interrupts),
	PROC_TEXT("kallsyms", show_kallsyms),
	PROC_FILE("profile", 0600, proc_profile_operations),
	PROC_FILE("kpagecount", 0400, proc_kpagecount_operations),
	PROC_FILE("kpageflags", 0400, proc_kpageflags_operations),
	PROC_LINK("mounts", show_mounts_link),
	PROC_LINK("self", show_self_link),
	PROC_DIR("sys", 0555, proc_sys_inode_operations, proc_sys_operations),
};

pid_t proc_parse_pid(const char *name, size_t len)
{
	pid_t pid = 0;

	if (!len || len > 5 || name[0] == '0')
		return 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit(name[i]))
			return 0;
		pid = pid * 10 + (name[i] - '0');
	}
	return pid;
}

static struct inode *proc_root_lookup(struct inode *dir, const char *name, size_t len)
{
	struct inode *inode = proc_lookup_entry(dir, name, len, root_entries,
						ARRAY_SIZE(root_entries));
	pid_t pid = proc_parse_pid(name, len);

	if (inode || !pid || !find_task_by_pid(pid))
		return inode;
	return proc_pid_dir(dir, name, len, pid);
}

/*
 * The lowest pid of a live process at least pid, or 0 (Linux's next_tgid).
 * Threads other than a group's leader are not listed, though each can be
 * looked up by its tid, as in Linux; /proc/<pid>/task lists them.
 */
static pid_t next_tgid(pid_t pid)
{
	struct task_struct *p;
	pid_t next = 0;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pid >= pid && p->state != EXIT_DEAD && thread_group_leader(p) &&
		    (!next || p->pid < next))
			next = p->pid;
	return next;
}

/*
 * The table, then each live process in pid order, at position
 * FIRST_PROCESS_ENTRY + pid: a getdents that stopped part way goes on
 * from the pid it reached, so a process exiting in between cannot make
 * it skip another (a position counting through the task list would).
 * Only the pid is kept across filldir, which may sleep.
 */
static int proc_root_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	const loff_t first = 2 + ARRAY_SIZE(root_entries);     /* Linux's FIRST_PROCESS_ENTRY */
	char name[12];
	pid_t pid;

	if (!proc_fill_table(f, ctx, filldir, root_entries, ARRAY_SIZE(root_entries)))
		return 0;
	for (pid = next_tgid(max(f->f_pos - first, (loff_t)1)); pid; pid = next_tgid(pid + 1)) {
		snprintf(name, sizeof(name), "%d", pid);
		if (!proc_fill(f, ctx, filldir, first + pid, name, pid, S_IFDIR))
			return 0;
	}
	return 0;
}

static const struct inode_operations proc_root_inode_operations = {
	.lookup = proc_root_lookup,
};

static const struct file_operations proc_root_operations = {
	.readdir = proc_root_readdir,
};

static const struct proc_entry proc_root_entry = {
	.name = "/proc", .mode = S_IFDIR | 0555,
	.iops = &proc_root_inode_operations, .fops = &proc_root_operations,
};

void proc_root_init(void)
{
	static struct proc_inode root_info = { .entry = &proc_root_entry };
	int err;

	proc_root = new_inode(&proc_sb, proc_root_entry.mode);
	BUG_ON(!proc_root);
	proc_root->i_nlink = 2;
	proc_root->i_op = proc_root_entry.iops;
	proc_root->i_fop = proc_root_entry.fops;
	proc_root->i_private = &root_info;
	err = vfs_mkdir(root_inode(), "/proc", 0555);
	if (err && err != -EEXIST)
		printk(KERN_ERR "proc: cannot create /proc: %d\n", err);
	err = vfs_mount("/proc", "proc", "proc", proc_root);
	if (err)
		printk(KERN_ERR "proc: cannot mount /proc: %d\n", err);
}
