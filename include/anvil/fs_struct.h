/*
 * A task's place in the file system (Linux's fs_struct): its working
 * directory and umask, shared by the tasks clone made with CLONE_FS --
 * the threads of a process -- so that a chdir or umask in one is seen by
 * all.  kernel/fs/fs_struct.c.
 */
#ifndef ANVIL_FS_STRUCT_H
#define ANVIL_FS_STRUCT_H

#include <anvil/types.h>
#include <anvil/atomic.h>

#define INIT_UMASK 0022                  /* Linux's init_fs.umask */

struct inode;
struct task_struct;

struct fs_struct {
	atomic_t count;                  /* tasks sharing it */
	umode_t umask;                   /* INIT_UMASK for init, then inherited */
	struct inode *cwd;               /* held with path_get; NULL: the root */
};

extern struct fs_struct init_fs;

/* p (a copy of current) shares current's fs_struct (CLONE_FS) or gets a copy: 0 or -ENOMEM. */
int copy_fs(unsigned long clone_flags, struct task_struct *p);
/* tsk lets go of its fs_struct; the last task frees it and its cwd. */
void exit_fs(struct task_struct *tsk);

#endif
