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
 */
#include <stddef.h>
#include <abi/unistd.h>
#include <abi/fcntl.h>
#include <abi/stat.h>
#include <abi/mman.h>
#include <sys/time.h>
#include "fuzz.h"

#define NULL_DEV 0x103               /* 1:3, /dev/null */
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
