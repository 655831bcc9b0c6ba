/*
 * Mappings: anonymous private and shared memory across fork, private and
 * shared mappings of a /tmp file against read()/write() and another
 * process, partial munmap, mprotect (faults, then VMAs merging back in
 * /proc/self/maps) and MADV_DONTNEED; and a process with as many VMAs as
 * the limit allows, which every per-VMA cost that grows with the count
 * would make take minutes.  rmap_verify runs at every step.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "ut.h"

#define RW (PROT_READ | PROT_WRITE)
#define NPAGES 16

static char *map_anon(size_t len, int flags)
{
	return (char *)CHECK_OK(mmap(NULL, len, RW, flags | MAP_ANONYMOUS, -1, 0));
}

/* A child that checks the region holds seed's pattern, writes child_seed's, and waits for EOF. */
struct sharer {
	char *p;
	size_t len;
	unsigned seed, child_seed;
	int pipe_up[2], pipe_down[2];
};

static void sharer_child(void *arg)
{
	struct sharer *s = arg;
	char c;

	close(s->pipe_up[0]);
	close(s->pipe_down[1]);
	CHECK(check_pattern(s->p, s->len, s->seed) < 0, "the child does not see the parent's data");
	fill_pattern(s->p, s->len, s->child_seed);
	write(s->pipe_up[1], "w", 1);                 /* written */
	read(s->pipe_down[0], &c, 1);                 /* until the parent closes */
	CHECK(check_pattern(s->p, s->len, s->child_seed) < 0, "the child's own data changed");
}

/* Start a sharer and wait until it has written. */
static pid_t start_sharer(struct sharer *s)
{
	pid_t pid;
	char c;

	CHECK_OK(pipe(s->pipe_up));
	CHECK_OK(pipe(s->pipe_down));
	pid = CHECK_OK(spawn(sharer_child, s));
	close(s->pipe_up[1]);
	close(s->pipe_down[0]);
	CHECK(read(s->pipe_up[0], &c, 1) == 1, "the child died before writing");
	close(s->pipe_up[0]);
	return pid;
}

static void finish_sharer(struct sharer *s, pid_t pid)
{
	close(s->pipe_down[1]);
	check_child_ok(wait_status(pid, 0), "child");
}

static void t_mmap_anon_private(void)
{
	struct sharer s = { .p = map_anon(NPAGES * PGSZ, MAP_PRIVATE), .len = NPAGES * PGSZ,
			    .seed = 1, .child_seed = 2 };
	pid_t pid;

	CHECK(all_zero(s.p, s.len), "new anonymous memory is not zeroed");
	fill_pattern(s.p, s.len, 1);
	pid = start_sharer(&s);
	CHECK(check_pattern(s.p, s.len, 1) < 0, "the parent sees the child's writes to private memory");
	check_rmap("with a private region shared copy-on-write");
	fill_pattern(s.p, s.len / 2, 3);
	finish_sharer(&s, pid);
	CHECK(check_pattern(s.p, s.len / 2, 3) < 0, "the parent's own writes");
	CHECK_OK(munmap(s.p, s.len));
}

static void t_mmap_anon_shared(void)
{
	struct sharer s = { .p = map_anon(NPAGES * PGSZ, MAP_SHARED), .len = NPAGES * PGSZ,
			    .seed = 4, .child_seed = 5 };
	pid_t pid;

	CHECK(all_zero(s.p, s.len), "new shared anonymous memory is not zeroed");
	fill_pattern(s.p, s.len, 4);
	pid = start_sharer(&s);
	CHECK(check_pattern(s.p, s.len, 5) < 0, "the parent does not see the child's writes");
	check_rmap("with a shared anonymous region");
	fill_pattern(s.p, s.len, 5);                   /* the same data: the child's check holds */
	finish_sharer(&s, pid);
	CHECK_OK(munmap(s.p, s.len));
}

#define FPAGES 4

static int pattern_file(const char *name, unsigned seed)
{
	CHECK_OK(write_pattern_file(scratch_path(name), FPAGES * PGSZ, seed));
	return CHECK_OK(open(scratch_path(name), O_RDWR));
}

