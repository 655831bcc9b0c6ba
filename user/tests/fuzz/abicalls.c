/*
 * The fuzzer's calls added with the Linux process and file ABI (resource
 * limits, dup3, statfs, FIFOs, fallocate, waitid, getrusage, interval
 * timers, personality), drawn only with -s so that the replays of
 * batch.c keep the draws they were recorded with.  Sanitised: mknod makes
 * no device node but /dev/null's (a raw node of the swap disk would let a
 * batch scribble on swapped pages, as root can on Linux), fallocate
 * allocates at most MAX_FILE_WRITE (ramfs has no size limit), and
 * setitimer(ITIMER_REAL) -- alarm's timer, the batch's watchdog -- stays
 * short and armed, as alarm does.
 *
 * file_calls, drawn with -d only (the scratch directory then on an ext2
 * disk): files opened for writing, written and truncated at offsets where
 * the block map changes depth (direct, indirect, double and triple
 * indirect blocks, past the largest file), mapped MAP_SHARED into the
 * arena (where TOUCH and the memory calls store into them, and reclaim
 * writes them back), msync'ed, fsync'ed; names made and removed more
 * often than the base table does.
 */
#include <stddef.h>
#include <abi/unistd.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <abi/mman.h>
#include <sys/time.h>
#include "fuzz.h"

#define NULL_DEV 0x103               /* 1:3, /dev/null */
#define KIB 1024ULL
#define MAX_MAP_PAGES 64             /* a file mapping: up to 256 KiB */
#define MAX_PGOFF 64                 /* ... from up to 256 KiB into the file */
#define NEAR 4096                    /* a far offset moved by up to this much */
#define FIRST_FILE_FD 3              /* what a batch's opens return first (0-2: /dev/null) */
#define FILE_FDS 4
#define MAX_LOCK_LEN (64 * 4096UL)   /* 256 KiB a call: a batch must not fill RAM with them */

/* mlock and mlock2 lock (and fault in) at most MAX_LOCK_LEN bytes: locked pages cannot go to swap. */
static void san_mlock(long *a)
{
	if ((unsigned long)a[1] > MAX_LOCK_LEN)
		a[1] = MAX_LOCK_LEN;
}

/* mlockall never faults in the whole arena at once: MCL_CURRENT and MCL_FUTURE lock on fault. */
static void san_mlockall(long *a)
{
	if (a[0] & (MCL_CURRENT | MCL_FUTURE))
		a[0] |= MCL_ONFAULT;
}

static void san_mknod(long *a)
{
	if (S_ISCHR(a[1]) || S_ISBLK(a[1]))
		a[2] = NULL_DEV;
}

static void san_mknodat(long *a)
{
	if (S_ISCHR(a[2]) || S_ISBLK(a[2]))
		a[3] = NULL_DEV;
}

/* fallocate(fd, mode, offset lo, hi, len lo, hi): a short length */
static void san_fallocate(long *a)
{
	a[4] = (long)((unsigned long)a[4] % MAX_FILE_WRITE);
	a[5] = 0;
}

/* Never disarmed (a NULL or zero value would), never long. */
static void san_setitimer(long *a)
{
	static struct itimerval v;

	if (a[0] != ITIMER_REAL)
		return;
	v.it_value.tv_sec = rnd_below(MAX_ALARM_S);
	v.it_value.tv_usec = 1 + rnd_below(999999);
	v.it_interval.tv_sec = 0;
	v.it_interval.tv_usec = rnd_below(1000000);
	a[1] = (long)&v;
}

/* Where the block map of a 1 KiB- or 4 KiB-block ext2 file changes depth, and past its end. */
static const unsigned long long far_offsets[] = {
	0, 12 * KIB, 48 * KIB, 268 * KIB, 4 * KIB * KIB + 48 * KIB, 65804 * KIB,
	1024 * KIB * KIB, 4100 * KIB * KIB, 16450 * KIB * KIB, 1ULL << 42,
};

/* An offset near one of far_offsets, or a small one. */
static unsigned long long far_offset(void)
{
	unsigned long long off = far_offsets[rnd_below(sizeof(far_offsets) /
						       sizeof(far_offsets[0]))];

	if (rnd_below(4) == 0)
		return rnd_below(64 * KIB);
	return rnd_below(2) ? off + rnd_below(NEAR) : (off > NEAR ? off - rnd_below(NEAR) : off);
}

/* A descriptor a batch's open or creat is likely to have returned. */
static long file_fd(void)
{
	return FIRST_FILE_FD + rnd_below(FILE_FDS);
}

/* fsync and fdatasync: of such a descriptor. */
static void san_file_fd(long *a)
{
	a[0] = file_fd();
}

/* open(path, flags, mode): usually a file to read and write, made if need be. */
static void san_open_file(long *a)
{
	static const long flags[] = {
		O_RDWR | O_CREAT, O_RDWR | O_CREAT | O_TRUNC, O_WRONLY | O_CREAT | O_APPEND,
		O_RDONLY, O_RDWR | O_CREAT | O_EXCL, O_RDONLY | O_DIRECTORY,
	};

	if (rnd_below(4))
		a[1] = flags[rnd_below(sizeof(flags) / sizeof(flags[0]))];
	a[2] = 0644;
}

