/*
 * execve.  The arguments and environment are copied into the kernel
 * first (they live in the address space about to be replaced), the file
 * is opened and its first bytes read, and a format is chosen: #! scripts
 * here, ELF in binfmt_elf.c.  The loader builds the complete new address
 * space -- segments, heap, stack with argv/envp/auxv -- while the old one
 * is kept aside; only when all of it worked does exec_commit() drop the
 * old image.  So every failure, however late, leaves the caller running.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/binfmts.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/mm.h>
#include <anvil/uaccess.h>
#include <anvil/slab.h>
#include <anvil/syscalls.h>
#include <anvil/switch.h>
#include <abi/errno.h>

/* Append the strings of a user (or, under KERNEL_DS, kernel) NULL-terminated array. */
static int copy_strings(struct linux_binprm *bprm, const char *const *argv, int *count)
{
	*count = 0;
	if (!argv)
		return 0;       /* Linux accepts a NULL argv or envp as empty */
	for (;;) {
		const char *str;
		long len;

		if (get_user(str, argv + *count))
			return -EFAULT;
		if (!str)
			return 0;
		if (bprm->argc + bprm->envc + *count >= MAX_ARG_STRINGS)
			return -E2BIG;
		len = strncpy_from_user(bprm->strings + bprm->strings_len, str,
					ARG_MAX - bprm->strings_len);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
		bprm->strings_len += len + 1;
		(*count)++;
	}
}

/* Open path for execution: a regular file with an execute bit. */
static struct file *open_exec(const char *path, int *err)
{
	struct file *f = file_open_path(path, O_RDONLY, 0, err);

	if (!f)
		return NULL;
	if (!S_ISREG(f->f_inode->i_mode) || !(f->f_inode->i_mode & 0111)) {
		fput(f);
		*err = -EACCES;
		return NULL;
	}
	return f;
}

/*
 * "#!interpreter [arg]": run the interpreter with the script's path as
 * an argument, in place of argv[0]:  interp [arg] path argv[1..].
 */
static int load_script(struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE], *interp, *arg = NULL, *p;
	size_t interp_len, arg_len, path_len, old0, extra;

	if (++bprm->depth > MAX_INTERP_DEPTH)
		return -ELOOP;
	memcpy(line, bprm->buf + 2, sizeof(line) - 2);
	line[sizeof(line) - 3] = '\0';
	p = strchr(line, '\n');
	if (!p)
		return -ENOEXEC;          /* the line must fit in the buffer */
	*p = '\0';
	for (interp = line; *interp == ' ' || *interp == '\t'; interp++)
		;
	if (!*interp)
		return -ENOEXEC;
	p = interp + strcspn(interp, " \t");
	if (*p) {
		*p++ = '\0';
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			arg = p;          /* the rest of the line is one argument, as on Linux */
	}
	interp_len = strlen(interp) + 1;
	arg_len = arg ? strlen(arg) + 1 : 0;
	path_len = strlen(bprm->filename) + 1;
	old0 = bprm->argc ? strlen(bprm->strings) + 1 : 0;
	extra = interp_len + arg_len + path_len;
	if (bprm->strings_len - old0 + extra > ARG_MAX)
		return -E2BIG;
	/* replace argv[0] by: interp, [arg], path */
	memmove(bprm->strings + extra, bprm->strings + old0, bprm->strings_len - old0);
	memcpy(bprm->strings, interp, interp_len);
	if (arg)
		memcpy(bprm->strings + interp_len, arg, arg_len);
	memcpy(bprm->strings + interp_len + arg_len, bprm->filename, path_len);
	bprm->strings_len += extra - old0;
	bprm->argc += (arg ? 2 : 1) + (old0 ? 0 : 1);
	strlcpy(bprm->filename, interp, PATH_MAX);
	return 0;
}

static void set_comm_from_path(const char *path)
{
	const char *base = strrchr(path, '/');

	set_task_comm(current, base ? base + 1 : path);
}

/* The new image is complete: drop the old one and what must not survive exec. */
void exec_commit(struct linux_binprm *bprm, struct mm_struct *old_mm)
{
	mm_release(current);
	if (old_mm)
		mmput(old_mm);
	current->flags &= ~PF_KTHREAD;
	current->addr_limit = USER_DS;
	set_comm_from_path(bprm->filename);
	close_on_exec(current->files);
	flush_signal_handlers(current);
	current->clear_child_tid = NULL;
}

int do_execve(const char *filename, const char *const *argv, const char *const *envp,
	      struct pt_regs *regs)
{
	struct linux_binprm *bprm = kzalloc(sizeof(*bprm), GFP_KERNEL);
	int err = -ENOMEM;

	if (!bprm)
		return -ENOMEM;
	bprm->filename = kmalloc(PATH_MAX, GFP_KERNEL);
	bprm->strings = (char *)__get_free_pages(GFP_KERNEL, ARG_PAGES_ORDER);
	if (!bprm->filename || !bprm->strings)
		goto out;
	strlcpy(bprm->filename, filename, PATH_MAX);
	err = copy_strings(bprm, argv, &bprm->argc);
	if (!err)
		err = copy_strings(bprm, envp, &bprm->envc);
	if (err)
		goto out;
	for (;;) {
		ssize_t n;

		bprm->file = open_exec(bprm->filename, &err);
		if (!bprm->file)
			goto out;
		memset(bprm->buf, 0, sizeof(bprm->buf));
		n = kernel_read(bprm->file, 0, bprm->buf, sizeof(bprm->buf));
		if (n < 0) {
			err = n;
			break;
		}
		if (bprm->buf[0] == '#' && bprm->buf[1] == '!') {
			err = load_script(bprm);
			fput(bprm->file);
			bprm->file = NULL;
			if (err)
				goto out;
			continue;
		}
		err = load_elf_binary(bprm, regs);
		break;
	}
	fput(bprm->file);
out:
	free_pages((unsigned long)bprm->strings, ARG_PAGES_ORDER);
	kfree(bprm->filename);
	kfree(bprm);
	return err;
}

long sys_execve(const char *ufilename, const char *const *argv, const char *const *envp)
{
	char *filename = kmalloc(PATH_MAX, GFP_KERNEL);
	long err;

	if (!filename)
		return -ENOMEM;
	err = strncpy_from_user(filename, ufilename, PATH_MAX);
	if (err >= 0)
		err = do_execve(filename, argv, envp, task_pt_regs(current));
	kfree(filename);
	return err;
}

/* exec from a kernel thread (starting init): kernel pointers, and pt_regs of our own. */
int kernel_execve(const char *path, const char *const argv[], const char *const envp[])
{
	unsigned long old = get_fs();
	int err;

	set_fs(KERNEL_DS);
	err = do_execve(path, argv, envp, task_pt_regs(current));
	if (err)
		set_fs(old);
	return err;
}
