/*
 * swapstress: memory far above RAM, shared and copied across forks,
 * moved with mremap and cut with munmap while the kernel swaps, with
 * every page checked by a checksum.  Run under anvil by tools/run-tests
 * (e.g. -m 24 with a 128 MiB swap disk) and by the benchmark.
 *
 * The top process only measures, before and after a worker runs the
 * stress: (1) free pages + slab pages - swap slots in use + swap-cache
 * pages -- a page in the swap cache is one page with both a frame and a
 * slot, so swapping any process (init and this one get swapped too) or
 * reading ahead leaves this alone, and slab fragmentation is left out;
 * (2) live slab objects (but radix-tree nodes, which follow the shape of
 * the swap cache); (3) rmap_verify: every slot in use is referenced by a
 * PTE or the swap cache.  Anything the stress failed to give back shows.  Output: the
 * stress's run time (for make bench), "swapstress: ok" and counters, or a line
 * saying what was wrong, and a non-zero status.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <abi/anvil.h>

#define MB (1024 * 1024)
#define PAGE 4096
#define WORDS_PER_PAGE (PAGE / sizeof(unsigned int))
#define CHILDREN 3
#define PRIVATE_MB 8          /* the parent's private region, inherited copy-on-write */
#define SHARED_MB 4           /* shared anonymous, written by every child */
#define CHILD_MB 12           /* each child's own region, later moved and cut */
#define ROUNDS 2
#define SETTLE_US 20000

static int failures;

/* The value of word w of the page at (region id, page number, generation). */
static unsigned int pattern(unsigned int id, size_t page, unsigned int gen, size_t w)
{
	unsigned int x = (unsigned int)(id * 2654435761u) ^ (unsigned int)(page * 40503u) ^
			 (gen * 0x9e3779b9u) ^ (unsigned int)w;

	x ^= x >> 15;
	return x * 0x2c1b3c6du;
}

static void fill_page(unsigned int *p, unsigned int id, size_t page, unsigned int gen)
{
	for (size_t w = 0; w < WORDS_PER_PAGE; w += 64)
		p[w] = pattern(id, page, gen, w);
}

static int check_page(const unsigned int *p, unsigned int id, size_t page, unsigned int gen)
{
	for (size_t w = 0; w < WORDS_PER_PAGE; w += 64)
		if (p[w] != pattern(id, page, gen, w))
			return 0;
	return 1;
}

static void fill(void *base, size_t pages, unsigned int id, unsigned int gen)
{
	for (size_t i = 0; i < pages; i++)
		fill_page((unsigned int *)((char *)base + i * PAGE), id, i, gen);
}

static void check(const char *what, void *base, size_t pages, unsigned int id, unsigned int gen)
{
	for (size_t i = 0; i < pages; i++) {
		if (!check_page((unsigned int *)((char *)base + i * PAGE), id, i, gen)) {
			printf("swapstress: %s: page %zu corrupt (pid %d)\n", what, i, getpid());
			failures++;
			return;
		}
	}
}

static void *map(size_t bytes, int flags)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("swapstress: mmap");
		exit(2);
	}
	return p;
}

/*
 * A child: checks what it inherited, breaks COW on half of it, fills a
 * region of its own, moves it with mremap, unmaps part, writes its slice
 * of the shared region, and re-checks everything for several rounds.
 */
static void child(int n, char *priv, char *shared)
{
	size_t priv_pages = PRIVATE_MB * MB / PAGE, own_pages = CHILD_MB * MB / PAGE;
	size_t slice = SHARED_MB * MB / PAGE / CHILDREN;
	char *own, *moved;

	check("inherited private", priv, priv_pages, 1, 0);
	for (size_t i = 0; i < priv_pages; i += 2)            /* COW copies of every other page */
		fill_page((unsigned int *)(priv + i * PAGE), 100 + n, i, 0);
	own = map(own_pages * PAGE, MAP_PRIVATE);
	fill(own, own_pages, 200 + n, 0);
	/* grow with a move: the pages travel as PTEs (and swap entries) */
	moved = mremap(own, own_pages * PAGE, (own_pages + 256) * PAGE, MREMAP_MAYMOVE);
	if (moved == MAP_FAILED) {
		perror("swapstress: mremap");
		exit(2);
	}
	/* cut the first quarter away */
	if (munmap(moved, own_pages / 4 * PAGE)) {
		perror("swapstress: munmap");
		exit(2);
	}
	fill(shared + n * slice * PAGE, slice, 300 + n, 0);
	for (int round = 0; round < ROUNDS; round++) {
		for (size_t i = 0; i < priv_pages; i++) {
			const unsigned int *p = (unsigned int *)(priv + i * PAGE);

			if (!check_page(p, (i % 2) ? 1 : 100 + n, i, 0)) {
				printf("swapstress: private page %zu corrupt (child %d)\n", i, n);
				failures++;
				break;
			}
		}
		for (size_t i = own_pages / 4; i < own_pages; i++) {
			if (!check_page((unsigned int *)(moved + i * PAGE), 200 + n, i, 0)) {
				printf("swapstress: moved page %zu corrupt (child %d)\n", i, n);
				failures++;
				break;
			}
		}
	}
	exit(failures ? 1 : 0);
}

