/*
 * Creating tasks.  fork copies the caller: a new task_struct and kernel
 * stack, its ids (the supplementary groups shared, anvil/cred.h), a copy
 * of its descriptor table, cwd and umask, and a copy of its address space that
 * shares every page copy-on-write (dup_mm, below, with mm_alloc and
 * mmput: the life of an mm_struct, as in Linux).  The child starts life
 * in ret_from_fork, returning 0 from the same system call.  Kernel
 * threads are tasks without user space.
 *
 * clone's flags say what the child shares instead of copying: the
 * address space (CLONE_VM: one mm, its mm_users counting the tasks),
 * the descriptor table, cwd and umask (CLONE_FS), the signal handlers,
 * and with CLONE_THREAD the
 * thread group itself -- a thread, which getpid calls by its leader's pid.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/switch.h>
#include <anvil/slab.h>
#include <anvil/mm.h>
#include <anvil/fdtable.h>
#include <anvil/fs_struct.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/time.h>
#include <abi/misc.h>
#include <asm/desc.h>

#define PID_MAP_WORDS (PID_MAX / (8 * sizeof(unsigned long)))

static struct kmem_cache *task_struct_cachep;
static struct kmem_cache *mm_cachep;
LIST_HEAD(mmlist);
DEFINE_SPINLOCK(mmlist_lock);
static unsigned long pid_map[PID_MAP_WORDS];
pid_t last_pid;
int pid_max = PID_MAX;
unsigned long total_forks;

void fork_init(void)
{
	task_struct_cachep = kmem_cache_create("task_struct", sizeof(struct task_struct),
					       16, 0, NULL);
	mm_cachep = kmem_cache_create("mm_struct", sizeof(struct mm_struct), 0, 0, NULL);
	BUG_ON(!task_struct_cachep || !mm_cachep);
	pid_map[0] = 1;     /* pid 0 is the idle task's */
}

/* ---- address spaces ---------------------------------------------------- */

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kmem_cache_zalloc(mm_cachep, GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->mm_rb = RB_ROOT;
	atomic_set(&mm->mm_users, 1);
	init_rwsem(&mm->mmap_sem, "mm->mmap_sem");
	spin_lock_init(&mm->page_table_lock, "mm->page_table_lock");
	mm->pgd = pgd_alloc(mm);
	if (!mm->pgd) {
		kmem_cache_free(mm_cachep, mm);
		return NULL;
	}
	spin_lock(&mmlist_lock);
	list_add_tail(&mm->mmlist, &mmlist);
	spin_unlock(&mmlist_lock);
	return mm;
}

/* Drop a user of mm; the last one tears the whole address space down. */
void mmput(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	exit_mmap(mm);
#ifdef CONFIG_RMAP_MM_HOOKS
	exit_rmap(mm);          /* anonmm's group, pte_chain's promised blocks */
#endif
	spin_lock(&mmlist_lock);
	list_del(&mm->mmlist);
	spin_unlock(&mmlist_lock);
	flush_tlb_mm(mm);       /* CPUs still on its page tables lazily leave them */
	pgd_free(mm->pgd);
	kmem_cache_free(mm_cachep, mm);
}

/*
 * MADV_WIPEONFORK: the child gets the range as a fresh anonymous VMA, with
 * no pages and no rmap object yet (a zeroed VMA has none in any scheme).
 */
static void wipe_vma_copy(struct vm_area_struct *tmp, const struct vm_area_struct *mpnt)
{
	tmp->vm_start = mpnt->vm_start;
	tmp->vm_end = mpnt->vm_end;
	tmp->vm_flags = mpnt->vm_flags;
	tmp->vm_page_prot = mpnt->vm_page_prot;
	tmp->vm_pgoff = mpnt->vm_pgoff;
}

/*
 * fork: a copy of oldmm's VMAs whose pages are shared copy-on-write
 * (copy_page_range).  Each child VMA is made reachable from the parent
 * VMA's rmap (anon_vma_link; anonmm's dup_rmap for its per-mm object), so rmap
 * finds the shared pages in both processes.  As Linux: a MADV_DONTFORK
 * VMA is left out, a MADV_WIPEONFORK one comes empty, and locks
 * (VM_LOCKED, mlockall's MCL_FUTURE) stay with the parent.
 */
struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	struct vm_area_struct *mpnt, *prev = NULL;

	if (!mm)
		return NULL;
	down_write(&oldmm->mmap_sem);
