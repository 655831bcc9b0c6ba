/*
 * Tasks and the scheduler.  A task_struct is a thread of control with
 * its own kernel stack; a user process is a task with an mm_struct.
 * anvil schedules round robin with a fixed time slice: the timer marks
 * the running task for rescheduling and the switch happens on the way
 * back to user mode (the kernel itself is not preempted), or when a task
 * sleeps.  Task 0 is the idle task, running on the boot stack.
 */
#ifndef ANVIL_SCHED_H
#define ANVIL_SCHED_H

#include <anvil/types.h>
#include <anvil/list.h>
#include <anvil/wait.h>
#include <anvil/timer.h>
#include <anvil/mm_types.h>
#include <anvil/cred.h>
#include <anvil/thread_info.h>
#include <anvil/percpu.h>
#include <anvil/cpumask.h>
#include <abi/signal.h>
#include <abi/misc.h>
#include <asm/page.h>
#include <asm/segment.h>
#include <asm/ptrace.h>

#define STACK_END_MAGIC 0x57ac6e9dUL      /* just above every stack's thread_info */
#define TASK_COMM_LEN 16
#define PID_MAX 32768                     /* pid_max's highest (Linux's 32-bit PID_MAX_LIMIT) */
#define RESERVED_PIDS 300                 /* pids below it are not reused after a wrap */
#define MAX_TASKS 4096
#define DEFAULT_TIME_SLICE 5              /* ticks: 50 ms */
#define FXSAVE_SIZE 512

/* task->state */
#define TASK_RUNNING 0
#define TASK_INTERRUPTIBLE 1
#define TASK_UNINTERRUPTIBLE 2
#define TASK_STOPPED 4
#define EXIT_ZOMBIE 16
#define EXIT_DEAD 32
#define TASK_WAKEKILL 128                 /* with TASK_UNINTERRUPTIBLE: SIGKILL still wakes */
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)

/* task->flags */
#define PF_KTHREAD 0x00000001             /* a kernel thread: no user space */
#define PF_EXITING 0x00000004
#define PF_MEMALLOC 0x00000800            /* reclaiming: may use the reserve, never recurse */
#define PF_MEMDIE 0x00001000              /* an OOM victim whose memory is not yet freed */

/* Address limit for the user-copy checks (Linux's set_fs). */
#define USER_DS TASK_SIZE
#define KERNEL_DS 0xffffffffUL

struct files_struct;
struct fs_struct;
struct tty_struct;

struct thread_struct {
	unsigned long esp;                /* kernel stack pointer while switched out */
	u64 tls_array[GDT_ENTRY_TLS_ENTRIES];
	unsigned long cr2, error_code, trap_no;   /* the last user fault */
	u8 fxsave[FXSAVE_SIZE] __attribute__((aligned(16)));   /* FPU/SSE registers */
};

struct sigpending_info {
	pid_t pid;                        /* sender (SIGCHLD: the child), for siginfo */
	uid_t uid;                        /* and its real uid */
	int code;                         /* si_code */
	unsigned long addr;               /* faulting address */
	int status;                       /* SIGCHLD: exit status or signal */
};

/*
 * How restart_syscall (0) goes on with an interrupted call that cannot
 * simply be made again with its arguments: nanosleep must sleep only
 * what is left, so it leaves its deadline here.
 */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	unsigned long expires;            /* nanosleep: jiffies to sleep until */
	void *rmtp;                       /* nanosleep: where the time left goes */
};

long do_no_restart_syscall(struct restart_block *rb);

/* A vfork parent sleeps on this until its child execs or exits (Linux's vfork_done). */
struct vfork_done {
	bool done;
	wait_queue_head_t wait;
};

/*
 * A CPU-time interval timer, in ns of its clock: user time for
 * ITIMER_VIRTUAL, user + system time for ITIMER_PROF (Linux's cpu_itimer).
 */
struct cpu_itimer {
	u64 expires;                      /* fires when the clock reaches it; 0: disarmed */
	u64 incr;                         /* reloaded on firing; 0: once */
};
#define NR_CPU_ITIMERS 2                  /* it[which - ITIMER_VIRTUAL] */

