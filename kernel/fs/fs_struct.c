/*
 * fs_struct (include/anvil/fs_struct.h): the working directory and umask
 * a task has, shared with CLONE_FS (threads) or copied (fork), and let
 * go at exit.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fs_struct.h>
#include <anvil/sched.h>
#include <anvil/slab.h>

struct fs_struct init_fs = { .count = ATOMIC_INIT(1), .umask = INIT_UMASK };

int copy_fs(unsigned long clone_flags, struct task_struct *p)
{
	struct fs_struct *fs;

	if (clone_flags & CLONE_FS) {
		atomic_inc(&current->fs->count);
		p->fs = current->fs;
		return 0;
	}
	fs = kmalloc(sizeof(*fs), GFP_KERNEL);
	if (!fs)
		return -ENOMEM;
	atomic_set(&fs->count, 1);
	fs->umask = current->fs->umask;
	fs->cwd = current->fs->cwd ? path_get(current->fs->cwd) : NULL;
	p->fs = fs;
	return 0;
}

void exit_fs(struct task_struct *tsk)
{
	struct fs_struct *fs = tsk->fs;

	tsk->fs = NULL;
	if (!atomic_dec_and_test(&fs->count))
		return;
	if (fs->cwd)
		path_put(fs->cwd);
	kfree(fs);
}