#ifdef CONFIG_RMAP_MM_HOOKS
	if (dup_rmap(mm, oldmm))        /* anonmm: the child joins the parent's group */
		goto fail;
#endif
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->dumpable = oldmm->dumpable;
	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		struct vm_area_struct *tmp;

		if (mpnt->vm_flags & VM_DONTCOPY)
			continue;
		tmp = vm_area_alloc(mm);
		if (!tmp)
			goto fail;
		if (mpnt->vm_flags & VM_WIPEONFORK) {
			wipe_vma_copy(tmp, mpnt);
		} else {
			*tmp = *mpnt;
			tmp->vm_mm = mm;
			if (anon_vma_link(tmp, mpnt)) {
				vm_area_free(tmp);
				goto fail;
			}
		}
		/* mlock is not inherited: the child faults as usual */
		tmp->vm_flags &= ~VM_LOCKED_MASK;
		if (tmp->vm_file)
			get_file(tmp->vm_file);
		/* append: the parent's list is sorted, so the child's is too */
		vma_link_last(mm, tmp, prev);
		prev = tmp;
		if (!(tmp->vm_flags & VM_WIPEONFORK) && copy_page_range(tmp, mpnt))
			goto fail;
	}
	flush_tlb_mm(oldmm);       /* the parent's PTEs became read-only */
	up_write(&oldmm->mmap_sem);
	vma_gaps_build(mm);        /* vma_link_last left them */
	validate_mm(mm);
	return mm;
fail:
	flush_tlb_mm(oldmm);
	up_write(&oldmm->mmap_sem);
	mmput(mm);
	return NULL;
}

/* ---- tasks ------------------------------------------------------------ */

/*
 * The next free pid after the last one handed out, below pid_max; past
 * it, the search wraps to RESERVED_PIDS (Linux's alloc_pid: the low
 * pids stay with the daemons that took them at boot).  0 if none.
 */
pid_t alloc_pid(void)
{
	pid_t pid = last_pid;

	for (int tries = 0; tries < pid_max; tries++) {
		if (++pid >= pid_max)
			pid = RESERVED_PIDS;
		if (!(pid_map[pid / 32] & (1UL << (pid % 32)))) {
			pid_map[pid / 32] |= 1UL << (pid % 32);
			last_pid = pid;
			return pid;
		}
	}
	return 0;
}

static void free_pid(pid_t pid)
{
	pid_map[pid / 32] &= ~(1UL << (pid % 32));
}

/* A copy of the current task's struct with a fresh stack and nothing shared yet. */
static struct task_struct *dup_task_struct(void)
{
	struct task_struct *p = kmem_cache_alloc(task_struct_cachep, GFP_KERNEL);
	struct page *stack;

	if (!p)
		return NULL;
	stack = alloc_pages(GFP_KERNEL, THREAD_ORDER);
	if (!stack) {
		kmem_cache_free(task_struct_cachep, p);
		return NULL;
	}
	*p = *current;
	lockdep_init_task(&p->lockdep);       /* holding none of the parent's locks */
	atomic_set(&p->usage, 1);             /* the task's own, dropped by release_task */
	get_group_info(p->group_info);
	p->stack = page_address(stack);
	*task_thread_info(p) = (struct thread_info){ .task = p, .cpu = smp_processor_id() };
	*end_of_stack(p) = STACK_END_MAGIC;
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	INIT_LIST_HEAD(&p->tasks);
	INIT_LIST_HEAD(&p->run_list);
	INIT_LIST_HEAD(&p->thread_group);
	itimers_fork(p);
	p->state = TASK_UNINTERRUPTIBLE;      /* not runnable until wake_up_process */
	p->need_resched = false;
	p->time_slice = DEFAULT_TIME_SLICE;
	memset(&p->pending, 0, sizeof(p->pending));
	p->restore_sigmask = false;
	p->utime = p->stime = p->cutime = p->cstime = 0;
	p->min_flt = p->maj_flt = p->cmin_flt = p->cmaj_flt = 0;
	p->nvcsw = p->nivcsw = p->cnvcsw = p->cnivcsw = 0;
	p->maxrss = p->cmaxrss = 0;
	p->start_time = jiffies;
	p->exit_code = 0;
	p->stop_reported = p->continued = false;
	p->syscall_nr = -1;
	p->restart_block.fn = do_no_restart_syscall;
	p->set_child_tid = p->clear_child_tid = NULL;
	p->robust_list = NULL;
	p->mm = p->active_mm = NULL;
	p->files = NULL;
	p->fs = NULL;
	p->sighand = NULL;
	p->signal = NULL;
	return p;
}