/*
 * What the threads of one process share (Linux's names).  sighand_struct:
 * the signal handlers (clone's CLONE_SIGHAND).  signal_struct: the thread
 * group's signals and its way out -- the signals sent to the process as a
 * whole, the group exit code, the count of threads still alive, and where
 * a parent's wait sleeps.  Both live as long as a task_struct points at them.
 */
struct sighand_struct {
	atomic_t count;                   /* task_structs using it */
	struct kernel_sigaction action[_NSIG];
};

#define SIGNAL_GROUP_EXIT 0x00000004      /* exit_group or a fatal signal: all threads die */

/* Usage counters summed over tasks (kernel/rusage.c); times in ticks, maxrss a maximum. */
struct task_usage {
	unsigned long utime, stime, min_flt, maj_flt, nvcsw, nivcsw, maxrss;
};

struct signal_struct {
	atomic_t count;                   /* task_structs using it */
	int live;                         /* threads not yet past do_exit */
	unsigned int flags;               /* SIGNAL_GROUP_EXIT */
	int group_exit_code;              /* the group's wait status once SIGNAL_GROUP_EXIT */
	struct task_struct *group_exit_task;   /* an exec waiting for the other threads to die */
	kernel_sigset_t shared_pending;   /* sent to the process: for any thread to take */
	struct sigpending_info shared_info[_NSIG];
	wait_queue_head_t wait_chldexit;  /* the group's wait4s sleep here */
	/* what the group's released threads used, and their reaped children used */
	struct task_usage dead, dead_children;
};

struct task_struct {
	struct thread_struct thread;      /* first: keeps fxsave 16-byte aligned */
	volatile long state;
	unsigned long flags;
	bool need_resched;
	int time_slice;
	pid_t pid, pgrp, session;         /* pid: the thread's id (gettid) */
	pid_t tgid;                       /* the thread group's: its leader's pid (getpid) */
	struct task_struct *group_leader; /* the first thread of the group */
	struct list_head thread_group;    /* the group's threads, leader included */
	atomic_t usage;                   /* get_task_struct references; the last put frees it */
	char comm[TASK_COMM_LEN];
	struct task_struct *parent;
	struct list_head children;        /* my children, via their sibling */
	struct list_head sibling;
	struct list_head tasks;           /* all tasks */
	struct list_head run_list;        /* on a CPU's run queue */
	cpumask_t cpus_allowed;           /* where it may run: sched_setaffinity */
	struct mm_struct *mm;             /* NULL for kernel threads */
	struct mm_struct *active_mm;      /* the page tables in use */
	void *stack;                      /* THREAD_SIZE bytes: thread_info at the bottom,
					     struct pt_regs at the top */
	unsigned long addr_limit;

	int exit_code;                    /* wait status once a zombie */
	int exit_signal;                  /* sent to the parent at exit (SIGCHLD) */
	int *clear_child_tid;             /* set_tid_address: zeroed and woken at exit */
	struct robust_list_head *robust_list;  /* set_robust_list: walked at exit */
	struct vfork_done *vfork_done;    /* CLONE_VFORK: our parent waits until we leave its mm */

	/* signals */
	kernel_sigset_t pending, blocked, saved_sigmask;
	bool restore_sigmask;             /* rt_sigsuspend: restore after the handler */
	struct sighand_struct *sighand;
	struct signal_struct *signal;
	struct sigpending_info siginfo[_NSIG];
	unsigned long sas_ss_sp;          /* sigaltstack: the alternate stack's base ... */
	size_t sas_ss_size;               /* ... and size, 0 when there is none */
	int stop_signal;                  /* reported by wait(WUNTRACED) */
	bool stop_reported;
	bool continued;                   /* reported by wait(WCONTINUED) */
	long syscall_nr;                  /* the call in progress (for restarts), -1 if none */
	struct restart_block restart_block;
	int *set_child_tid;               /* CLONE_CHILD_SETTID: written on the first return */

	/* credentials (anvil/cred.h): real, effective, saved and fs ids, as Linux 2.6 kept them */
	uid_t uid, euid, suid, fsuid;
	gid_t gid, egid, sgid, fsgid;
	struct group_info *group_info;    /* supplementary groups, shared until setgroups */

