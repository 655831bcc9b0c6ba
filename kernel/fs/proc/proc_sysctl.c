/*
 * /proc/sys: Linux's sysctl files for what anvil has.  kernel/pid_max,
 * kernel/tainted and fs/pipe-max-size are numbers root may set, with
 * Linux's checks (proc_dointvec_minmax, proc_taint, round_pipe_size);
 * kernel/core_pattern shows and sets the name core dumps get
 * (kernel/coredump.c keeps it); kernel/osrelease is uname's release;
 * vm/dirty_* are writeback's limits and intervals (mm/page-writeback.c);
 * a write to vm/drop_caches frees clean caches (kernel/fs/inode.c).
 * Their modes bind root too.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/coredump.h>
#include <anvil/utsname.h>
#include <anvil/uaccess.h>
#include <anvil/writeback.h>
#include <anvil/swap.h>
#include <abi/errno.h>
#include "internal.h"

#define SYSCTL_NUMBER_MAX 22          /* Linux's TMPBUFLEN: a number's text and its NUL */
#define TAINT_FLAGS_COUNT 20          /* Linux 6.x's taint bits; higher ones are ignored */

/*
 * Linux's taint bits.  The kernel never sets one (an oops panics, and
 * there are no modules); root may, and a bit once set stays.
 */
static unsigned long tainted_mask;

/*
 * Who may open a sysctl file as mask asks: its mode's owner bits for
 * root, group bits for a member of group root, the others' for the rest
 * -- no capability overrides them (Linux's proc_sys_permission), so a
 * read-only sysctl refuses even root.
 */
static int proc_sys_permission(struct inode *inode, int mask)
{
	umode_t mode = inode->i_mode;

	if (current->euid == GLOBAL_ROOT_UID)
		mode >>= 6;
	else if (in_egroup_p(GLOBAL_ROOT_GID))
		mode >>= 3;
	return (mask & (MAY_READ | MAY_WRITE | MAY_EXEC) & ~mode) ? -EACCES : 0;
}

static const struct inode_operations proc_sys_file_inode_operations = {
	.permission = proc_sys_permission,
};

static size_t show_osrelease(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "%s\n", UTS_RELEASE);
}

/* text from *pos on, as a read of a sysctl gives it: made afresh by each read */
static ssize_t sysctl_read_text(const char *text, size_t len, char *ubuf, size_t count,
				loff_t *pos)
{
	size_t n;

	if (*pos >= (loff_t)len)
		return 0;
	n = min(count, len - (size_t)*pos);
	if (copy_to_user(ubuf, text + *pos, n))
		return -EFAULT;
	*pos += n;
	return n;
}

static ssize_t sysctl_read_ulong(unsigned long v, char *ubuf, size_t count, loff_t *pos)
{
	char text[SYSCTL_NUMBER_MAX + 1];

	return sysctl_read_text(text, snprintf(text, sizeof(text), "%lu\n", v), ubuf, count, pos);
}

/*
 * One number from s (len bytes), as Linux's proc_get_long reads it:
 * spaces, an optional '-', digits in C's bases (0x hex, 0 octal), then
 * the end or a space; EINVAL otherwise or beyond an unsigned long.  The
 * spaces after it are consumed too; *used says how much was.
 */
static int sysctl_parse_ulong(const char *s, size_t len, unsigned long *v, bool *neg,
			      size_t *used)
{
	size_t i = 0, start;
	unsigned int base = 10;
	u64 val = 0;

	while (i < len && isspace(s[i]))
		i++;
	*neg = i < len && s[i] == '-';
	i += *neg;
	if (i >= len || !isdigit(s[i]))
		return -EINVAL;
	if (s[i] == '0' && i + 2 < len && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
	    isxdigit(s[i + 2]))
		base = 16, i += 2;
	else if (s[i] == '0')
		base = 8;
	for (start = i; i < len && isxdigit(s[i]); i++) {
		unsigned int d = isdigit(s[i]) ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;

		if (d >= base)
			break;
		val = val * base + d;
		if (val > ULONG_MAX || i - start >= SYSCTL_NUMBER_MAX - 1)
			return -EINVAL;
	}
	if (i < len && !isspace(s[i]))
		return -EINVAL;
	while (i < len && isspace(s[i]))
		i++;
	*v = val;
	*used = i;
	return 0;
}

/*
 * A write of one number to a sysctl, set(neg, value) checking and
 * storing it.  Linux's strict mode: a write not at offset 0 is ignored
 * (and consumed); otherwise what the number and its spaces took is.  An
 * empty write does nothing (proc_sys_call_handler).
 */