static void free_task_struct(struct task_struct *p)
{
	put_group_info(p->group_info);
	if (p->sighand)
		put_sighand(p->sighand);
	if (p->signal)
		put_signal(p->signal);
	free_pages((unsigned long)p->stack, THREAD_ORDER);
	kmem_cache_free(task_struct_cachep, p);
}

/*
 * Make p a real task: pid, family, list of all tasks; then let it run.
 * A thread joins current's group and is nobody's child: the group's
 * leader is the child its parent waits for.  0: no pid is free.  The
 * task list and the thread group change with interrupts off: a signal
 * from the terminal's interrupt (kill_pgrp) walks them.
 */
static pid_t attach_and_start(struct task_struct *p, struct task_struct *parent, bool thread)
{
	unsigned long flags;

	p->pid = alloc_pid();
	if (!p->pid)
		return 0;
	p->parent = parent;
	local_irq_save(flags);
	if (thread) {
		p->tgid = current->tgid;
		p->group_leader = current->group_leader;
		list_add_tail(&p->thread_group, &p->group_leader->thread_group);
	} else {
		p->tgid = p->pid;
		p->group_leader = p;
		list_add_tail(&p->sibling, &parent->children);
	}
	list_add_tail(&p->tasks, &task_list);
	local_irq_restore(flags);
	nr_tasks++;
	total_forks++;
	wake_up_process(p);
	return p->pid;
}

struct task_struct *kernel_thread(int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *p = dup_task_struct();

	if (!p)
		return NULL;
	p->flags = PF_KTHREAD;
	p->addr_limit = KERNEL_DS;
	/* root, whoever asked for it */
	p->uid = p->euid = p->suid = p->fsuid = GLOBAL_ROOT_UID;
	p->gid = p->egid = p->sgid = p->fsgid = GLOBAL_ROOT_GID;
	put_group_info(p->group_info);
	p->group_info = get_group_info(&init_groups);
	p->exit_signal = 0;
	set_task_comm(p, name);
	copy_kernel_thread(p, fn, arg);
	if (copy_fs(0, p) || copy_sighand(0, p) || copy_signal(0, p) ||
	    !attach_and_start(p, &init_task, false)) {
		if (p->fs)
			exit_fs(p);
		free_task_struct(p);
		return NULL;
	}
	return p;
}

/*
 * CPU cpu's idle task (arch/i386/smpboot.c): pid 0 like the boot CPU's,
 * on no task list, sharing init_task's fs and signals; it never exits.
 */
struct task_struct *fork_idle(unsigned int cpu)
{
	struct task_struct *p = dup_task_struct();

	if (!p)
		return NULL;
	p->flags = PF_KTHREAD;
	p->state = TASK_RUNNING;
	p->pid = 0;
	p->fs = init_task.fs;
	p->sighand = init_task.sighand;
	p->signal = init_task.signal;
	atomic_inc(&p->sighand->count);
	atomic_inc(&p->signal->count);
	snprintf(p->comm, sizeof(p->comm), "swapper/%u", cpu);
	init_idle(p, cpu);
	return p;
}

/*
 * A vfork parent sleeps until its child leaves the borrowed mm (exec or
 * exit) -- but, as in Linux, a SIGKILL ends the sleep: a parent that
 * cannot die holds the OOM killer's victim mark for ever, and the OOM
 * killer kills every user of an mm, parent and child alike.  A killed
 * parent's vfork_done goes with its stack, so the child must not find it.
 * Not done means the child has not reached mm_release, so it still lives.
 */
static void wait_for_vfork_done(struct task_struct *child, struct vfork_done *vfork)
{
	if (wait_event_killable(vfork->wait, vfork->done))
		child->vfork_done = NULL;
}

/*
 * The combinations Linux refuses (copy_process): a thread must share the
 * handlers, shared handlers need a shared address space; init may not
 * give itself a sibling.
 */
static int check_clone_flags(unsigned long flags)
{
	if ((flags & CLONE_THREAD) && !(flags & CLONE_SIGHAND))
		return -EINVAL;
	if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM))
		return -EINVAL;
	if ((flags & CLONE_PARENT) && current->tgid == 1)
		return -EINVAL;
	return 0;
}

