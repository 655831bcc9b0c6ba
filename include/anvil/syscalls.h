/*
 * Prototypes of the system-call implementations (kernel/syscall.c's table).
 * Arguments are user values: pointers are user pointers, checked by the
 * implementation.
 */
#ifndef ANVIL_SYSCALLS_H
#define ANVIL_SYSCALLS_H

#include <anvil/types.h>
#include <anvil/cred.h>
#include <asm/ptrace.h>
#include <asm/desc.h>
#include <abi/signal.h>
#include <abi/stat.h>
#include <abi/time.h>
#include <abi/wait.h>
#include <abi/resource.h>
#include <abi/misc.h>
#include <abi/mman.h>
#include <anvil/time.h>

struct iovec;
struct statfs;
struct statfs64;

void do_syscall(struct pt_regs *regs);

/* arch/i386/process.c */
long sys_set_thread_area(struct user_desc *u_info);
long sys_get_thread_area(struct user_desc *u_info);
/* arch/i386/signal.c */
long sys_sigreturn(void);
long sys_rt_sigreturn(void);
/* kernel/exec.c */
long sys_execve(const char *ufilename, const char *const *argv, const char *const *envp);
/* kernel/exit.c */
long sys_exit(int code);
long sys_exit_group(int code);
long sys_wait4(pid_t pid, int *stat_addr, int options, struct rusage *ru);
long sys_waitpid(pid_t pid, int *stat_addr, int options);
long sys_waitid(int which, pid_t upid, abi_siginfo_t *infop, int options, struct rusage *ru);
/* kernel/exec_domain.c */
long sys_personality(unsigned int personality);
/* kernel/fork.c */
long sys_fork(void);
long sys_vfork(void);
struct user_desc;
struct clone_args;
long sys_clone(unsigned long flags, unsigned long newsp, int *parent_tid,
	       struct user_desc *tls, int *child_tid);
long sys_clone3(struct clone_args *uargs, size_t size);
long sys_set_tid_address(int *tidptr);
/* kernel/fs/file.c */
long sys_close(unsigned int fd);
long sys_dup(unsigned int oldfd);
long sys_dup2(unsigned int oldfd, unsigned int newfd);
long sys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
long sys_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg);
/* kernel/fs/open.c */
long sys_openat(int dirfd, const char *upath, unsigned int flags, umode_t mode);
long sys_open(const char *upath, unsigned int flags, umode_t mode);
long sys_creat(const char *upath, umode_t mode);
long sys_mkdirat(int dirfd, const char *upath, umode_t mode);
long sys_mkdir(const char *upath, umode_t mode);
long sys_fallocate(int fd, int mode, u32 offset_lo, u32 offset_hi, u32 len_lo, u32 len_hi);
long sys_mount(const char *udev, const char *udir, const char *utype, unsigned long flags,
	       const void *udata);
long sys_umount(const char *upath);
long sys_umount2(const char *upath, int flags);
long sys_mknod(const char *upath, umode_t mode, unsigned int dev);
long sys_mknodat(int dirfd, const char *upath, umode_t mode, unsigned int dev);
long sys_unlink(const char *upath);
long sys_rmdir(const char *upath);
long sys_unlinkat(int dirfd, const char *upath, int flags);
long sys_renameat(int olddirfd, const char *uold, int newdirfd, const char *unew);
long sys_rename(const char *uold, const char *unew);
long sys_linkat(int olddirfd, const char *uold, int newdirfd, const char *unew, int flags);
long sys_link(const char *uold, const char *unew);
long sys_chdir(const char *upath);
long sys_fchdir(unsigned int fd);
long sys_getcwd(char *ubuf, unsigned long size);
long sys_truncate64(const char *upath, loff_t size);
long sys_ftruncate64(unsigned int fd, loff_t size);
long sys_truncate64_split(const char *upath, unsigned long lo, unsigned long hi);
long sys_ftruncate64_split(unsigned int fd, unsigned long lo, unsigned long hi);
long sys_truncate(const char *upath, long size);
long sys_ftruncate(unsigned int fd, long size);
long sys_faccessat(int dirfd, const char *upath, int mode);
long sys_faccessat2(int dirfd, const char *upath, int mode, int flags);
long sys_access(const char *upath, int mode);
long sys_umask(int mask);
long sys_chmod(const char *upath, umode_t mode);
long sys_fchmod(unsigned int fd, umode_t mode);
long sys_fchmodat(int dirfd, const char *upath, umode_t mode);
long sys_fchownat(int dirfd, const char *upath, unsigned int uid, unsigned int gid, int flags);
long sys_chown32(const char *upath, unsigned int uid, unsigned int gid);
long sys_lchown32(const char *upath, unsigned int uid, unsigned int gid);
long sys_fchown32(unsigned int fd, unsigned int uid, unsigned int gid);
long sys_fsync(unsigned int fd);
long sys_sync(void);
long sys_fdatasync(unsigned int fd);
long sys_syncfs(unsigned int fd);
/* kernel/fs/symlink.c */
long sys_symlinkat(const char *utarget, int newdirfd, const char *ulinkpath);
long sys_symlink(const char *utarget, const char *ulinkpath);
long sys_readlinkat(int dirfd, const char *upath, char *buf, int size);
long sys_readlink(const char *upath, char *buf, int size);
/* kernel/fs/pipe.c */
long sys_pipe2(int *ufds, int flags);
long sys_pipe(int *ufds);
/* kernel/fs/utimes.c */
long sys_utimensat(int dirfd, const char *upath, const struct abi_timespec *utimes, int flags);
/* kernel/fs/select.c */
struct pollfd;
long sys_poll(struct pollfd *ufds, unsigned int nfds, int timeout_ms);
/* kernel/fs/read_write.c */
long sys_read(unsigned int fd, char *buf, size_t count);
long sys_write(unsigned int fd, const char *buf, size_t count);
long sys_pread64(unsigned int fd, char *buf, size_t count, unsigned long lo, unsigned long hi);
long sys_pwrite64(unsigned int fd, const char *buf, size_t count, unsigned long lo,
	unsigned long hi);
