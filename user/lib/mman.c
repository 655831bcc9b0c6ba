/*
 * Memory: the program break (brk/sbrk, under malloc) and mappings.
 * mmap goes through mmap2, whose offset is in 4096-byte units.
 */
#include <errno.h>
#include <stdarg.h>
#include <unistd.h>
#include <sys/mman.h>
#include "libc.h"

static unsigned long cur_brk;

/* The system call returns the new break, or the old one when it refuses. */
int brk(void *addr)
{
	cur_brk = __syscall1(__NR_brk, (long)addr);
	if (cur_brk < (unsigned long)addr) {
		errno = ENOMEM;
		return -1;
	}
	return 0;
}

void *sbrk(long incr)
{
	unsigned long old;

	if (!cur_brk)
		cur_brk = __syscall1(__NR_brk, 0);
	old = cur_brk;
	if (incr && brk((void *)(old + incr)) < 0)
		return (void *)-1;
	return (void *)old;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (off & 4095) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return (void *)SYS6(__NR_mmap2, addr, len, prot, flags, fd, (unsigned long)off >> 12);
}

int munmap(void *addr, size_t len) { return SYS2(__NR_munmap, addr, len); }
int mprotect(void *addr, size_t len, int prot) { return SYS3(__NR_mprotect, addr, len, prot); }
int madvise(void *addr, size_t len, int advice) { return SYS3(__NR_madvise, addr, len, advice); }
int msync(void *addr, size_t len, int flags) { return SYS3(__NR_msync, addr, len, flags); }
int mincore(void *addr, size_t len, unsigned char *vec) { return SYS3(__NR_mincore, addr, len, vec); }
int mlock(const void *addr, size_t len) { return SYS2(__NR_mlock, addr, len); }
int mlock2(const void *addr, size_t len, unsigned int flags) { return SYS3(__NR_mlock2, addr, len, flags); }
int munlock(const void *addr, size_t len) { return SYS2(__NR_munlock, addr, len); }
int mlockall(int flags) { return SYS1(__NR_mlockall, flags); }
int munlockall(void) { return SYS0(__NR_munlockall); }

/* The new address is an argument only with MREMAP_FIXED. */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;
	va_list ap;

	if (flags & MREMAP_FIXED) {
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return (void *)SYS5(__NR_mremap, old, old_len, new_len, flags, new_addr);
}