static void t_mmap_file_private(void)
{
	static char buf[PGSZ];
	int fd = pattern_file("priv", 6);
	char *p = (char *)CHECK_OK(mmap(NULL, FPAGES * PGSZ, RW, MAP_PRIVATE, fd, 0));

	CHECK(check_pattern(p, FPAGES * PGSZ, 6) < 0, "the mapping does not show the file");
	memset(p, 'P', PGSZ);                         /* page 0: now a private copy */
	CHECK(pread(fd, buf, PGSZ, 0) == PGSZ && check_pattern(buf, PGSZ, 6) < 0,
	      "a write to a private mapping reached the file");
	check_rmap("after a private copy of a file page");
	/* page 1, only read so far, still shows the page cache: a write() to the file shows */
	(void)*(volatile char *)(p + PGSZ);
	memset(buf, 'W', PGSZ);
	CHECK(pwrite(fd, buf, PGSZ, PGSZ) == PGSZ && pwrite(fd, buf, PGSZ, 0) == PGSZ, "pwrite");
	CHECK(p[PGSZ] == 'W' && p[2 * PGSZ - 1] == 'W',
	      "a write() to the file is not seen through a page only read by a private mapping");
	CHECK(p[0] == 'P' && p[PGSZ - 1] == 'P', "a private copy changed when the file did");
	CHECK_OK(munmap(p, FPAGES * PGSZ));
	close(fd);
}

static void shared_file_child(void *arg)
{
	int fd = CHECK_OK(open(scratch_path("shared"), O_RDWR));
	char *p = (char *)CHECK_OK(mmap(NULL, FPAGES * PGSZ, RW, MAP_SHARED, fd, 0));

	/* the parent wrote 'M' over page 1 through its own mapping */
	CHECK(p[PGSZ] == 'M' && p[2 * PGSZ - 1] == 'M', "another process's mapping does not see the write");
	memset(p + 2 * PGSZ, 'C', PGSZ);
	CHECK_OK(munmap(p, FPAGES * PGSZ));
	close(fd);
}

static void t_mmap_file_shared(void)
{
	static char buf[PGSZ];
	int fd = pattern_file("shared", 7);
	char *p = (char *)CHECK_OK(mmap(NULL, FPAGES * PGSZ, RW, MAP_SHARED, fd, 0));

	CHECK(check_pattern(p, FPAGES * PGSZ, 7) < 0, "the mapping does not show the file");
	memset(p + PGSZ, 'M', PGSZ);
	CHECK(pread(fd, buf, PGSZ, PGSZ) == PGSZ && buf[0] == 'M' && buf[PGSZ - 1] == 'M',
	      "read() does not see a write through a shared mapping");
	memset(buf, 'R', PGSZ);
	CHECK(pwrite(fd, buf, PGSZ, 3 * PGSZ) == PGSZ, "pwrite");
	CHECK(p[3 * PGSZ] == 'R' && p[4 * PGSZ - 1] == 'R', "the mapping does not see a write()");
	check_child_ok(run_in_child(shared_file_child, NULL), "the other process");
	CHECK(p[2 * PGSZ] == 'C' && p[3 * PGSZ - 1] == 'C', "the other process's write is not seen");
	check_rmap("with a shared file mapping");
	CHECK_OK(msync(p, FPAGES * PGSZ, MS_SYNC));
	CHECK_OK(munmap(p, FPAGES * PGSZ));
	close(fd);
	/* the data stays in the file after the last mapping goes */
	fd = CHECK_OK(open(scratch_path("shared"), O_RDONLY));
	CHECK(pread(fd, buf, PGSZ, 2 * PGSZ) == PGSZ && buf[0] == 'C', "the data left with the mapping");
	CHECK(pread(fd, buf, PGSZ, 0) == PGSZ && check_pattern(buf, PGSZ, 7) < 0, "page 0 changed");
	close(fd);
}

/* Shrinking the file under a shared mapping: access beyond the new end gives SIGBUS. */
static void t_mmap_file_truncated(void)
{
	int fd = pattern_file("trunc", 8);
	char *p = (char *)CHECK_OK(mmap(NULL, FPAGES * PGSZ, RW, MAP_SHARED, fd, 0));

	p[3 * PGSZ] = 1;
	CHECK_OK(ftruncate(fd, PGSZ + 100));
	CHECK(check_pattern(p, PGSZ + 100, 8) < 0, "the data before the new end changed");
	CHECK(p[PGSZ + 100] == 0 && p[2 * PGSZ - 1] == 0, "the tail of the last page is not zero");
	CHECK(touch_signal(p + 2 * PGSZ, 0) == SIGBUS, "reading past the file's end: no SIGBUS");
	CHECK(touch_signal(p + 3 * PGSZ, 1) == SIGBUS, "a page dropped by truncate is still there");
	check_rmap("after truncating a mapped file");
	CHECK_OK(munmap(p, FPAGES * PGSZ));
	close(fd);
}