/* The descriptor table: shared (CLONE_FILES) or copied. */
static int copy_files(unsigned long clone_flags, struct task_struct *p)
{
	if (clone_flags & CLONE_FILES) {
		atomic_inc(&current->files->count);
		p->files = current->files;
	} else {
		p->files = dup_files(current->files);
	}
	return p->files ? 0 : -ENOMEM;
}

/* The address space: shared (CLONE_VM: vfork, threads) or copied copy-on-write. */
static int copy_mm(unsigned long clone_flags, struct task_struct *p)
{
	if (clone_flags & CLONE_VM) {
		p->mm = current->mm;
		atomic_inc(&p->mm->mm_users);
	} else {
		p->mm = dup_mm(current->mm);
		if (!p->mm)
			return -ENOMEM;
	}
	p->active_mm = p->mm;
	return 0;
}

/*
 * fork, vfork, clone and clone3 (Linux's kernel_clone): a copy of the
 * caller sharing what args->flags ask for.  The caller's parent becomes
 * the child's with CLONE_PARENT or CLONE_THREAD; a thread has no exit
 * signal (-1, as Linux): its parent hears only of the whole group.
 */
long do_fork(const struct kernel_clone_args *args, struct pt_regs *regs)
{
	unsigned long clone_flags = args->flags;
	bool thread = clone_flags & CLONE_THREAD;
	struct task_struct *p, *parent;
	struct vfork_done vfork;
	long err = check_clone_flags(clone_flags);
	pid_t pid;

	if (err)
		return err;
	if (nr_tasks >= MAX_TASKS)
		return -EAGAIN;
	p = dup_task_struct();
	if (!p)
		return -ENOMEM;
	p->flags &= ~(PF_EXITING | PF_MEMDIE);     /* a killed parent's OOM mark is its own */
	p->exit_signal = thread ? -1 : args->exit_signal;
	if ((clone_flags & CLONE_PARENT) && !thread)
		p->exit_signal = current->group_leader->exit_signal;
	err = -ENOMEM;
	if (copy_sighand(clone_flags, p))
		goto bad_free;
	if (copy_signal(clone_flags, p))
		goto bad_free;
	if (copy_files(clone_flags, p))
		goto bad_free;
	if (copy_fs(clone_flags, p))
		goto bad_files;
	if (copy_mm(clone_flags, p))
		goto bad_fs;
	copy_thread(p, regs, args->stack);
	if (clone_flags & CLONE_CHILD_SETTID)
		p->set_child_tid = args->child_tid;
	if (clone_flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
	if (clone_flags & CLONE_SETTLS) {
		err = do_set_thread_area(p, args->tls, false);
		if (err)
			goto bad_mm;
	}
	p->vfork_done = NULL;
	if (clone_flags & CLONE_VFORK) {
		vfork.done = false;
		init_waitqueue_head(&vfork.wait);
		p->vfork_done = &vfork;
	}
	parent = (clone_flags & (CLONE_PARENT | CLONE_THREAD)) ? current->parent : current;
	pid = attach_and_start(p, parent, thread);
	if (!pid) {
		err = -EAGAIN;            /* every pid below pid_max is taken (Linux's answer) */
		goto bad_mm;
	}
	/* before a vfork sleep, as Linux stores it before the child can run */
	err = (clone_flags & CLONE_PARENT_SETTID) ? put_user(pid, args->parent_tid) : 0;
	if (clone_flags & CLONE_VFORK)
		wait_for_vfork_done(p, &vfork);          /* p may be gone now: use pid */
	return err ? -EFAULT : pid;

bad_mm:
	mmput(p->mm);
bad_fs:
	exit_fs(p);
bad_files:
	put_files_struct(p->files);
bad_free:
	if (thread && p->signal)
		current->signal->live--;             /* copy_signal counted p */
	free_task_struct(p);
	return err;
}

struct task_struct *get_task_struct(struct task_struct *t)
{
	if (t)
		atomic_inc(&t->usage);
	return t;
}

void put_task_struct(struct task_struct *t)
{
	if (t && atomic_dec_and_test(&t->usage))
		free_task_struct(t);
}

struct mm_struct *get_task_mm(struct task_struct *t)
{
	struct mm_struct *mm = t ? t->mm : NULL;

	return mm && atomic_inc_not_zero(&mm->mm_users) ? mm : NULL;
}

/*
 * A zombie has been waited for (or reaped automatically), or a thread
 * is gone: it leaves the task list, what it used stays counted in its
 * process, and its pid is free; the struct goes with its last reference.
 */
void release_task(struct task_struct *p)
{
	unsigned long flags;

	local_irq_save(flags);             /* as attach_and_start */
	list_del(&p->tasks);
	list_del(&p->sibling);
	list_del_init(&p->thread_group);
	local_irq_restore(flags);
	account_released_thread(p);
	free_pid(p->pid);
	nr_tasks--;
	put_task_struct(p);
}

long sys_fork(void)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD };

	return do_fork(&args, task_pt_regs(current));
}

