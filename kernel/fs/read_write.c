/*
 * read/write and friends: descriptor and buffer checks, then the file's
 * own operation.  kernel_read/kernel_write are the same calls on kernel
 * buffers (exec reading an ELF header, initramfs, /proc), done by
 * lifting the user-copy address limit for the duration (Linux's set_fs).
 * sendfile copies between two files through a kernel page the same way.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/fdtable.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>

#define IOV_MAX 1024
#define MAX_RW_COUNT (0x7fffffffUL & PAGE_MASK)  /* Linux's cap on one transfer */
#define OFFSET_MAX 0x7fffffffffffffffLL          /* the largest loff_t */

struct iovec {
	void *iov_base;
	size_t iov_len;
};

static ssize_t vfs_read(struct file *f, char *buf, size_t count, loff_t *pos)
{
	if (!file_readable(f))
		return -EBADF;
	if (!f->f_op->read)
		return S_ISDIR(f->f_inode->i_mode) ? -EISDIR : -EINVAL;
	if (!access_ok(buf, count))
		return -EFAULT;
	if ((ssize_t)count < 0)                   /* Linux's rw_verify_area, on 32 bits */
		return -EINVAL;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	return f->f_op->read(f, buf, count, pos);
}

static ssize_t vfs_write(struct file *f, const char *buf, size_t count, loff_t *pos)
{
	if (!file_writable(f))
		return -EBADF;
	if (!f->f_op->write)
		return -EINVAL;
	if (!access_ok(buf, count))
		return -EFAULT;
	if ((ssize_t)count < 0)
		return -EINVAL;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	return f->f_op->write(f, buf, count, pos);
}

ssize_t kernel_read(struct file *f, loff_t pos, void *buf, size_t count)
{
	unsigned long old = get_fs();
	ssize_t n;

	set_fs(KERNEL_DS);
	n = f->f_op->read ? f->f_op->read(f, buf, count, &pos) : -EINVAL;
	set_fs(old);
	return n;
}

ssize_t kernel_write(struct file *f, loff_t pos, const void *buf, size_t count)
{
	unsigned long old = get_fs();
	ssize_t n;

	set_fs(KERNEL_DS);
	n = f->f_op->write ? f->f_op->write(f, buf, count, &pos) : -EINVAL;
	set_fs(old);
	return n;
}

long sys_read(unsigned int fd, char *buf, size_t count)
{
	struct file *f = fget(fd);
	ssize_t n;

	if (!f)
		return -EBADF;
	n = vfs_read(f, buf, count, &f->f_pos);
	fput(f);
	return n;
}

long sys_write(unsigned int fd, const char *buf, size_t count)
{
	struct file *f = fget(fd);
	ssize_t n;

	if (!f)
		return -EBADF;
	n = vfs_write(f, buf, count, &f->f_pos);
	fput(f);
	return n;
}

static bool seekable(const struct file *f)
{
	return f->f_op->llseek != NULL;
}

long sys_pread64(unsigned int fd, char *buf, size_t count, unsigned long lo, unsigned long hi)
{
	struct file *f = fget(fd);
	loff_t pos = ((loff_t)hi << 32) | lo;
	ssize_t n;

	if (!f)
		return -EBADF;
	n = !seekable(f) ? -ESPIPE : pos < 0 ? -EINVAL : vfs_read(f, buf, count, &pos);
	fput(f);
	return n;
}

long sys_pwrite64(unsigned int fd, const char *buf, size_t count, unsigned long lo,
		  unsigned long hi)
{
	struct file *f = fget(fd);
	loff_t pos = ((loff_t)hi << 32) | lo;
	ssize_t n;

	if (!f)
		return -EBADF;
	n = !seekable(f) ? -ESPIPE : pos < 0 ? -EINVAL : vfs_write(f, buf, count, &pos);
	fput(f);
	return n;
}

/*
 * Copy in and check a user iovec array as Linux's import_iovec() does,
 * before anything is transferred: a length that is negative as an
 * ssize_t is EINVAL, then a segment outside user space is EFAULT (an
 * unmapped user segment only shortens the transfer, when it is reached);
 * segments past MAX_RW_COUNT in total are shortened to it, so the result
 * always fits the return value.  Returns that total, *vecp holding the
 * kernel copy (to kfree), or an error.
 */
