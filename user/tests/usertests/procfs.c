/*
 * /proc facts only anvil can be asked about (diff/procfiles compares the
 * rest with Linux): writing /proc/sys/kernel/core_pattern (the host's must
 * not be touched), the LRU bits of a fresh anonymous page, the kinds of
 * page frame kpageflags reports, another process's pagemap and fd links
 * while it lives and once it is a zombie, one processor in cpuinfo, and a
 * tmpfs mount's line in /proc/mounts; setting pid_max, tainted and
 * pipe-max-size and vm/dirty_* (which the host's must not be), the kpageflags bits of
 * anonymous pages and page tables, pagemap's hidden frames for a reader
 * without CAP_SYS_ADMIN, and /proc read while processes come and go.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <abi/kernel-page-flags.h>
#include <abi/mount.h>
#include "ut.h"

#define PAGE 4096
#define CORE_PATTERN "/proc/sys/kernel/core_pattern"
#define CORENAME_MAX 127        /* core_pattern's bytes, without the NUL */
#define BAD_ADDR ((void *)1)
#define FRAMES_PER_READ 512
#define SLEEPER_SECONDS 30      /* the sleeper is killed long before */

static const char *read_text(const char *path)
{
	static char buf[4096];
	int fd = CHECK_OK(open(path, O_RDONLY));
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	close(fd);
	CHECK(n >= 0, "read %s: %s", path, errno_name(errno));
	buf[n] = '\0';
	return buf;
}

static void write_text(int fd, const char *s)
{
	CHECK(write(fd, s, strlen(s)) == (ssize_t)strlen(s), "write \"%s\" to core_pattern: %s", s,
	      errno_name(errno));
}

static void set_core_pattern(const char *s)
{
	int fd = CHECK_OK(open(CORE_PATTERN, O_WRONLY));

	write_text(fd, s);
	close(fd);
}

#define CHECK_PATTERN(want) do {                                                          \
		const char *got = read_text(CORE_PATTERN);                                \
		CHECK(!strcmp(got, want), "core_pattern is \"%s\", want \"%s\"", got, want); \
	} while (0)

/* Linux's proc_dostring, strict mode: a line from the write position on, truncated, appended. */
static void t_core_pattern_write(void)
{
	char longer[200];
	int fd;

	CHECK_PATTERN("core\n");
	set_core_pattern("core.%p\n");
	CHECK_PATTERN("core.%p\n");
	set_core_pattern("first\nsecond");
	CHECK_PATTERN("first\n");
	fd = CHECK_OK(open(CORE_PATTERN, O_RDWR));
	write_text(fd, "ab");
	write_text(fd, "cd");
	CHECK_PATTERN("abcd\n");
	CHECK_OK(lseek(fd, 10, SEEK_SET));
	write_text(fd, "zz");                           /* past the end: nothing changes */
	CHECK_PATTERN("abcd\n");
	CHECK_OK(lseek(fd, 0, SEEK_SET));
	CHECK_ERR(write(fd, BAD_ADDR, 4), EFAULT);
	CHECK_PATTERN("abcd\n");
	close(fd);
	memset(longer, 'x', sizeof(longer));
	longer[sizeof(longer) - 1] = '\0';
	set_core_pattern(longer);
	longer[CORENAME_MAX] = '\n';
	longer[CORENAME_MAX + 1] = '\0';
	CHECK_PATTERN(longer);
	set_core_pattern("core");
	CHECK_PATTERN("core\n");
}

static unsigned long long word_at(const char *path, unsigned long long offset)
{
	unsigned long long w = ~0ULL;
	int fd = CHECK_OK(open(path, O_RDONLY));

	CHECK(pread(fd, &w, sizeof(w), offset) == sizeof(w), "pread %s at %llu: %s", path, offset,
	      errno_name(errno));
	close(fd);
	return w;
}

static unsigned long long frame_of(pid_t pid, const volatile void *addr)
{
	char path[64];
	unsigned long long w;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	w = word_at(path, (unsigned long)addr / PAGE * PM_ENTRY_BYTES);
	CHECK(w & PM_PRESENT, "%s: %p not present (%#llx)", path, addr, w);
	return w & PM_PFRAME_MASK;
}

#define KPF(name) (1ULL << KPF_##name)

