/*
 * Pipes and FIFOs: a ring buffer (64 KiB, Linux's default; F_SETPIPE_SZ
 * resizes it) between read ends and write ends.  Readers sleep while it
 * is empty and see EOF once every writer is gone; writers sleep while it
 * is full and get SIGPIPE and -EPIPE once every reader is gone.  Writes
 * of up to PIPE_BUF bytes are atomic; O_DIRECT ends write and read packets.
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

#define PIPE_DEF_ORDER 4                         /* 16 pages: Linux's 64 KiB */
#define PIPE_SIZE_LIMIT (1UL << 31)              /* F_SETPIPE_SZ above this: EINVAL */
#define PIPE_BUF PAGE_SIZE

/*
 * One pipe or FIFO.  The data is a byte ring of 2^order pages; in packet
 * mode (O_DIRECT writers) each packet's end is also queued in packet_end,
 * which has a slot per page as Linux has a pipe_buffer per page: a packet
 * is at most a page, and a pipe holds as many packets as it has pages.
 * r_counter and w_counter count opens ever made, so a FIFO opener waiting
 * for the other end sees one that came and went.
 */
struct pipe_inode_info {
	char *buf;
	unsigned int order;
	unsigned long head, tail;      /* bytes written / read, ever; used = head - tail */
	unsigned long *packet_end;     /* head at the end of each packet, oldest first */
	unsigned long packet_head, packet_tail;
	int readers, writers;
	unsigned int r_counter, w_counter;
	wait_queue_head_t wait;        /* both directions, and FIFO opens, sleep here */
};

static size_t pipe_size(const struct pipe_inode_info *pipe)
{
	return PAGE_SIZE << pipe->order;
}

static size_t pipe_slots(const struct pipe_inode_info *pipe)
{
	return 1UL << pipe->order;
}

static size_t pipe_used(const struct pipe_inode_info *pipe)
{
	return pipe->head - pipe->tail;
}

static size_t packets_queued(const struct pipe_inode_info *pipe)
{
	return pipe->packet_head - pipe->packet_tail;
}

static bool packetized(const struct file *f)
{
	return f->f_flags & O_DIRECT;
}

/* Packets the reader has now passed are gone from the queue. */
static void drop_read_packets(struct pipe_inode_info *pipe)
{
	while (packets_queued(pipe) &&
	       pipe->packet_end[pipe->packet_tail % pipe_slots(pipe)] <= pipe->tail)
		pipe->packet_tail++;
}

/* Copy up to count bytes out of the ring; the count copied or -EFAULT. */
static ssize_t copy_out(struct pipe_inode_info *pipe, char *ubuf, size_t count)
{
	size_t done = 0;

	while (done < count && pipe_used(pipe)) {
		size_t off = pipe->tail % pipe_size(pipe);
		size_t n = min(min(count - done, pipe_used(pipe)), pipe_size(pipe) - off);

		if (copy_to_user(ubuf + done, pipe->buf + off, n))
			return done ? (ssize_t)done : -EFAULT;
		pipe->tail += n;
		done += n;
	}
	return done;
}

static ssize_t pipe_read(struct file *f, char *ubuf, size_t count, loff_t *pos)
{
	struct pipe_inode_info *pipe = f->f_inode->i_pipe;
	ssize_t done;

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
	/* a packet reader takes one packet, and what it has no room for is lost */
	if (packetized(f) && packets_queued(pipe)) {
		unsigned long end = pipe->packet_end[pipe->packet_tail % pipe_slots(pipe)];

		done = copy_out(pipe, ubuf, min(count, (size_t)(end - pipe->tail)));
		if (done >= 0)
			pipe->tail = end;
	} else {
		done = copy_out(pipe, ubuf, count);
	}
	drop_read_packets(pipe);
	wake_up(&pipe->wait);
	return done;
}

/* Room for want bytes: whole small writes, and a packet slot for each packet. */
static bool pipe_has_room(const struct pipe_inode_info *pipe, size_t want, bool packet)
{
	if (packet && packets_queued(pipe) == pipe_slots(pipe))
		return false;
	return pipe_size(pipe) - pipe_used(pipe) >= want;
}