static long import_iovec(const struct iovec *uvec, int cnt, struct iovec **vecp)
{
	struct iovec *vec;
	size_t total = 0;
	long err = -EINVAL;

	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	vec = kmalloc(cnt * sizeof(*vec), GFP_KERNEL);
	if (!vec)
		return -ENOMEM;
	if (copy_from_user(vec, uvec, cnt * sizeof(*vec))) {
		err = -EFAULT;
		goto fail;
	}
	for (int i = 0; i < cnt; i++)
		if ((ssize_t)vec[i].iov_len < 0)
			goto fail;
	err = -EFAULT;
	for (int i = 0; i < cnt; i++) {
		if (!access_ok(vec[i].iov_base, vec[i].iov_len))
			goto fail;
		vec[i].iov_len = min(vec[i].iov_len, MAX_RW_COUNT - total);
		total += vec[i].iov_len;
	}
	*vecp = vec;
	return total;
fail:
	kfree(vec);
	return err;
}

/*
 * readv/writev: Linux 6.1's order of checks (the descriptor, the vector,
 * then the descriptor's access mode: vfs_writev imports before
 * do_iter_write looks at f_mode), then each segment in turn; a short
 * transfer ends the call.
 */
static long do_iov(unsigned int fd, const struct iovec *uvec, int cnt, bool write)
{
	struct file *f = fget(fd);
	struct iovec *vec = NULL;
	long total = 0, tot_len = 0;

	if (!f)
		return -EBADF;
	if (cnt)
		tot_len = import_iovec(uvec, cnt, &vec);
	if (tot_len < 0) {
		total = tot_len;
		goto out;
	}
	if (!(write ? file_writable(f) : file_readable(f))) {
		total = -EBADF;
		goto free;
	}
	for (int i = 0; i < cnt && tot_len; i++) {
		ssize_t n = write ? vfs_write(f, vec[i].iov_base, vec[i].iov_len, &f->f_pos)
				  : vfs_read(f, vec[i].iov_base, vec[i].iov_len, &f->f_pos);

		if (n < 0) {
			if (!total)
				total = n;
			break;
		}
		total += n;
		if ((size_t)n < vec[i].iov_len)
			break;
	}
free:
	if (vec)
		kfree(vec);
out:
	fput(f);
	return total;
}

long sys_readv(unsigned int fd, const struct iovec *vec, int cnt)
{
	return do_iov(fd, vec, cnt, false);
}

long sys_writev(unsigned int fd, const struct iovec *vec, int cnt)
{
	return do_iov(fd, vec, cnt, true);
}

/* Linux's vfs_setpos(): a new offset must be neither negative nor past the largest file size. */
static loff_t vfs_setpos(struct file *f, loff_t offset, loff_t maxsize)
{
	if (offset < 0 || offset > maxsize)
		return -EINVAL;
	f->f_pos = offset;
	return offset;
}

/*
 * base + offset for a base >= 0; a sum past the largest loff_t is -1, as
 * Linux's wrapped sum is negative.
 */
static loff_t seek_sum(loff_t base, loff_t offset)
{
	return offset > OFFSET_MAX - base ? -1 : base + offset;
}

/*
 * Linux's generic_file_llseek() for anvil's file systems, whose largest
 * file (s_maxbytes) is MAX_LFS_FILESIZE.  A file has no holes but the
 * one at its end, so SEEK_DATA finds the offset itself and SEEK_HOLE the
 * end of file, both ENXIO at or past the end.
 */
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t eof = f->f_inode->i_size;

	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		offset = seek_sum(f->f_pos, offset);
		break;
	case SEEK_END:
		offset = seek_sum(eof, offset);
		break;
	case SEEK_DATA:
		if ((u64)offset >= (u64)eof)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if ((u64)offset >= (u64)eof)
			return -ENXIO;
		offset = eof;
		break;
	default:
		return -EINVAL;
	}
	return vfs_setpos(f, offset, MAX_LFS_FILESIZE);
}