static void t_munmap_partial(void)
{
	char *p = map_anon(4 * PGSZ, MAP_PRIVATE);
	unsigned long s = (unsigned long)p, e = s + 4 * PGSZ;

	fill_pages(p, 4, 9);
	CHECK_OK(munmap(p + PGSZ, PGSZ));
	CHECK(touch_signal(p + PGSZ, 0) == SIGSEGV, "the hole is still readable");
	CHECK(touch_signal(p + 2 * PGSZ - 1, 1) == SIGSEGV, "the hole is still writable");
	CHECK(check_pages(p, 1, 9) < 0, "the page before the hole changed");
	CHECK(check_pages(p + 2 * PGSZ, 2, 9 + 2) < 0, "the pages after the hole changed");
	CHECK(count_vmas(s, e) == 2, "%d VMAs after punching a hole, want 2", count_vmas(s, e));
	check_rmap("after a partial munmap");
	CHECK_OK(munmap(p + PGSZ, 2 * PGSZ));        /* the hole and the next page */
	CHECK(count_vmas(s, e) == 2 && touch_signal(p + 2 * PGSZ, 0) == SIGSEGV,
	      "munmap across a hole");
	CHECK_OK(munmap(p, 4 * PGSZ));
	CHECK(count_vmas(s, e) == 0, "VMAs left after unmapping everything");
	CHECK_OK(munmap(p, 4 * PGSZ));               /* nothing there: still fine */
}

static void t_mprotect(void)
{
	char *p = map_anon(4 * PGSZ, MAP_PRIVATE);
	unsigned long s = (unsigned long)p, e = s + 4 * PGSZ;

	fill_pattern(p, 4 * PGSZ, 10);
	CHECK_OK(mprotect(p, 4 * PGSZ, PROT_NONE));
	CHECK(touch_signal(p + PGSZ, 0) == SIGSEGV, "PROT_NONE memory is readable");
	CHECK_OK(mprotect(p, 4 * PGSZ, PROT_READ));
	CHECK(touch_signal(p + 3 * PGSZ, 1) == SIGSEGV, "PROT_READ memory is writable");
	CHECK(check_pattern(p, 4 * PGSZ, 10) < 0, "data changed under mprotect");
	CHECK_OK(mprotect(p + PGSZ, PGSZ, RW));
	CHECK(count_vmas(s, e) == 3, "%d VMAs after changing one page in the middle, want 3",
	      count_vmas(s, e));
	p[PGSZ] = 1;
	CHECK(touch_signal(p + 2 * PGSZ, 1) == SIGSEGV, "the neighbour became writable");
	check_rmap("after splitting by mprotect");
	CHECK_OK(mprotect(p, 4 * PGSZ, RW));
	CHECK(count_vmas(s, e) == 1, "%d VMAs after restoring the protection, want 1 (merged)",
	      count_vmas(s, e));
	p[0] = p[4 * PGSZ - 1] = 1;
	check_rmap("after merging back");
	CHECK_OK(munmap(p, 4 * PGSZ));
}

static void t_madvise_dontneed(void)
{
	char *priv = map_anon(4 * PGSZ, MAP_PRIVATE), *shared = map_anon(4 * PGSZ, MAP_SHARED);
	int fd = pattern_file("madv", 11);
	char *file = (char *)CHECK_OK(mmap(NULL, FPAGES * PGSZ, RW, MAP_PRIVATE, fd, 0));

	fill_pages(priv, 4, 12);
	fill_pattern(shared, 4 * PGSZ, 13);
	memset(file, 'x', FPAGES * PGSZ);
	CHECK_OK(madvise(priv + PGSZ, 2 * PGSZ, MADV_DONTNEED));
	CHECK(all_zero(priv + PGSZ, 2 * PGSZ), "private anonymous pages kept data after MADV_DONTNEED");
	CHECK(check_pages(priv, 1, 12) < 0 && check_pages(priv + 3 * PGSZ, 1, 12 + 3) < 0,
	      "MADV_DONTNEED touched pages outside its range");
	CHECK_OK(madvise(shared, 4 * PGSZ, MADV_DONTNEED));
	CHECK(check_pattern(shared, 4 * PGSZ, 13) < 0, "shared memory lost data to MADV_DONTNEED");
	CHECK_OK(madvise(file, FPAGES * PGSZ, MADV_DONTNEED));
	CHECK(check_pattern(file, FPAGES * PGSZ, 11) < 0,
	      "a private file mapping did not go back to the file's data");
	check_rmap("after MADV_DONTNEED");
	priv[PGSZ] = 1;             /* the zapped range faults in afresh */
	CHECK_OK(munmap(priv, 4 * PGSZ));
	CHECK_OK(munmap(shared, 4 * PGSZ));
	CHECK_OK(munmap(file, FPAGES * PGSZ));
	close(fd);
}

