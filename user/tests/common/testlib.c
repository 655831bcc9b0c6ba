/*
 * Helpers shared by the user-level test programs: see testlib.h.  Nothing
 * here prints; callers decide how results are reported.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <abi/anvil.h>
#include "testlib.h"

long anvil_rmap_verify(void)
{
	long r = syscall(__NR_anvil_rmap_verify);

	return r < 0 && errno == ENOSYS ? -1 : r;
}

long anvil_free_pages(void)
{
	long r = syscall(__NR_anvil_drop_caches);

	return r < 0 && errno == ENOSYS ? -1 : r;
}

void become(uid_t uid, gid_t gid, int ngroups, const gid_t *groups)
{
	if (setgroups(ngroups, groups) < 0 || setresgid(gid, gid, gid) < 0 ||
	    setresuid(uid, uid, uid) < 0)
		_exit(98);
}

pid_t spawn(child_fn fn, void *arg)
{
	pid_t pid;

	fflush(NULL);     /* the child must not write our buffered output again */
	pid = fork();
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

int wait_status(pid_t pid, int options)
{
	int status;
	pid_t r;

	do
		r = waitpid(pid, &status, options);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	return r == 0 ? -2 : status;  /* -2: WNOHANG and nothing to report */
}

int run_in_child(child_fn fn, void *arg)
{
	pid_t pid = spawn(fn, arg);

	return pid < 0 ? -1 : wait_status(pid, 0);
}