static loff_t vfs_llseek(unsigned int fd, loff_t offset, unsigned int whence)
{
	struct file *f = fget(fd);
	loff_t pos;

	if (!f)
		return -EBADF;
	if (whence > SEEK_MAX)
		pos = -EINVAL;
	else
		pos = seekable(f) ? f->f_op->llseek(f, offset, whence) : -ESPIPE;
	fput(f);
	return pos;
}

long sys_lseek(unsigned int fd, long offset, int whence)
{
	loff_t pos = vfs_llseek(fd, offset, whence);

	if (pos > 0x7fffffffLL)
		return -EOVERFLOW;
	return (long)pos;
}

long sys_llseek(unsigned int fd, unsigned long hi, unsigned long lo, loff_t *result, int whence)
{
	loff_t pos = vfs_llseek(fd, ((loff_t)hi << 32) | lo, whence);

	if (pos < 0)
		return (long)pos;
	return copy_to_user(result, &pos, sizeof(pos)) ? -EFAULT : 0;
}

/*
 * sendfile: count bytes from in (at *pos) to out (at its offset), a page
 * at a time through a kernel buffer.  Stops early at end of file or a
 * short write; an error is returned only if nothing was copied.
 */
static long sendfile_copy(struct file *in, struct file *out, loff_t *pos, size_t count)
{
	char *buf = (char *)__get_free_page(GFP_KERNEL);
	unsigned long old = get_fs();
	size_t done = 0;
	long err = 0;

	if (!buf)
		return -ENOMEM;
	set_fs(KERNEL_DS);
	while (done < count) {
		ssize_t r = vfs_read(in, buf, min(count - done, PAGE_SIZE), pos), w;

		if (r <= 0) {
			err = r;
			break;
		}
		w = vfs_write(out, buf, r, &out->f_pos);
		if (w < 0) {
			*pos -= r;                /* not delivered: not consumed */
			err = w;
			break;
		}
		done += w;
		if (w < r) {
			*pos -= r - w;
			break;
		}
	}
	set_fs(old);
	free_page((unsigned long)buf);
	return done ? (long)done : err;
}

/*
 * Linux's do_sendfile checks: readable in, writable out (not O_APPEND),
 * an offset only if seekable.
 */
static long do_sendfile(int out_fd, int in_fd, loff_t *ppos, size_t count)
{
	struct file *in = fget(in_fd), *out = fget(out_fd);
	loff_t pos;
	long ret;

	if (!in || !out || !file_readable(in) || !file_writable(out))
		ret = -EBADF;
	else if (out->f_flags & O_APPEND)
		ret = -EINVAL;
	else if (ppos && !seekable(in))
		ret = -ESPIPE;
	else if (ppos && *ppos < 0)
		ret = -EINVAL;
	else {
		pos = ppos ? *ppos : in->f_pos;
		ret = sendfile_copy(in, out, &pos, min(count, (size_t)MAX_RW_COUNT));
		if (ppos)
			*ppos = pos;
		else
			in->f_pos = pos;
	}
	if (in)
		fput(in);
	if (out)
		fput(out);
	return ret;
}

long sys_sendfile64(int out_fd, int in_fd, loff_t *uoffset, size_t count)
{
	loff_t pos;
	long ret;

	if (uoffset && copy_from_user(&pos, uoffset, sizeof(pos)))
		return -EFAULT;
	ret = do_sendfile(out_fd, in_fd, uoffset ? &pos : NULL, count);
	if (uoffset && ret >= 0 && copy_to_user(uoffset, &pos, sizeof(pos)))
		return -EFAULT;
	return ret;
}

/* The original sendfile: a 32-bit offset. */
long sys_sendfile(int out_fd, int in_fd, long *uoffset, size_t count)
{
	long off;
	loff_t pos;
	long ret;

	if (uoffset && get_user(off, uoffset))
		return -EFAULT;
	pos = uoffset ? off : 0;
	ret = do_sendfile(out_fd, in_fd, uoffset ? &pos : NULL, count);
	if (uoffset && ret >= 0 && put_user((long)pos, uoffset))
		return -EFAULT;
	return ret;
}
