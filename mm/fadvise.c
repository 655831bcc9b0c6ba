/*
 * posix_fadvise (fadvise64, fadvise64_64): what a program says of how it
 * will read a file sets the read-ahead of its open file (mm/readahead.c)
 * -- RANDOM none, SEQUENTIAL twice the window, NORMAL back to the
 * default -- and WILLNEED starts the reads of a range now.  DONTNEED and
 * NOREUSE are accepted and change nothing (reclaim ages those pages).
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/mm.h>
#include <anvil/syscalls.h>
#include <abi/fcntl.h>
#include <abi/errno.h>

static long fadvise(struct file *f, loff_t offset, loff_t len, int advice)
{
	struct address_space *mapping = f->f_inode->i_mapping;
	unsigned long first, last;

	if (S_ISFIFO(f->f_inode->i_mode))
		return -ESPIPE;
	if (!mapping || len < 0)
		return -EINVAL;
	switch (advice) {
	case POSIX_FADV_NORMAL:
		f->f_ra.ra_pages = default_ra_pages();
		return 0;
	case POSIX_FADV_RANDOM:
		f->f_ra.ra_pages = 0;
		return 0;
	case POSIX_FADV_SEQUENTIAL:
		f->f_ra.ra_pages = 2 * default_ra_pages();
		return 0;
	case POSIX_FADV_WILLNEED:
		if (offset < 0 || offset >= f->f_inode->i_size)
			return 0;
		first = offset >> PAGE_SHIFT;
		last = !len || len > f->f_inode->i_size - offset ?
		       (f->f_inode->i_size - 1) >> PAGE_SHIFT : (offset + len - 1) >> PAGE_SHIFT;
		do_page_cache_readahead(mapping, f, first, last - first + 1);
		return 0;
	case POSIX_FADV_DONTNEED:
	case POSIX_FADV_NOREUSE:
		return 0;
	default:
		return -EINVAL;
	}
}

static long do_fadvise(int fd, loff_t offset, loff_t len, int advice)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = fadvise(f, offset, len, advice);
	fput(f);
	return ret;
}

/* i386's fadvise64: the offset in two registers, the length in one. */
long sys_fadvise64(int fd, u32 offset_lo, u32 offset_hi, size_t len, int advice)
{
	return do_fadvise(fd, ((loff_t)offset_hi << 32) | offset_lo, len, advice);
}

/* fadvise64_64 (glibc's posix_fadvise on i386): both in two registers. */
long sys_fadvise64_64(int fd, u32 offset_lo, u32 offset_hi, u32 len_lo, u32 len_hi, int advice)
{
	return do_fadvise(fd, ((loff_t)offset_hi << 32) | offset_lo,
			  ((loff_t)len_hi << 32) | len_lo, advice);
}
