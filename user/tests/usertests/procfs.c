/*
 * /proc facts only anvil can be asked about (diff/procfiles compares the
 * rest with Linux): writing /proc/sys/kernel/core_pattern (the host's must
 * not be touched), the LRU bits of a fresh anonymous page, the kinds of
 * page frame kpageflags reports, another process's pagemap and fd links
 * while it lives and once it is a zombie, one processor in cpuinfo, and a
 * tmpfs mount's line in /proc/mounts.
 */
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

const struct subtest procfs_tests[] = {
	{ "proc_core_pattern_write", t_core_pattern_write, 0 },
	{ "proc_kpageflags_fresh_anon", t_kpageflags_fresh_anon, T_VM },
	{ "proc_kpageflags_kinds", t_kpageflags_kinds, 0 },
	{ "proc_other_process", t_other_process, T_VM },
	{ "proc_cpuinfo_uniprocessor", t_cpuinfo_uniprocessor, 0 },
	{ "proc_mounts_tmpfs", t_mounts_tmpfs, 0 },
	{ NULL },
};
