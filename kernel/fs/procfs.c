/*
 * /proc: text views of the kernel, in Linux's formats so that ps, free
 * and students' habits carry over.  A /proc file's whole text is made
 * when it is opened (into a buffer that grows until the text fits) and
 * read from there.  Inodes are made on lookup and freed when unused;
 * /proc/<pid> directories exist for every live process, /proc/self for
 * the caller.  /proc/<pid>/exe is a symbolic link whose target is made
 * the same way, at lookup.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/mmzone.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/time.h>
#include <anvil/uaccess.h>
#include <anvil/vmstat.h>
#include <anvil/cmdline.h>
#include <anvil/multiboot.h>
#include <anvil/swap.h>
#include <anvil/tty.h>
#include <abi/errno.h>
#include <abi/misc.h>

#define PROC_BUF_MIN_ORDER 0
#define PROC_BUF_MAX_ORDER 8            /* 1 MiB of text at most */
#define MAPS_NAME_COLUMN 48             /* Linux pads /proc/<pid>/maps names to here (32-bit) */
#define KB_PER_PAGE (PAGE_SIZE / 1024)

struct proc_entry {
	const char *name;
	/* write the text into buf (at most size bytes); return the full length */
	size_t (*show)(char *buf, size_t size, struct task_struct *t);
	bool link;                          /* a symbolic link to the text, not a file */
};

/* what a /proc inode stands for */
struct proc_inode_info {
	const struct proc_entry *entry;     /* NULL for a /proc/<pid> directory */
	pid_t pid;                          /* 0 for global entries */
};

struct proc_buf {
	char *text;
	size_t len;
	unsigned int order;
};

/* snprintf that appends at *n and never runs past size */
static size_t __printf(4, 5) add(char *buf, size_t size, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (n >= size)
		return n + 1;
	va_start(ap, fmt);
	n += vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- global files ------------------------------------------------------ */

static size_t show_meminfo(char *buf, size_t size, struct task_struct *t)
{
	struct swap_totals sw = swap_totals();
	size_t n = 0;

#define KB(label, pages) n = add(buf, size, n, "%-16s%8lu kB\n", label ":", (unsigned long)(pages) * KB_PER_PAGE)
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
	KB("Writeback", vm_stat[NR_WRITEBACK]);
	KB("AnonPages", vm_stat[NR_ANON_PAGES]);
	KB("Mapped", vm_stat[NR_MAPPED]);
	KB("Shmem", vm_stat[NR_SHMEM]);
	KB("Slab", slab_pages());
	KB("PageTables", nr_page_table_pages);
#undef KB
	return n;
}

static size_t show_vmstat(char *buf, size_t size, struct task_struct *t)
{
	size_t n = vmstat_format(buf, size);

	return n >= size - 1 ? size + 1 : n;     /* full: ask for a bigger buffer */
}

static size_t show_slabinfo(char *buf, size_t size, struct task_struct *t)
{
	size_t n = slabinfo_format(buf, size);

	return n >= size - 1 ? size + 1 : n;
}

static size_t show_buddyinfo(char *buf, size_t size, struct task_struct *t)
{
	size_t n = add(buf, size, 0, "Node 0, zone %8s ", normal_zone.name);

	for (int o = 0; o < MAX_ORDER; o++)
		n = add(buf, size, n, "%6lu ", normal_zone.free_area[o].nr_free);
	return add(buf, size, n, "\n");
}

static size_t show_uptime(char *buf, size_t size, struct task_struct *t)
{
	unsigned long up = jiffies, idle = init_task.stime;

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

/* Linux's /proc/stat: CPU ticks (USER_HZ = HZ) by kind, for cpu and cpu0 alike. */
static size_t show_stat(char *buf, size_t size, struct task_struct *t)
{
	size_t n = 0;

	for (int cpu = -1; cpu < 1; cpu++) {
		n = add(buf, size, n, cpu < 0 ? "cpu " : "cpu%d", cpu);
		n = add(buf, size, n, " %lu 0 %lu %lu 0 0 0 0 0 0\n", kcpustat.user, kcpustat.system,
			kcpustat.idle);
	}
	return add(buf, size, n, "intr 0\nctxt %lu\nbtime %lu\nprocesses %lu\nprocs_running %lu\n"
		   "procs_blocked 0\n", nr_context_switches,
		   (unsigned long)(current_time_sec() - jiffies / HZ), total_forks, nr_running());
}

/* anvil computes no load average: the three figures are 0.00, the counts are real. */
static size_t show_loadavg(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "0.00 0.00 0.00 %lu/%lu %d\n", nr_running(), nr_tasks, last_pid);
}

static size_t show_version(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "anvil version %s (git %s) i386\n", ANVIL_VERSION, ANVIL_GIT_REV);
}

