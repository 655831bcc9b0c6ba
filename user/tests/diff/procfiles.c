/*
 * /proc files whose formats Linux and anvil share: ls /proc lists self
 * and mounts (links), /proc/sys's pid_max, tainted, core_pattern and
 * pipe-max-size, /proc/self/fd's links ("pipe:[N]", paths, modes),
 * /proc/mounts' line for /proc, /proc/cpuinfo checked against CPUID, and
 * pagemap, kpagecount and kpageflags followed through touching, zero-page
 * reads, fork, copy-on-write and MADV_DONTNEED.  Never a number that
 * differs by machine: page frames, pids and inode numbers are compared,
 * not printed.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <abi/kernel-page-flags.h>
#include "../common/report.h"

#define PAGE 4096
#define TEXT_MAX 65536
#define BAD_OFFSET 4
#define CLOSED_FD 100
#define FAR_OFFSET 0x7ffffff8LL        /* pfn 2^28: 1 TiB, past any host's memory */
#define CPUID_EXT_BASE 0x80000000u
#define CPUID_BRAND_LAST 0x80000004u

static char text[TEXT_MAX];

/* The whole of path into text (NUL-terminated); its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while (n < TEXT_MAX - 1 && (r = read(fd, text + n, TEXT_MAX - 1 - n)) > 0)
		n += r;
	close(fd);
	text[n] = '\0';
	return n;
}

static int dir_has(const char *dir, const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	while (d && (e = readdir(d)))
		found |= !strcmp(e->d_name, name);
	if (d)
		closedir(d);
	return found;
}

/* readlink into buf, NUL-terminated, with each number shown as N; its result. */
static long link_masked(const char *path, char *buf, size_t size)
{
	long n = readlink(path, buf, size - 1);
	char *out = buf;

	if (n < 0)
		return n;
	buf[n] = '\0';
	for (const char *c = buf; *c; c++) {
		if (!isdigit(*c))
			*out++ = *c;
		else if (!isdigit(c[1]))
			*out++ = 'N';
	}
	*out = '\0';
	return n;
}

/* ---- /proc itself ---- */

