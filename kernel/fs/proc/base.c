/*
 * /proc/<pid>: one directory per process (and /proc/self, a link to the
 * caller's).  Its table names the files array.c, task_mmu.c and fd.c
 * make; this file has the small ones: cmdline, exe (a link to the
 * program's file), mounts and stack (where it sleeps), and task/, one directory per thread of the
 * process, named by its tid, with the same files.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/kallsyms.h>
#include <abi/mount.h>
#include "internal.h"

#define PROC_STACK_DEPTH 32          /* frames shown, as Linux's MAX_STACK_TRACE_DEPTH of 2.6.29 */

/* The arguments, read from the process's memory (which may sleep): the mm is held meanwhile. */
static size_t show_pid_cmdline(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = get_task_mm(p);
	size_t len = mm && mm->arg_end > mm->arg_start ? mm->arg_end - mm->arg_start : 0;

	if (len && len <= size)
		len = access_process_vm(p, mm->arg_start, buf, len);
	if (mm)
		mmput(mm);
	return len;
}

/*
 * The executable's path: the file mapped at start_code (Linux 2.6's
 * proc_exe_link looked for the VM_EXECUTABLE mapping the same way).
 * Nothing if it has no name any more.
 */
static size_t show_pid_exe(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	struct vm_area_struct *vma = mm ? find_vma(mm, mm->start_code) : NULL;
	int len;

	if (!vma || vma->vm_start > mm->start_code || !vma->vm_file)
		return 0;
	len = inode_path(vma->vm_file->f_inode, buf, size);
	return len < 0 ? 0 : len;
}

/*
 * Where the task sleeps in the kernel, one "[<address>] function+off/size"
 * line per frame, innermost first, as Linux's /proc/<pid>/stack: nothing
 * while it runs.  A hung test reads it to say what it waits for.
 */
static size_t show_pid_stack(char *buf, size_t size, struct task_struct *p)
{
	unsigned long entries[PROC_STACK_DEPTH];
	unsigned int nr = save_stack_trace_tsk(p, entries, PROC_STACK_DEPTH);
	char sym[KSYM_SYMBOL_LEN];
	size_t n = 0;

	for (unsigned int i = 0; i < nr; i++) {
		sprint_backtrace(sym, sizeof(sym), entries[i]);
		n = add(buf, size, n, "[<%08lx>] %s\n", entries[i], sym);
	}
	return n;
}

struct mounts_text {
	char *buf;
	size_t size, n;
	char *path;
};

/* s with /proc/mounts' separators (space, tab, newline, backslash) as \ooo, as Linux's mangle. */
static void add_escaped(struct mounts_text *m, const char *s)
{
	for (; *s; s++)
		m->n = add(m->buf, m->size, m->n, strchr(" \t\n\\", *s) ? "\\%03o" : "%c", *s);
}

/* One line: "device mount-point type options 0 0", the options in Linux's show_vfsmnt order. */
static void show_mount(void *ctx, const char *devname, struct inode *mountpoint,
		       const char *fstype, unsigned long flags)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} options[] = {
		{ MS_SYNCHRONOUS, ",sync" }, { MS_DIRSYNC, ",dirsync" }, { MS_MANDLOCK, ",mand" },
		{ MS_LAZYTIME, ",lazytime" }, { MS_NOSUID, ",nosuid" }, { MS_NODEV, ",nodev" },
		{ MS_NOEXEC, ",noexec" }, { MS_NOATIME, ",noatime" },
		{ MS_NODIRATIME, ",nodiratime" }, { MS_RELATIME, ",relatime" },
		{ MS_NOSYMFOLLOW, ",nosymfollow" },
	};
	struct mounts_text *m = ctx;

	if (inode_path(mountpoint, m->path, PATH_MAX) < 0)
		return;
	add_escaped(m, devname);
	m->n = add(m->buf, m->size, m->n, " ");
	add_escaped(m, m->path);
	m->n = add(m->buf, m->size, m->n, " %s %s", fstype, flags & MS_RDONLY ? "ro" : "rw");
	for (unsigned int i = 0; i < ARRAY_SIZE(options); i++)
		if (flags & options[i].flag)
			m->n = add(m->buf, m->size, m->n, "%s", options[i].name);
	m->n = add(m->buf, m->size, m->n, " 0 0\n");
}