static size_t show_cmdline(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "%s\n", boot_params.cmdline);
}

static size_t show_swaps(char *buf, size_t size, struct task_struct *t)
{
	size_t n = swaps_format(buf, size);

	return n >= size - 1 ? size + 1 : n;
}

/* ---- per-process files ------------------------------------------------- */

static char task_state_char(const struct task_struct *p)
{
	switch (p->state & ~TASK_WAKEKILL) {     /* a killable sleep is a 'D' one */
	case TASK_RUNNING:
		return 'R';
	case TASK_INTERRUPTIBLE:
		return 'S';
	case TASK_UNINTERRUPTIBLE:
		return 'D';
	case TASK_STOPPED:
		return 'T';
	case EXIT_ZOMBIE:
		return 'Z';
	default:
		return 'X';
	}
}

static unsigned long task_rss(const struct task_struct *p)
{
	return p->mm ? p->mm->anon_rss + p->mm->file_rss : 0;
}

static size_t show_pid_stat(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	size_t n;

	n = add(buf, size, 0, "%d (%s) %c %d %d %d %d %d %u %lu 0 %lu 0 %lu %lu %lu %lu 20 0 1 0 %lu",
		p->pid, p->comm, task_state_char(p), p->parent ? p->parent->pid : 0, p->pgrp,
		p->session, p->tty ? 0x0501 : 0, p->tty ? p->tty->pgrp : -1,
		(unsigned int)p->flags, p->min_flt, p->maj_flt, p->utime, p->stime, p->cutime,
		p->cstime, p->start_time);
	n = add(buf, size, n, " %lu %lu %lu %lu %lu %lu 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0",
		mm ? mm->total_vm * PAGE_SIZE : 0, task_rss(p), RLIM_INFINITY,
		mm ? mm->start_code : 0, mm ? mm->end_code : 0, mm ? mm->start_stack : 0,
		p->exit_signal);
	return add(buf, size, n, " %lu %lu %lu %lu %lu %lu %lu %d\n",
		   mm ? mm->start_data : 0, mm ? mm->end_data : 0, mm ? mm->start_brk : 0,
		   mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, mm ? mm->env_start : 0,
		   mm ? mm->env_end : 0, p->state == EXIT_ZOMBIE ? p->exit_code : 0);
}