/* anvil puts a new anonymous page on the active list at once (Linux batches it per CPU first). */
static void t_kpageflags_fresh_anon(void)
{
	volatile char *p = (volatile char *)CHECK_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
							  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	unsigned long long want = KPF(ANON) | KPF(MMAP) | KPF(LRU) | KPF(ACTIVE) | KPF(SWAPBACKED);
	unsigned long long flags;

	p[0] = 1;
	flags = word_at("/proc/kpageflags", frame_of(getpid(), p) * PM_ENTRY_BYTES);
	CHECK((flags & want) == want, "kpageflags %#llx, want %#llx set", flags, want);
	CHECK(!(flags & (KPF(BUDDY) | KPF(SLAB) | KPF(RESERVED))), "kpageflags %#llx", flags);
}

#define FRAME_RETRIES 5

/* Do a frame's flags and map count agree: not free or slab and mapped, MMAP exactly when mapped? */
static bool frame_consistent(unsigned long long f, unsigned long long count)
{
	return (!(f & (KPF(BUDDY) | KPF(SLAB))) || !count) && !(f & KPF(MMAP)) == !count;
}

/*
 * The two files are read apart, and the frame may have been freed or
 * mapped in between (the runner's pipe, the kernel's own allocations):
 * read that frame's two words again, together, before calling it wrong.
 */
static bool frame_settles(long frame, unsigned long long *f, unsigned long long *count)
{
	for (int i = 0; i < FRAME_RETRIES; i++) {
		*f = word_at("/proc/kpageflags", frame * PM_ENTRY_BYTES);
		*count = word_at("/proc/kpagecount", frame * PM_ENTRY_BYTES);
		if (frame_consistent(*f, *count))
			return true;
	}
	return false;
}

/* Every frame, in one pass: free, slab and reserved pages all show, and no frame is two kinds. */
static void t_kpageflags_kinds(void)
{
	static unsigned long long flags[FRAMES_PER_READ], counts[FRAMES_PER_READ];
	int ffd = CHECK_OK(open("/proc/kpageflags", O_RDONLY));
	int cfd = CHECK_OK(open("/proc/kpagecount", O_RDONLY));
	long buddy = 0, slab = 0, reserved = 0, frames = 0, mem_kb;
	ssize_t n;

	while ((n = read(ffd, flags, sizeof(flags))) > 0) {
		CHECK(read(cfd, counts, n) == n, "kpagecount shorter than kpageflags");
		for (size_t i = 0; i < n / sizeof(flags[0]); i++, frames++) {
			unsigned long long f = flags[i], count = counts[i];
			int kinds;

			if (!frame_consistent(f, count))
				frame_settles(frames, &f, &count);
			kinds = !!(f & KPF(BUDDY)) + !!(f & KPF(SLAB)) + !!(f & KPF(ANON));
			CHECK(kinds <= 1, "frame %ld: kpageflags %#llx", frames, f);
			CHECK(!(f & KPF(NOPAGE)), "frame %ld: NOPAGE below the last frame", frames);
			CHECK(!(f & (KPF(BUDDY) | KPF(SLAB))) || !count,
			      "frame %ld: free or slab but mapped %llu times", frames, count);
			CHECK(!(f & KPF(MMAP)) == !count, "frame %ld: MMAP %d, kpagecount %llu",
			      frames, !!(f & KPF(MMAP)), count);
			buddy += !!(f & KPF(BUDDY));
			slab += !!(f & KPF(SLAB));
			reserved += !!(f & KPF(RESERVED));
		}
	}
	CHECK(n == 0, "read kpageflags: %s", errno_name(errno));
	CHECK(read(cfd, counts, sizeof(counts)) == 0, "kpagecount longer than kpageflags");
	close(ffd);
	close(cfd);
	CHECK(buddy && slab && reserved, "free %ld, slab %ld, reserved %ld frames", buddy, slab,
	      reserved);
	mem_kb = strtol(strstr(read_text("/proc/meminfo"), "MemTotal:") + 9, NULL, 10);
	CHECK(frames * (PAGE / 1024) >= mem_kb, "%ld frames for MemTotal %ld kB", frames, mem_kb);
}