static void root(void)
{
	char buf[64], pid[16];
	struct stat st = { 0 };
	long n;

	show_bool("ls /proc lists self", dir_has("/proc", "self"));
	show_bool("ls /proc lists mounts", dir_has("/proc", "mounts"));
	show_bool("ls /proc lists sys", dir_has("/proc", "sys"));
	show_bool("ls /proc lists cpuinfo", dir_has("/proc", "cpuinfo"));
	show_bool("ls /proc lists kpagecount", dir_has("/proc", "kpagecount"));
	show_bool("ls /proc lists kpageflags", dir_has("/proc", "kpageflags"));
	show("lstat /proc/self", lstat("/proc/self", &st));
	show_bool("  a symbolic link", S_ISLNK(st.st_mode));
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	snprintf(pid, sizeof(pid), "%d", getpid());
	show_bool("  to my pid", !strcmp(buf, pid));
	n = readlink("/proc/mounts", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	printf("readlink /proc/mounts: %s\n", buf);
	show_bool("ls /proc/self lists fd", dir_has("/proc/self", "fd"));
	show_bool("ls /proc/self lists pagemap", dir_has("/proc/self", "pagemap"));
	show_bool("ls /proc/self lists mounts", dir_has("/proc/self", "mounts"));
}

/* ---- /proc/sys ---- */

/* path holds one decimal number and a newline; the number, or -1. */
static long sysctl_number(const char *path)
{
	char *end;
	long v;

	if (slurp(path) <= 0)
		return -1;
	v = strtol(text, &end, 10);
	return end != text && !strcmp(end, "\n") ? v : -1;
}

static void sysctl(void)
{
	char whole[256];
	struct stat st = { 0 };
	long n;
	int fd;
	char c;

	show_bool("pid_max: a number >= 32768", sysctl_number("/proc/sys/kernel/pid_max") >= 32768);
	show_bool("tainted: a number", sysctl_number("/proc/sys/kernel/tainted") >= 0);
	show("pipe-max-size", sysctl_number("/proc/sys/fs/pipe-max-size"));
	n = slurp("/proc/sys/kernel/core_pattern");
	show_bool("core_pattern: one non-empty line", n > 1 && text[n - 1] == '\n' &&
		  strchr(text, '\n') == text + n - 1);
	strcpy(whole, text);
	fd = open("/proc/sys/kernel/core_pattern", O_RDONLY);
	for (n = 0; read(fd, &c, 1) == 1 && n < (long)sizeof(text) - 1; n++)
		text[n] = c;
	text[n] = '\0';
	close(fd);
	show_bool("core_pattern read a byte at a time: the same", !strcmp(whole, text));
	stat("/proc/sys/kernel/core_pattern", &st);
	printf("core_pattern mode %o\n", st.st_mode & 07777);
	show_bool("ls /proc/sys/kernel lists pid_max", dir_has("/proc/sys/kernel", "pid_max"));
	show_bool("ls /proc/sys/kernel lists tainted", dir_has("/proc/sys/kernel", "tainted"));
	show_bool("ls /proc/sys/kernel lists core_pattern",
		  dir_has("/proc/sys/kernel", "core_pattern"));
	show_bool("ls /proc/sys/fs lists pipe-max-size", dir_has("/proc/sys/fs", "pipe-max-size"));
	show("stat /proc/sys/kernel", stat("/proc/sys/kernel", &st));
	show_bool("  a directory", S_ISDIR(st.st_mode));
}

/* ---- /proc/self/fd ---- */

static void show_fd_link(const char *what, int fd)
{
	char path[64], target[256];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	lstat(path, &st);
	if (link_masked(path, target, sizeof(target)) < 0)
		printf("%s: readlink %s\n", what, errno_name(errno));
	else
		printf("%s: -> %s, mode %o\n", what, target, st.st_mode & 0777);
}

/* readlink /proc/self/fd/fd is the path want (in the scratch directory if relative). */
static void show_fd_path(const char *what, int fd, const char *want)
{
	char path[64], target[256], full[256];
	long n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (want[0] == '/')
		snprintf(full, sizeof(full), "%s", want);
	else
		snprintf(full, sizeof(full), "%s%s%s", scratch(), want[0] ? "/" : "", want);
	n = readlink(path, target, sizeof(target) - 1);
	target[n > 0 ? n : 0] = '\0';
	show_bool(what, !strcmp(target, full));
}

static void fds(void)
{
	struct stat st = { 0 }, via = { 0 };
	char path[64], buf[64];
	int p[2], null, file, dir, proc, gone;

	enter_scratch("procfiles");
	pipe(p);
	show_fd_link("a pipe's read end", p[0]);
	show_fd_link("a pipe's write end", p[1]);
	null = open("/dev/null", O_RDWR);
	show_fd_link("/dev/null opened read-write", null);
	file = open("file", O_CREAT | O_WRONLY, 0600);
	show_fd_path("a file: its path", file, "file");
	dir = open(".", O_RDONLY | O_DIRECTORY);
	show_fd_path("a directory: its path", dir, "");
	proc = open("/proc/self/status", O_RDONLY);
	snprintf(buf, sizeof(buf), "/proc/%d/status", getpid());
	show_fd_path("a /proc file: its path", proc, buf);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", file);
	fstat(file, &st);
	show("stat through the link", stat(path, &via));
	show_bool("  the file itself", via.st_ino == st.st_ino && via.st_dev == st.st_dev);
	snprintf(path, sizeof(path), "%d", file);
	show_bool("ls /proc/self/fd lists the file's descriptor", dir_has("/proc/self/fd", path));
	gone = dup2(file, CLOSED_FD);       /* high: opendir's own descriptor cannot take it */
	close(gone);
	snprintf(path, sizeof(path), "%d", gone);
	show_bool("ls /proc/self/fd lists a closed descriptor", dir_has("/proc/self/fd", path));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", gone);
	show("readlink of a closed descriptor", readlink(path, buf, sizeof(buf)));
	snprintf(path, sizeof(path), "/proc/self/fd/0%d", file);
	show("readlink with a leading zero", readlink(path, buf, sizeof(buf)));
	show("readlink /proc/self/fd/x", readlink("/proc/self/fd/x", buf, sizeof(buf)));
	show("stat /proc/self/fd", stat("/proc/self/fd", &st));
	printf("  mode %o\n", st.st_mode & 07777);
	unlink("file");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", file);
	link_masked(path, buf, sizeof(buf));
	show_bool("an unlinked file ends with (deleted)",
		  strlen(buf) >= 9 && !strcmp(buf + strlen(buf) - 9, "(deleted)"));
	close(p[0]);
	close(p[1]);
	close(null);
	close(file);
	close(dir);
	close(proc);
	leave_scratch();
}

/* ---- /proc/mounts ---- */

/* Split line at spaces into at most max fields; how many. */
static int split(char *line, char **field, int max)
{
	int n = 0;

	while (*line && n < max) {
		field[n++] = line;
		line += strcspn(line, " ");
		while (*line == ' ')
			*line++ = '\0';
	}
	return n;
}

static void mounts(void)
{
	static char self[TEXT_MAX];
	int proc_lines = 0, root_lines = 0, well_formed = 1;
	char *f[7];

	slurp("/proc/self/mounts");
	strcpy(self, text);
	slurp("/proc/mounts");
	show_bool("/proc/mounts is /proc/self/mounts", !strcmp(self, text));
	for (char *line = text, *next; (next = strchr(line, '\n')); line = next) {
		*next++ = '\0';
		if (split(line, f, 7) != 6) {
			well_formed = 0;
			continue;
		}
		root_lines += !strcmp(f[1], "/");
		if (!strcmp(f[1], "/proc") && !proc_lines++)
			printf("/proc: %s %s %s, options %.2s, %s %s\n", f[0], f[1], f[2], f[3],
			       f[4], f[5]);
	}
	show_bool("every line has six fields", well_formed);
	show_bool("a line for /", root_lines > 0);
}

/* ---- /proc/cpuinfo ---- */

static void cpuid(unsigned op, unsigned r[4])
{
	__asm__ __volatile__("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			     : "a"(op), "c"(0));
}

/* The value of "key\t...: value" in the first block, or NULL. */
static const char *cpuinfo_value(const char *key, char *out, size_t size)
{
	for (const char *line = text; line && *line && *line != '\n';) {
		const char *colon = strchr(line, ':'), *end = strchr(line, '\n');
		size_t klen = strcspn(line, "\t:");

		if (!colon || !end)
			return NULL;
		if (klen == strlen(key) && !strncmp(line, key, klen)) {
			const char *v = colon + 1 + (colon[1] == ' ');

			snprintf(out, size, "%.*s", (int)(end - v), v);
			return out;
		}
		line = end + 1;
	}
	return NULL;
}

static int has_flag(const char *flags, const char *flag)
{
	size_t len = strlen(flag);

	for (const char *p = flags; (p = strstr(p, flag)); p += len)
		if ((p == flags || p[-1] == ' ') && (p[len] == ' ' || p[len] == '\0'))
			return 1;
	return 0;
}

static void cpuinfo(void)
{
	static const char *const keys[] = {
		"processor", "vendor_id", "cpu family", "model", "model name", "stepping", "flags",
		"bogomips", "clflush size", "cache_alignment", "address sizes", "fpu", "wp",
	};
	static const struct { const char *name; int bit; } edx_flags[] = {
		{ "fpu", 0 }, { "cx8", 8 }, { "cmov", 15 }, { "mmx", 23 }, { "fxsr", 24 },
		{ "sse", 25 }, { "sse2", 26 },
	};
	static char flags[4096];
	char v[256], want[64];
	unsigned r[4], sig, family, model, blocks = 0, processors = 0, in_order = 1;

	slurp("/proc/cpuinfo");
	for (char *p = text; (p = strstr(p, "processor\t: ")); p++) {
		if (p != text && p[-1] != '\n')
			continue;
		in_order &= strtoul(p + strlen("processor\t: "), NULL, 10) == processors;
		processors++;
	}
	for (char *p = text; (p = strstr(p, "\n\n")); p += 2)
		blocks++;
	show_bool("at least one processor", processors >= 1);
	show_bool("processors numbered from 0", in_order);
	show_bool("one block per processor line", blocks == processors);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(want, sizeof(want), "has %s", keys[i]);
		show_bool(want, cpuinfo_value(keys[i], v, sizeof(v)) != NULL);
	}
	cpuid(0, r);
	memcpy(want, &r[1], 4);
	memcpy(want + 4, &r[3], 4);
	memcpy(want + 8, &r[2], 4);
	want[12] = '\0';
	show_bool("vendor_id is CPUID's", cpuinfo_value("vendor_id", v, sizeof(v)) &&
		  !strcmp(v, want));
	cpuid(1, r);
	sig = r[0];
	family = (sig >> 8) & 0xf;
	family += family == 0xf ? (sig >> 20) & 0xff : 0;
	model = ((sig >> 4) & 0xf) + (family >= 6 ? ((sig >> 16) & 0xf) << 4 : 0);
	show_bool("cpu family is CPUID's", cpuinfo_value("cpu family", v, sizeof(v)) &&
		  strtoul(v, NULL, 10) == family);
	show_bool("model is CPUID's", cpuinfo_value("model", v, sizeof(v)) &&
		  strtoul(v, NULL, 10) == model);
	show_bool("stepping is CPUID's", cpuinfo_value("stepping", v, sizeof(v)) &&
		  strtoul(v, NULL, 10) == (sig & 0xf));
	cpuinfo_value("flags", flags, sizeof(flags));
	for (size_t i = 0; i < sizeof(edx_flags) / sizeof(edx_flags[0]); i++) {
		int listed = has_flag(flags, edx_flags[i].name);

		snprintf(want, sizeof(want), "flag %s listed exactly when CPUID has it",
			 edx_flags[i].name);
		show_bool(want, listed == !!(r[3] & (1u << edx_flags[i].bit)));
	}
	cpuid(CPUID_EXT_BASE, r);
	if (r[0] >= CPUID_BRAND_LAST) {
		char brand[49], *b = brand, *end;

		for (unsigned leaf = 0; leaf < 3; leaf++)
			cpuid(CPUID_EXT_BASE + 2 + leaf, (unsigned *)(brand + 16 * leaf));
		brand[48] = '\0';
		while (*b == ' ')
			b++;
		end = b + strlen(b);
		while (end > b && end[-1] == ' ')
			*--end = '\0';
		show_bool("model name is CPUID's brand string",
			  cpuinfo_value("model name", v, sizeof(v)) && !strcmp(v, b));
	}
	show_bool("bogomips is a positive number", cpuinfo_value("bogomips", v, sizeof(v)) &&
		  strtoul(v, NULL, 10) > 0);
}

/* ---- pagemap, kpagecount, kpageflags ---- */

static int pagemap_fd, kpagecount_fd, kpageflags_fd;

static unsigned long long word_at(int fd, long long offset)
{
	unsigned long long w = 0;

	if (lseek64(fd, offset, SEEK_SET) != offset || read(fd, &w, sizeof(w)) != sizeof(w))
		return ~0ULL;
	return w;
}

static unsigned long long pagemap_of(const volatile void *addr)
{
	return word_at(pagemap_fd, (unsigned long)addr / PAGE * PM_ENTRY_BYTES) & ~PM_SOFT_DIRTY;
}

/* The pagemap word's meaning, without the frame number. */
static void show_entry(const char *what, const volatile void *addr)
{
	unsigned long long w = pagemap_of(addr);

	printf("%s: present %d swapped %d file %d exclusive %d frame %s\n", what,
	       !!(w & PM_PRESENT), !!(w & PM_SWAP), !!(w & PM_FILE), !!(w & PM_MMAP_EXCLUSIVE),
	       w & PM_PFRAME_MASK ? "set" : "0");
}

static unsigned long long frame_of(const volatile void *addr)
{
	return pagemap_of(addr) & PM_PFRAME_MASK;
}

static unsigned long long flags_of(const volatile void *addr)
{
	return word_at(kpageflags_fd, frame_of(addr) * PM_ENTRY_BYTES);
}

static void show_page_flags(const char *what, const volatile void *addr)
{
	static const struct { const char *name; int bit; } kpf[] = {
		{ "anon", KPF_ANON }, { "mmap", KPF_MMAP }, { "swapbacked", KPF_SWAPBACKED },
		{ "zero_page", KPF_ZERO_PAGE }, { "buddy", KPF_BUDDY }, { "slab", KPF_SLAB },
	};
	unsigned long long f = flags_of(addr);

	printf("%s: mapcount %llu, flags", what,
	       word_at(kpagecount_fd, frame_of(addr) * PM_ENTRY_BYTES));
	for (size_t i = 0; i < sizeof(kpf) / sizeof(kpf[0]); i++)
		if (f & (1ULL << kpf[i].bit))
			printf(" %s", kpf[i].name);
	printf("\n");
}

static void pages(void)
{
	volatile char *anon = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile char *file;
	char shm_data[64];
	int up[2], down[2], fd;
	unsigned long long w;
	char c = 0;
	pid_t pid;

	pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	kpagecount_fd = open("/proc/kpagecount", O_RDONLY);
	kpageflags_fd = open("/proc/kpageflags", O_RDONLY);
	show_bool("pagemap, kpagecount and kpageflags open", pagemap_fd >= 0 &&
		  kpagecount_fd >= 0 && kpageflags_fd >= 0);
	anon[0] = 1;
	c += anon[2 * PAGE];
	show_entry("a written anonymous page", anon);
	show_entry("a never-touched page", anon + PAGE);
	show_entry("a page only read (the zero page)", anon + 2 * PAGE);
	show_page_flags("  the written page", anon);
	show_page_flags("  the zero page", anon + 2 * PAGE);
	shared[0] = 1;
	show_entry("a written MAP_SHARED anonymous page", shared);
	show_page_flags("  it", shared);

	/* on /dev/shm, a tmpfs on both sides: the host's /tmp may be a disk's or a tmpfs */
	snprintf(shm_data, sizeof(shm_data), "/dev/shm/anvil-diff-pagemap-%d", (int)getpid());
	write_pattern_file(shm_data, PAGE, 1);
	fd = open(shm_data, O_RDONLY);
	file = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	c += file[0];
	show_entry("a read tmpfs page", file);
	show_page_flags("  it", file);
	close(fd);
	unlink(shm_data);

	/* fork: the written page is shared until one side writes it */
	pipe(up);
	pipe(down);
	pid = fork();
	if (pid == 0) {
		unsigned long long before;

		close(pagemap_fd);     /* the parent's: a pagemap descriptor follows one process */
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
		before = frame_of(anon);

		read(down[0], &c, 1);
		anon[0] = 2;
		c = frame_of(anon) != before;
		write(up[1], &c, 1);
		read(down[0], &c, 1);
		_exit(0);
	}
	show_entry("after fork, the written page", anon);
	show_page_flags("  it", anon);
	write(down[1], &c, 1);
	read(up[0], &c, 1);
	show_bool("the child's write gave it a page of its own", c);
	show_entry("after the child's write, the parent's page", anon);
	show_page_flags("  it", anon);
	write(down[1], &c, 1);
	wait_status(pid, 0);

	show("MADV_DONTNEED", madvise((void *)anon, PAGE, MADV_DONTNEED));
	show_entry("  then the page", anon);

	show("pread pagemap at a misaligned offset", pread(pagemap_fd, &w, sizeof(w), BAD_OFFSET));
	show("pread pagemap of 4 bytes", pread(pagemap_fd, &w, 4, 0));
	show("pread pagemap of 0 bytes", pread(pagemap_fd, &w, 0, 0));
	show("pread kpageflags at a misaligned offset",
	     pread(kpageflags_fd, &w, sizeof(w), BAD_OFFSET));
	show("pread kpagecount of 12 bytes", pread(kpagecount_fd, text, 12, 0));
	show("lseek64 kpageflags past the last frame",
	     lseek64(kpageflags_fd, FAR_OFFSET, SEEK_SET) == FAR_OFFSET);
	show("  read there", read(kpageflags_fd, &w, sizeof(w)));
	close(pagemap_fd);
	close(kpagecount_fd);
	close(kpageflags_fd);
}

int main(void)
{
	root();
	sysctl();
	fds();
	mounts();
	cpuinfo();
	pages();
	return 0;
}