/* The stress itself, in its own process. */
static int worker(void)
{
	size_t priv_pages = PRIVATE_MB * MB / PAGE, shared_pages = SHARED_MB * MB / PAGE;
	size_t slice = shared_pages / CHILDREN;
	char *priv = map(priv_pages * PAGE, MAP_PRIVATE);
	char *shared = map(shared_pages * PAGE, MAP_SHARED);
	pid_t pids[CHILDREN];
	long violations;

	fill(priv, priv_pages, 1, 0);
	memset(shared, 0, shared_pages * PAGE);
	for (int n = 0; n < CHILDREN; n++) {
		pids[n] = fork();
		if (pids[n] < 0) {
			perror("swapstress: fork");
			return 2;
		}
		if (pids[n] == 0)
			child(n, priv, shared);
	}
	for (int n = 0; n < CHILDREN; n++) {
		int st;

		if (waitpid(pids[n], &st, 0) != pids[n] || !WIFEXITED(st) || WEXITSTATUS(st)) {
			printf("swapstress: child %d failed (status %#x)\n", n, st);
			failures++;
		}
	}
	check("parent private after the children", priv, priv_pages, 1, 0);
	for (int n = 0; n < CHILDREN; n++)
		check("shared slice", shared + n * slice * PAGE, slice, 300 + n, 0);
	violations = syscall(__NR_anvil_rmap_verify);
	if (violations) {
		printf("swapstress: rmap_verify: %ld violations\n", violations);
		failures++;
	}
	munmap(priv, priv_pages * PAGE);
	munmap(shared, shared_pages * PAGE);
	return failures ? 1 : 0;
}

/* A whole /proc file into buf (NUL-terminated); its length, or -1. */
static long read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* The "Used" column of /proc/swaps (KiB), summed. */
static long swap_used_kb(void)
{
	char buf[1024];
	long used = 0;
	char *line;

	if (read_file("/proc/swaps", buf, sizeof(buf)) < 0)
		return -1;
	/* each line after the heading: name, type, size, used, priority */
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		char *p = line + 1;

		for (int field = 0; field < 3; field++) {
			p += strcspn(p, " \t\n");
			p += strspn(p, " \t");
		}
		used += strtol(p, NULL, 10);
	}
	return used;
}

static void print_vmstat(void)
{
	static const char *keys[] = { "pswpin", "pswpout", "pgmajfault", "pgsteal",
				      "swap_write_errors", "oom_kill" };
	char buf[4096];

	if (read_file("/proc/vmstat", buf, sizeof(buf)) <= 0)
		return;
	for (unsigned int k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		char *at = strstr(buf, keys[k]);

		if (at) {
			char *end = strchr(at, '\n');

			printf("swapstress: %.*s\n", end ? (int)(end - at) : (int)strlen(at), at);
		}
	}
}

/* The number after `key` in a /proc text, or -1. */
static long field(const char *text, const char *key)
{
	const char *at = strstr(text, key);

	return at ? strtol(at + strlen(key), NULL, 10) : -1;
}

/* Live objects over all slab caches but radix-tree nodes (column 2 of /proc/slabinfo). */
static long slab_objects(void)
{
	static char buf[8192];
	long objs = 0;
	char *line;

	if (read_file("/proc/slabinfo", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strchr(buf, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
		char *p = line + 1;

		if (!strncmp(p, "radix_tree_node ", 16))
			continue;
		p += strcspn(p, " ");
		objs += strtol(p, NULL, 10);
	}
	return objs;
}

struct snapshot {
	long pages;          /* free + slab - swap in use + swap cache */
	long objects;        /* live slab objects */
};

static int snapshot(struct snapshot *s)
{
	static char meminfo[2048];
	long free_pages = syscall(__NR_anvil_drop_caches);

	if (free_pages < 0 || read_file("/proc/meminfo", meminfo, sizeof(meminfo)) < 0)
		return -1;
	s->pages = free_pages + (field(meminfo, "Slab:") - swap_used_kb() +
				 field(meminfo, "SwapCached:")) / (PAGE / 1024);
	s->objects = slab_objects();
	return 0;
}

static int same(const struct snapshot *a, const struct snapshot *b)
{
	return a->pages == b->pages && a->objects == b->objects;
}

int main(void)
{
	struct snapshot before, prev, after;
	struct timespec t0, t1;
	pid_t pid;
	int st;

	if (snapshot(&before)) {
		printf("swapstress: not running on anvil\n");
		return 2;
	}
	/* let the start-up settle (init closes its exec-status pipe when it next runs) */
	do {
		prev = before;
		usleep(SETTLE_US);
		snapshot(&before);
	} while (!same(&prev, &before));
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid == 0)
		exit(worker());
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		perror("swapstress: fork/wait");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("swapstress: the stress ran %ld ms\n",
	       (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000);
	snapshot(&after);
	print_vmstat();
	if (syscall(__NR_anvil_rmap_verify)) {
		printf("swapstress: rmap_verify failed after the stress\n");
		return 1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("swapstress: the stress failed (status %#x)\n", st);
		return 1;
	}
	if (!same(&before, &after)) {
		printf("swapstress: leak: pages (free+slab-swap+swapcache) %ld -> %ld, "
		       "slab objects %ld -> %ld\n", before.pages, after.pages, before.objects,
		       after.objects);
		return 1;
	}
	printf("swapstress: ok: %d MiB touched; pages and slab objects back to %ld and %ld\n",
	       PRIVATE_MB + SHARED_MB + CHILDREN * (PRIVATE_MB / 2 + CHILD_MB), after.pages,
	       after.objects);
	return 0;
}
