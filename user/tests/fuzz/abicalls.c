/*
 * The fuzzer's calls added with the Linux ABI work of issue 19 (resource
 * limits, dup3, statfs, FIFOs, fallocate), drawn only with -s so that the
 * replays of batch.c keep the draws they were recorded with.  Sanitised:
 * mknod makes no device node but /dev/null's (a raw node of the swap disk
 * would let a batch scribble on swapped pages, as root can on Linux), and
 * fallocate allocates at most MAX_FILE_WRITE (ramfs has no size limit).
 */
#include <stddef.h>
#include <abi/unistd.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include "fuzz.h"

#define NULL_DEV 0x103               /* 1:3, /dev/null */

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

const struct fuzz_call abi_calls[] = {
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
};

const unsigned nr_abi_calls = sizeof(abi_calls) / sizeof(abi_calls[0]);