/* A child's pagemap and fd links, while it lives and once it is a zombie. */
static void t_other_process(void)
{
	volatile char *p = (volatile char *)CHECK_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
							  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char path[64], mine[64], theirs[64], c = 0;
	int up[2], down[2], pagemap;
	unsigned long long w;
	ssize_t n;
	pid_t pid;

	p[0] = 1;
	CHECK_OK(pipe(up));
	CHECK_OK(pipe(down));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		p[0] = 2;               /* a page of its own */
		write(up[1], &c, 1);
		read(down[0], &c, 1);
		_exit(0);
	}
	CHECK(read(up[0], &c, 1) == 1, "the child did not start");
	CHECK(frame_of(pid, p) != frame_of(getpid(), p), "the child's page is the parent's");
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, down[0]);
	n = CHECK_OK(readlink(path, theirs, sizeof(theirs) - 1));
	theirs[n] = '\0';
	snprintf(path, sizeof(path), "/proc/self/fd/%d", down[0]);
	n = CHECK_OK(readlink(path, mine, sizeof(mine) - 1));
	mine[n] = '\0';
	CHECK(!strcmp(mine, theirs) && !strncmp(mine, "pipe:[", 6),
	      "the child's end reads \"%s\", mine \"%s\"", theirs, mine);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
	pagemap = CHECK_OK(open(path, O_RDONLY));
	write(down[1], &c, 1);
	for (int ms = 0; ms < 2000; ms += 5) {          /* until it is a zombie */
		snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
		if (strstr(read_text(path), ") Z "))
			break;
		msleep(5);
	}
	CHECK(pread(pagemap, &w, sizeof(w), (unsigned long)p / PAGE * PM_ENTRY_BYTES) == 0,
	      "a zombie's pagemap is not empty");
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, down[0]);
	CHECK_ERR(readlink(path, theirs, sizeof(theirs)), ENOENT);
	close(pagemap);
	wait_status(pid, 0);
}

static void t_cpuinfo_uniprocessor(void)
{
	const char *text = read_text("/proc/cpuinfo");

	CHECK(!strncmp(text, "processor\t: 0\n", 14), "cpuinfo starts \"%.20s\"", text);
	CHECK(!strstr(text, "processor\t: 1"), "a second processor");
	CHECK(strstr(text, "\nfdiv_bug\t: no\n"), "no 32-bit fdiv_bug line");
	CHECK(strstr(text, "\nflags\t\t: fpu "), "no flags line starting with fpu");
	CHECK(!strcmp(text + strlen(text) - 19, "power management:\n\n"), "cpuinfo's end");
}

/*
 * A mount's line: its flags as Linux's options, a space in its path as
 * \040; gone after umount.  The table is read before the checks, so a
 * failed one leaves no mount behind.
 */
static void t_mounts_tmpfs(void)
{
	static char mounted[4096];
	char dir[128], line[256];
	int fd;
	ssize_t n = 0;

	snprintf(dir, sizeof(dir), "%s", scratch_path("a b"));
	CHECK_OK(mkdir(dir, 0755));
	CHECK_OK(syscall(__NR_mount, "scratch", dir, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			 NULL));
	fd = open("/proc/mounts", O_RDONLY);
	if (fd >= 0)
		n = read(fd, mounted, sizeof(mounted) - 1);
	close(fd);
	mounted[n > 0 ? n : 0] = '\0';
	CHECK_OK(syscall(__NR_umount2, dir, 0));
	snprintf(line, sizeof(line), "\nscratch %s/a\\040b tmpfs rw,nosuid,nodev,noexec 0 0\n",
		 scratch_dir());
	CHECK(strstr(mounted, line), "no line \"%s\" in /proc/mounts", line + 1);
	CHECK(!strncmp(mounted, "rootfs / rootfs rw 0 0\n", 23),
	      "/proc/mounts does not start with the root");
	CHECK(!strstr(read_text("/proc/mounts"), line), "the line stays after umount");
}


#define NOBODY 65534
#define SYSCTL_PID_MAX "/proc/sys/kernel/pid_max"
#define SYSCTL_TAINTED "/proc/sys/kernel/tainted"
#define SYSCTL_PIPE_MAX "/proc/sys/fs/pipe-max-size"

/* Write s to a sysctl: write's result (-1 with errno on failure). */
static long sysctl_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	long r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s));
	close(fd);
	return r;
}