static size_t show_pid_statm(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;

	if (!mm)
		return add(buf, size, 0, "0 0 0 0 0 0 0\n");
	return add(buf, size, 0, "%lu %lu %lu %lu 0 %lu 0\n", mm->total_vm,
		   mm->anon_rss + mm->file_rss, mm->file_rss,
		   (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT,
		   (mm->brk - mm->start_data) >> PAGE_SHIFT);
}

static size_t show_pid_status(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	size_t n;

	n = add(buf, size, 0, "Name:\t%s\nState:\t%c\nPid:\t%d\nPPid:\t%d\nUid:\t0\t0\t0\t0\n"
		"Gid:\t0\t0\t0\t0\n", p->comm, task_state_char(p), p->pid,
		p->parent ? p->parent->pid : 0);
	if (mm)            /* VmPin: get_user_pages pins nothing in anvil */
		n = add(buf, size, n, "VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n"
			"VmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\n"
			"RssFile:\t%8lu kB\nVmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n",
			mm->total_vm * KB_PER_PAGE, mm->locked_vm * KB_PER_PAGE, 0UL,
			task_rss(p) * KB_PER_PAGE,
			mm->anon_rss * KB_PER_PAGE, mm->file_rss * KB_PER_PAGE,
			mm->nr_ptes * KB_PER_PAGE, mm->swap_ents * KB_PER_PAGE);
	return add(buf, size, n, "SigPnd:\t%08lx%08lx\nSigBlk:\t%08lx%08lx\n",
		   p->pending.sig[1], p->pending.sig[0], p->blocked.sig[1], p->blocked.sig[0]);
}

static size_t show_pid_maps(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	char *path = NULL;
	size_t n = 0;

	if (!mm)
		return 0;
	path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!path)
		return size + 1;
	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next) {
		struct inode *inode = vma->vm_file ? vma->vm_file->f_inode : NULL;
		const char *name = NULL;
		size_t start = n;

		n = add(buf, size, n, "%08lx-%08lx %c%c%c%c %08lx %02x:%02x %lu", vma->vm_start,
			vma->vm_end, (vma->vm_flags & VM_READ) ? 'r' : '-',
			(vma->vm_flags & VM_WRITE) ? 'w' : '-', (vma->vm_flags & VM_EXEC) ? 'x' : '-',
			(vma->vm_flags & VM_MAYSHARE) ? 's' : 'p',
			inode ? vma->vm_pgoff << PAGE_SHIFT : 0, 0, inode ? 1 : 0,
			inode ? inode->i_ino : 0);
		if (inode && inode->i_mapping->swap_backed)
			name = "/dev/zero (deleted)";    /* shared anonymous memory, as Linux shows it */
		else if (inode && inode_path(inode, path, PATH_MAX) >= 0)
			name = path;
		else if (!inode && vma->vm_start <= mm->start_brk && vma->vm_end >= mm->brk &&
			 mm->brk > mm->start_brk)
			name = "[heap]";
		else if (!inode && vma->vm_start <= mm->start_stack - 1 &&
			 vma->vm_end >= mm->start_stack)
			name = "[stack]";
		if (name)
			n = add(buf, size, n, "%*s%s", (int)max((long)MAPS_NAME_COLUMN - (long)(n - start),
							      1L), "", name);
		n = add(buf, size, n, "\n");
	}
	kfree(path);
	return n;
}