static ssize_t pipe_write(struct file *f, const char *ubuf, size_t count, loff_t *pos)
{
	struct pipe_inode_info *pipe = f->f_inode->i_pipe;
	bool packet = packetized(f);
	size_t done = 0;

	while (done < count) {
		size_t want = count - done, off, n;
		/* small writes go in whole or not at all; a packet is at most a page */
		size_t need = packet ? min(want, (size_t)PIPE_BUF) : (count <= PIPE_BUF ? want : 1);

		if (!pipe->readers) {
			send_sig(SIGPIPE, current, current->tgid);
			return done ? (ssize_t)done : -EPIPE;
		}
		if (!pipe_has_room(pipe, need, packet)) {
			if (f->f_flags & O_NONBLOCK)
				return done ? (ssize_t)done : -EAGAIN;
			wake_up(&pipe->wait);
			if (wait_event_interruptible(pipe->wait,
						     pipe_has_room(pipe, need, packet) ||
						     !pipe->readers))
				return done ? (ssize_t)done : -ERESTARTSYS;
			continue;
		}
		off = pipe->head % pipe_size(pipe);
		n = min(min(packet ? need : want, pipe_size(pipe) - pipe_used(pipe)),
			pipe_size(pipe) - off);
		if (packet && n < need) {                /* a packet wraps the ring: two copies */
			if (copy_from_user(pipe->buf + off, ubuf + done, n) ||
			    copy_from_user(pipe->buf, ubuf + done + n, need - n))
				return done ? (ssize_t)done : -EFAULT;
			n = need;
		} else if (copy_from_user(pipe->buf + off, ubuf + done, n)) {
			return done ? (ssize_t)done : -EFAULT;
		}
		pipe->head += n;
		done += n;
		if (packet)
			pipe->packet_end[pipe->packet_head++ % pipe_slots(pipe)] = pipe->head;
		wake_up(&pipe->wait);
	}
	return done;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = f->f_inode->i_pipe;

	if (cmd == FIONREAD)
		return put_user((int)pipe_used(pipe), (int *)arg);
	return -ENOTTY;
}

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	if (pipe->buf)
		free_pages((unsigned long)pipe->buf, pipe->order);
	kfree(pipe->packet_end);
	kfree(pipe);
}

/* A ring of 2^order pages and its packet slots, or NULL. */
static struct pipe_inode_info *alloc_pipe_info(unsigned int order)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return NULL;
	pipe->order = order;
	pipe->buf = (char *)__get_free_pages(GFP_KERNEL, order);
	pipe->packet_end = kmalloc(pipe_slots(pipe) * sizeof(unsigned long), GFP_KERNEL);
	if (!pipe->buf || !pipe->packet_end) {
		free_pipe_info(pipe);
		return NULL;
	}
	init_waitqueue_head(&pipe->wait);
	return pipe;
}

/*
 * The last end closed frees the pipe: a FIFO keeps no data between
 * opens, as in Linux.
 */
static void pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = inode->i_pipe;

	if (file_readable(f))
		pipe->readers--;
	if (file_writable(f))
		pipe->writers--;
	if (!pipe->readers && !pipe->writers) {
		inode->i_pipe = NULL;
		free_pipe_info(pipe);
		return;
	}
	wake_up(&pipe->wait);
}

/*
 * Readable with data or at EOF (POLLHUP, once a writer has come and gone
 * since this end was opened: a FIFO reader waiting for its first writer
 * is not at EOF); writable with room, POLLERR with no reader.
 */
static unsigned int pipe_poll(struct file *f, struct poll_table *pt)
{
	struct pipe_inode_info *pipe = f->f_inode->i_pipe;
	unsigned int mask = 0;

	poll_wait(f, &pipe->wait, pt);
	if (file_readable(f)) {
		if (pipe_used(pipe))
			mask |= POLLIN | POLLRDNORM;
		if (!pipe->writers && f->f_pipe != pipe->w_counter)
			mask |= POLLHUP;
	}
	if (file_writable(f)) {
		if (pipe_has_room(pipe, 1, packetized(f)))
			mask |= POLLOUT | POLLWRNORM;
		if (!pipe->readers)
			mask |= POLLERR;
	}
	return mask;
}

unsigned int pipe_max_size = PIPE_MAX_SIZE;

/*
 * A pipe size asked for (F_SETPIPE_SZ, /proc/sys/fs/pipe-max-size) as
 * one a ring can have: at least a page, a power of two of pages; 0 when
 * above PIPE_SIZE_LIMIT (Linux's round_pipe_size).
 */
unsigned int round_pipe_size(unsigned long size)
{
	unsigned int rounded = PAGE_SIZE;

	if (size > PIPE_SIZE_LIMIT)
		return 0;
	while (rounded < size)
		rounded <<= 1;
	return rounded;
}

/*
 * F_SETPIPE_SZ: a new ring of at least size bytes (a power of two of
 * pages), the data moved over; EBUSY if what is queued would not fit.
 * Growing past pipe-max-size takes CAP_SYS_RESOURCE, as in Linux; a
 * ring the page allocator cannot give in one block is ENOMEM.
 */
static long pipe_set_size(struct pipe_inode_info *pipe, unsigned long arg)
{
	unsigned int order = 0, size = round_pipe_size(arg);
	struct pipe_inode_info *new;
	size_t used = pipe_used(pipe);
	unsigned long moved;

	if (!size)
		return -EINVAL;
	while ((PAGE_SIZE << order) < size)
		order++;
	if (order == pipe->order)
		return pipe_size(pipe);
	if (order > pipe->order && size > pipe_max_size && !capable(CAP_SYS_RESOURCE))
		return -EPERM;
	/* what is queued takes a slot per packet, or per page of bytes */
	if (max(packets_queued(pipe), DIV_ROUND_UP(used, PAGE_SIZE)) > (1UL << order))
		return -EBUSY;
	new = alloc_pipe_info(order);
	if (!new)
		return -ENOMEM;
	for (moved = 0; moved < used; moved++)
		new->buf[moved] = pipe->buf[(pipe->tail + moved) % pipe_size(pipe)];
	for (; pipe->packet_tail != pipe->packet_head; pipe->packet_tail++)
		new->packet_end[new->packet_head++] =
			pipe->packet_end[pipe->packet_tail % pipe_slots(pipe)] - pipe->tail;
	swap(pipe->buf, new->buf);
	swap(pipe->packet_end, new->packet_end);
	swap(pipe->order, new->order);
	pipe->packet_tail = 0;
	pipe->packet_head = new->packet_head;
	pipe->tail = 0;
	pipe->head = used;
	free_pipe_info(new);
	wake_up(&pipe->wait);
	return pipe_size(pipe);
}

