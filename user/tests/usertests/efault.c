/*
 * Bad pointers: every system call that takes a pointer returns -EFAULT
 * (and does nothing else) when it points at nothing mapped, at a PROT_NONE
 * page, at the kernel (0xC0000000 up), straddles the end of user space, or
 * -- for buffers the kernel writes -- at a read-only page.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "ut.h"

/* How the kernel uses the pointer argument: STRN is a string it reads at most 16 bytes of. */
enum { IN, OUT, STR, STRN };

/* Argument placeholders, resolved when the call is made. */
enum { BAD = -7001, FD_FILE, FD_DIR, FD_PIPE, PATH, PATH2, LINK, BUF, ARGV, ENVP };

struct call {
	const char *name;
	long nr;
	int kind;
	long a[6];
};

static const struct call calls[] = {
	/* the kernel writes through the pointer */
	{ "read", __NR_read, OUT, { FD_FILE, BAD, 16 } },
	{ "pread64", __NR_pread64, OUT, { FD_FILE, BAD, 16, 0, 0 } },
	{ "readv iovec array", __NR_readv, IN, { FD_FILE, BAD, 1 } },
	{ "stat64", __NR_stat64, OUT, { PATH, BAD } },
	{ "lstat64", __NR_lstat64, OUT, { PATH, BAD } },
	{ "fstat64", __NR_fstat64, OUT, { FD_FILE, BAD } },
	{ "fstatat64", __NR_fstatat64, OUT, { AT_FDCWD, PATH, BAD, 0 } },
	{ "statx", __NR_statx, OUT, { AT_FDCWD, PATH, 0, STATX_BASIC_STATS, BAD } },
	{ "readlink buffer", __NR_readlink, OUT, { LINK, BAD, 64 } },
	{ "getdents64", __NR_getdents64, OUT, { FD_DIR, BAD, 4096 } },
	{ "pipe", __NR_pipe, OUT, { BAD } },
	{ "pipe2", __NR_pipe2, OUT, { BAD, 0 } },
	{ "uname", __NR_uname, OUT, { BAD } },
	{ "gettimeofday tv", __NR_gettimeofday, OUT, { BAD, 0 } },
	{ "gettimeofday tz", __NR_gettimeofday, OUT, { 0, BAD } },
	{ "clock_gettime", __NR_clock_gettime, OUT, { CLOCK_MONOTONIC, BAD } },
	{ "clock_gettime64", __NR_clock_gettime64, OUT, { CLOCK_MONOTONIC, BAD } },
	{ "clock_getres", __NR_clock_getres, OUT, { CLOCK_MONOTONIC, BAD } },
	{ "time", __NR_time, OUT, { BAD } },
	{ "times", __NR_times, OUT, { BAD } },
	{ "rt_sigaction old", __NR_rt_sigaction, OUT, { SIGUSR1, 0, BAD, 8 } },
	{ "rt_sigprocmask old", __NR_rt_sigprocmask, OUT, { SIG_BLOCK, 0, BAD, 8 } },
	{ "rt_sigpending", __NR_rt_sigpending, OUT, { BAD, 8 } },
	{ "getcwd", __NR_getcwd, OUT, { BAD, 4096 } },
	{ "sysinfo", __NR_sysinfo, OUT, { BAD } },
	{ "ugetrlimit", __NR_ugetrlimit, OUT, { 7, BAD } },
	{ "prlimit64 old", __NR_prlimit64, OUT, { 0, 7, 0, BAD } },
	{ "getresuid32", __NR_getresuid32, OUT, { BAD, BUF, BUF } },
	{ "getrandom", __NR_getrandom, OUT, { BAD, 16, 0 } },
	{ "sigaltstack old", __NR_sigaltstack, OUT, { 0, BAD } },
	{ "prctl PR_GET_NAME", __NR_prctl, OUT, { 16, BAD } },
	{ "_llseek result", __NR__llseek, OUT, { FD_FILE, 0, 0, BAD, SEEK_SET } },
	{ "ioctl FIONREAD", __NR_ioctl, OUT, { FD_PIPE, 0x541B, BAD } },
	{ "getrusage", __NR_getrusage, OUT, { RUSAGE_SELF, BAD } },
	{ "getitimer", __NR_getitimer, OUT, { ITIMER_PROF, BAD } },
	{ "setitimer old", __NR_setitimer, OUT, { ITIMER_PROF, 0, BAD } },
	{ "waitid infop", __NR_waitid, OUT, { P_ALL, 0, BAD, WEXITED | WNOHANG, 0 } },
	/* the kernel reads a fixed-size object */
	{ "write", __NR_write, IN, { FD_FILE, BAD, 16 } },
	{ "pwrite64", __NR_pwrite64, IN, { FD_FILE, BAD, 16, 0, 0 } },
	{ "writev iovec array", __NR_writev, IN, { FD_FILE, BAD, 1 } },
	{ "nanosleep", __NR_nanosleep, IN, { BAD, 0 } },
	{ "clock_nanosleep", __NR_clock_nanosleep, IN, { CLOCK_MONOTONIC, 0, BAD, 0 } },
	{ "rt_sigaction new", __NR_rt_sigaction, IN, { SIGUSR1, BAD, 0, 8 } },
	{ "rt_sigprocmask new", __NR_rt_sigprocmask, IN, { SIG_BLOCK, BAD, 0, 8 } },
	{ "rt_sigsuspend", __NR_rt_sigsuspend, IN, { BAD, 8 } },
	{ "old mmap argument block", __NR_mmap, IN, { BAD } },
	{ "sigaltstack new", __NR_sigaltstack, IN, { BAD, 0 } },
	{ "prlimit64 new", __NR_prlimit64, IN, { 0, 7, BAD, 0 } },
	{ "poll fds", __NR_poll, IN, { BAD, 1, 0 } },
	{ "utimensat times", __NR_utimensat, IN, { AT_FDCWD, PATH, BAD, 0 } },
	{ "sendfile64 offset", __NR_sendfile64, IN, { FD_PIPE, FD_FILE, BAD, 16 } },
	{ "setitimer new", __NR_setitimer, IN, { ITIMER_PROF, BAD, 0 } },
	/* the kernel reads a string */
	{ "open", __NR_open, STR, { BAD, O_RDONLY } },
	{ "openat", __NR_openat, STR, { AT_FDCWD, BAD, O_RDONLY } },
	{ "creat", __NR_creat, STR, { BAD, 0644 } },
	{ "stat64 path", __NR_stat64, STR, { BAD, BUF } },
	{ "access", __NR_access, STR, { BAD, F_OK } },
	{ "faccessat", __NR_faccessat, STR, { AT_FDCWD, BAD, F_OK } },
	{ "chdir", __NR_chdir, STR, { BAD } },
	{ "mkdir", __NR_mkdir, STR, { BAD, 0755 } },
	{ "mkdirat", __NR_mkdirat, STR, { AT_FDCWD, BAD, 0755 } },
	{ "rmdir", __NR_rmdir, STR, { BAD } },
	{ "unlink", __NR_unlink, STR, { BAD } },
	{ "unlinkat", __NR_unlinkat, STR, { AT_FDCWD, BAD, 0 } },
	{ "rename from", __NR_rename, STR, { BAD, PATH2 } },
	{ "rename to", __NR_rename, STR, { PATH, BAD } },
	{ "renameat to", __NR_renameat, STR, { AT_FDCWD, PATH, AT_FDCWD, BAD } },
	{ "readlink path", __NR_readlink, STR, { BAD, BUF, 64 } },
	{ "statx path", __NR_statx, STR, { AT_FDCWD, BAD, 0, STATX_BASIC_STATS, BUF } },
	{ "symlink target", __NR_symlink, STR, { BAD, PATH2 } },
	{ "symlink path", __NR_symlink, STR, { PATH, BAD } },
	{ "symlinkat path", __NR_symlinkat, STR, { PATH, AT_FDCWD, BAD } },
	{ "utimensat path", __NR_utimensat, STR, { AT_FDCWD, BAD, 0, 0 } },
	{ "chown32", __NR_chown32, STR, { BAD, 0, 0 } },
	{ "truncate", __NR_truncate, STR, { BAD, 0 } },
	{ "chmod", __NR_chmod, STR, { BAD, 0644 } },
	{ "execve path", __NR_execve, STR, { BAD, ARGV, ENVP } },
	{ "prctl PR_SET_NAME", __NR_prctl, STRN, { 15, BAD } },
};

