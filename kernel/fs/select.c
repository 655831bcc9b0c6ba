/*
 * poll(2): wait until one of several descriptors is ready.  Each file's
 * poll operation reports what it is ready for and, on the first pass,
 * puts the caller on the wait queues that will announce a change; the
 * caller then sleeps until woken, timed out or signalled, and asks again.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/poll.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/timer.h>
#include <anvil/time.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>

#define MSEC_PER_SEC 1000

/*
 * Entries past the table's end are not added: that file is then only
 * re-polled on other wake-ups.
 */
void __pollwait(struct file *f, wait_queue_head_t *wq, struct poll_table *pt)
{
	struct poll_table_entry *e;

	if (pt->nr >= pt->max)
		return;
	e = &pt->entries[pt->nr++];
	e->filp = get_file(f);
	e->wait.task = current;
	INIT_LIST_HEAD(&e->wait.link);
	e->wq = wq;
	add_wait_queue(wq, &e->wait);
}

static void poll_freewait(struct poll_table *pt)
{
	for (unsigned int i = 0; i < pt->nr; i++) {
		remove_wait_queue(pt->entries[i].wq, &pt->entries[i].wait);
		fput(pt->entries[i].filp);
	}
}

/* revents for one pollfd (the events asked for, plus errors and hang-ups always) */
static short do_pollfd(struct pollfd *pfd, struct poll_table *pt)
{
	struct file *f;
	unsigned int mask;

	if (pfd->fd < 0)
		return 0;
	f = fget(pfd->fd);
	if (!f)
		return POLLNVAL;
	mask = f->f_op->poll ? f->f_op->poll(f, pt) : DEFAULT_POLLMASK;
	fput(f);
	return mask & (pfd->events | POLLERR | POLLHUP);
}

/*
 * The task is marked sleeping before the files are asked, so a wake-up
 * that comes after a file said "not ready" makes schedule() return at
 * once: none is lost.
 */
static long do_poll(struct pollfd *fds, unsigned int nfds, long timeout, struct poll_table *pt)
{
	struct poll_table *wait = pt;
	long count;

	for (;;) {
		current->state = TASK_INTERRUPTIBLE;
		count = 0;
		for (unsigned int i = 0; i < nfds; i++) {
			fds[i].revents = do_pollfd(&fds[i], wait);
			if (fds[i].revents)
				count++;
		}
		wait = NULL;                     /* on every queue already */
		if (count || !timeout)
			break;
		if (signal_pending(current)) {
			count = -ERESTARTNOHAND;
			break;
		}
		timeout = schedule_timeout(timeout);
	}
	current->state = TASK_RUNNING;
	return count;
}

long sys_poll(struct pollfd *ufds, unsigned int nfds, int timeout_ms)
{
	size_t size = (size_t)nfds * sizeof(struct pollfd);
	struct poll_table pt = { NULL, 0, nfds };
	struct pollfd *fds;
	long timeout, ret;

	if (nfds > NR_OPEN_DEFAULT)
		return -EINVAL;                  /* Linux: more than RLIMIT_NOFILE */
	/* at least timeout_ms: the tick now under way counts for nothing, so one more */
	timeout = timeout_ms < 0 ? MAX_SCHEDULE_TIMEOUT : !timeout_ms ? 0 :
		(long)DIV_ROUND_UP((unsigned long)timeout_ms, MSEC_PER_SEC / HZ) + 1;
	fds = kmalloc(size + nfds * sizeof(struct poll_table_entry) + 1, GFP_KERNEL);
	if (!fds)
		return -ENOMEM;
	pt.entries = (struct poll_table_entry *)(fds + nfds);
	if (copy_from_user(fds, ufds, size)) {
		kfree(fds);
		return -EFAULT;
	}
	ret = do_poll(fds, nfds, timeout, &pt);
	poll_freewait(&pt);
	for (unsigned int i = 0; ret >= 0 && i < nfds; i++)
		if (put_user(fds[i].revents, &ufds[i].revents))
			ret = -EFAULT;
	kfree(fds);
	return ret;
}
