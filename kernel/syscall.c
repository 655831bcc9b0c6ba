/*
 * The system-call table: Linux i386 numbers (abi/unistd.h) to the
 * functions implementing them.  do_syscall() takes the number from eax
 * and up to six arguments from ebx, ecx, edx, esi, edi, ebp, and puts
 * the result -- or -errno -- back in eax.  A number with no entry
 * returns -ENOSYS and is logged once.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <anvil/fs.h>
#include <abi/unistd.h>
#include <abi/anvil.h>
#include <abi/errno.h>

#define NR_SYSCALLS 440
#define NR_LOGGED_WORDS (NR_SYSCALLS / 32 + 1)

typedef long (*syscall_fn_t)(long, long, long, long, long, long);

/* every implementation is called through one type; (void (*)(void)) marks that as intended */
#define SYSCALL(nr, fn) [__NR_##nr] = (syscall_fn_t)(void (*)(void))(fn)

/*
 * Calls of features anvil is built without, answered as Linux answers
 * them without the feature (kernel/sys_ni.c): rseq without CONFIG_RSEQ and
 * socketcall without CONFIG_NET are cond_syscall()s, so they reach
 * sys_ni_syscall and give -ENOSYS.  glibc's startup calls the first and
 * carries on; its user lookups (bash) try the second.  Not logged:
 * expected, not missing.
 */
static long sys_ni_syscall(void)
{
	return -ENOSYS;
}