/* The mount table (kernel/fs/namespace.c), the same for every process: anvil has one namespace. */
static size_t show_pid_mounts(char *buf, size_t size, struct task_struct *p)
{
	struct mounts_text m = { buf, size, 0, kmalloc(PATH_MAX, GFP_KERNEL) };

	if (!m.path)
		return size + 1;                 /* as if it did not fit: tried again, or -ENOMEM */
	iterate_mounts(show_mount, &m);
	kfree(m.path);
	return m.n;
}

static const struct inode_operations proc_task_inode_operations;
static const struct file_operations proc_task_operations;

/* task/ comes last: a thread's own directory has all the others but it (as in Linux). */
static const struct proc_entry pid_entries[] = {
	PROC_TEXT("stat", show_pid_stat),
	PROC_TEXT("statm", show_pid_statm),
	PROC_TEXT("status", show_pid_status),
	PROC_FILE("maps", 0444, proc_maps_operations),
	PROC_FILE("pagemap", 0400, proc_pagemap_operations),
	PROC_TEXT("cmdline", show_pid_cmdline),
	PROC_LINK("exe", show_pid_exe),
	PROC_TEXT("mounts", show_pid_mounts),
	PROC_TEXT("stack", show_pid_stack),
	PROC_DIR("fd", 0500, proc_fd_inode_operations, proc_fd_operations),
	PROC_DIR("task", 0555, proc_task_inode_operations, proc_task_operations),
};

static const struct proc_entry proc_pid_entry = PROC_TABLE_DIR("<pid>", pid_entries);
static const struct proc_entry proc_tid_entry = {
	.name = "<tid>", .mode = S_IFDIR | 0555, .iops = &proc_table_inode_operations,
	.fops = &proc_table_operations, .subdir = pid_entries,
	.nr_subdir = ARRAY_SIZE(pid_entries) - 1,
};

/* Thread tid, if it is one of process pid's. */
static struct task_struct *find_thread(pid_t pid, pid_t tid)
{
	struct task_struct *t = find_task_by_pid(tid);

	return t && t->tgid == pid ? t : NULL;
}

static struct inode *proc_task_lookup(struct inode *dir, const char *name, size_t len)
{
	pid_t tid = proc_parse_pid(name, len);

	if (!tid || !find_thread(PROC_I(dir)->pid, tid))
		return NULL;
	return proc_new_inode(dir, name, len, proc_tid_entry.mode, &proc_tid_entry, tid);
}

/* The lowest tid of process pid's live threads at least tid, or 0. */
static pid_t next_tid(pid_t pid, pid_t tid)
{
	struct task_struct *p;
	pid_t next = 0;

	list_for_each_entry(p, &task_list, tasks)
		if (p->tgid == pid && p->pid >= tid && p->state != EXIT_DEAD &&
		    (!next || p->pid < next))
			next = p->pid;
	return next;
}

/*
 * ".", "..", then each thread at position 2 + tid, in tid order: as
 * /proc itself, a getdents that stopped part way goes on from the tid it
 * reached, and only the tid is kept across filldir, which may sleep.
 */
static int proc_task_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	pid_t pid = PROC_I(f->f_inode)->pid, tid;
	char name[12];

	if (!proc_fill_table(f, ctx, filldir, NULL, 0))
		return 0;
	for (tid = next_tid(pid, max(f->f_pos - 2, (loff_t)1)); tid; tid = next_tid(pid, tid + 1)) {
		snprintf(name, sizeof(name), "%d", tid);
		if (!proc_fill(f, ctx, filldir, 2 + tid, name, tid, S_IFDIR))
			return 0;
	}
	return 0;
}

static const struct inode_operations proc_task_inode_operations = {
	.lookup = proc_task_lookup,
};

static const struct file_operations proc_task_operations = {
	.readdir = proc_task_readdir,
};

/* The inode of /proc/<pid> (dir is /proc, name the pid). */
struct inode *proc_pid_dir(struct inode *dir, const char *name, size_t len, pid_t pid)
{
	return proc_new_inode(dir, name, len, proc_pid_entry.mode, &proc_pid_entry, pid);
}
