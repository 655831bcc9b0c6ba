/*
 * The small system calls: process ids (user and group ids: cred.c),
 * process groups and sessions, uname, reboot, resource limits
 * (anvil/resource.h), sysinfo, prctl, the kernel log (syslog, for dmesg)
 * and getrandom.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/mm.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/reboot.h>
#include <anvil/time.h>
#include <anvil/slab.h>
#include <anvil/swap.h>
#include <anvil/fs.h>
#include <anvil/utsname.h>
#include <anvil/resource.h>
#include <anvil/random.h>
#include <abi/errno.h>
#include <abi/misc.h>

#define UNAME_SYSNAME "anvil"
#define UNAME_MACHINE "i686"

/* The process's id: its thread group's (the first thread's tid). */
long sys_getpid(void)
{
	return current->tgid;
}

long sys_gettid(void)
{
	return current->pid;
}

long sys_getppid(void)
{
	return current->parent ? current->parent->tgid : 0;
}

/* The process group and session are the process's: every thread of p's group takes them. */
static void set_group_ids(struct task_struct *p, pid_t pgrp, pid_t session)
{
	struct task_struct *t;

	for_each_thread_from(p, t) {
		t->pgrp = pgrp;
		t->session = session;
	}
}

long sys_setpgid(pid_t pid, pid_t pgid)
{
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;

	if (pgid < 0)
		return -EINVAL;
	if (!p || (p->tgid != current->tgid && p->parent->tgid != current->tgid))
		return -ESRCH;
	if (!pgid)
		pgid = p->tgid;
	if (p->session != current->session || p->session == p->tgid)
		return -EPERM;
	if (pgid != p->tgid) {
		struct task_struct *q;
		bool found = false;

		list_for_each_entry(q, &task_list, tasks)
			if (q->pgrp == pgid && q->session == current->session)
				found = true;
		if (!found)
			return -EPERM;
	}
	set_group_ids(p, pgid, p->session);
	return 0;
}

long sys_getpgid(pid_t pid)
{
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;

	return p ? p->pgrp : -ESRCH;
}

long sys_getpgrp(void)
{
	return current->pgrp;
}

long sys_getsid(pid_t pid)
{
	struct task_struct *p = pid ? find_task_by_pid(pid) : current;

	return p ? p->session : -ESRCH;
}

/* A new session and process group, with no controlling terminal. */
long sys_setsid(void)
{
	struct task_struct *p;

	list_for_each_entry(p, &task_list, tasks)
		if (p->pgrp == current->tgid)
			return -EPERM;     /* already leads a process group */
	set_group_ids(current, current->tgid, current->tgid);
	for_each_thread_from(current, p)
		p->tty = NULL;
	return current->tgid;
}

long sys_uname(struct new_utsname *uname)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UNAME_SYSNAME, sizeof(u.sysname));
	strlcpy(u.nodename, "anvil", sizeof(u.nodename));
	strlcpy(u.release, UTS_RELEASE, sizeof(u.release));
	snprintf(u.version, sizeof(u.version), "#1 git %s", ANVIL_GIT_REV);
	strlcpy(u.machine, UNAME_MACHINE, sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(uname, &u, sizeof(u)) ? -EFAULT : 0;
}

long sys_reboot(unsigned int magic1, unsigned int magic2, unsigned int cmd, void *arg)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		printk(KERN_NOTICE "Power down.\n");
		machine_power_off();
	case LINUX_REBOOT_CMD_RESTART:
		printk(KERN_NOTICE "Restarting system.\n");
		machine_restart();
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Read and (with new) set one of tsk's limits, the body of prlimit64,
 * setrlimit and getrlimit.  Raising a hard limit takes CAP_SYS_RESOURCE,
 * and even root cannot raise RLIMIT_NOFILE past the descriptor table
 * (Linux's nr_open: EPERM).
 */
static int do_prlimit(struct task_struct *tsk, unsigned int resource,
		      const struct abi_rlimit64 *new, struct abi_rlimit64 *old)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	if (new) {
		if (new->rlim_cur > new->rlim_max)
			return -EINVAL;
		if (resource == RLIMIT_NOFILE && new->rlim_max > NR_OPEN_DEFAULT)
			return -EPERM;
		if (new->rlim_max > tsk->rlim[resource].rlim_max && !capable(CAP_SYS_RESOURCE))
			return -EPERM;
	}
	if (old)
		*old = tsk->rlim[resource];
	if (new) {
		struct task_struct *t;

		for_each_thread_from(tsk, t)      /* limits are the process's */
			t->rlim[resource] = *new;
	}
	return 0;
}

/* Limits in unsigned longs: RLIM_INFINITY there is infinity in 64 bits. */
static unsigned long long rlim_from_user(unsigned long v)
{
	return v == RLIM_INFINITY ? RLIM64_INFINITY : v;
}

static unsigned long rlim_to_user(unsigned long long v, unsigned long infinity)
{
	return v >= infinity ? infinity : (unsigned long)v;
}

/*
 * Another process's limits: only if all its ids are the caller's real
 * ones (or CAP_SYS_RESOURCE).
 */
static bool prlimit_permitted(const struct task_struct *t)
{
	if (t == current || capable(CAP_SYS_RESOURCE))
		return true;
	return current->uid == t->uid && current->uid == t->euid && current->uid == t->suid &&
	       current->gid == t->gid && current->gid == t->egid && current->gid == t->sgid;
}

