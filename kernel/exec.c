/*
 * execve.  The file is opened, then the arguments and environment are
 * copied into kernel pages that are an image of the new stack's top
 * (they live in the address space about to be replaced), within Linux's
 * limits; then the file's first bytes choose a format: #! scripts here,
 * ELF in binfmt_elf.c.  The loader builds the complete new address
 * space -- segments, heap, stack with argv/envp/auxv -- while the old one
 * is kept aside; only when all of it worked does exec_commit() drop the
 * old image.  So every failure, however late, leaves the caller running.
 * Past that point an exec from a threaded process kills the other
 * threads, and the caller takes the leader's place (de_thread).
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
#include <abi/mount.h>

/* Argument pages: the image of the top of the new stack (binfmts.h). */

static unsigned int arg_page_index(unsigned long pos)
{
	return (STACK_TOP - 1 - pos) >> PAGE_SHIFT;
}

/* The kernel address of new-stack byte pos, its page allocated (zeroed) on first use. */
static char *get_arg_page(struct linux_binprm *bprm, unsigned long pos)
{
	struct page **page = &bprm->page[arg_page_index(pos)];

	if (!*page)
		*page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	return *page ? (char *)page_address(*page) + (pos & ~PAGE_MASK) : NULL;
}

static void free_arg_pages(struct linux_binprm *bprm)
{
	for (unsigned int i = 0; i < MAX_ARG_PAGES; i++)
		if (bprm->page[i])
			__free_page(bprm->page[i]);
}

unsigned long arg_string_end(struct linux_binprm *bprm, unsigned long pos)
{
	while (pos < STACK_TOP) {
		unsigned long off = pos & ~PAGE_MASK;
		const char *start = (char *)page_address(bprm->page[arg_page_index(pos)]) + off;
		const char *nul = memchr(start, 0, PAGE_SIZE - off);

		if (nul)
			return pos + (nul - start) + 1;
		pos += PAGE_SIZE - off;
	}
	return STACK_TOP;
}

int copy_arg_pages_to_user(struct linux_binprm *bprm)
{
	for (unsigned long pos = bprm->p; pos < STACK_TOP; pos = (pos & PAGE_MASK) + PAGE_SIZE) {
		unsigned long off = pos & ~PAGE_MASK;

		if (copy_to_user((void *)pos,
				 (char *)page_address(bprm->page[arg_page_index(pos)]) + off,
				 PAGE_SIZE - off))
			return -EFAULT;
	}
	return 0;
}

/*
 * The number of strings in a user (or, under KERNEL_DS, kernel) NULL-
 * terminated array; a NULL array is empty, as on Linux.  Linux stops at
 * 2^31 - 1 strings; anvil stops where their pointers alone would pass
 * the limit, which is E2BIG anyway, so a huge array cannot keep the
 * kernel looping.
 */
static int count(const char *const *argv)
{
	int i = 0;

	if (!argv)
		return 0;
	for (;;) {
		const char *p;

		if (get_user(p, argv + i))
			return -EFAULT;
		if (!p)
			return i;
		if (i >= (int)(ARG_STACK_LIMIT / sizeof(u32)))
			return -E2BIG;
		i++;
		if (fatal_signal_pending(current))
			return -EINTR;
	}
}

/*
 * The strings may take what the limit leaves after their pointers (an
 * empty argv gets one: see copy_args).  Counted up front, so an exec that
 * cannot fit fails before the old program is touched, however late its
 * stack would have overflowed.
 */
static int bprm_stack_limits(struct linux_binprm *bprm)
{
	unsigned long ptr_size = (max(bprm->argc, 1) + bprm->envc) * sizeof(u32);

	if (ptr_size >= ARG_STACK_LIMIT)
		return -E2BIG;
	bprm->argmin = bprm->p - (ARG_STACK_LIMIT - ptr_size);
	return 0;
}

/*
 * Copy argv[argc - 1] down to argv[0] below bprm->p, each string with
 * its NUL: the last one ends up highest, and argv[0] at bprm->p.
 */
static int copy_strings(int argc, const char *const *argv, struct linux_binprm *bprm)
{
	while (argc-- > 0) {
		const char *str;
		unsigned long pos;
		long len;

		if (fatal_signal_pending(current))
			return -EINTR;
		if (get_user(str, argv + argc))
			return -EFAULT;
		len = strnlen_user(str, MAX_ARG_STRLEN);
		if (!len)
			return -EFAULT;
		if (len > (long)MAX_ARG_STRLEN || bprm->p - bprm->argmin < (unsigned long)len)
			return -E2BIG;
		bprm->p -= len;
		for (pos = bprm->p; pos < bprm->p + len; ) {
			size_t n = min(bprm->p + len - pos, PAGE_SIZE - (pos & ~PAGE_MASK));
			char *kaddr = get_arg_page(bprm, pos);

			if (!kaddr)
				return -ENOMEM;
			if (copy_from_user(kaddr, str + (pos - bprm->p), n))
				return -EFAULT;
			pos += n;
		}
		/* a string another thread lengthened meanwhile still ends here */
		*get_arg_page(bprm, pos - 1) = '\0';
	}
	return 0;
}

