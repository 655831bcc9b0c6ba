/*
 * /proc inodes and the kinds of file most entries are.  An inode is made
 * on each lookup and freed when unused; it holds its directory, so ".."
 * stays valid.  A text file's whole text is made when it is opened (into
 * a buffer that grows until the text fits) and read from there; a link's
 * target is made at lookup; a table directory lists a fixed set of names.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <abi/errno.h>
#include <abi/statfs.h>
#include <abi/kernel-page-flags.h>
#include "internal.h"

#define PROC_BUF_MIN_ORDER 0
#define PROC_BUF_MAX_ORDER 8            /* 1 MiB of text at most */

/*
 * The path of a /proc inode: the names it and the directories above it
 * were looked up by, after /proc's own path.  (They are in no ramfs
 * directory, so inode_path cannot find them; /proc/<pid>/fd shows this.)
 */
static int proc_dname(struct inode *inode, char *buf, size_t size)
{
	int len, n;

	if (inode == proc_root)
		return inode_path(inode, buf, size);
	len = proc_dname(inode->i_parent, buf, size);
	if (len < 0)
		return len;
	n = snprintf(buf + len, size - len, "/%s", PROC_I(inode)->name);
	return len + n < (int)size ? len + n : -ENAMETOOLONG;
}

static const struct super_operations proc_super_operations = {
	.statfs = simple_statfs,
	.dname = proc_dname,
};

struct super_block proc_sb = {
	.s_magic = PROC_SUPER_MAGIC,
	.s_blocksize = PAGE_SIZE,
	.s_op = &proc_super_operations,
};

/* snprintf that appends at n and never runs past size; the length the text would have */
size_t add(char *buf, size_t size, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (n >= size)
		return n + 1;
	va_start(ap, fmt);
	n += vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * The length a *_format function (vmstat_format, swaps_format, ...)
 * returned, as a show returns it: one that filled the buffer may have
 * been cut, so it asks for a bigger one.
 */
size_t proc_format_len(size_t n, size_t size)
{
	return n >= size - 1 ? size + 1 : n;
}

/* ---- inodes ------------------------------------------------------------- */

static void proc_evict(struct inode *inode)
{
	iput(inode->i_parent);
	kfree(inode->i_private);
}

/* A new inode for entry (of process pid) found in dir under name, holding dir. */
struct inode *proc_new_inode(struct inode *dir, const char *name, size_t len, umode_t mode,
			     const struct proc_entry *entry, pid_t pid)
{
	struct inode *inode = new_inode(&proc_sb, mode);
	struct proc_inode *info = kzalloc(sizeof(*info) + len + 1, GFP_KERNEL);
	struct task_struct *t;

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
	if (pid && (t = find_task_by_pid(pid)))        /* /proc/<pid>: the process's, as Linux */
		task_dump_owner(t, mode, &inode->i_uid, &inode->i_gid);
	memcpy(info->name, name, len);
	inode->i_private = info;
	inode->i_evict = proc_evict;
	inode->i_nlink = 0;          /* in no ramfs directory: freed with its last reference */
	inode->i_parent = igrab(dir);
	if (entry) {
		inode->i_op = entry->iops;
		inode->i_fop = entry->show && S_ISREG(mode) ? &proc_text_operations : entry->fops;
	}
	return inode;
}

/* A link to target (target_len bytes, kmalloc'd: the inode takes it), or NULL. */
struct inode *proc_new_link(struct inode *dir, const char *name, size_t len, umode_t mode,
			    pid_t pid, char *target, size_t target_len)
{
	struct inode *inode = proc_new_inode(dir, name, len, mode, NULL, pid);

	if (!inode) {
		kfree(target);
		return NULL;
	}
	inode->i_link = target;
	inode->i_size = target_len;
	return inode;
}

/*
 * A link entry: its target is the entry's text for the process, made now.
 * The buffer comes first: the process is looked up only after the last
 * allocation that may sleep, so it cannot exit meanwhile.
 */
static struct inode *proc_entry_link(struct inode *dir, const struct proc_entry *entry,
				     pid_t pid)
{
	size_t name_len = strlen(entry->name);
	char *target = kmalloc(PATH_MAX, GFP_KERNEL);
	struct task_struct *t = pid ? find_task_by_pid(pid) : NULL;
	size_t len = target && (t || !pid) ? entry->show(target, PATH_MAX, t) : 0;

	if (!len || len >= PATH_MAX) {       /* none (the file has no name any more) */
		kfree(target);
		return NULL;
	}
	return proc_new_link(dir, entry->name, name_len, entry->mode, pid, target, len);
}

static bool name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(name, s, len);
}

/* The inode for name among entries (in dir, of dir's process), or NULL. */
struct inode *proc_lookup_entry(struct inode *dir, const char *name, size_t len,
				const struct proc_entry *entries, unsigned int nr)
{
	pid_t pid = PROC_I(dir)->pid;

	for (unsigned int i = 0; i < nr; i++) {
		const struct proc_entry *e = &entries[i];

		if (!name_is(name, len, e->name))
			continue;
		if (pid && !find_task_by_pid(pid))
			return NULL;                 /* the process is gone */
		if (S_ISLNK(e->mode))
			return proc_entry_link(dir, e, pid);
		return proc_new_inode(dir, name, len, e->mode, e, pid);
	}
	return NULL;
}

/* ---- readdir -------------------------------------------------------------- */