long sys_readv(unsigned int fd, const struct iovec *vec, int cnt);
long sys_writev(unsigned int fd, const struct iovec *vec, int cnt);
long sys_lseek(unsigned int fd, long offset, int whence);
long sys_llseek(unsigned int fd, unsigned long hi, unsigned long lo, loff_t *result, int whence);
long sys_sendfile64(int out_fd, int in_fd, loff_t *uoffset, size_t count);
long sys_sendfile(int out_fd, int in_fd, long *uoffset, size_t count);
/* kernel/fs/stat.c */
long sys_fstatat64(int dirfd, const char *upath, struct stat64 *ust, int flags);
long sys_stat64(const char *upath, struct stat64 *ust);
long sys_fstat64(unsigned int fd, struct stat64 *ust);
long sys_statfs(const char *upath, struct statfs *ubuf);
long sys_fstatfs(unsigned int fd, struct statfs *ubuf);
long sys_statfs64(const char *upath, size_t size, struct statfs64 *ubuf);
long sys_fstatfs64(unsigned int fd, size_t size, struct statfs64 *ubuf);
long sys_lstat64(const char *upath, struct stat64 *ust);
long sys_statx(int dirfd, const char *upath, int flags, unsigned int mask, struct statx *ubuf);
long sys_getdents64(unsigned int fd, void *dirent, unsigned int count);
/* kernel/itimer.c */
long sys_getitimer(int which, struct abi_itimerval *uvalue);
long sys_setitimer(int which, const struct abi_itimerval *uvalue, struct abi_itimerval *uovalue);
long sys_alarm(unsigned int seconds);
/* kernel/rusage.c */
long sys_getrusage(int who, struct rusage *ru);
/* kernel/sched.c */
long sys_sched_yield(void);
long sys_sched_setaffinity(pid_t pid, unsigned int len, const unsigned long *user_mask);
long sys_sched_getaffinity(pid_t pid, unsigned int len, unsigned long *user_mask);
long sys_getcpu(unsigned int *cpu, unsigned int *node, void *unused);
/* kernel/signal.c */
long sys_kill(pid_t pid, int sig);
long sys_tkill(pid_t tid, int sig);
struct abi_timespec;
struct abi_timespec64;
struct robust_list_head;
long sys_futex(u32 *uaddr, int op, u32 val, const struct abi_timespec *utime, u32 *uaddr2,
	       u32 val3);
long sys_futex_time64(u32 *uaddr, int op, u32 val, const struct abi_timespec64 *utime,
		      u32 *uaddr2, u32 val3);
long sys_set_robust_list(struct robust_list_head *head, size_t len);
long sys_get_robust_list(int pid, struct robust_list_head **head_ptr, size_t *len_ptr);
long sys_tgkill(pid_t tgid, pid_t tid, int sig);
long sys_rt_sigaction(int sig, const struct kernel_sigaction *act,
	struct kernel_sigaction *oact, size_t sigsetsize);
long sys_rt_sigprocmask(int how, const kernel_sigset_t *set, kernel_sigset_t *oset,
	size_t sigsetsize);