/*
 * vfork: the child runs in the parent's mm, on the parent's stack, while
 * the parent sleeps until the child execs or exits -- so what the child
 * writes before exec (busybox's "exec failed" errno) is the parent's.
 */
long sys_vfork(void)
{
	struct kernel_clone_args args = { .flags = CLONE_VM | CLONE_VFORK, .exit_signal = SIGCHLD };

	return do_fork(&args, task_pt_regs(current));
}

void mm_release(struct task_struct *tsk)
{
	struct vfork_done *vfork = tsk->vfork_done;

	if (!vfork)
		return;
	tsk->vfork_done = NULL;
	vfork->done = true;
	wake_up(&vfork->wait);
}

#define CLONE_SUPPORTED (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_VFORK |     \
			 CLONE_PARENT | CLONE_THREAD | CLONE_SYSVSEM | CLONE_SETTLS |          \
			 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_DETACHED |         \
			 CLONE_CHILD_SETTID)

/*
 * clone(flags, newsp, parent_tid, tls, child_tid): the i386 order.  The
 * namespace and tracing flags anvil lacks are refused with -EINVAL.
 */
long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tid,
	       struct user_desc *tls, int *child_tid)
{
	struct kernel_clone_args args = {
		.flags = flags & ~CSIGNAL, .exit_signal = flags & CSIGNAL, .stack = newsp,
		.parent_tid = parent_tid, .child_tid = child_tid, .tls = tls,
	};

	if (flags & ~(CLONE_SUPPORTED | CSIGNAL)) {
		printk(KERN_NOTICE "clone: flags %#lx not supported\n", flags & ~CLONE_SUPPORTED);
		return -EINVAL;
	}
	return do_fork(&args, task_pt_regs(current));
}

/*
 * clone3(args, size): clone's flags and pointers in a struct that may
 * grow.  As Linux: smaller than the first version is -EINVAL, bytes past
 * the fields we know must be zero (-E2BIG), and what anvil cannot do --
 * CLONE_PIDFD, choosing the pid (set_tid), CLONE_INTO_CGROUP -- is
 * -EINVAL; the exit signal is a field, not flag bits, and the stack a
 * base and a size.
 */
long sys_clone3(struct clone_args *uargs, size_t size)
{
	struct clone_args ca;
	struct kernel_clone_args args;
	size_t known = sizeof(ca);

	if (size < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	if (size > PAGE_SIZE)
		return -E2BIG;
	memset(&ca, 0, sizeof(ca));
	if (copy_from_user(&ca, uargs, min(size, known)))
		return -EFAULT;
	for (size_t off = known; off < size; off++) {
		u8 byte;

		if (get_user(byte, (u8 *)uargs + off))
			return -EFAULT;
		if (byte)
			return -E2BIG;
	}
	/* pidfd and cgroup count only with their flags (glibc fills pidfd in regardless) */
	if ((ca.flags & ~(u64)CLONE_SUPPORTED) || (ca.flags & CSIGNAL) || ca.set_tid ||
	    ca.set_tid_size || ca.exit_signal > _NSIG)
		return -EINVAL;
	/* the stack must be user memory (Linux's clone3_stack_valid); pointers are truncated */
	if (!ca.stack != !ca.stack_size || ca.stack + ca.stack_size > TASK_SIZE)
		return -EINVAL;
	args = (struct kernel_clone_args){
		.flags = (unsigned long)ca.flags, .exit_signal = (int)ca.exit_signal,
		.stack = (unsigned long)(ca.stack + ca.stack_size),
		.parent_tid = (int *)(unsigned long)ca.parent_tid,
		.child_tid = (int *)(unsigned long)ca.child_tid,
		.tls = (struct user_desc *)(unsigned long)ca.tls,
	};
	return do_fork(&args, task_pt_regs(current));
}

long sys_set_tid_address(int *tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}