/* The same for one kernel string. */
static int copy_string_kernel(const char *str, struct linux_binprm *bprm)
{
	unsigned long old = get_fs();
	int err;

	set_fs(KERNEL_DS);
	err = copy_strings(1, &str, bprm);
	set_fs(old);
	return err;
}

/*
 * Everything the new stack will hold in strings, the path first: it is
 * the highest (AT_EXECFN), then envp, then argv, as on Linux.  The top
 * word stays zero.  An empty argv becomes { "" }, as on Linux since
 * 5.18, so that a program reading argv[1] before checking argc does not
 * walk into envp.
 */
static int copy_args(struct linux_binprm *bprm, const char *const *argv,
		     const char *const *envp)
{
	int err;

	bprm->p = STACK_TOP - sizeof(u32);
	bprm->argc = count(argv);
	if (bprm->argc < 0)
		return bprm->argc;
	bprm->envc = count(envp);
	if (bprm->envc < 0)
		return bprm->envc;
	err = bprm_stack_limits(bprm);
	if (!err)
		err = copy_string_kernel(bprm->filename, bprm);
	bprm->exec = bprm->p;
	if (!err)
		err = copy_strings(bprm->envc, envp, bprm);
	if (!err)
		err = copy_strings(bprm->argc, argv, bprm);
	if (!err && !bprm->argc) {
		err = copy_string_kernel("", bprm);
		bprm->argc = 1;
	}
	return err;
}

/*
 * Open bprm->filename to run it.  A file the caller may not read (a 0711
 * program) makes the process undumpable, as would_dump does in Linux:
 * no core dump, no /proc/<pid>/maps or mem for the user to read it by.
 */
static int open_bprm_file(struct linux_binprm *bprm)
{
	int err;

	bprm->file = file_open_exec(bprm->filename, &err);
	if (!bprm->file)
		return err;
	if (inode_permission(bprm->file->f_inode, MAY_READ))
		bprm->enforce_nondump = true;
	return 0;
}

/* Drop argv[0] from the argument pages: an interpreter takes its place. */
static void remove_arg_zero(struct linux_binprm *bprm)
{
	if (!bprm->argc)
		return;
	bprm->p = arg_string_end(bprm, bprm->p);
	bprm->argc--;
}

/*
 * "#!interpreter [arg]": run the interpreter with the script's path as
 * an argument, in place of argv[0]:  interp [arg] path argv[1..].  The
 * interpreter becomes the file to load.
 */
static int load_script(struct linux_binprm *bprm)
{
	char line[BINPRM_BUF_SIZE], *interp, *arg = NULL, *p;
	int err;

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
	/* pushed below argv[1..], so in reverse order */
	remove_arg_zero(bprm);
	err = copy_string_kernel(bprm->filename, bprm);
	bprm->argc++;
	if (!err && arg) {
		err = copy_string_kernel(arg, bprm);
		bprm->argc++;
	}
	if (!err) {
		err = copy_string_kernel(interp, bprm);
		bprm->argc++;
	}
	if (err)
		return err;
	strlcpy(bprm->filename, interp, PATH_MAX);
	fput(bprm->file);
	return open_bprm_file(bprm);
}

/*
 * The ids the program will run with (Linux's bprm_fill_uid and
 * cap_bprm_creds_from_file): a set-user-ID file's owner as the effective
 * uid, a set-group-ID file's group as the effective gid if the group may
 * execute it -- unless it lies on a nosuid mount.  The file is the one
 * loaded: a script's interpreter, never the script.  AT_SECURE tells the
 * program its effective ids are not its real ones.
 */
static void bprm_fill_uid(struct linux_binprm *bprm)
{
	const struct inode *inode = bprm->file->f_inode;

	bprm->euid = current->euid;
	bprm->egid = current->egid;
	if (!(inode->i_sb->s_flags & MS_NOSUID)) {
		if (inode->i_mode & S_ISUID)
			bprm->euid = inode->i_uid;
		if ((inode->i_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP))
			bprm->egid = inode->i_gid;
	}
	bprm->secureexec = bprm->euid != current->uid || bprm->egid != current->gid;
}