long sys_rt_sigpending(kernel_sigset_t *set, size_t sigsetsize);
long sys_restart_syscall(void);
long sys_rt_sigsuspend(const kernel_sigset_t *mask, size_t sigsetsize);
long sys_pause(void);
long sys_sigaltstack(const abi_stack_t *uss, abi_stack_t *uoss);
/* kernel/cred.c */
long sys_setuid(uid_t uid);
long sys_setgid(gid_t gid);
long sys_setreuid(uid_t ruid, uid_t euid);
long sys_setregid(gid_t rgid, gid_t egid);
long sys_setresuid(uid_t r, uid_t e, uid_t s);
long sys_setresgid(gid_t r, gid_t e, gid_t s);
long sys_setfsuid(uid_t uid);
long sys_setfsgid(gid_t gid);
long sys_getuid(void);
long sys_geteuid(void);
long sys_getgid(void);
long sys_getegid(void);
long sys_getresuid(uid_t *r, uid_t *e, uid_t *s);
long sys_getresgid(gid_t *r, gid_t *e, gid_t *s);
/* kernel/groups.c */
long sys_getgroups(int size, gid_t *ulist);
long sys_setgroups(int ngroups, const gid_t *ulist);
/* kernel/uid16.c: ids of 16 bits (the arguments are whole registers, truncated) */
long sys_setuid16(u32 uid);
long sys_setgid16(u32 gid);
long sys_setreuid16(u32 r, u32 e);
long sys_setregid16(u32 r, u32 e);
long sys_setresuid16(u32 r, u32 e, u32 s);
long sys_setresgid16(u32 r, u32 e, u32 s);
long sys_setfsuid16(u32 uid);
long sys_setfsgid16(u32 gid);
long sys_getuid16(void);
long sys_geteuid16(void);
long sys_getgid16(void);
long sys_getegid16(void);
long sys_getresuid16(u16 *r, u16 *e, u16 *s);
long sys_getresgid16(u16 *r, u16 *e, u16 *s);
long sys_getgroups16(int size, u16 *ulist);
long sys_setgroups16(int ngroups, const u16 *ulist);
long sys_chown16(const char *upath, u32 uid, u32 gid);
long sys_lchown16(const char *upath, u32 uid, u32 gid);
long sys_fchown16(unsigned int fd, u32 uid, u32 gid);
/* kernel/sys.c */
long sys_getpid(void);
long sys_gettid(void);
long sys_getppid(void);
long sys_setpgid(pid_t pid, pid_t pgid);
long sys_getpgid(pid_t pid);
long sys_getpgrp(void);
long sys_getsid(pid_t pid);
long sys_setsid(void);
long sys_uname(struct new_utsname *uname);
long sys_reboot(unsigned int magic1, unsigned int magic2, unsigned int cmd, void *arg);
long sys_prlimit64(pid_t pid, unsigned int resource, const struct abi_rlimit64 *unew,
	struct abi_rlimit64 *uold);
long sys_getrlimit(unsigned int resource, struct abi_rlimit *urlim);
long sys_old_getrlimit(unsigned int resource, struct abi_rlimit *urlim);
long sys_setrlimit(unsigned int resource, const struct abi_rlimit *urlim);
long sys_sysinfo(struct abi_sysinfo *uinfo);
long sys_prctl(int option, unsigned long arg2);
long sys_syslog(int type, char *ubuf, int len);
long sys_getrandom(char *ubuf, size_t count, unsigned int flags);
/* kernel/syscall.c */
long sys_ioctl(unsigned int fd, unsigned int cmd, unsigned long arg);
/* kernel/time.c */
long sys_clock_gettime(clockid_t clk, struct abi_timespec *uts);
long sys_clock_gettime64(clockid_t clk, struct abi_timespec64 *uts);
long sys_clock_getres(clockid_t clk, struct abi_timespec *ures);
long sys_gettimeofday(struct abi_timeval *utv, struct abi_timezone *utz);
long sys_time(long *ut);
long sys_nanosleep(const struct abi_timespec *req, struct abi_timespec *rem);
long sys_clock_nanosleep(clockid_t clk, int flags, const struct abi_timespec *req,
	struct abi_timespec *rem);
long sys_times(struct abi_tms *ubuf);
/* mm/madvise.c */
long sys_madvise(unsigned long start, size_t len, int behavior);
/* mm/fadvise.c */
long sys_fadvise64(int fd, u32 offset_lo, u32 offset_hi, size_t len, int advice);
long sys_fadvise64_64(int fd, u32 offset_lo, u32 offset_hi, u32 len_lo, u32 len_hi, int advice);
long sys_msync(unsigned long start, size_t len, int flags);
/* mm/mincore.c */
long sys_mincore(unsigned long start, size_t len, unsigned char *vec);
/* mm/mlock.c */
long sys_mlock(unsigned long start, size_t len);
long sys_mlock2(unsigned long start, size_t len, int flags);
long sys_munlock(unsigned long start, size_t len);
long sys_mlockall(int flags);
long sys_munlockall(void);
/* mm/mmap.c */
long sys_brk(unsigned long brk);
long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot,
	unsigned long flags, unsigned long fd, unsigned long pgoff);
long sys_old_mmap(const struct mmap_arg_struct *uargs);
long sys_munmap(unsigned long addr, size_t len);
/* mm/mprotect.c */
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);
/* mm/mremap.c */
long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
	unsigned long flags, unsigned long new_addr);
/* mm/rmap.c */
long sys_anvil_rmap_verify(void);
/* mm/slab.c */
long sys_anvil_drop_caches(void);
/* mm/swapfile.c */
long sys_swapon(const char *upath, int flags);
long sys_swapoff(const char *upath);

#endif