struct bad {
	const char *what;
	unsigned long addr;
	int kinds;            /* bit per kind it applies to */
};

#define ANY (1 << IN | 1 << OUT | 1 << STR | 1 << STRN)

static struct bad bads[] = {
	{ "0x10", 0x10, ANY },
	{ "0xc0000000", 0xC0000000, ANY },
	{ "kernel text 0xc0100000", 0xC0100000, ANY },
	{ "0xfffff000", 0xFFFFF000, ANY },
	{ "0xbffffffe (straddles 0xc0000000)", 0xBFFFFFFE, 1 << IN | 1 << OUT },
	{ "a PROT_NONE page", 0, ANY },
	{ "a read-only page", 0, 1 << OUT },
	{ "a string running into an unmapped page", 0, 1 << STR },
};

static char *good_argv[] = { "false", NULL };
static char *good_envp[] = { "A=b", NULL };

static long resolve(long v, unsigned long bad, int *fds)
{
	static char buf[256];

	switch (v) {
	case BAD: return (long)bad;
	case FD_FILE: return fds[0];
	case FD_DIR: return fds[1];
	case FD_PIPE: return fds[2];
	case PATH: return (long)scratch_path("file");
	case PATH2: return (long)scratch_path("new");
	case LINK: return (long)scratch_path("link");
	case BUF: return (long)buf;
	case ARGV: return (long)good_argv;
	case ENVP: return (long)good_envp;
	}
	return v;
}