/* pwrite64(fd, buf, count, pos lo, pos hi): a far offset, at most MAX_FILE_WRITE bytes. */
static void san_pwrite_far(long *a)
{
	unsigned long long off = far_offset();

	a[0] = file_fd();
	a[2] = (long)((unsigned long)a[2] % MAX_FILE_WRITE);
	a[3] = (long)(off & 0xffffffffUL);
	a[4] = (long)(off >> 32);
}

/* truncate64(path, length lo, hi): a far length. */
static void san_truncate_far(long *a)
{
	unsigned long long len = far_offset();

	a[1] = (long)(len & 0xffffffffUL);
	a[2] = (long)(len >> 32);
}

/* ftruncate64(fd, length lo, hi): an open file, a far length. */
static void san_ftruncate_far(long *a)
{
	san_truncate_far(a);
	a[0] = file_fd();
}

/* mmap2 of a descriptor, shared, over arena pages: read-write mostly, from a small offset. */
static void san_mmap_file(long *a)
{
	a[0] = (long)arena_addr();
	a[1] = (long)((1 + rnd_below(MAX_MAP_PAGES)) * PAGE);
	a[2] = rnd_below(4) ? PROT_READ | PROT_WRITE : PROT_READ;
	a[3] = MAP_SHARED | MAP_FIXED;
	a[4] = file_fd();
	a[5] = rnd_below(MAX_PGOFF);
}

/* msync of arena pages: synchronous mostly, invalidating sometimes. */
static void san_msync(long *a)
{
	static const long flags[] = { MS_SYNC, MS_ASYNC, MS_SYNC | MS_INVALIDATE, MS_INVALIDATE };

	a[0] = (long)arena_addr();
	a[1] = (long)((1 + rnd_below(MAX_MAP_PAGES)) * PAGE);
	a[2] = flags[rnd_below(sizeof(flags) / sizeof(flags[0]))];
}

/* Weighted to be a good part of a batch beside the base table (~190 in all). */
const struct fuzz_call file_calls[] = {
	S(open, 12, san_open_file, A_PATH, A_FLAGS, A_INT),
	S(mmap2, 12, san_mmap_file, A_ADDR, A_LEN, A_FLAGS, A_FLAGS, A_FD, A_INT),
	S(msync, 6, san_msync, A_ADDR, A_LEN, A_FLAGS),
	S(pwrite64, 8, san_pwrite_far, A_FD, A_BUF, A_LEN, A_INT, A_INT),
	S(ftruncate64, 4, san_ftruncate_far, A_FD, A_INT, A_INT),
	S(truncate64, 2, san_truncate_far, A_PATH, A_INT, A_INT),
	S(fsync, 4, san_file_fd, A_FD),
	S(fdatasync, 2, san_file_fd, A_FD),
	C(getdents64, 2, A_FD, A_BUF, A_LEN),
	C(rename, 3, A_PATH, A_PATH),
	C(link, 2, A_PATH, A_PATH),
	C(symlink, 2, A_PATH, A_PATH),
	C(unlink, 3, A_PATH),
	C(mkdir, 3, A_PATH, A_INT),
	C(rmdir, 2, A_PATH),
	C(creat, 3, A_PATH, A_INT),
	C(sync, 1),
};

const unsigned nr_file_calls = sizeof(file_calls) / sizeof(file_calls[0]);

const struct fuzz_call abi_calls[] = {
	C(mincore, 2, A_ADDR, A_LEN, A_BUF),
	S(mlock, 2, san_mlock, A_ADDR, A_LEN),
	S(mlock2, 1, san_mlock, A_ADDR, A_LEN, A_FLAGS),
	C(munlock, 2, A_ADDR, A_LEN),
	S(mlockall, 1, san_mlockall, A_FLAGS),
	C(munlockall, 2),
	C(setrlimit, 1, A_INT, A_BUF),
	C(getrlimit, 1, A_INT, A_BUF),
	C(dup3, 2, A_FD, A_FD, A_FLAGS),
	C(statfs, 1, A_PATH, A_BUF),
	C(fstatfs, 1, A_FD, A_BUF),
	C(statfs64, 1, A_PATH, A_LEN, A_BUF),
	C(fstatfs64, 1, A_FD, A_LEN, A_BUF),
	S(mknod, 1, san_mknod, A_PATH, A_FLAGS, A_INT),
	S(mknodat, 1, san_mknodat, A_FD, A_PATH, A_FLAGS, A_INT),
	S(fallocate, 2, san_fallocate, A_FD, A_FLAGS, A_INT, A_INT, A_LEN, A_INT),
	C(waitid, 2, A_INT, A_PID, A_BUF, A_FLAGS, A_BUF),
	C(getrusage, 1, A_INT, A_BUF),
	S(setitimer, 1, san_setitimer, A_INT, A_BUF, A_BUF),
	C(getitimer, 1, A_INT, A_BUF),
	C(personality, 1, A_FLAGS),
};

const unsigned nr_abi_calls = sizeof(abi_calls) / sizeof(abi_calls[0]);