static long sysctl_read(const char *path)
{
	return strtol(read_text(path), NULL, 0);
}

/* pid_max binds fork: new pids wrap below it (to RESERVED_PIDS); out of range is EINVAL. */
static void t_pid_max_write(void)
{
	long saved = sysctl_read(SYSCTL_PID_MAX);
	char text[16];
	bool below = true;
	int status;

	CHECK_ERR(sysctl_write(SYSCTL_PID_MAX, "300"), EINVAL);
	CHECK_ERR(sysctl_write(SYSCTL_PID_MAX, "32769"), EINVAL);
	CHECK(sysctl_write(SYSCTL_PID_MAX, "400\n") == 4, "pid_max 400 refused");
	CHECK(sysctl_read(SYSCTL_PID_MAX) == 400, "pid_max reads %ld", sysctl_read(SYSCTL_PID_MAX));
	for (int i = 0; i < 150; i++) {          /* more than 100 pids: it must wrap */
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		below &= pid > 0 && pid < 400;
		if (pid > 0)
			waitpid(pid, &status, 0);
	}
	snprintf(text, sizeof(text), "%ld", saved);
	CHECK(sysctl_write(SYSCTL_PID_MAX, text) > 0, "pid_max not restored");
	CHECK(below, "a pid at or above pid_max 400");
	if (fork() == 0) {
		_exit(setuid(NOBODY) || sysctl_write(SYSCTL_PID_MAX, "500") != -1 || errno != EACCES);
	}
	wait(&status);
	check_child_ok(status, "nobody writing pid_max");
}

/* tainted only gains bits (Linux's proc_taint), the ones Linux has. */
static void t_tainted_write(void)
{
	CHECK(sysctl_write(SYSCTL_TAINTED, "5") == 1, "tainted 5 refused");
	CHECK(sysctl_write(SYSCTL_TAINTED, "2") == 1, "tainted 2 refused");
	CHECK(sysctl_write(SYSCTL_TAINTED, "0") == 1, "tainted 0 refused");
	CHECK(sysctl_write(SYSCTL_TAINTED, "0x80000000") == 10, "a high bit refused");
	CHECK(sysctl_read(SYSCTL_TAINTED) == 7, "tainted reads %ld, want 7",
	      sysctl_read(SYSCTL_TAINTED));
}

/* pipe-max-size rounds to a power of two of pages and limits F_SETPIPE_SZ for nobody. */
static void t_pipe_max_size_write(void)
{
	long saved = sysctl_read(SYSCTL_PIPE_MAX);
	char text[16];
	int p[2], status;

	CHECK(sysctl_write(SYSCTL_PIPE_MAX, "5000") == 4, "5000 refused");
	CHECK(sysctl_read(SYSCTL_PIPE_MAX) == 2 * PAGE, "5000 read back as %ld",
	      sysctl_read(SYSCTL_PIPE_MAX));
	CHECK(sysctl_write(SYSCTL_PIPE_MAX, "0") == 1, "0 refused");
	CHECK(sysctl_read(SYSCTL_PIPE_MAX) == PAGE, "0 read back as %ld",
	      sysctl_read(SYSCTL_PIPE_MAX));
	CHECK_ERR(sysctl_write(SYSCTL_PIPE_MAX, "2147483649"), EINVAL);
	CHECK_OK(pipe(p));
	if (fork() == 0)
		_exit(setuid(NOBODY) || fcntl(p[0], F_SETPIPE_SZ, 32 * PAGE) != -1 || errno != EPERM ||
		      fcntl(p[0], F_SETPIPE_SZ, PAGE) != PAGE);
	wait(&status);
	snprintf(text, sizeof(text), "%ld", saved);
	CHECK(sysctl_write(SYSCTL_PIPE_MAX, text) > 0, "pipe-max-size not restored");
	check_child_ok(status, "nobody's F_SETPIPE_SZ past a page-sized pipe-max-size");
}