	/* files */
	struct files_struct *files;
	struct fs_struct *fs;             /* cwd and umask (anvil/fs_struct.h) */
	struct tty_struct *tty;           /* controlling terminal */
	struct abi_rlimit64 rlim[RLIM_NLIMITS];   /* anvil/resource.h */

	/* accounting (kernel/rusage.c); the c* fields total the reaped children's */
	unsigned long utime, stime, cutime, cstime;   /* ticks */
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
	unsigned long nvcsw, nivcsw, cnvcsw, cnivcsw; /* voluntary, involuntary switches */
	unsigned long maxrss, cmaxrss;    /* peak resident pages of images left; of children */
	unsigned long start_time;         /* jiffies */

	/* interval timers (kernel/itimer.c): not inherited by fork, kept across exec */
	struct timer_list real_timer;     /* ITIMER_REAL, which alarm() sets too */
	u64 it_real_incr;                 /* ns; its reload, 0 for a one-shot */
	u64 it_real_beyond;               /* ticks still to go when real_timer expires */
	struct cpu_itimer it[NR_CPU_ITIMERS];   /* ITIMER_VIRTUAL, ITIMER_PROF */

	unsigned int personality;         /* personality(2): kept across fork and exec */

	/* lockdep (kernel/lockdep.c): the locks this task holds and where it took them */
	struct lockdep_task lockdep;
};

extern struct task_struct init_task;  /* pid 0, the idle task */
extern struct list_head task_list;
extern unsigned long nr_tasks;
extern unsigned long nr_context_switches;
extern unsigned long total_forks;     /* processes created since boot */
extern pid_t last_pid;                /* the pid handed out last */
extern int pid_max;                   /* pids stay below it: /proc/sys/kernel/pid_max */

/* Ticks a CPU spent in user mode, in the kernel and idle since boot (/proc/stat). */
struct kernel_cpustat {
	unsigned long user, system, idle;
};
struct kernel_cpustat *cpu_kstat(unsigned int cpu);

static inline struct thread_info *task_thread_info(const struct task_struct *t)
{
	return t->stack;
}

/* The word just above the thread_info: a stack that grew into it overflowed. */
static inline unsigned long *end_of_stack(const struct task_struct *t)
{
	return (unsigned long *)(task_thread_info(t) + 1);
}

static inline unsigned int task_cpu(const struct task_struct *t)
{
	return task_thread_info(t)->cpu;
}

static inline struct pt_regs *task_pt_regs(struct task_struct *t)
{
	return (struct pt_regs *)((char *)t->stack + THREAD_SIZE) - 1;
}

static inline bool signal_pending(const struct task_struct *t)
{
	for (int i = 0; i < NSIG_WORDS; i++)
		if ((t->pending.sig[i] | t->signal->shared_pending.sig[i]) & ~t->blocked.sig[i])
			return true;
	return false;
}

static inline bool thread_group_leader(const struct task_struct *t)
{
	return t->group_leader == t;
}

static inline bool thread_group_empty(const struct task_struct *t)
{
	return list_empty(&t->thread_group);
}

static inline struct task_struct *next_thread(const struct task_struct *t)
{
	return list_entry(t->thread_group.next, struct task_struct, thread_group);
}

/* t, then every other thread of its group (Linux's while_each_thread loop) */
#define for_each_thread_from(t, p) \
	for (p = (t); p; p = next_thread(p) == (t) ? NULL : next_thread(p))

static inline bool fatal_signal_pending(const struct task_struct *t)
{
	return t->pending.sig[0] & (1UL << (SIGKILL - 1));
}

/* sched.c */
void sched_init(void);
void schedule(void);

/*
 * Code that may sleep calls this first, so that a caller holding a
 * spinlock is caught every time, not only on the rare run where the
 * sleep really happens (an allocation that had to reclaim).
 */
#define might_sleep()                                                                  \
	do {                                                                           \
		if (unlikely(in_atomic())) {                                           \
			__might_sleep(__FILE__, __LINE__);   /* the locks held, where */  \
			panic("sleeping function called with preempt_count %d at %s:%d", \
			      preempt_count, __FILE__, __LINE__);                       \
		}                                                                      \
	} while (0)