long sys_prlimit64(pid_t pid, unsigned int resource, const struct abi_rlimit64 *unew,
		   struct abi_rlimit64 *uold)
{
	struct task_struct *tsk = pid ? find_task_by_pid(pid) : current;
	struct abi_rlimit64 new, old;
	int err;

	if (unew && copy_from_user(&new, unew, sizeof(new)))
		return -EFAULT;
	/* a 32-bit kernel keeps limits in unsigned longs: anything larger is infinity */
	new.rlim_cur = rlim_from_user(rlim_to_user(new.rlim_cur, RLIM_INFINITY));
	new.rlim_max = rlim_from_user(rlim_to_user(new.rlim_max, RLIM_INFINITY));
	if (!tsk || (tsk->flags & PF_KTHREAD))
		return -ESRCH;
	if (!prlimit_permitted(tsk))
		return -EPERM;
	err = do_prlimit(tsk, resource, unew ? &new : NULL, uold ? &old : NULL);
	if (!err && uold && copy_to_user(uold, &old, sizeof(old)))
		return -EFAULT;
	return err;
}

long sys_setrlimit(unsigned int resource, const struct abi_rlimit *urlim)
{
	struct abi_rlimit r;
	struct abi_rlimit64 new;

	if (copy_from_user(&r, urlim, sizeof(r)))
		return -EFAULT;
	new.rlim_cur = rlim_from_user(r.rlim_cur);
	new.rlim_max = rlim_from_user(r.rlim_max);
	return do_prlimit(current, resource, &new, NULL);
}

static long getrlimit_clamped(unsigned int resource, struct abi_rlimit *urlim,
			      unsigned long infinity)
{
	struct abi_rlimit64 r;
	struct abi_rlimit old;
	int err = do_prlimit(current, resource, NULL, &r);

	if (err)
		return err;
	old.rlim_cur = rlim_to_user(r.rlim_cur, infinity);
	old.rlim_max = rlim_to_user(r.rlim_max, infinity);
	return copy_to_user(urlim, &old, sizeof(old)) ? -EFAULT : 0;
}

/* ugetrlimit (191): infinity is RLIM_INFINITY */
long sys_getrlimit(unsigned int resource, struct abi_rlimit *urlim)
{
	return getrlimit_clamped(resource, urlim, RLIM_INFINITY);
}

/* the old getrlimit (76) of i386: anything above 0x7fffffff reads as that */
long sys_old_getrlimit(unsigned int resource, struct abi_rlimit *urlim)
{
	return getrlimit_clamped(resource, urlim, OLD_RLIM_INFINITY);
}

long sys_sysinfo(struct abi_sysinfo *uinfo)
{
	struct abi_sysinfo si;
	struct swap_totals sw = swap_totals();

	memset(&si, 0, sizeof(si));
	si.uptime = jiffies / HZ;
	si.totalram = totalram_pages;
	si.freeram = nr_free_pages();
	si.totalswap = sw.total;
	si.freeswap = sw.free;
	si.procs = nr_tasks;
	si.mem_unit = PAGE_SIZE;
	return copy_to_user(uinfo, &si, sizeof(si)) ? -EFAULT : 0;
}

long sys_prctl(int option, unsigned long arg2)
{
	char name[TASK_COMM_LEN];

	switch (option) {
	case PR_SET_NAME:
		if (strncpy_from_user(name, (const char *)arg2, sizeof(name)) == -EFAULT)
			return -EFAULT;
		name[sizeof(name) - 1] = '\0';
		set_task_comm(current, name);
		return 0;
	case PR_GET_NAME:
		return copy_to_user((void *)arg2, current->comm, sizeof(current->comm)) ?
		       -EFAULT : 0;
	case PR_GET_DUMPABLE:
		return current->mm ? current->mm->dumpable : SUID_DUMP_DISABLE;
	case PR_SET_DUMPABLE:
		if (arg2 != SUID_DUMP_DISABLE && arg2 != SUID_DUMP_USER)
			return -EINVAL;
		if (current->mm)
			current->mm->dumpable = arg2;
		return 0;
	default:
		return -EINVAL;
	}
}

/* syslog(2), as dmesg uses it: read (and clear) the kernel log. */
long sys_syslog(int type, char *ubuf, int len)
{
	char *kbuf;
	size_t n;

	switch (type) {
	case SYSLOG_ACTION_SIZE_BUFFER:
		return LOG_BUF_LEN;
	case SYSLOG_ACTION_SIZE_UNREAD:
		return log_buf_len_used();
	case SYSLOG_ACTION_CLEAR:
		log_buf_clear();
		return 0;
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		kbuf = kmalloc(min((size_t)len, (size_t)LOG_BUF_LEN), GFP_KERNEL);
		if (!kbuf)
			return -ENOMEM;
		n = log_buf_read(kbuf, min((size_t)len, (size_t)LOG_BUF_LEN));
		if (copy_to_user(ubuf, kbuf, n)) {
			kfree(kbuf);
			return -EFAULT;
		}
		kfree(kbuf);
		if (type == SYSLOG_ACTION_READ_CLEAR)
			log_buf_clear();
		return n;
	default:
		return -EINVAL;
	}
}

/* getrandom(2): get_random_bytes() in chunks, so a bad buffer fails after what was copied. */
long sys_getrandom(char *ubuf, size_t count, unsigned int flags)
{
	char chunk[64];
	size_t done = 0;

	while (done < count) {
		size_t n = min(count - done, sizeof(chunk));

		get_random_bytes(chunk, n);
		if (copy_to_user(ubuf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}