int killed_by(int status)
{
	return status >= 0 && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

const char *status_str(int status)
{
	static char buf[48];

	if (status < 0)
		snprintf(buf, sizeof(buf), "wait failed: %s", errno_name(errno));
	else if (WIFEXITED(status))
		snprintf(buf, sizeof(buf), "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "signal %s", signal_name(WTERMSIG(status)));
	else if (WIFSTOPPED(status))
		snprintf(buf, sizeof(buf), "stopped %s", signal_name(WSTOPSIG(status)));
	else if (WIFCONTINUED(status))
		snprintf(buf, sizeof(buf), "continued");
	else
		snprintf(buf, sizeof(buf), "status %#x", status);
	return buf;
}

struct touch {
	volatile void *addr;
	int how;
};

static void touch_child(void *arg)
{
	struct touch *t = arg;

	if (t->how == 0)
		(void)*(volatile char *)t->addr;
	else if (t->how == 1)
		*(volatile char *)t->addr = 1;
	else
		((void (*)(void))t->addr)();
}

int touch_signal(volatile void *addr, int how)
{
	struct touch t = { addr, how };
	int status = run_in_child(touch_child, &t);

	return status < 0 ? -1 : killed_by(status);
}

unsigned pattern_word(unsigned seed, size_t i)
{
	return (seed * 2654435761u) ^ (unsigned)(i * 40503u + 0x9e37u);
}

void fill_pattern(void *p, size_t len, unsigned seed)
{
	unsigned *w = p;

	for (size_t i = 0; i < len / 4; i++)
		w[i] = pattern_word(seed, i);
}

long check_pattern(const void *p, size_t len, unsigned seed)
{
	const unsigned *w = p;

	for (size_t i = 0; i < len / 4; i++)
		if (w[i] != pattern_word(seed, i))
			return (long)(i * 4);
	return -1;
}

void fill_pages(void *p, size_t npages, unsigned seed)
{
	for (size_t i = 0; i < npages; i++)
		fill_pattern((char *)p + i * PGSZ, PGSZ, seed + i);
}

long check_pages(const void *p, size_t npages, unsigned seed)
{
	for (size_t i = 0; i < npages; i++)
		if (check_pattern((const char *)p + i * PGSZ, PGSZ, seed + i) >= 0)
			return (long)i;
	return -1;
}

char *touch_new_pages(size_t npages)
{
	char *p = mmap(NULL, npages * PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	for (size_t i = 0; i < npages; i++)
		p[i * PGSZ] = 1;
	return p;
}

void memory_pressure(size_t npages)
{
	pid_t pid = fork();

	if (pid == 0) {
		touch_new_pages(npages);
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
}

int make_scratch_dir(const char *tag, char *path, size_t size)
{
	snprintf(path, size, "/tmp/anvil-%s-%d", tag, (int)getpid());
	remove_tree(path);        /* left over from a crashed run with the same pid */
	return mkdir(path, 0755);
}

int remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[512];
	int err = 0;

	if (lstat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (remove_tree(sub) < 0)
			err = -1;
	}
	closedir(d);
	return rmdir(path) < 0 ? -1 : err;
}

int write_pattern_file(const char *path, size_t len, unsigned seed)
{
	static unsigned buf[1024];
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);

	if (fd < 0)
		return -1;
	for (size_t off = 0; off < len; off += sizeof(buf)) {
		size_t n = len - off < sizeof(buf) ? len - off : sizeof(buf);

		/* the pattern of the whole file, one buffer at a time */
		for (size_t i = 0; i < n / 4; i++)
			buf[i] = pattern_word(seed, off / 4 + i);
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -1;
		}
	}
	return close(fd);
}

/* The kB after "key:" at a line start of text, or 0. */
static long status_kb(const char *text, const char *key)
{
	size_t klen = strlen(key);

	for (const char *line = text; line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (!strncmp(line, key, klen) && line[klen] == ':')
			return strtol(line + klen + 1, NULL, 10);
	}
	return 0;
}

/* /proc/self/status, in a static buffer. */
static const char *self_status(void)
{
	static char buf[4096];
	int fd = open("/proc/self/status", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/*
 * The number after name at a line start of a /proc file (name with its
 * ':' or ' '), or -1.  The buffer is on the stack: the swap tests count
 * their pages, and a static one would be a page of its own to swap.
 */
long proc_field(const char *path, const char *name)
{
	char buf[4096];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	size_t len = strlen(name);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (char *line = buf; *line; line = strchr(line, '\n')) {
		line += *line == '\n';
		if (!strncmp(line, name, len))
			return strtol(line + len, NULL, 10);
		if (!strchr(line, '\n'))
			break;
	}
	return -1;
}

/* zlib's CRC-32 (the host side uses zlib.crc32), continued from crc. */
unsigned int crc32(unsigned int crc, const unsigned char *p, size_t n)
{
	static unsigned int table[256];

	if (!table[1]) {
		for (unsigned int i = 0; i < 256; i++) {
			unsigned int c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? CRC32_POLY ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

long self_status_kb(const char *key)
{
	return status_kb(self_status(), key);
}

long self_mm_pages(void)
{
	const char *status = self_status();

	return (status_kb(status, "RssAnon") + status_kb(status, "VmSwap") +
		status_kb(status, "VmPTE")) / (PGSZ / 1024);
}

char *read_self_maps(void)
{
	static char buf[32768];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0;
	ssize_t r;

	if (fd < 0)
		return NULL;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return buf;
}

int count_vmas(unsigned long start, unsigned long end)
{
	char *buf = read_self_maps();
	int count = 0;

	if (!buf)
		return -1;
	for (char *line = buf; *line; ) {
		char *next = strchr(line, '\n');
		char *dash;
		unsigned long lo = strtoul(line, &dash, 16), hi = strtoul(dash + 1, NULL, 16);

		if (*dash == '-' && lo < end && hi > start)
			count++;
		if (!next)
			break;
		line = next + 1;
	}
	return count;
}

int read_slab_counts(struct slab_count *c, int max)
{
	static char buf[8192];
	int fd = open("/proc/slabinfo", O_RDONLY), n = 0;
	size_t len = 0;
	ssize_t r;
	char *line, *next;

	while (fd >= 0 && len < sizeof(buf) - 1 &&
	       (r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	buf[len] = '\0';
	if (fd >= 0)
		close(fd);
	for (line = buf; *line && n < max; line = next) {
		size_t nlen = strcspn(line, " \t\n");
		char *end;

		next = line + strcspn(line, "\n");
		next += *next == '\n';
		if (!nlen || nlen >= SLAB_NAME_LEN || line[0] == '#')
			continue;
		c[n].active = strtol(line + nlen, &end, 10);
		if (end == line + nlen)
			continue;                 /* not a cache's line */
		memcpy(c[n].name, line, nlen);
		c[n++].name[nlen] = '\0';
	}
	return n;
}

static const struct slab_count *find_slab_count(const struct slab_count *c, int n,
						const char *name)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(c[i].name, name))
			return &c[i];
	return NULL;
}

static size_t add_change(char *out, size_t size, size_t len, const char *name, long then,
			 long now)
{
	int w;

	if (!size)
		return 0;
	w = snprintf(out + len, size - len, " %s %ld -> %ld", name, then, now);
	return len + w < size ? len + w : size - 1;
}

int slab_count_changes(const struct slab_count *before, int nbefore,
		       const struct slab_count *after, int nafter, char *out, size_t size)
{
	size_t len = 0;
	int changed = 0;

	if (size)
		out[0] = '\0';
	for (int i = 0; i < nbefore; i++) {
		const struct slab_count *a = find_slab_count(after, nafter, before[i].name);
		long now = a ? a->active : 0;

		if (now != before[i].active) {
			changed++;
			len = add_change(out, size, len, before[i].name, before[i].active, now);
		}
	}
	for (int i = 0; i < nafter; i++)
		if (after[i].active && !find_slab_count(before, nbefore, after[i].name)) {
			changed++;
			len = add_change(out, size, len, after[i].name, 0, after[i].active);
		}
	return changed;
}

long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

void msleep(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}