#define MAX_MAP_COUNT 65530             /* vm.max_map_count: Linux's default, and anvil's */
#define MAPS_READ_SIZE 4096             /* maps read as cat reads it, not in one go */

/* Our one-page mappings, each address with bit 0 set if it was mapped read-only. */
static unsigned long many[MAX_MAP_COUNT];

static unsigned long many_addr(size_t i)
{
	return many[i] & ~(PGSZ - 1);
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* One maps line: many[*next...] inside it must have its permissions; counts the line. */
static void check_maps_line(const char *line, size_t nr, size_t *next, int *lines)
{
	char *dash, *perms;
	unsigned long lo = strtoul(line, &dash, 16), hi = strtoul(dash + 1, &perms, 16);

	CHECK(*dash == '-' && *perms == ' ', "a maps line reads \"%.40s\"", line);
	for (; *next < nr && many_addr(*next) < hi; ++*next) {
		CHECK(many_addr(*next) >= lo, "mapping %#lx is not in maps",
		      many_addr(*next));
		CHECK(perms[2] == ((many[*next] & 1) ? '-' : 'w'), "mapping %#lx is %.4s in maps",
		      many_addr(*next), perms + 1);
	}
	++*lines;
}

/* Read /proc/self/maps in MAPS_READ_SIZE pieces, lines split across them; the line count. */
static int check_maps(size_t nr)
{
	static char buf[2 * MAPS_READ_SIZE];
	int fd = CHECK_OK(open("/proc/self/maps", O_RDONLY)), lines = 0;
	size_t have = 0, next = 0;
	ssize_t r;

	while ((r = read(fd, buf + have, MAPS_READ_SIZE)) > 0) {
		char *line = buf, *end;

		have += r;
		while ((end = memchr(line, '\n', buf + have - line))) {
			*end = '\0';
			check_maps_line(line, nr, &next, &lines);
			line = end + 1;
		}
		have = buf + have - line;
		memmove(buf, line, have);
	}
	CHECK(r == 0, "reading maps: %s", strerror(errno));
	CHECK(have == 0, "maps ends in the middle of a line");
	close(fd);
	CHECK(next == nr, "mapping %#lx is not in maps", many_addr(next));
	return lines;
}

/*
 * One-page mappings, read-write and read-only in turn so that none merge,
 * up to the map-count limit (then -ENOMEM); maps lists every one; a fork
 * copies them all and exits; munmap takes them all away.  Each step is
 * O(n) or O(n log n) in all: the top-down placement's walk past every VMA
 * made the mappings alone take minutes.
 */
static void t_mmap_map_count_limit(void)
{
	int before = count_vmas(0, ~0UL), status;
	size_t nr = 0;
	pid_t pid;
	void *p;

	CHECK(before > 0, "cannot count our own VMAs");
	for (;;) {
		int ro = nr & 1;

		p = mmap(NULL, PGSZ, ro ? PROT_READ : RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		CHECK(nr < MAX_MAP_COUNT, "more than %d mappings", MAX_MAP_COUNT);
		many[nr++] = (unsigned long)p | ro;
	}
	CHECK(errno == ENOMEM, "mapping past the limit: %s, not ENOMEM", strerror(errno));
	CHECK(nr + before >= MAX_MAP_COUNT, "only %zu mappings besides our %d", nr, before);
	qsort(many, nr, sizeof(many[0]), cmp_ulong);
	CHECK(check_maps(nr) == MAX_MAP_COUNT, "maps does not list %d mappings", MAX_MAP_COUNT);
	pid = CHECK_OK(fork());
	if (pid == 0)
		_exit(0);
	CHECK_OK(waitpid(pid, &status, 0));
	check_child_ok(status, "the child with every mapping");
	for (size_t i = 0; i < nr; i++)
		CHECK_OK(munmap((void *)many_addr(i), PGSZ));
	CHECK(count_vmas(0, ~0UL) == before, "VMAs left after unmapping them all");
}

const struct subtest mmap_tests[] = {
	{ "mmap_anon_private", t_mmap_anon_private, T_VM },
	{ "mmap_anon_shared", t_mmap_anon_shared, T_VM },
	{ "mmap_file_private", t_mmap_file_private, T_VM },
	{ "mmap_file_shared", t_mmap_file_shared, T_VM },
	{ "mmap_file_truncated", t_mmap_file_truncated, T_VM },
	{ "munmap_partial", t_munmap_partial, T_VM },
	{ "mprotect", t_mprotect, T_VM },
	{ "madvise_dontneed", t_madvise_dontneed, T_VM },
	{ "mmap_map_count_limit", t_mmap_map_count_limit, T_VM },
	{ NULL },
};
