/*
 * The fuzzer's call table: anvil's system calls (kernel/syscall.c),
 * weighted towards the memory manager, each with the kinds its arguments
 * are drawn from, and the sanitisers that keep one batch from ending the
 * whole run.
 *
 * Left out on purpose: reboot (powers the machine off), pause and
 * rt_sigsuspend (sleep until the batch's watchdog alarm), pipe (its
 * blocking ends would stall a batch: pipe2 makes non-blocking ones),
 * mount.  Sanitised: kill/tkill/tgkill reach only this process or
 * its own children (never 0 or a negative pid, which would reach the
 * campaign's parent), alarm stays short, SIGALRM keeps its default action
 * and F_SETFL keeps O_NONBLOCK (so the watchdog can end a stuck batch and
 * reads do not block), sleeps are short, and a write from the arena into
 * a file is at most MAX_FILE_WRITE: /tmp is ramfs, which is never swapped
 * and has no size limit, so a 32 MiB write filled the suite's RAM for
 * good and the OOM killer took the campaign's parent too (a known limit,
 * not fixed: Linux's ramfs is the same; tmpfs has size=).
 */
#include <abi/unistd.h>
#include <abi/anvil.h>
#include <abi/fcntl.h>
#include <abi/signal.h>
#include <stddef.h>
#include <time.h>
#include "fuzz.h"

#define MAX_SLEEP_NS 1000000     /* 1 ms */
#define RARE 1                   /* below one WEIGHT_UNIT */

static void san_kill(long *a)
{
	if (a[0] <= 0)
		a[0] = self_pid;
}

static void san_tgkill(long *a)
{
	a[0] = self_pid;
	if (a[1] <= 0)
		a[1] = self_pid;
}

static void san_alarm(long *a)
{
	a[0] = 1 + rnd_below(MAX_ALARM_S);
}

static void san_sigaction(long *a)
{
	if (a[0] == SIGALRM)
		a[0] = SIGUSR1;
}

static void san_fcntl(long *a)
{
	if (a[1] == F_SETFL)
		a[2] |= O_NONBLOCK;
}

static void san_pipe2(long *a)
{
	a[1] |= O_NONBLOCK;
}

static void san_write(long *a)
{
	if ((unsigned long)a[1] >= ARENA_BASE && (unsigned long)a[1] < ARENA_END &&
	    (unsigned long)a[2] > MAX_FILE_WRITE)
		a[2] = MAX_FILE_WRITE;
}

/* A valid short sleep, or one of the bad pointers. */
static long short_sleep(long bad)
{
	static struct timespec ts;

	if (rnd_below(4) == 0)
		return bad;
	ts.tv_sec = 0;
	ts.tv_nsec = rnd_below(MAX_SLEEP_NS);
	return (long)&ts;
}

static void san_nanosleep(long *a)
{
	a[0] = short_sleep(a[0]);
}

static void san_clock_nanosleep(long *a)
{
	a[2] = short_sleep(a[2]);
}