/* Load the file by its format; a #! script starts over with its interpreter. */
static int search_binary_handler(struct linux_binprm *bprm, struct pt_regs *regs)
{
	for (;;) {
		ssize_t n;
		int err;

		memset(bprm->buf, 0, sizeof(bprm->buf));
		n = kernel_read(bprm->file, 0, bprm->buf, sizeof(bprm->buf));
		if (n < 0)
			return n;
		if (bprm->buf[0] != '#' || bprm->buf[1] != '!') {
			bprm_fill_uid(bprm);
			return load_elf_binary(bprm, regs);
		}
		err = load_script(bprm);
		if (err)
			return err;
	}
}

static void set_comm_from_path(const char *path)
{
	const char *base = strrchr(path, '/');

	set_task_comm(current, base ? base + 1 : path);
}

/* Are the other threads of tsk's group all gone (a zombie leader aside)? */
static bool other_threads_gone(struct task_struct *tsk)
{
	struct task_struct *t;

	for (t = next_thread(tsk); t != tsk; t = next_thread(t))
		if (!(thread_group_leader(t) && t->state == EXIT_ZOMBIE))
			return false;
	return tsk->signal->live == 1;
}

/*
 * exec in a threaded process: every other thread dies, and a caller that
 * is not the leader takes over the leader's pid and place in the family
 * -- the process keeps its pid, as POSIX wants -- before the zombie leader
 * is released (Linux's de_thread).  The dying threads wake us
 * (exit_notify); they still use the old mm, which they hold.
 */
static void de_thread(struct task_struct *tsk)
{
	struct signal_struct *sig = tsk->signal;
	struct task_struct *leader = tsk->group_leader;
	pid_t tid = tsk->pid;

	if (thread_group_empty(tsk))
		return;
	if (sig->flags & SIGNAL_GROUP_EXIT)
		do_exit(sig->group_exit_code);         /* an exit_group came first */
	sig->group_exit_task = tsk;
	zap_other_threads(tsk);
	while (!other_threads_gone(tsk)) {
		tsk->state = TASK_UNINTERRUPTIBLE;
		schedule();
	}
	sig->group_exit_task = NULL;
	if (leader != tsk) {
		tsk->pid = leader->pid;
		leader->pid = tid;                     /* freed with the leader */
		tsk->parent = leader->parent;
		tsk->exit_signal = leader->exit_signal;
		tsk->start_time = leader->start_time;
		list_add(&tsk->sibling, &leader->sibling);
		list_del_init(&leader->sibling);
		tsk->group_leader = tsk;
		leader->state = EXIT_DEAD;
		release_task(leader);
	}
}

/*
 * A descriptor table shared with another process (clone's CLONE_FILES)
 * becomes our own, so that close-on-exec closes nothing of theirs.  Out
 * of memory this late, it stays shared, as it was.
 */
static void unshare_files(void)
{
	struct files_struct *files = current->files, *copy;

	if (atomic_read(&files->count) == 1)
		return;
	copy = dup_files(files);
	if (!copy)
		return;
	current->files = copy;
	put_files_struct(files);
}

/*
 * The new image is complete: drop the old one and what must not survive
 * exec.  The old mm's CLONE_CHILD_CLEARTID word and robust list are
 * forgotten, not acted on: de_thread has killed every thread that could
 * wait on them.
 */
void exec_commit(struct linux_binprm *bprm, struct mm_struct *old_mm)
{
	mm_release(current);
	if (old_mm) {
		/* ru_maxrss outlives the image */
		setmax_mm_hiwater_rss(&current->maxrss, old_mm);
		mmput(old_mm);
	}
	current->clear_child_tid = NULL;
	current->robust_list = NULL;
	de_thread(current);
	unshare_files();
	unshare_sighand(current);
	current->flags &= ~PF_KTHREAD;
	current->addr_limit = USER_DS;
	/* every exec makes the saved and fs ids the effective ones */
	current->euid = current->suid = current->fsuid = bprm->euid;
	current->egid = current->sgid = current->fsgid = bprm->egid;
	current->mm->dumpable = bprm->secureexec || bprm->enforce_nondump ? SUID_DUMP_DISABLE :
									   SUID_DUMP_USER;
	set_comm_from_path(bprm->filename);
	close_on_exec(current->files);
	flush_signal_handlers(current);
}

int do_execve(const char *filename, const char *const *argv, const char *const *envp,
	      struct pt_regs *regs)
{
	struct linux_binprm *bprm = kzalloc(sizeof(*bprm), GFP_KERNEL);
	int err = -ENOMEM;

	if (!bprm)
		return -ENOMEM;
	bprm->filename = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!bprm->filename)
		goto out;
	strlcpy(bprm->filename, filename, PATH_MAX);
	err = open_bprm_file(bprm);
	if (err)
		goto out;
	err = copy_args(bprm, argv, envp);
	if (!err)
		err = search_binary_handler(bprm, regs);
out:
	if (bprm->file)
		fput(bprm->file);
	free_arg_pages(bprm);
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