static ssize_t sysctl_write_ulong(const char *ubuf, size_t count, loff_t *pos,
				  int (*set)(bool neg, unsigned long v))
{
	char *text;
	unsigned long v;
	size_t len = min(count, PAGE_SIZE - 1), used = 0;
	bool neg;
	int err;

	if (!count)
		return 0;
	if (*pos) {
		*pos += count;
		return count;
	}
	text = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	err = copy_from_user(text, ubuf, len) ? -EFAULT :
	      sysctl_parse_ulong(text, len, &v, &neg, &used);
	kfree(text);
	if (!err)
		err = set(neg, v);
	if (err)
		return err;
	*pos += used;
	return used;
}

#define SYSCTL_FOPS(NAME) \
	static const struct file_operations NAME##_operations = { \
		.read = NAME##_read, .write = NAME##_write, .llseek = generic_file_llseek, \
	}

/* A number root may set: value shown, set(neg, number) checks and stores a write */
#define SYSCTL_ULONG(NAME, VALUE, SET) \
	static ssize_t NAME##_read(struct file *f, char *ubuf, size_t count, loff_t *pos) \
	{ \
		return sysctl_read_ulong(VALUE, ubuf, count, pos); \
	} \
	static ssize_t NAME##_write(struct file *f, const char *ubuf, size_t count, \
				    loff_t *pos) \
	{ \
		return sysctl_write_ulong(ubuf, count, pos, SET); \
	} \
	SYSCTL_FOPS(NAME)

/* kernel/pid_max: proc_dointvec_minmax between RESERVED_PIDS + 1 and PID_MAX */
static int set_pid_max(bool neg, unsigned long v)
{
	if (neg || v <= RESERVED_PIDS || v > PID_MAX)
		return -EINVAL;
	pid_max = v;
	return 0;
}

SYSCTL_ULONG(pid_max, pid_max, set_pid_max);

/* kernel/tainted: Linux's proc_taint adds the bits written (a negative number adds none) */
static int add_taint_bits(bool neg, unsigned long v)
{
	if (!neg)
		tainted_mask |= v & ((1UL << TAINT_FLAGS_COUNT) - 1);
	return 0;
}

SYSCTL_ULONG(tainted, tainted_mask, add_taint_bits);

/* fs/pipe-max-size: rounded as a pipe's size is; EINVAL when that fails */
static int set_pipe_max_size(bool neg, unsigned long v)
{
	unsigned int size = neg ? 0 : round_pipe_size(v);

	if (!size)
		return -EINVAL;
	pipe_max_size = size;
	return 0;
}

SYSCTL_ULONG(pipe_max_size, pipe_max_size, set_pipe_max_size);

/*
 * vm/dirty_*: proc_dointvec_minmax from 0 (to 100 for a ratio); a new
 * interval or limit takes effect at once (pdflush looks again).
 */
static int set_dirty_value(unsigned int *value, bool neg, unsigned long v, unsigned long max)
{
	if (neg || v > max)
		return -EINVAL;
	*value = v;
	wakeup_pdflush();
	return 0;
}

#define PERCENT_MAX 100
#define SYSCTL_INT_MAX 0x7fffffffUL

static int set_dirty_ratio(bool neg, unsigned long v)
{
	return set_dirty_value(&vm_dirty_ratio, neg, v, PERCENT_MAX);
}

static int set_dirty_background_ratio(bool neg, unsigned long v)
{
	return set_dirty_value(&dirty_background_ratio, neg, v, PERCENT_MAX);
}

static int set_dirty_writeback(bool neg, unsigned long v)
{
	return set_dirty_value(&dirty_writeback_interval, neg, v, SYSCTL_INT_MAX);
}

static int set_dirty_expire(bool neg, unsigned long v)
{
	return set_dirty_value(&dirty_expire_interval, neg, v, SYSCTL_INT_MAX);
}

SYSCTL_ULONG(dirty_ratio, vm_dirty_ratio, set_dirty_ratio);
SYSCTL_ULONG(dirty_background_ratio, dirty_background_ratio, set_dirty_background_ratio);
SYSCTL_ULONG(dirty_writeback, dirty_writeback_interval, set_dirty_writeback);
SYSCTL_ULONG(dirty_expire, dirty_expire_interval, set_dirty_expire);

/*
 * vm/drop_caches (Linux 2.6.16's): 1 frees the clean page cache of unused
 * inodes, 2 the unused inodes (their clean pages with them), 3 both,
 * and the empty slabs after; the value shown is the last one written.
 */
#define DROP_PAGECACHE 1
#define DROP_SLAB 2

static unsigned long sysctl_drop_caches;