/* An anonymous page is UPTODATE (Linux marks each it fills); page tables are PGTABLE. */
static void t_kpageflags_uptodate_pgtable(void)
{
	volatile char *p = (volatile char *)CHECK_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
							  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	static unsigned long long words[FRAMES_PER_READ];
	unsigned long long flags;
	long tables = 0;
	ssize_t n;
	int fd;

	p[0] = 1;
	flags = word_at("/proc/kpageflags", frame_of(getpid(), p) * PM_ENTRY_BYTES);
	CHECK(flags & KPF(UPTODATE), "an anonymous page: kpageflags %#llx", flags);
	fd = CHECK_OK(open("/proc/kpageflags", O_RDONLY));
	while ((n = read(fd, words, sizeof(words))) > 0)
		for (size_t i = 0; i < n / sizeof(words[0]); i++) {
			CHECK(!(words[i] & KPF(PGTABLE)) || !(words[i] & (KPF(ANON) | KPF(LRU))),
			      "a page table with kpageflags %#llx", words[i]);
			tables += !!(words[i] & KPF(PGTABLE));
		}
	close(fd);
	CHECK(tables > 0, "no PGTABLE frame");
}

/*
 * vm/dirty_*: Linux's defaults; a ratio from 0 to 100, an interval from
 * 0 up; out of range is EINVAL and changes nothing.
 */
static void t_vm_dirty_write(void)
{
	static const struct {
		const char *path;
		long value;
		const char *bad, *good;
	} knobs[] = {
		{ "/proc/sys/vm/dirty_ratio", 20, "101", "30" },
		{ "/proc/sys/vm/dirty_background_ratio", 10, "-1", "0" },
		{ "/proc/sys/vm/dirty_writeback_centisecs", 500, "-5", "0" },
		{ "/proc/sys/vm/dirty_expire_centisecs", 3000, "2147483648", "100" },
	};

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		char text[16];

		CHECK(sysctl_read(knobs[i].path) == knobs[i].value, "%s reads %ld", knobs[i].path,
		      sysctl_read(knobs[i].path));
		CHECK_ERR(sysctl_write(knobs[i].path, knobs[i].bad), EINVAL);
		CHECK(sysctl_write(knobs[i].path, knobs[i].good) > 0, "%s refused %s",
		      knobs[i].path, knobs[i].good);
		CHECK(sysctl_read(knobs[i].path) == atol(knobs[i].good), "%s not set",
		      knobs[i].path);
		snprintf(text, sizeof(text), "%ld", knobs[i].value);
		CHECK(sysctl_write(knobs[i].path, text) > 0, "%s not restored", knobs[i].path);
	}
}

/* A reader without CAP_SYS_ADMIN sees its pages present but frame 0 (Linux 4.2 on). */
static void t_pagemap_hides_pfn(void)
{
	volatile char *p = (volatile char *)CHECK_OK(mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
							  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	int status;

	p[0] = 1;
	CHECK(frame_of(getpid(), p) != 0, "root sees frame 0");
	if (fork() == 0) {
		unsigned long long w = 0;
		int fd;

		p[0] = 2;
		if (setuid(NOBODY) || syscall(__NR_prctl, PR_SET_DUMPABLE, 1))   /* /proc/self its own */
			_exit(2);
		fd = open("/proc/self/pagemap", O_RDONLY);
		_exit(fd < 0 || pread(fd, &w, sizeof(w), (unsigned long)p / PAGE * PM_ENTRY_BYTES)
		      != sizeof(w) || !(w & PM_PRESENT) || (w & PM_PFRAME_MASK) ? 3 : 0);
	}
	wait(&status);
	check_child_ok(status, "nobody reading its pagemap");
}

#define ONE_ENTRY 40            /* getdents64 room for one /proc/<pid> entry, never two */

struct dirent64_hdr {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * /proc read one entry per getdents64; the process listed just before
 * another exits and is reaped right after its entry was read: the next
 * must still be listed.  (Positions that counted through the task list
 * shifted under the reader, and the next one was skipped.)
 */
static void t_readdir_while_exiting(void)
{
	char buf[ONE_ENTRY], exiter_name[16], sleeper_name[16];
	bool exited = false, listed = false;
	int go[2], fd, status;
	pid_t exiter, sleeper;
	long n;
	char c;

	CHECK_OK(pipe(go));
	exiter = CHECK_OK(fork());
	if (exiter == 0) {
		read(go[0], &c, 1);
		_exit(0);
	}
	sleeper = CHECK_OK(fork());
	if (sleeper == 0) {
		read(go[0], &c, 1);
		_exit(0);
	}
	snprintf(exiter_name, sizeof(exiter_name), "%d", (int)exiter);
	snprintf(sleeper_name, sizeof(sleeper_name), "%d", (int)sleeper);
	fd = CHECK_OK(open("/proc", O_RDONLY | O_DIRECTORY));
	while ((n = syscall(__NR_getdents64, fd, buf, sizeof(buf))) > 0) {
		const char *name = ((struct dirent64_hdr *)buf)->d_name;

		listed |= !strcmp(name, sleeper_name);
		if (!strcmp(name, exiter_name)) {
			CHECK_OK(kill(exiter, SIGKILL));
			CHECK_OK(waitpid(exiter, &status, 0));
			exited = true;
		}
	}
	CHECK(n == 0, "getdents64: %s", errno_name(errno));
	close(fd);
	write(go[1], "", 1);
	wait_status(sleeper, 0);
	CHECK(exited, "/proc did not list %d", (int)exiter);
	CHECK(listed, "/proc skipped %d when %d was reaped", (int)sleeper, (int)exiter);
}

#define REAP_ROUNDS 300

/* Read another process's maps and cmdline while it exits and is reaped, many times. */
static void t_maps_while_reaped(void)
{
	static const char *files[] = { "maps", "cmdline", "status", "stat" };
	char path[64], buf[512];
	int status;

	for (int i = 0; i < REAP_ROUNDS; i++) {
		pid_t pid = CHECK_OK(fork());
		int fd;

		if (pid == 0)
			_exit(0);
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, files[i % 4]);
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			read(fd, buf, sizeof(buf));
			close(fd);
		}
		CHECK_OK(waitpid(pid, &status, 0));
		check_child_ok(status, "the exiting child");
	}
}