/*
 * getdents positions: 0 ".", 1 "..", 2 on the directory's table, then
 * whatever else it lists (processes, descriptors).  proc_fill gives the
 * name at pos unless an earlier call did; false once the buffer is full.
 */
bool proc_fill(struct file *f, void *ctx, filldir_t filldir, loff_t pos, const char *name,
	       unsigned long ino, umode_t mode)
{
	if (pos < f->f_pos)
		return true;
	if (!filldir(ctx, name, strlen(name), pos + 1, ino, (mode & S_IFMT) >> 12))
		return false;
	f->f_pos = pos + 1;
	return true;
}

/* ".", ".." and the table: positions 0 to nr + 1. */
bool proc_fill_table(struct file *f, void *ctx, filldir_t filldir,
		     const struct proc_entry *entries, unsigned int nr)
{
	struct inode *dir = f->f_inode;

	if (!proc_fill(f, ctx, filldir, 0, ".", dir->i_ino, S_IFDIR) ||
	    !proc_fill(f, ctx, filldir, 1, "..", dir->i_parent->i_ino, S_IFDIR))
		return false;
	for (unsigned int i = 0; i < nr; i++)
		if (!proc_fill(f, ctx, filldir, 2 + i, entries[i].name, 0, entries[i].mode))
			return false;
	return true;
}

/* ---- table directories ---------------------------------------------------- */

static struct inode *proc_table_lookup(struct inode *dir, const char *name, size_t len)
{
	const struct proc_entry *e = PROC_I(dir)->entry;

	return proc_lookup_entry(dir, name, len, e->subdir, e->nr_subdir);
}

static int proc_table_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	const struct proc_entry *e = PROC_I(f->f_inode)->entry;

	proc_fill_table(f, ctx, filldir, e->subdir, e->nr_subdir);
	return 0;
}

const struct inode_operations proc_table_inode_operations = {
	.lookup = proc_table_lookup,
};

const struct file_operations proc_table_operations = {
	.readdir = proc_table_readdir,
};

/* ---- text files ------------------------------------------------------------ */

struct proc_buf {
	char *text;
	size_t len;
	unsigned int order;
};

/*
 * Make the whole text now, in a buffer doubled until it fits.  A
 * per-process show may sleep (allocating, reading the process's memory),
 * so it gets the process with a reference (Linux's get_pid_task): one
 * that exits and is reaped meanwhile leaves its struct until the put.
 */
static int proc_text_open(struct inode *inode, struct file *f)
{
	struct proc_inode *info = PROC_I(inode);
	struct task_struct *t = NULL;
	struct proc_buf *pb;

	pb = kzalloc(sizeof(*pb), GFP_KERNEL);
	if (!pb)
		return -ENOMEM;
	if (info->pid && !(t = get_task_struct(find_task_by_pid(info->pid)))) {
		kfree(pb);
		return -ESRCH;
	}
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
	put_task_struct(t);
	if (!pb->text) {
		kfree(pb);
		return -ENOMEM;
	}
	f->private_data = pb;
	return 0;
}

static ssize_t proc_text_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
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

/*
 * A write to a read-only /proc file root opened for writing (its mode
 * does not stop CAP_DAC_OVERRIDE): Linux's proc_reg_write says EIO for a
 * global entry that has no write; a per-process file has no write
 * operation at all, which the VFS answers with EINVAL.
 */
ssize_t proc_no_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	return PROC_I(f->f_inode)->pid ? -EINVAL : -EIO;
}

static void proc_text_release(struct inode *inode, struct file *f)
{
	struct proc_buf *pb = f->private_data;

	free_pages((unsigned long)pb->text, pb->order);
	kfree(pb);
}

const struct file_operations proc_text_operations = {
	.open = proc_text_open,
	.read = proc_text_read,
	.write = proc_no_write,
	.llseek = generic_file_llseek,
	.release = proc_text_release,
};

/* ---- arrays of words ---------------------------------------------------------- */

/*
 * A read of a file that is an array of nr_words 64-bit words (pagemap,
 * kpagecount, kpageflags): whole words at whole-word offsets only (else
 * -EINVAL, as Linux), and nothing from nr_words on.  fill makes a batch
 * of words at a time into a kernel page; they are copied out after it
 * returns, since a fault on the user buffer may sleep.
 */
ssize_t proc_read_words(char *ubuf, size_t count, loff_t *pos, unsigned long nr_words,
			void (*fill)(void *arg, u64 *words, unsigned long first, size_t nr),
			void *arg)
{
	unsigned long first = *pos >= (loff_t)nr_words * PM_ENTRY_BYTES ? nr_words :
			      *pos / PM_ENTRY_BYTES;
	u64 *words;
	ssize_t done = 0;

	if (*pos % PM_ENTRY_BYTES || count % PM_ENTRY_BYTES)
		return -EINVAL;
	words = (u64 *)__get_free_page(GFP_KERNEL);
	if (!words)
		return -ENOMEM;
	while (count && first < nr_words) {
		size_t nr = min(min(count / PM_ENTRY_BYTES, PAGE_SIZE / PM_ENTRY_BYTES),
				nr_words - first);

		fill(arg, words, first, nr);
		if (copy_to_user(ubuf + done, words, nr * PM_ENTRY_BYTES)) {
			done = -EFAULT;
			break;
		}
		done += nr * PM_ENTRY_BYTES;
		count -= nr * PM_ENTRY_BYTES;
		first += nr;
	}
	if (done > 0)
		*pos += done;
	free_page((unsigned long)words);
	return done;
}
