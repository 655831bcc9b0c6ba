/*
 * The process files ps and top read: /proc/<pid>/stat, statm and status
 * (Linux's fs/proc/array.c), in Linux's layouts.  Fields anvil does not
 * keep are 0.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/sched.h>
#include <anvil/tty.h>
#include <abi/misc.h>
#include "internal.h"

static char task_state_char(const struct task_struct *p)
{
	switch (p->state & ~TASK_WAKEKILL) {     /* a killable sleep is a 'D' one */
	case TASK_RUNNING:
		return 'R';
	case TASK_INTERRUPTIBLE:
		return 'S';
	case TASK_UNINTERRUPTIBLE:
		return 'D';
	case TASK_STOPPED:
		return 'T';
	case EXIT_ZOMBIE:
		return 'Z';
	default:
		return 'X';
	}
}

static unsigned long task_rss(const struct task_struct *p)
{
	return p->mm ? p->mm->anon_rss + p->mm->file_rss : 0;
}

size_t show_pid_stat(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	size_t n;

	n = add(buf, size, 0,
		"%d (%s) %c %d %d %d %d %d %u %lu %lu %lu %lu %lu %lu %lu %lu 20 0 1 0 %lu",
		p->pid, p->comm, task_state_char(p), p->parent ? p->parent->tgid : 0, p->pgrp,
		p->session, p->tty ? 0x0501 : 0, p->tty ? p->tty->pgrp : -1,
		(unsigned int)p->flags, p->min_flt, p->cmin_flt, p->maj_flt, p->cmaj_flt, p->utime,
		p->stime, p->cutime, p->cstime, p->start_time);
	n = add(buf, size, n, " %lu %lu %lu %lu %lu %lu 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0",
		mm ? mm->total_vm * PAGE_SIZE : 0, task_rss(p), RLIM_INFINITY,
		mm ? mm->start_code : 0, mm ? mm->end_code : 0, mm ? mm->start_stack : 0,
		p->exit_signal);
	return add(buf, size, n, " %lu %lu %lu %lu %lu %lu %lu %d\n",
		   mm ? mm->start_data : 0, mm ? mm->end_data : 0, mm ? mm->start_brk : 0,
		   mm ? mm->arg_start : 0, mm ? mm->arg_end : 0, mm ? mm->env_start : 0,
		   mm ? mm->env_end : 0, p->state == EXIT_ZOMBIE ? p->exit_code : 0);
}

size_t show_pid_statm(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;

	if (!mm)
		return add(buf, size, 0, "0 0 0 0 0 0 0\n");
	return add(buf, size, 0, "%lu %lu %lu %lu 0 %lu 0\n", mm->total_vm,
		   mm->anon_rss + mm->file_rss, mm->file_rss,
		   (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT,
		   (mm->brk - mm->start_data) >> PAGE_SHIFT);
}

size_t show_pid_status(char *buf, size_t size, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	size_t n;

	n = add(buf, size, 0, "Name:\t%s\nState:\t%c\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n"
		"Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nGroups:\t", p->comm,
		task_state_char(p), p->tgid, p->pid,
		p->parent ? p->parent->tgid : 0, p->uid, p->euid, p->suid, p->fsuid,
		p->gid, p->egid, p->sgid, p->fsgid);
	for (int i = 0; i < p->group_info->ngroups; i++)
		n = add(buf, size, n, "%s%u", i ? " " : "", GROUP_AT(p->group_info, i));
	n = add(buf, size, n, " \n");             /* Linux's trailing space */
	if (mm)
		n = add(buf, size, n, "VmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n"
			"VmRSS:\t%8lu kB\nRssAnon:\t%8lu kB\n"
			"RssFile:\t%8lu kB\nVmPTE:\t%8lu kB\nVmSwap:\t%8lu kB\n",
			mm->total_vm * KB_PER_PAGE, mm->locked_vm * KB_PER_PAGE,
			0UL,                     /* VmPin: get_user_pages pins nothing in anvil */
			task_rss(p) * KB_PER_PAGE,
			mm->anon_rss * KB_PER_PAGE, mm->file_rss * KB_PER_PAGE,
			mm->nr_ptes * KB_PER_PAGE, mm->swap_ents * KB_PER_PAGE);
	n = add(buf, size, n, "Threads:\t%d\n", p->signal->live);
	return add(buf, size, n, "SigPnd:\t%08lx%08lx\nShdPnd:\t%08lx%08lx\nSigBlk:\t%08lx%08lx\n",
		   p->pending.sig[1], p->pending.sig[0], p->signal->shared_pending.sig[1],
		   p->signal->shared_pending.sig[0], p->blocked.sig[1], p->blocked.sig[0]);
}