/* Pages: 'a's with no NUL, an unmapped hole, PROT_NONE, read-only (one mmap, so nothing lands in the hole). */
static void setup_bad_pages(void)
{
	char *p = (char *)CHECK_OK(mmap(NULL, 4 * PGSZ, PROT_READ | PROT_WRITE,
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));

	memset(p, 'a', PGSZ);
	CHECK_OK(munmap(p + PGSZ, PGSZ));
	CHECK_OK(mprotect(p + 2 * PGSZ, PGSZ, PROT_NONE));
	CHECK_OK(mprotect(p + 3 * PGSZ, PGSZ, PROT_READ));
	bads[5].addr = (unsigned long)(p + 2 * PGSZ);
	bads[6].addr = (unsigned long)(p + 3 * PGSZ);
	bads[7].addr = (unsigned long)(p + PGSZ - 100);
}

/* Open the objects the calls work on: fds[] = file, directory, pipe (read end, 1 byte queued). */
static void setup_objects(int *fds)
{
	static char data[8192];
	int p[2];

	fds[0] = CHECK_OK(open(scratch_path("file"), O_CREAT | O_RDWR, 0644));
	CHECK(write(fds[0], data, sizeof(data)) == sizeof(data), "write");
	fds[1] = CHECK_OK(open(scratch_dir(), O_RDONLY | O_DIRECTORY));
	CHECK_OK(symlink("file", scratch_path("link")));
	CHECK_OK(pipe(p));
	CHECK(write(p[1], "x", 1) == 1, "write to the pipe");
	fds[2] = p[0];
}

static void t_efault_table(void)
{
	char wrong[700];
	int fds[3], lowest, nwrong = 0;
	size_t n = 0;

	setup_bad_pages();
	setup_objects(fds);
	CHECK_OK(chdir(scratch_dir()));     /* so getcwd's answer is longer than 2 bytes */
	lowest = CHECK_OK(dup(0));
	close(lowest);
	/* every call with every pointer; all the wrong results are reported */
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		for (size_t b = 0; b < sizeof(bads) / sizeof(bads[0]); b++) {
			const struct call *c = &calls[i];
			long a[6], r;

			if (!(bads[b].kinds & (1 << c->kind)))
				continue;
			for (int k = 0; k < 6; k++)
				a[k] = resolve(c->a[k], bads[b].addr, fds);
			CHECK(lseek(fds[0], 0, SEEK_SET) == 0 && lseek(fds[1], 0, SEEK_SET) == 0, "lseek");
			r = syscall(c->nr, a[0], a[1], a[2], a[3], a[4], a[5]);
			if (r == -1 && errno == EFAULT)
				continue;
			if (!nwrong++ || n < sizeof(wrong) - 80)
				n += snprintf(wrong + n, sizeof(wrong) - n, "%s%s with %s: %ld %s",
					      n ? "; " : "", c->name, bads[b].what, r,
					      r == -1 ? errno_name(errno) : "");
		}
	CHECK(nwrong == 0, "%d calls did not return EFAULT: %s%s", nwrong, wrong,
	      n >= sizeof(wrong) - 80 ? "..." : "");
	CHECK(dup(0) == lowest, "a failed call left a descriptor open");
	CHECK(access(scratch_path("new"), F_OK) < 0, "a failed call created a file");
	/* a getdents64 that failed has not used up the directory's entries */
	CHECK(lseek(fds[1], 0, SEEK_SET) == 0, "lseek");
	CHECK_ERR(getdents64(fds[1], ADDR(0x10), 4096), EFAULT);
	CHECK(getdents64(fds[1], wrong, sizeof(wrong)) > 0,
	      "the directory read as empty after a getdents64 that returned EFAULT");
}