/* fcntl's pipe commands; -EBADF for a file that is no pipe, as Linux. */
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = f->f_inode->i_pipe;

	if (!S_ISFIFO(f->f_inode->i_mode) || !pipe)
		return -EBADF;
	if (cmd == F_GETPIPE_SZ)
		return pipe_size(pipe);
	return pipe_set_size(pipe, arg);
}

static const struct file_operations pipe_fops = {
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.release = pipe_release,
};

/* A pipe has no path: /proc/<pid>/fd names it by its inode number, as Linux's pipefs_dname. */
static int pipefs_dname(struct inode *inode, char *buf, size_t size)
{
	return snprintf(buf, size, "pipe:[%lu]", inode->i_ino);
}

static const struct super_operations pipefs_super_operations = {
	.statfs = simple_statfs,
	.dname = pipefs_dname,
};

/* Linux's pipefs: where pipe inodes live (fstatfs on a pipe reports it) */
static struct super_block pipefs_sb = {
	.s_magic = PIPEFS_MAGIC,
	.s_blocksize = PAGE_SIZE,
	.s_op = &pipefs_super_operations,
};

long sys_pipe2(int *ufds, int flags)
{
	struct inode *inode;
	struct file *rf, *wf;
	struct pipe_inode_info *pipe;
	int fds[2];

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	inode = new_inode(&pipefs_sb, S_IFIFO | 0600);
	if (!inode)
		return -ENFILE;
	inode_init_owner(inode, NULL, inode->i_mode);     /* fstat shows the creator */
	inode->i_nlink = 0;
	inode->i_fop = &fifo_fops;        /* opened again through /proc/<pid>/fd, as Linux's */
	pipe = alloc_pipe_info(PIPE_DEF_ORDER);
	rf = alloc_file(inode, O_RDONLY | (flags & (O_NONBLOCK | O_DIRECT)), &pipe_fops);
	wf = alloc_file(inode, O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)), &pipe_fops);
	iput(inode);
	if (!pipe || !rf || !wf)
		goto nomem;
	inode->i_pipe = pipe;
	pipe->readers = pipe->writers = 1;
	pipe->r_counter = pipe->w_counter = 1;
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
	if (pipe)
		free_pipe_info(pipe);
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

/* Sleep until the other end's open counter moves past seen; -ERESTARTSYS on a signal. */
static int wait_for_partner(struct pipe_inode_info *pipe, unsigned int *counter)
{
	unsigned int seen = *counter;

	return wait_event_interruptible(pipe->wait, *counter != seen) ? -ERESTARTSYS : 0;
}

/*
 * Opening a FIFO (a named pipe made by mknod): the pipe is made by its
 * first opener.  A reader waits for a writer and a writer for a reader,
 * unless O_NONBLOCK (a lone non-blocking writer gets ENXIO); O_RDWR never
 * waits.  On a failed open the caller drops the file without release, so
 * the counts are undone here.
 */
static int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = inode->i_pipe;
	int err = 0;

	if (!pipe) {
		pipe = alloc_pipe_info(PIPE_DEF_ORDER);
		if (!pipe)
			return -ENOMEM;
		inode->i_pipe = pipe;
	}
	f->f_pipe = pipe->w_counter;
	switch (f->f_flags & O_ACCMODE) {
	case O_RDONLY:
		pipe->readers++;
		pipe->r_counter++;
		wake_up(&pipe->wait);
		if (!pipe->writers && !(f->f_flags & O_NONBLOCK))
			err = wait_for_partner(pipe, &pipe->w_counter);
		if (err)
			pipe->readers--;
		break;
	case O_WRONLY:
		if (!pipe->readers && (f->f_flags & O_NONBLOCK)) {
			err = -ENXIO;
			break;
		}
		pipe->writers++;
		pipe->w_counter++;
		wake_up(&pipe->wait);
		if (!pipe->readers)
			err = wait_for_partner(pipe, &pipe->r_counter);
		if (err)
			pipe->writers--;
		break;
	default:
		pipe->readers++;
		pipe->writers++;
		pipe->r_counter++;
		pipe->w_counter++;
		wake_up(&pipe->wait);
	}
	if (err && !pipe->readers && !pipe->writers) {
		inode->i_pipe = NULL;
		free_pipe_info(pipe);
	}
	return err;
}

const struct file_operations fifo_fops = {
	.open = fifo_open,
	.read = pipe_read,
	.write = pipe_write,
	.ioctl = pipe_ioctl,
	.poll = pipe_poll,
	.release = pipe_release,
};
