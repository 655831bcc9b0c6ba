/*
 * What a file's poll operation is given: a table of wait-queue entries,
 * one per queue the file may be woken on.  poll_wait() puts the polling
 * task on a queue (only on the first pass; the table is NULL after), and
 * sys_poll takes it off every queue when it is done (kernel/fs/select.c).
 */
#ifndef ANVIL_POLL_H
#define ANVIL_POLL_H

#include <anvil/wait.h>
#include <abi/poll.h>

/* files without a poll operation are always ready, as in Linux */
#define DEFAULT_POLLMASK (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)

struct file;

struct poll_table_entry {
	struct file *filp;                  /* held: the queue lives as long as the file */
	wait_queue_t wait;
	wait_queue_head_t *wq;
};

struct poll_table {
	struct poll_table_entry *entries;
	unsigned int nr, max;
};

void __pollwait(struct file *f, wait_queue_head_t *wq, struct poll_table *pt);

static inline void poll_wait(struct file *f, wait_queue_head_t *wq, struct poll_table *pt)
{
	if (pt)
		__pollwait(f, wq, pt);
}

#endif