static const syscall_fn_t sys_call_table[NR_SYSCALLS] = {
	SYSCALL(restart_syscall, sys_restart_syscall),
	SYSCALL(exit, sys_exit),
	SYSCALL(fork, sys_fork),
	SYSCALL(read, sys_read),
	SYSCALL(write, sys_write),
	SYSCALL(open, sys_open),
	SYSCALL(close, sys_close),
	SYSCALL(waitpid, sys_waitpid),
	SYSCALL(creat, sys_creat),
	SYSCALL(unlink, sys_unlink),
	SYSCALL(execve, sys_execve),
	SYSCALL(chdir, sys_chdir),
	SYSCALL(time, sys_time),
	SYSCALL(mknod, sys_mknod),
	SYSCALL(chmod, sys_chmod),
	SYSCALL(lchown, sys_lchown16),
	SYSCALL(lseek, sys_lseek),
	SYSCALL(getpid, sys_getpid),
	SYSCALL(mount, sys_mount),
	SYSCALL(umount, sys_umount),
	SYSCALL(setuid, sys_setuid16),
	SYSCALL(getuid, sys_getuid16),
	SYSCALL(alarm, sys_alarm),
	SYSCALL(pause, sys_pause),
	SYSCALL(access, sys_access),
	SYSCALL(sync, sys_sync),
	SYSCALL(kill, sys_kill),
	SYSCALL(rename, sys_rename),
	SYSCALL(link, sys_link),
	SYSCALL(mkdir, sys_mkdir),
	SYSCALL(rmdir, sys_rmdir),
	SYSCALL(dup, sys_dup),
	SYSCALL(pipe, sys_pipe),
	SYSCALL(times, sys_times),
	SYSCALL(brk, sys_brk),
	SYSCALL(setgid, sys_setgid16),
	SYSCALL(getgid, sys_getgid16),
	SYSCALL(geteuid, sys_geteuid16),
	SYSCALL(getegid, sys_getegid16),
	SYSCALL(umount2, sys_umount2),
	SYSCALL(ioctl, sys_ioctl),
	SYSCALL(fcntl, sys_fcntl),
	SYSCALL(setpgid, sys_setpgid),
	SYSCALL(umask, sys_umask),
	SYSCALL(dup2, sys_dup2),
	SYSCALL(getppid, sys_getppid),
	SYSCALL(getpgrp, sys_getpgrp),
	SYSCALL(setsid, sys_setsid),
	SYSCALL(setreuid, sys_setreuid16),
	SYSCALL(setregid, sys_setregid16),
	SYSCALL(setrlimit, sys_setrlimit),
	SYSCALL(getrlimit, sys_old_getrlimit),
	SYSCALL(getrusage, sys_getrusage),
	SYSCALL(gettimeofday, sys_gettimeofday),
	SYSCALL(getgroups, sys_getgroups16),
	SYSCALL(setgroups, sys_setgroups16),
	SYSCALL(symlink, sys_symlink),
	SYSCALL(readlink, sys_readlink),
	SYSCALL(swapon, sys_swapon),
	SYSCALL(reboot, sys_reboot),
	SYSCALL(mmap, sys_old_mmap),
	SYSCALL(munmap, sys_munmap),
	SYSCALL(truncate, sys_truncate),
	SYSCALL(ftruncate, sys_ftruncate),
	SYSCALL(fchmod, sys_fchmod),
	SYSCALL(fchown, sys_fchown16),
	SYSCALL(statfs, sys_statfs),
	SYSCALL(fstatfs, sys_fstatfs),
	SYSCALL(socketcall, sys_ni_syscall),
	SYSCALL(syslog, sys_syslog),
	SYSCALL(setitimer, sys_setitimer),
	SYSCALL(getitimer, sys_getitimer),
	SYSCALL(wait4, sys_wait4),
	SYSCALL(swapoff, sys_swapoff),
	SYSCALL(sysinfo, sys_sysinfo),
	SYSCALL(fsync, sys_fsync),
	SYSCALL(clone, sys_clone),
	SYSCALL(uname, sys_uname),
	SYSCALL(mprotect, sys_mprotect),
	SYSCALL(getpgid, sys_getpgid),
	SYSCALL(fchdir, sys_fchdir),
	SYSCALL(personality, sys_personality),
	SYSCALL(setfsuid, sys_setfsuid16),
	SYSCALL(setfsgid, sys_setfsgid16),
	SYSCALL(_llseek, sys_llseek),
	SYSCALL(msync, sys_msync),
	SYSCALL(readv, sys_readv),
	SYSCALL(writev, sys_writev),
	SYSCALL(getsid, sys_getsid),
	SYSCALL(fdatasync, sys_fdatasync),
	SYSCALL(mlock, sys_mlock),
	SYSCALL(munlock, sys_munlock),
	SYSCALL(mlockall, sys_mlockall),
	SYSCALL(munlockall, sys_munlockall),
	SYSCALL(sched_yield, sys_sched_yield),
	SYSCALL(nanosleep, sys_nanosleep),
	SYSCALL(mremap, sys_mremap),
	SYSCALL(setresuid, sys_setresuid16),
	SYSCALL(getresuid, sys_getresuid16),
	SYSCALL(poll, sys_poll),
	SYSCALL(setresgid, sys_setresgid16),
	SYSCALL(getresgid, sys_getresgid16),
	SYSCALL(prctl, sys_prctl),
	SYSCALL(sigreturn, sys_sigreturn),
	SYSCALL(rt_sigreturn, sys_rt_sigreturn),
	SYSCALL(rt_sigaction, sys_rt_sigaction),
	SYSCALL(rt_sigprocmask, sys_rt_sigprocmask),
	SYSCALL(rt_sigpending, sys_rt_sigpending),
	SYSCALL(rt_sigsuspend, sys_rt_sigsuspend),
	SYSCALL(pread64, sys_pread64),
	SYSCALL(pwrite64, sys_pwrite64),
	SYSCALL(chown, sys_chown16),
	SYSCALL(getcwd, sys_getcwd),
	SYSCALL(sigaltstack, sys_sigaltstack),
	SYSCALL(sendfile, sys_sendfile),
	SYSCALL(vfork, sys_vfork),
	SYSCALL(ugetrlimit, sys_getrlimit),
	SYSCALL(mmap2, sys_mmap2),
	SYSCALL(truncate64, sys_truncate64_split),
	SYSCALL(ftruncate64, sys_ftruncate64_split),
	SYSCALL(stat64, sys_stat64),
	SYSCALL(lstat64, sys_lstat64),
	SYSCALL(fstat64, sys_fstat64),
	SYSCALL(getuid32, sys_getuid),
	SYSCALL(getgid32, sys_getgid),
	SYSCALL(geteuid32, sys_geteuid),
	SYSCALL(lchown32, sys_lchown32),
	SYSCALL(getegid32, sys_getegid),
	SYSCALL(setreuid32, sys_setreuid),
	SYSCALL(setregid32, sys_setregid),
	SYSCALL(getgroups32, sys_getgroups),
	SYSCALL(setgroups32, sys_setgroups),
	SYSCALL(fchown32, sys_fchown32),
	SYSCALL(setresuid32, sys_setresuid),
	SYSCALL(getresuid32, sys_getresuid),
	SYSCALL(setresgid32, sys_setresgid),
	SYSCALL(getresgid32, sys_getresgid),
	SYSCALL(setuid32, sys_setuid),
	SYSCALL(setgid32, sys_setgid),
	SYSCALL(setfsuid32, sys_setfsuid),
	SYSCALL(setfsgid32, sys_setfsgid),
	SYSCALL(chown32, sys_chown32),
	SYSCALL(mincore, sys_mincore),
	SYSCALL(madvise, sys_madvise),
	SYSCALL(getdents64, sys_getdents64),
	SYSCALL(fcntl64, sys_fcntl),
	SYSCALL(gettid, sys_gettid),
	SYSCALL(tkill, sys_tkill),
	SYSCALL(sendfile64, sys_sendfile64),
	SYSCALL(futex, sys_futex),
	SYSCALL(sched_setaffinity, sys_sched_setaffinity),
	SYSCALL(sched_getaffinity, sys_sched_getaffinity),
	SYSCALL(set_thread_area, sys_set_thread_area),
	SYSCALL(get_thread_area, sys_get_thread_area),
	SYSCALL(fadvise64, sys_fadvise64),
	SYSCALL(exit_group, sys_exit_group),
	SYSCALL(set_tid_address, sys_set_tid_address),
	SYSCALL(clock_gettime, sys_clock_gettime),
	SYSCALL(clock_getres, sys_clock_getres),
	SYSCALL(clock_nanosleep, sys_clock_nanosleep),
	SYSCALL(statfs64, sys_statfs64),
	SYSCALL(fstatfs64, sys_fstatfs64),
	SYSCALL(tgkill, sys_tgkill),
	SYSCALL(fadvise64_64, sys_fadvise64_64),
	SYSCALL(waitid, sys_waitid),
	SYSCALL(openat, sys_openat),
	SYSCALL(mkdirat, sys_mkdirat),
	SYSCALL(mknodat, sys_mknodat),
	SYSCALL(fchownat, sys_fchownat),
	SYSCALL(fstatat64, sys_fstatat64),
	SYSCALL(unlinkat, sys_unlinkat),
	SYSCALL(renameat, sys_renameat),
	SYSCALL(linkat, sys_linkat),
	SYSCALL(symlinkat, sys_symlinkat),
	SYSCALL(readlinkat, sys_readlinkat),
	SYSCALL(fchmodat, sys_fchmodat),
	SYSCALL(faccessat, sys_faccessat),
	SYSCALL(set_robust_list, sys_set_robust_list),
	SYSCALL(get_robust_list, sys_get_robust_list),
	SYSCALL(getcpu, sys_getcpu),
	SYSCALL(utimensat, sys_utimensat),
	SYSCALL(fallocate, sys_fallocate),
	SYSCALL(dup3, sys_dup3),
	SYSCALL(pipe2, sys_pipe2),
	SYSCALL(prlimit64, sys_prlimit64),
	SYSCALL(syncfs, sys_syncfs),
	SYSCALL(getrandom, sys_getrandom),
	SYSCALL(mlock2, sys_mlock2),
	SYSCALL(statx, sys_statx),
	SYSCALL(rseq, sys_ni_syscall),
	SYSCALL(clock_gettime64, sys_clock_gettime64),
	SYSCALL(futex_time64, sys_futex_time64),
	SYSCALL(clone3, sys_clone3),
	SYSCALL(faccessat2, sys_faccessat2),
};