static size_t show_pid_cmdline(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	size_t len;

	if (!mm || mm->arg_end <= mm->arg_start)
		return 0;
	len = mm->arg_end - mm->arg_start;
	if (len > size)
		return len;
	return access_process_vm(p, mm->arg_start, buf, len);
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

static const struct proc_entry root_entries[] = {
	{ "meminfo", show_meminfo, false },
	{ "vmstat", show_vmstat, false },
	{ "slabinfo", show_slabinfo, false },
	{ "buddyinfo", show_buddyinfo, false },
	{ "uptime", show_uptime, false },
	{ "stat", show_stat, false },
	{ "loadavg", show_loadavg, false },
	{ "version", show_version, false },
	{ "cmdline", show_cmdline, false },
	{ "swaps", show_swaps, false },
};

static const struct proc_entry pid_entries[] = {
	{ "stat", show_pid_stat, false },
	{ "statm", show_pid_statm, false },
	{ "status", show_pid_status, false },
	{ "maps", show_pid_maps, false },
	{ "cmdline", show_pid_cmdline, false },
	{ "exe", show_pid_exe, true },
};

/* ---- files ------------------------------------------------------------- */

static int proc_file_open(struct inode *inode, struct file *f)
{
	struct proc_inode_info *info = inode->i_private;
	struct task_struct *t = NULL;
	struct proc_buf *pb;

	if (file_writable(f))
		return -EACCES;
	if (info->pid) {
		t = find_task_by_pid(info->pid);
		if (!t)
			return -ESRCH;
	}
	pb = kzalloc(sizeof(*pb), GFP_KERNEL);
	if (!pb)
		return -ENOMEM;
	for (pb->order = PROC_BUF_MIN_ORDER; pb->order <= PROC_BUF_MAX_ORDER; pb->order++) {
		size_t size = PAGE_SIZE << pb->order;

		pb->text = (char *)__get_free_pages(GFP_KERNEL, pb->order);
		if (!pb->text)
			break;
		pb->len = info->entry->show(pb->text, size, t);
		if (pb->len < size)
			break;
		free_pages((unsigned long)pb->text, pb->order);
		pb->text = NULL;
	}
	if (!pb->text) {
		kfree(pb);
		return -ENOMEM;
	}
	f->private_data = pb;
	return 0;
}

static ssize_t proc_file_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	struct proc_buf *pb = f->private_data;
	size_t n;

	if (*pos >= (loff_t)pb->len)
		return 0;
	n = min(count, pb->len - (size_t)*pos);
	if (copy_to_user(ubuf, pb->text + *pos, n))
		return -EFAULT;
	*pos += n;
	return n;
}

static void proc_file_release(struct inode *inode, struct file *f)
{
	struct proc_buf *pb = f->private_data;

	free_pages((unsigned long)pb->text, pb->order);
	kfree(pb);
}

static const struct file_operations proc_file_operations = {
	.open = proc_file_open,
	.read = proc_file_read,
	.llseek = generic_file_llseek,
	.release = proc_file_release,
};

/* ---- directories -------------------------------------------------------- */

static struct inode *proc_root;
static const struct inode_operations proc_root_inode_operations;
static const struct inode_operations proc_pid_inode_operations;
static const struct file_operations proc_root_operations;
static const struct file_operations proc_pid_operations;

static void proc_evict(struct inode *inode)
{
	kfree(inode->i_private);
}

static struct inode *proc_make_inode(umode_t mode, const struct proc_entry *entry, pid_t pid)
{
	struct inode *inode = new_inode(mode);
	struct proc_inode_info *info = kzalloc(sizeof(*info), GFP_KERNEL);

	if (!inode || !info) {
		kfree(info);
		if (inode) {
			inode->i_nlink = 0;
			iput(inode);
		}
		return NULL;
	}
	info->entry = entry;
	info->pid = pid;
	inode->i_private = info;
	inode->i_evict = proc_evict;
	inode->i_nlink = 0;          /* in no ramfs directory: freed with its last reference */
	if (S_ISDIR(mode)) {
		inode->i_op = &proc_pid_inode_operations;
		inode->i_fop = &proc_pid_operations;
		inode->i_parent = proc_root;
	} else {
		inode->i_fop = &proc_file_operations;
	}
	return inode;
}

/* A link entry: its target is the entry's text, made now (empty: there is none). */
static struct inode *proc_make_link(const struct proc_entry *entry, pid_t pid)
{
	struct task_struct *t = find_task_by_pid(pid);
	char *target = kmalloc(PATH_MAX, GFP_KERNEL);
	size_t len = target && t ? entry->show(target, PATH_MAX, t) : 0;
	struct inode *inode = len && len < PATH_MAX ?
		proc_make_inode(S_IFLNK | 0777, entry, pid) : NULL;

	if (!inode) {
		kfree(target);
		return NULL;
	}
	inode->i_link = target;
	inode->i_size = len;
	return inode;
}

static bool name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(name, s, len);
}