void cond_resched(void);
void wake_up_process(struct task_struct *p);
/* Is p running on a CPU now? */
bool task_curr(const struct task_struct *p);
void scheduler_tick(struct pt_regs *regs);
void cpu_idle(void) __noreturn;
void finish_task_switch(struct task_struct *prev);
struct task_struct *find_task_by_pid(pid_t pid);
void set_task_comm(struct task_struct *t, const char *name);
void init_idle(struct task_struct *idle, unsigned int cpu);
bool is_idle_task(const struct task_struct *p);
void kick_process(struct task_struct *p);
void check_stack_end(const struct task_struct *t);

/* fork.c / exit.c */
void fork_init(void);
struct task_struct *kernel_thread(int (*fn)(void *), void *arg, const char *name);
struct task_struct *fork_idle(unsigned int cpu);
/* What fork, vfork, clone and clone3 ask do_fork for (Linux's kernel_clone_args). */
struct user_desc;
struct kernel_clone_args {
	unsigned long flags;              /* CLONE_*, without the exit signal */
	int exit_signal;
	unsigned long stack;              /* the child's stack pointer; 0: the caller's */
	int *parent_tid, *child_tid;
	struct user_desc *tls;            /* CLONE_SETTLS */
};
long do_fork(const struct kernel_clone_args *args, struct pt_regs *regs);
/* tsk is done with a borrowed (vfork) mm, at exec or exit: its parent runs again. */
void mm_release(struct task_struct *tsk);
void do_exit(int status) __noreturn;
void do_group_exit(int status) __noreturn;
/* The wait status a zombie reports: the group's, when the group exited as one. */
int task_exit_code(const struct task_struct *p);
void release_task(struct task_struct *p);
pid_t alloc_pid(void);
/*
 * A reference that keeps a task's struct (not the task: it may exit and
 * be reaped) for one who sleeps while using it (/proc); put drops it.
 */
struct task_struct *get_task_struct(struct task_struct *t);    /* t may be NULL */
void put_task_struct(struct task_struct *t);
/* t's address space with a user reference (mmput it), or NULL if it has none (Linux's). */
struct mm_struct *get_task_mm(struct task_struct *t);

/* rusage.c */
#define RUSAGE_BOTH (-2)                  /* self and children: what wait reports of a child */
struct rusage;
void task_rusage(const struct task_struct *p, int who, struct rusage *r);
void account_reaped_child(struct task_struct *parent, const struct task_struct *child);
/* p's process's CPU ticks: every thread's, live or released. */
void thread_group_cputime(const struct task_struct *p, unsigned long *utime, unsigned long *stime);
/* The same for the children p's process has reaped. */
void thread_group_children_cputime(const struct task_struct *p, unsigned long *utime,
				   unsigned long *stime);
/* A thread is released: what it used stays counted in its process. */
void account_released_thread(const struct task_struct *p);

/* itimer.c */
void account_cpu_itimers(struct task_struct *p);
void itimers_fork(struct task_struct *p);

/* exec.c */
int kernel_execve(const char *path, const char *const argv[], const char *const envp[]);

/* signal.c */
int send_sig(int sig, struct task_struct *p, pid_t sender);
int group_send_sig(int sig, struct task_struct *p, pid_t sender);
void zap_other_threads(struct task_struct *p);
extern struct sighand_struct init_sighand;
extern struct signal_struct init_signals;
int copy_sighand(unsigned long clone_flags, struct task_struct *p);
int copy_signal(unsigned long clone_flags, struct task_struct *p);
void put_sighand(struct sighand_struct *sighand);
void put_signal(struct signal_struct *sig);
void unshare_sighand(struct task_struct *t);
int kill_pgrp(pid_t pgrp, int sig, pid_t sender);
void force_sig_fault(int sig, int code, unsigned long addr);
void do_notify_parent(struct task_struct *child);
int wait_status_to_cld(int status, int *si_status);
void prepare_exit_to_usermode(struct pt_regs *regs);
void flush_signal_handlers(struct task_struct *t);

#endif
