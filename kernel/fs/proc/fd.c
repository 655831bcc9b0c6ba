/*
 * /proc/<pid>/fd: one symbolic link per open descriptor, named by its
 * number.  The target says what is open: its path ("/tmp/x", "/dev/null",
 * "/proc/7/fd") or, for a pipe, Linux's "pipe:[inode]".  The link's mode
 * says how it was opened, as Linux's: lr-x------, l-wx------ or lrwx------.
 * Following a link (stat, open) reaches the open file itself, not what
 * its text names: Linux's "magic" links (proc_fd_link).
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include "internal.h"

#define FD_NAME_MAX 12
#define FD_LINK_READ 0500               /* r-x------ for a read end (Linux: S_IRUSR | S_IXUSR) */
#define FD_LINK_WRITE 0300              /* -wx------ for a write end */

/* The descriptor a name stands for, or -1: decimal, no leading zeros (Linux's name_to_int). */
static int parse_fd(const char *name, size_t len)
{
	unsigned int fd = 0;

	if (!len || len > 4 || (len > 1 && name[0] == '0'))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit(name[i]))
			return -1;
		fd = fd * 10 + (name[i] - '0');
	}
	return fd < NR_OPEN_DEFAULT ? (int)fd : -1;
}

static struct file *task_file(struct task_struct *t, unsigned int fd)
{
	return t && t->files ? t->files->fd[fd] : NULL;
}

/*
 * What f is, as Linux's d_path gives it: the path of its inode; the
 * name its file system gives an inode in no ramfs directory (pipes,
 * /proc); or, for a file whose last name was removed, "(deleted)" (Linux
 * puts the old path before it, which anvil does not keep).
 */
static int fd_link_target(struct file *f, char *buf, size_t size)
{
	struct inode *inode = f->f_inode;
	int len;

	if (inode->i_sb->s_op->dname)
		return inode->i_sb->s_op->dname(inode, buf, size);
	len = inode_path(inode, buf, size);
	return len < 0 ? snprintf(buf, size, "(deleted)") : len;
}

static umode_t fd_link_mode(const struct file *f)
{
	umode_t mode = S_IFLNK;

	if (file_readable(f))
		mode |= FD_LINK_READ;
	if (file_writable(f))
		mode |= FD_LINK_WRITE;
	return mode;
}

/*
 * Following the link: the inode descriptor name of the process has open
 * now (Linux's proc_fd_link), so that opening it opens that file again
 * -- a new open of the inode, checked and counted like any other.
 */
static struct inode *proc_fd_get_link(struct inode *link, int *err)
{
	struct proc_inode *info = PROC_I(link);
	int fd = parse_fd(info->name, strlen(info->name));
	struct file *f = task_file(find_task_by_pid(info->pid), fd);

	if (!f) {
		*err = -ENOENT;
		return NULL;
	}
	return igrab(f->f_inode);
}

static const struct inode_operations proc_fd_link_inode_operations = {
	.get_link = proc_fd_get_link,
};

/*
 * The link for descriptor name.  The buffer is allocated first: the
 * process and its file are looked up only after the last step that may
 * sleep, so neither can go away meanwhile.
 */
static struct inode *proc_fd_lookup(struct inode *dir, const char *name, size_t len)
{
	pid_t pid = PROC_I(dir)->pid;
	int fd = parse_fd(name, len), target_len;
	char *target = fd >= 0 ? kmalloc(PATH_MAX, GFP_KERNEL) : NULL;
	struct file *f = target ? task_file(find_task_by_pid(pid), fd) : NULL;
	struct inode *link;

	if (!f) {
		kfree(target);
		return NULL;
	}
	target_len = fd_link_target(f, target, PATH_MAX);
	if (target_len <= 0 || target_len >= PATH_MAX) {
		kfree(target);
		return NULL;
	}
	link = proc_new_link(dir, name, len, fd_link_mode(f), pid, target, target_len);
	if (link)
		link->i_op = &proc_fd_link_inode_operations;
	return link;
}

/*
 * ".", "..", then descriptor n at position 2 + n.  The process is looked
 * up again for each: filldir may sleep, and it may exit meanwhile.
 */
static int proc_fd_readdir(struct file *f, void *ctx, filldir_t filldir)
{
	pid_t pid = PROC_I(f->f_inode)->pid;
	char name[FD_NAME_MAX];

	if (!proc_fill_table(f, ctx, filldir, NULL, 0))
		return 0;
	for (unsigned int fd = 0; fd < NR_OPEN_DEFAULT; fd++) {
		if (!task_file(find_task_by_pid(pid), fd))
			continue;
		snprintf(name, sizeof(name), "%u", fd);
		if (!proc_fill(f, ctx, filldir, 2 + fd, name, 0, S_IFLNK))
			return 0;
	}
	return 0;
}

const struct inode_operations proc_fd_inode_operations = {
	.lookup = proc_fd_lookup,
};

const struct file_operations proc_fd_operations = {
	.readdir = proc_fd_readdir,
};