static pid_t parse_pid(const char *name, size_t len)
{
	pid_t pid = 0;

	if (!len || len > 5)
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
	pid_t pid;

	for (unsigned int i = 0; i < ARRAY_SIZE(root_entries); i++)
		if (name_is(name, len, root_entries[i].name))
			return proc_make_inode(S_IFREG | 0444, &root_entries[i], 0);
	pid = name_is(name, len, "self") ? current->pid : parse_pid(name, len);
	if (!pid || !find_task_by_pid(pid))
		return NULL;
	return proc_make_inode(S_IFDIR | 0555, NULL, pid);
}

static struct inode *proc_pid_lookup(struct inode *dir, const char *name, size_t len)
{
	struct proc_inode_info *info = dir->i_private;

	for (unsigned int i = 0; i < ARRAY_SIZE(pid_entries); i++) {
		if (!name_is(name, len, pid_entries[i].name))
			continue;
		if (pid_entries[i].link)
			return proc_make_link(&pid_entries[i], info->pid);
		return proc_make_inode(S_IFREG | 0444, &pid_entries[i], info->pid);
	}
	return NULL;
}

/* readdir positions: 0 ".", 1 "..", then the entries, then (root) one per process */
static int proc_readdir(struct file *f, void *ctx, filldir_t filldir,
			const struct proc_entry *entries, unsigned int nr, bool pids)
{
	struct inode *dir = f->f_inode;
	char name[12];
	loff_t pos = 2;
	struct task_struct *p;

	if (f->f_pos == 0 && !filldir(ctx, ".", 1, 1, dir->i_ino, DT_DIR))
		return 0;
	if (f->f_pos == 0)
		f->f_pos = 1;
	if (f->f_pos == 1 && !filldir(ctx, "..", 2, 2, dir->i_parent->i_ino, DT_DIR))
		return 0;
	if (f->f_pos == 1)
		f->f_pos = 2;
	for (unsigned int i = 0; i < nr; i++, pos++) {
		if (pos < f->f_pos)
			continue;
		if (!filldir(ctx, entries[i].name, strlen(entries[i].name), pos + 1, 0,
			     entries[i].link ? DT_LNK : DT_REG))
			return 0;
		f->f_pos = pos + 1;
	}
	if (!pids)
		return 0;
	list_for_each_entry(p, &task_list, tasks) {
		if (p->pid <= 0 || p->state == EXIT_DEAD)
			continue;
		if (pos++ < f->f_pos)
			continue;
		snprintf(name, sizeof(name), "%d", p->pid);
		if (!filldir(ctx, name, strlen(name), pos, p->pid, DT_DIR))
			return 0;
		f->f_pos = pos;
	}
	return 0;
}

static int proc_root_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	return proc_readdir(f, ctx, filldir, root_entries, ARRAY_SIZE(root_entries), true);
}

static int proc_pid_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	return proc_readdir(f, ctx, filldir, pid_entries, ARRAY_SIZE(pid_entries), false);
}

static const struct inode_operations proc_root_inode_operations = {
	.lookup = proc_root_lookup,
};
static const struct inode_operations proc_pid_inode_operations = {
	.lookup = proc_pid_lookup,
};
static const struct file_operations proc_root_operations = {
	.readdir = proc_root_readdir,
};
static const struct file_operations proc_pid_operations = {
	.readdir = proc_pid_readdir,
};

void proc_root_init(void)
{
	int err;

	proc_root = new_inode(S_IFDIR | 0555);
	BUG_ON(!proc_root);
	proc_root->i_nlink = 2;
	proc_root->i_op = &proc_root_inode_operations;
	proc_root->i_fop = &proc_root_operations;
	err = vfs_mkdir(root_inode(), "/proc", 0555);
	if (err && err != -EEXIST)
		printk(KERN_ERR "proc: cannot create /proc: %d\n", err);
	err = vfs_mount("/proc", proc_root);
	if (err)
		printk(KERN_ERR "proc: cannot mount /proc: %d\n", err);
}
