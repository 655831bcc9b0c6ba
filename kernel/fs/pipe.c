/*
 * Pipes: a 64 KiB ring buffer (Linux's default capacity) between a read
 * end and a write end.  Readers sleep while it is empty and see EOF once
 * every writer is gone; writers sleep while it is full and get SIGPIPE
 * and -EPIPE once every reader is gone.  Writes of up to PIPE_BUF bytes
 * are atomic: they wait until the whole write fits.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/mm.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <anvil/errno.h>
#include <anvil/poll.h>
#include <abi/statfs.h>
#include <abi/termios.h>

#define PIPE_ORDER 4
#define PIPE_SIZE (PAGE_SIZE << PIPE_ORDER)
#define PIPE_BUF 4096

struct pipe_inode_info {
	char *buf;
	unsigned long head, tail;      /* bytes written / read, ever; used = head - tail */
	int readers, writers;
	wait_queue_head_t wait;        /* both directions sleep here */
};

static size_t pipe_used(const struct pipe_inode_info *pipe)
{
	return pipe->head - pipe->tail;
}

static ssize_t pipe_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	struct pipe_inode_info *pipe = f->f_inode->i_private;
	size_t done = 0;

	if (!count)
		return 0;
	for (;;) {
		int err;

		if (pipe_used(pipe))
			break;
		if (!pipe->writers)
			return 0;                       /* EOF */
		if (f->f_flags & O_NONBLOCK)
			return -EAGAIN;
		err = wait_event_interruptible(pipe->wait, pipe_used(pipe) || !pipe->writers);
		if (err)
			return -ERESTARTSYS;
	}
	while (done < count && pipe_used(pipe)) {
		size_t off = pipe->tail % PIPE_SIZE;
		size_t n = min(min(count - done, pipe_used(pipe)), PIPE_SIZE - off);

		if (copy_to_user(ubuf + done, pipe->buf + off, n))
			return done ? (ssize_t)done : -EFAULT;
		pipe->tail += n;
		done += n;
	}
	wake_up(&pipe->wait);
	return done;
}

static ssize_t pipe_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	struct pipe_inode_info *pipe = f->f_inode->i_private;
	size_t done = 0;

	while (done < count) {
		size_t room, want = count - done, off, n;

		if (!pipe->readers) {
			send_sig(SIGPIPE, current, current->pid);
			return done ? (ssize_t)done : -EPIPE;
		}
		room = PIPE_SIZE - pipe_used(pipe);
		/* small writes go in whole or not at all */
		if (room < (count <= PIPE_BUF ? want : 1)) {
			if (f->f_flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			wake_up(&pipe->wait);
			if (wait_event_interruptible(pipe->wait,
						     PIPE_SIZE - pipe_used(pipe) >=
							     (count <= PIPE_BUF ? want : 1) ||
						     !pipe->readers))
				return done ? (ssize_t)done : -ERESTARTSYS;
			continue;
		}
		off = pipe->head % PIPE_SIZE;
		n = min(min(want, room), PIPE_SIZE - off);
		if (copy_from_user(pipe->buf + off, ubuf + done, n))
			return done ? (ssize_t)done : -EFAULT;
		pipe->head += n;
		done += n;
		wake_up(&pipe->wait);
	}
	return done;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = f->f_inode->i_private;

	if (cmd == FIONREAD)
		return put_user((int)pipe_used(pipe), (int *)arg);
	return -ENOTTY;
}

static void pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = inode->i_private;

	if (file_readable(f))
		pipe->readers--;
	if (file_writable(f))
		pipe->writers--;
	wake_up(&pipe->wait);
}

/* Readable with data or at EOF (POLLHUP); writable with room, POLLERR with no reader. */
static unsigned int pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe_inode_info *pipe = f->f_inode->i_private;
	unsigned int mask = 0;

	poll_wait(f, &pipe->wait, pt);
	if (file_readable(f)) {
		if (pipe_used(pipe))
			mask |= POLLIN | POLLRDNORM;
		if (!pipe->writers)
			mask |= POLLHUP;
	}
	if (file_writable(f)) {
		if (pipe_used(pipe) < PIPE_SIZE)
			mask |= POLLOUT | POLLWRNORM;
		if (!pipe->readers)
			mask |= POLLERR;
	}
	return mask;
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.release = pipe_release,
};

static void pipe_evict(struct inode *inode)
{
	struct pipe_inode_info *pipe = inode->i_private;

	free_pages((unsigned long)pipe->buf, PIPE_ORDER);
	kfree(pipe);
}

/* Linux's pipefs: where pipe inodes live (fstatfs on a pipe reports it) */
static struct super_block pipefs_sb = {
	.s_magic = PIPEFS_MAGIC,
	.s_blocksize = PAGE_SIZE,
	.s_op = &simple_super_operations,
};

static struct inode *pipe_new(void)
{
	struct inode *inode = new_inode(&pipefs_sb, S_IFIFO | 0600);
	struct pipe_inode_info *pipe;

	if (!inode)
		return NULL;
	pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);
	if (pipe)
		pipe->buf = (char *)__get_free_pages(GFP_KERNEL, PIPE_ORDER);
	if (!pipe || !pipe->buf) {
		kfree(pipe);
		inode->i_nlink = 0;
		iput(inode);
		return NULL;
	}
	init_waitqueue_head(&pipe->wait);
	inode->i_private = pipe;
	inode->i_evict = pipe_evict;
	inode->i_nlink = 0;
	return inode;
}

long sys_pipe2(int *ufds, int flags)
{
	struct inode *inode;
	struct file *rf, *wf;
	struct pipe_inode_info *pipe;
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	inode = pipe_new();
	if (!inode)
		return -ENFILE;
	pipe = inode->i_private;
	rf = alloc_file(inode, O_RDONLY | (flags & O_NONBLOCK), &pipe_fops);
	wf = alloc_file(inode, O_WRONLY | (flags & O_NONBLOCK), &pipe_fops);
	iput(inode);
	if (!rf || !wf)
		goto nomem;
	pipe->readers = pipe->writers = 1;
	fds[0] = fd_install_new(rf, 0, flags & O_CLOEXEC);
	if (fds[0] < 0)
		goto nofd;
	fds[1] = fd_install_new(wf, 0, flags & O_CLOEXEC);
	if (fds[1] < 0) {
		close_fd(fds[0]);
		fput(wf);
		return -EMFILE;
	}
	if (copy_to_user(ufds, fds, sizeof(fds))) {
		close_fd(fds[0]);
		close_fd(fds[1]);
		return -EFAULT;
	}
	return 0;
nofd:
	fput(rf);
	fput(wf);
	return -EMFILE;
nomem:
	if (rf) {
		rf->f_op = NULL;      /* never opened as a pipe end: no release accounting */
		fput(rf);
	}
	if (wf) {
		wf->f_op = NULL;
		fput(wf);
	}
	return -ENOMEM;
}

long sys_pipe(int *ufds)
{
	return sys_pipe2(ufds, 0);
}