const struct fuzz_call fuzz_calls[] = {
	/* memory: the reason for the fuzzer */
	C(mmap2, 12, A_ADDR, A_LEN, A_FLAGS, A_FLAGS, A_FD, A_INT),
	C(mmap, 2, A_BUF),
	C(munmap, 8, A_ADDR, A_LEN),
	C(mprotect, 6, A_ADDR, A_LEN, A_FLAGS),
	C(mremap, 8, A_ADDR, A_LEN, A_LEN, A_FLAGS, A_ADDR),
	C(madvise, 4, A_ADDR, A_LEN, A_INT),
	C(msync, 2, A_ADDR, A_LEN, A_FLAGS),
	C(brk, 3, A_ADDR),
	{ .name = "touch", .how = TOUCH, .weight = 12 * WEIGHT_UNIT },
	{ .name = "fork", .nr = __NR_fork, .how = SPAWN, .weight = 3 * WEIGHT_UNIT },
	{ .name = "vfork", .nr = __NR_vfork, .how = SPAWN, .weight = WEIGHT_UNIT },
	{ .name = "clone", .nr = __NR_clone, .how = SPAWN, .weight = 2 * WEIGHT_UNIT,
	  .arg = { A_FLAGS, A_BUF, A_BUF, A_BUF, A_BUF } },
	C(anvil_drop_caches, 1),
	C(anvil_rmap_verify, 1),
	/* files, all in the scratch directory */
	C(open, 4, A_PATH, A_FLAGS, A_INT),
	C(openat, 3, A_FD, A_PATH, A_FLAGS, A_INT),
	C(creat, 2, A_PATH, A_INT),
	C(close, 4, A_FD),
	C(read, 5, A_FD, A_BUF, A_LEN),
	S(write, 5, san_write, A_FD, A_BUF, A_LEN),
	C(readv, 2, A_FD, A_BUF, A_INT),
	C(writev, 2, A_FD, A_BUF, A_INT),
	C(pread64, 2, A_FD, A_BUF, A_LEN, A_INT, A_INT),
	S(pwrite64, 2, san_write, A_FD, A_BUF, A_LEN, A_INT, A_INT),
	C(lseek, 2, A_FD, A_INT, A_INT),
	C(_llseek, 1, A_FD, A_INT, A_INT, A_BUF, A_INT),
	C(dup, 2, A_FD),
	C(dup2, 2, A_FD, A_FD),
	S(fcntl64, 2, san_fcntl, A_FD, A_INT, A_INT),
	S(fcntl, 1, san_fcntl, A_FD, A_INT, A_INT),
	C(ioctl, 2, A_FD, A_INT, A_BUF),
	S(pipe2, 2, san_pipe2, A_BUF, A_FLAGS),
	C(unlink, 2, A_PATH),
	C(unlinkat, 1, A_FD, A_PATH, A_FLAGS),
	C(mkdir, 2, A_PATH, A_INT),
	C(mkdirat, 1, A_FD, A_PATH, A_INT),
	C(rmdir, 2, A_PATH),
	C(rename, 2, A_PATH, A_PATH),
	C(renameat, 1, A_FD, A_PATH, A_FD, A_PATH),
	C(link, 1, A_PATH, A_PATH),
	C(linkat, 1, A_FD, A_PATH, A_FD, A_PATH, A_FLAGS),
	C(symlink, 1, A_PATH, A_PATH),
	C(readlink, 1, A_PATH, A_BUF, A_LEN),
	C(readlinkat, 1, A_FD, A_PATH, A_BUF, A_LEN),
	C(chdir, 1, A_PATH),
	C(fchdir, 1, A_FD),
	C(getcwd, 1, A_BUF, A_LEN),
	C(chmod, 1, A_PATH, A_INT),
	C(fchmod, 1, A_FD, A_INT),
	C(access, 1, A_PATH, A_INT),
	C(faccessat, 1, A_FD, A_PATH, A_INT),
	C(truncate, 2, A_PATH, A_LEN),
	C(ftruncate, 2, A_FD, A_LEN),
	C(truncate64, 1, A_PATH, A_LEN, A_INT),
	C(ftruncate64, 1, A_FD, A_LEN, A_INT),
	C(stat64, 2, A_PATH, A_BUF),
	C(lstat64, 1, A_PATH, A_BUF),
	C(fstat64, 2, A_FD, A_BUF),
	C(fstatat64, 1, A_FD, A_PATH, A_BUF, A_FLAGS),
	C(statx, 1, A_FD, A_PATH, A_FLAGS, A_FLAGS, A_BUF),
	C(getdents64, 2, A_FD, A_BUF, A_LEN),
	C(fsync, 1, A_FD),
	C(fdatasync, 1, A_FD),
	C(sync, 1),
	C(umask, 1, A_INT),
	C(execve, 1, A_PATH, A_BUF, A_BUF),
	C(swapon, 1, A_PATH, A_FLAGS),
	C(swapoff, 1, A_PATH),
	/* processes and signals */
	C(getpid, 1),
	C(getppid, 1),
	C(gettid, 1),
	C(wait4, 3, A_PID, A_BUF, A_FLAGS, A_BUF),
	C(waitpid, 1, A_PID, A_BUF, A_FLAGS),
	S(kill, 2, san_kill, A_PID, A_SIG),
	S(tkill, 1, san_kill, A_PID, A_SIG),
	S(tgkill, 1, san_tgkill, A_PID, A_PID, A_SIG),
	S(rt_sigaction, 3, san_sigaction, A_SIG, A_BUF, A_BUF, A_LEN),
	C(rt_sigprocmask, 2, A_INT, A_BUF, A_BUF, A_LEN),
	C(rt_sigpending, 1, A_BUF, A_LEN),
	C(sigaltstack, 1, A_BUF, A_BUF),
	/* outside a handler they restore garbage and the batch dies: rarely */
	{ .name = "sigreturn", .nr = __NR_sigreturn, .how = PLAIN, .weight = RARE },
	{ .name = "rt_sigreturn", .nr = __NR_rt_sigreturn, .how = PLAIN, .weight = RARE },
	S(alarm, 1, san_alarm, A_INT),
	S(nanosleep, 1, san_nanosleep, A_BUF, A_BUF),
	S(clock_nanosleep, 1, san_clock_nanosleep, A_INT, A_FLAGS, A_BUF, A_BUF),
	C(sched_yield, 1),
	C(setpgid, 1, A_PID, A_PID),
	C(getpgid, 1, A_PID),
	C(getpgrp, 1),
	C(setsid, 1),
	C(getsid, 1, A_PID),
	C(setuid32, 1, A_INT),
	C(getresuid32, 1, A_BUF, A_BUF, A_BUF),
	C(getgroups32, 1, A_INT, A_BUF),
	C(prlimit64, 1, A_PID, A_INT, A_BUF, A_BUF),
	C(ugetrlimit, 1, A_INT, A_BUF),
	C(prctl, 1, A_INT, A_BUF),
	C(set_thread_area, 2, A_BUF),
	C(get_thread_area, 1, A_BUF),
	C(set_tid_address, 1, A_BUF),
	C(set_robust_list, 1, A_BUF, A_LEN),
	C(rseq, 1, A_BUF, A_LEN, A_FLAGS, A_INT),
	/* time and information */
	C(time, 1, A_BUF),
	C(times, 1, A_BUF),
	C(gettimeofday, 1, A_BUF, A_BUF),
	C(clock_gettime, 1, A_INT, A_BUF),
	C(clock_gettime64, 1, A_INT, A_BUF),
	C(clock_getres, 1, A_INT, A_BUF),
	C(uname, 1, A_BUF),
	C(sysinfo, 1, A_BUF),
	C(syslog, 1, A_INT, A_BUF, A_LEN),
	C(getrandom, 1, A_BUF, A_LEN, A_FLAGS),
	/* numbers past the table (never a real call: no reboot, no kill by accident) */
	{ .name = "unknown", .how = UNKNOWN, .weight = WEIGHT_UNIT,
	  .arg = { A_INT, A_BUF, A_LEN, A_INT, A_BUF, A_INT } },
};

const unsigned nr_fuzz_calls = sizeof(fuzz_calls) / sizeof(fuzz_calls[0]);
