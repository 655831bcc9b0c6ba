/*
 * errno, the generic syscall() and the thin wrappers: one Linux system
 * call each, with -errno results turned into -1 and errno.  Process,
 * signal, time, memory and terminal calls have their own files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/mount.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <dirent.h>
#include <poll.h>
#include "libc.h"

int errno;

long __syscall_ret(long r)
{
	if (IS_ERR_VALUE(r)) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

long syscall(long nr, ...)
{
	va_list ap;
	long a[6];

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)   /* reads past the caller's arguments are harmless */
		a[i] = va_arg(ap, long);
	va_end(ap);
	return __syscall_ret(__syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]));
}

ssize_t read(int fd, void *buf, size_t n) { return SYS3(__NR_read, fd, buf, n); }
ssize_t write(int fd, const void *buf, size_t n) { return SYS3(__NR_write, fd, buf, n); }
int close(int fd) { return SYS1(__NR_close, fd); }
ssize_t readv(int fd, const struct iovec *iov, int n) { return SYS3(__NR_readv, fd, iov, n); }
ssize_t writev(int fd, const struct iovec *iov, int n) { return SYS3(__NR_writev, fd, iov, n); }

/* The mode argument exists only when a file may be created. */
int open(const char *path, int flags, ...)
{
	va_list ap;

	va_start(ap, flags);
	mode_t mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	return SYS3(__NR_open, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;

	va_start(ap, flags);
	mode_t mode = (flags & O_CREAT) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	return SYS4(__NR_openat, dirfd, path, flags, mode);
}

int creat(const char *path, mode_t mode) { return SYS2(__NR_creat, path, mode); }

off_t lseek(int fd, off_t off, int whence) { return SYS3(__NR_lseek, fd, off, whence); }

/* _llseek takes the offset as two halves and stores the 64-bit result. */
off64_t lseek64(int fd, off64_t off, int whence)
{
	off64_t result;

	if (SYS5(__NR__llseek, fd, (unsigned long)((unsigned long long)off >> 32),
		 (unsigned long)off, &result, whence) < 0)
		return -1;
	return result;
}

/* pread64/pwrite64 take the 64-bit offset as two registers, low half first. */
ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	return SYS5(__NR_pread64, fd, buf, n, off, off < 0 ? -1 : 0);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	return SYS5(__NR_pwrite64, fd, buf, n, off, off < 0 ? -1 : 0);
}

int dup(int fd) { return SYS1(__NR_dup, fd); }
int dup2(int fd, int newfd) { return SYS2(__NR_dup2, fd, newfd); }
int pipe(int fds[2]) { return SYS1(__NR_pipe, fds); }

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);   /* absent for F_GETFD/F_GETFL: then ignored */
	va_end(ap);
	return SYS3(__NR_fcntl64, fd, cmd, arg);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	long arg;

	va_start(ap, request);
	arg = va_arg(ap, long);
	va_end(ap);
	return SYS3(__NR_ioctl, fd, request, arg);
}

int stat(const char *path, struct stat *st) { return SYS2(__NR_stat64, path, st); }
int lstat(const char *path, struct stat *st) { return SYS2(__NR_lstat64, path, st); }
int fstat(int fd, struct stat *st) { return SYS2(__NR_fstat64, fd, st); }
int getdents64(int fd, void *buf, size_t size) { return SYS3(__NR_getdents64, fd, buf, size); }

int mkdir(const char *path, mode_t mode) { return SYS2(__NR_mkdir, path, mode); }
int mknod(const char *path, mode_t mode, dev_t dev) { return SYS3(__NR_mknod, path, mode, dev); }
int mkfifo(const char *path, mode_t mode) { return mknod(path, S_IFIFO | mode, 0); }
int rmdir(const char *path) { return SYS1(__NR_rmdir, path); }
int unlink(const char *path) { return SYS1(__NR_unlink, path); }
int rename(const char *from, const char *to) { return SYS2(__NR_rename, from, to); }
int link(const char *from, const char *to) { return SYS2(__NR_link, from, to); }
int symlink(const char *target, const char *path) { return SYS2(__NR_symlink, target, path); }
int chmod(const char *path, mode_t mode) { return SYS2(__NR_chmod, path, mode); }
mode_t umask(mode_t mask) { return SYS1(__NR_umask, mask); }

int utimensat(int dirfd, const char *path, const struct timespec *times, int flags)
{
	return SYS4(__NR_utimensat, dirfd, path, times, flags);
}
int access(const char *path, int mode) { return SYS2(__NR_access, path, mode); }
int truncate(const char *path, off_t len) { return SYS2(__NR_truncate, path, len); }
int ftruncate(int fd, off_t len) { return SYS2(__NR_ftruncate, fd, len); }
int fsync(int fd) { return SYS1(__NR_fsync, fd); }
void sync(void) { __syscall0(__NR_sync); }
int chdir(const char *path) { return SYS1(__NR_chdir, path); }

ssize_t readlink(const char *path, char *buf, size_t size)
{
	return SYS3(__NR_readlink, path, buf, size);
}

/* The system call returns the length; the C function returns buf. */
char *getcwd(char *buf, size_t size)
{
	return SYS2(__NR_getcwd, buf, size) < 0 ? NULL : buf;
}

pid_t getpid(void) { return SYS0(__NR_getpid); }
pid_t getppid(void) { return SYS0(__NR_getppid); }
uid_t getuid(void) { return SYS0(__NR_getuid32); }
uid_t geteuid(void) { return SYS0(__NR_geteuid32); }
gid_t getgid(void) { return SYS0(__NR_getgid32); }
gid_t getegid(void) { return SYS0(__NR_getegid32); }
int setpgid(pid_t pid, pid_t pgid) { return SYS2(__NR_setpgid, pid, pgid); }
pid_t getpgid(pid_t pid) { return SYS1(__NR_getpgid, pid); }
pid_t getpgrp(void) { return SYS0(__NR_getpgrp); }
pid_t setsid(void) { return SYS0(__NR_setsid); }
pid_t getsid(pid_t pid) { return SYS1(__NR_getsid, pid); }

int uname(struct utsname *u) { return SYS1(__NR_uname, u); }
int klogctl(int action, char *buf, int len) { return SYS3(__NR_syslog, action, buf, len); }

int statfs64(const char *path, struct statfs64 *buf)
{
	return SYS3(__NR_statfs64, path, sizeof(*buf), buf);
}

int fstatfs64(int fd, struct statfs64 *buf) { return SYS3(__NR_fstatfs64, fd, sizeof(*buf), buf); }

int mount(const char *source, const char *target, const char *type, unsigned long flags,
	  const void *data)
{
	return SYS5(__NR_mount, source, target, type, flags, data);
}

int umount(const char *target) { return SYS2(__NR_umount2, target, 0); }
int umount2(const char *target, int flags) { return SYS2(__NR_umount2, target, flags); }

int getrlimit(int resource, struct rlimit *rlim) { return SYS2(__NR_ugetrlimit, resource, rlim); }
int setrlimit(int resource, const struct rlimit *rlim) { return SYS2(__NR_setrlimit, resource, rlim); }
int prlimit(pid_t pid, int resource, const struct abi_rlimit64 *new_limit,
	    struct abi_rlimit64 *old_limit)
{
	return SYS4(__NR_prlimit64, pid, resource, new_limit, old_limit);
}

int reboot(int cmd)
{
	return SYS4(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, cmd, 0);
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout) { return SYS3(__NR_poll, fds, nfds, timeout); }