/* readv/writev whose iovec is fine but points at a bad buffer. */
static void t_efault_iovec_buffer(void)
{
	int fd = CHECK_OK(open(scratch_path("f"), O_CREAT | O_RDWR, 0644));

	setup_bad_pages();
	CHECK(write(fd, "0123456789abcdef", 16) == 16, "write");
	for (size_t b = 0; b < sizeof(bads) / sizeof(bads[0]); b++) {
		struct { void *base; size_t len; } iov = { ADDR(bads[b].addr), 16 };

		if (!(bads[b].kinds & (1 << OUT)))
			continue;
		CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek");
		CHECK_ERR(syscall(__NR_readv, fd, &iov, 1), EFAULT);
		if (b != 6)     /* a read-only page is a fine source */
			CHECK_ERR(syscall(__NR_writev, fd, &iov, 1), EFAULT);
	}
	close(fd);
}

/*
 * A later segment outside user space fails the whole readv/writev with
 * EFAULT before anything moves, as 32-bit Linux's import_iovec() checks
 * every segment first (a Linux x86-64 host cannot show it: these are
 * user addresses to a 32-bit program there).  An unmapped user segment
 * only ends the transfer early, as on Linux (diff/iovec).
 */
static void t_efault_iovec_later_segment(void)
{
	int fd = CHECK_OK(open(scratch_path("f"), O_CREAT | O_RDWR, 0644));
	char buf[16];

	CHECK(write(fd, "0123456789abcdef", 16) == 16, "write");
	for (size_t b = 1; b <= 4; b++) {       /* the bads at and above 0xc0000000 */
		struct { void *base; size_t len; } iov[2] = { { buf, 8 }, { ADDR(bads[b].addr), 8 } };

		CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek");
		CHECK(syscall(__NR_readv, fd, iov, 2) == -1 && errno == EFAULT,
		      "readv with %s as the second segment: not EFAULT", bads[b].what);
		CHECK(lseek(fd, 0, SEEK_CUR) == 0, "readv with %s as the second segment read",
		      bads[b].what);
		CHECK(syscall(__NR_writev, fd, iov, 2) == -1 && errno == EFAULT,
		      "writev with %s as the second segment: not EFAULT", bads[b].what);
		CHECK(lseek(fd, 0, SEEK_END) == 16, "writev with %s as the second segment wrote",
		      bads[b].what);
	}
	close(fd);
}

/* execve with a bad argv or envp, or a bad string in them, fails and returns. */
static void t_efault_execve(void)
{
	unsigned long bad[] = { 0x10, 0xC0000000, 0xFFFFF000 };

	for (int i = 0; i < 3; i++) {
		char *argv[] = { "false", (char *)bad[i], NULL };
		char *envp[] = { "A=b", (char *)bad[i], NULL };

		CHECK_ERR(execve("/bin/false", (char **)bad[i], good_envp), EFAULT);
		CHECK_ERR(execve("/bin/false", good_argv, (char **)bad[i]), EFAULT);
		CHECK_ERR(execve("/bin/false", argv, good_envp), EFAULT);
		CHECK_ERR(execve("/bin/false", good_argv, envp), EFAULT);
	}
}

static void exit_zero(void *arg)
{
}

/* wait4 with a bad status or rusage pointer: EFAULT, and the child is reaped all the same. */
static void t_efault_wait4(void)
{
	setup_bad_pages();
	for (size_t b = 0; b < sizeof(bads) / sizeof(bads[0]); b++) {
		pid_t pid;
		int status;

		if (!(bads[b].kinds & (1 << OUT)))
			continue;
		for (int arg = 0; arg < 2; arg++) {
			pid = CHECK_OK(spawn(exit_zero, NULL));
			CHECK(syscall(__NR_wait4, pid, arg ? NULL : ADDR(bads[b].addr), 0,
				      arg ? ADDR(bads[b].addr) : NULL) == -1 && errno == EFAULT,
			      "wait4 with %s as %s: not EFAULT", bads[b].what,
			      arg ? "rusage" : "status");
			CHECK(waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD,
			      "wait4 with a bad %s left the child unreaped", arg ? "rusage" : "status");
		}
	}
}

const struct subtest efault_tests[] = {
	{ "efault_syscalls", t_efault_table, T_VM },
	{ "efault_iovec_buffer", t_efault_iovec_buffer, T_VM },
	{ "efault_iovec_later_segment", t_efault_iovec_later_segment, 0 },
	{ "efault_execve", t_efault_execve, 0 },
	{ "efault_wait4", t_efault_wait4, 0 },
	{ NULL },
};