static const syscall_fn_t anvil_call_table[NR_ANVIL_SYSCALLS] = {
	[__NR_anvil_rmap_verify - __NR_anvil_base] =
		(syscall_fn_t)(void (*)(void))sys_anvil_rmap_verify,
	[__NR_anvil_drop_caches - __NR_anvil_base] =
		(syscall_fn_t)(void (*)(void))sys_anvil_drop_caches,
};

static unsigned long enosys_logged[NR_LOGGED_WORDS];

static long unknown_syscall(long nr)
{
	unsigned long bit = nr >= 0 && nr < NR_SYSCALLS ? (unsigned long)nr : NR_SYSCALLS;

	if (!(enosys_logged[bit / 32] & (1UL << (bit % 32)))) {
		enosys_logged[bit / 32] |= 1UL << (bit % 32);
		printk(KERN_INFO "%s[%d]: system call %ld not implemented (ENOSYS)%s\n",
		       current->comm, current->pid, nr,
		       bit == NR_SYSCALLS ? "; further unknown numbers not logged" : "");
	}
	return -ENOSYS;
}

void do_syscall(struct pt_regs *regs)
{
	long nr = (long)regs->eax;
	syscall_fn_t fn = NULL;

	if (nr >= 0 && nr < NR_SYSCALLS)
		fn = sys_call_table[nr];
	else if (nr >= __NR_anvil_base && nr < __NR_anvil_base + NR_ANVIL_SYSCALLS)
		fn = anvil_call_table[nr - __NR_anvil_base];

	current->syscall_nr = nr;
	if (fn)
		regs->eax = fn(regs->ebx, regs->ecx, regs->edx, regs->esi, regs->edi, regs->ebp);
	else
		regs->eax = unknown_syscall(nr);
}

/* ioctl(2): the file's own handler; files that have none are not terminals. */
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->f_op->ioctl ? f->f_op->ioctl(f, cmd, arg) : -ENOTTY;
	fput(f);
	return ret;
}