static int set_drop_caches(bool neg, unsigned long v)
{
	if (neg || v < DROP_PAGECACHE || v > (DROP_PAGECACHE | DROP_SLAB))
		return -EINVAL;
	sysctl_drop_caches = v;
	if (v & DROP_PAGECACHE)
		drop_pagecache();
	if (v & DROP_SLAB) {
		drop_unused_inodes();
		kmem_cache_shrink_all();
	}
	return 0;
}

SYSCTL_ULONG(drop_caches, sysctl_drop_caches, set_drop_caches);

/* vm/page-cluster: log2 of the slots swap-in reads at once, 0..5 (Linux: ..31) */
static int set_page_cluster(bool neg, unsigned long v)
{
	if (neg || v > PAGE_CLUSTER_MAX)
		return -EINVAL;
	page_cluster = v;
	return 0;
}

SYSCTL_ULONG(page_cluster, page_cluster, set_page_cluster);

/* The pattern and a newline, from *pos on, read afresh each time (Linux's proc_dostring). */
static ssize_t core_pattern_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	char text[CORE_PATTERN_MAX + 1];

	return sysctl_read_text(text, snprintf(text, sizeof(text), "%s\n", core_pattern()), ubuf,
				count, pos);
}

/*
 * Linux's proc_dostring in its strict mode: the bytes up to the first
 * newline or NUL replace the pattern from *pos on (so a write at 0 sets
 * it, and later writes on the same descriptor append); what does not fit
 * is dropped, and a write beyond the end changes nothing.  All of count
 * is consumed.  The new pattern is made aside and set whole.
 */
static ssize_t core_pattern_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	char in[CORE_PATTERN_MAX], pattern[CORE_PATTERN_MAX];
	size_t n = min(count, sizeof(in)), len = strlen(core_pattern());

	if (copy_from_user(in, ubuf, n))
		return -EFAULT;
	if (*pos <= (loff_t)len) {
		memcpy(pattern, core_pattern(), *pos);
		len = *pos;
		for (size_t i = 0; i < n && len < sizeof(pattern) - 1; i++) {
			if (in[i] == '\0' || in[i] == '\n')
				break;
			pattern[len++] = in[i];
		}
		set_core_pattern(pattern, len);
	}
	*pos += count;
	return count;
}

SYSCTL_FOPS(core_pattern);

/* A sysctl file: its mode binds root too (proc_sys_permission) */
#define PROC_SYSCTL(NAME, PERM, FOPS) \
	{ .name = NAME, .mode = S_IFREG | (PERM), .fops = &FOPS, \
	  .iops = &proc_sys_file_inode_operations }

static const struct proc_entry sys_fs_table[] = {
	PROC_SYSCTL("pipe-max-size", 0644, pipe_max_size_operations),
};

/* A read-only sysctl, its text made at open: root cannot open it for writing. */
#define PROC_SYSCTL_TEXT(NAME, SHOW) \
	{ .name = NAME, .mode = S_IFREG | 0444, .show = SHOW, \
	  .iops = &proc_sys_file_inode_operations }

static const struct proc_entry sys_kernel_table[] = {
	PROC_SYSCTL("core_pattern", 0644, core_pattern_operations),
	PROC_SYSCTL_TEXT("osrelease", show_osrelease),
	PROC_SYSCTL("pid_max", 0644, pid_max_operations),
	PROC_SYSCTL("tainted", 0644, tainted_operations),
};

static const struct proc_entry sys_vm_table[] = {
	PROC_SYSCTL("dirty_background_ratio", 0644, dirty_background_ratio_operations),
	PROC_SYSCTL("dirty_expire_centisecs", 0644, dirty_expire_operations),
	PROC_SYSCTL("dirty_ratio", 0644, dirty_ratio_operations),
	PROC_SYSCTL("dirty_writeback_centisecs", 0644, dirty_writeback_operations),
	PROC_SYSCTL("drop_caches", 0644, drop_caches_operations),
	PROC_SYSCTL("page-cluster", 0644, page_cluster_operations),
};

static const struct proc_entry sys_table[] = {
	PROC_TABLE_DIR("fs", sys_fs_table),
	PROC_TABLE_DIR("kernel", sys_kernel_table),
	PROC_TABLE_DIR("vm", sys_vm_table),
};

static struct inode *proc_sys_lookup(struct inode *dir, const char *name, size_t len)
{
	return proc_lookup_entry(dir, name, len, sys_table, ARRAY_SIZE(sys_table));
}

static int proc_sys_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	proc_fill_table(f, ctx, filldir, sys_table, ARRAY_SIZE(sys_table));
	return 0;
}

const struct inode_operations proc_sys_inode_operations = {
	.lookup = proc_sys_lookup,
};

const struct file_operations proc_sys_operations = {
	.readdir = proc_sys_readdir,
};