/*
 * /proc/<pid>/stack: a child asleep in nanosleep shows the call it sleeps
 * in under schedule(); a reader of its own, the function that writes it.  The
 * runner prints the stacks of a subtest that hangs.
 */
static void t_stack_of_a_sleeper(void)
{
	char path[64];
	const char *text = "";
	pid_t pid = CHECK_OK(fork());

	if (pid == 0) {
		struct timespec nap = { SLEEPER_SECONDS, 0 };

		nanosleep(&nap, NULL);
		_exit(0);
	}
	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	for (int ms = 0; ms < 2000 && !strstr(text, "] sys_nanosleep+"); ms += 5) {
		msleep(5);
		text = read_text(path);
	}
	kill(pid, SIGKILL);
	wait_status(pid, 0);
	CHECK(strstr(text, "] schedule+") && strstr(text, "] sys_nanosleep+"),
	      "the sleeper's stack: %s", text);
	text = read_text("/proc/self/stack");
	CHECK(strstr(text, "] show_pid_stack+"), "my own stack: %s", text);
}

const struct subtest procfs_tests[] = {
	{ "proc_core_pattern_write", t_core_pattern_write, 0 },
	{ "proc_kpageflags_fresh_anon", t_kpageflags_fresh_anon, T_VM },
	{ "proc_kpageflags_kinds", t_kpageflags_kinds, 0 },
	{ "proc_other_process", t_other_process, T_VM },
	{ "proc_cpuinfo_uniprocessor", t_cpuinfo_uniprocessor, 0 },
	{ "proc_mounts_tmpfs", t_mounts_tmpfs, 0 },
	{ "proc_pid_max_write", t_pid_max_write, 0 },
	{ "proc_tainted_write", t_tainted_write, 0 },
	{ "proc_pipe_max_size_write", t_pipe_max_size_write, 0 },
	{ "proc_vm_dirty_write", t_vm_dirty_write, 0 },
	{ "proc_kpageflags_uptodate_pgtable", t_kpageflags_uptodate_pgtable, T_VM },
	{ "proc_pagemap_hides_pfn", t_pagemap_hides_pfn, T_VM },
	{ "proc_readdir_while_exiting", t_readdir_while_exiting, 0 },
	{ "proc_maps_while_reaped", t_maps_while_reaped, 0 },
	{ "proc_stack_of_a_sleeper", t_stack_of_a_sleeper, 0 },
	{ NULL },
};
