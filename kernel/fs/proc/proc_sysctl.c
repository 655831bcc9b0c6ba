/*
 * /proc/sys: Linux's sysctl files for what anvil has.  kernel/pid_max,
 * kernel/tainted and fs/pipe-max-size show fixed limits;
 * kernel/core_pattern shows and sets the name core dumps get
 * (kernel/coredump.c keeps it).
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/sched.h>
#include <anvil/coredump.h>
#include <anvil/uaccess.h>
#include <abi/errno.h>
#include "internal.h"

static size_t show_pid_max(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "%d\n", PID_MAX);
}

/* Linux's taint bits; none ever apply here: an oops panics, and there are no modules. */
static size_t show_tainted(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "0\n");
}

static size_t show_pipe_max_size(char *buf, size_t size, struct task_struct *t)
{
	return add(buf, size, 0, "%d\n", PIPE_MAX_SIZE);
}

/* The pattern and a newline, from *pos on, read afresh each time (Linux's proc_dostring). */
static ssize_t core_pattern_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	char text[CORE_PATTERN_MAX + 1];
	size_t len = snprintf(text, sizeof(text), "%s\n", core_pattern()), n;

	if (*pos >= (loff_t)len)
		return 0;
	n = min(count, len - (size_t)*pos);
	if (copy_to_user(ubuf, text + *pos, n))
		return -EFAULT;
	*pos += n;
	return n;
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

static const struct file_operations core_pattern_operations = {
	.read = core_pattern_read,
	.write = core_pattern_write,
	.llseek = generic_file_llseek,
};

static const struct proc_entry sys_fs_table[] = {
	PROC_TEXT("pipe-max-size", show_pipe_max_size),
};

static const struct proc_entry sys_kernel_table[] = {
	PROC_FILE("core_pattern", 0644, core_pattern_operations),
	PROC_TEXT("pid_max", show_pid_max),
	PROC_TEXT("tainted", show_tainted),
};

static const struct proc_entry sys_table[] = {
	PROC_TABLE_DIR("fs", sys_fs_table),
	PROC_TABLE_DIR("kernel", sys_kernel_table),
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
