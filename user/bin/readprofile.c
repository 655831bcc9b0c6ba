/*
 * readprofile: the kernel profile as a table of functions, as util-linux's
 * readprofile(8) prints it, but with the symbols from /proc/kallsyms (no
 * System.map to carry around).  `readprofile -r` starts the count again;
 * `readprofile [-n N]` lists the N busiest functions (20 by default).
 * The kernel counts only when booted with `profile` (kernel/profile.c).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROFILE "/proc/profile"
#define KALLSYMS "/proc/kallsyms"
#define DEFAULT_TOP 20
#define NAME_MAX_LEN 63

struct func {
	unsigned long addr;
	unsigned long hits;
	char name[NAME_MAX_LEN + 1];
};

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* The whole of a file whose size stat cannot tell (/proc): *len bytes. */
static char *slurp(const char *path, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0 || !buf)
		die(path);
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap && !(buf = realloc(buf, cap *= 2)))
			die("readprofile: realloc");
	}
	if (r < 0)
		die(path);
	close(fd);
	*len = n;
	return buf;
}

/* The kernel's functions, by address: one entry per /proc/kallsyms line. */
static struct func *read_symbols(size_t *nr)
{
	size_t len, count = 0;
	char *text = slurp(KALLSYMS, &len), *line = text, *end = text + len;
	struct func *f;

	for (char *p = text; p < end; p++)
		count += *p == '\n';
	f = calloc(count + 1, sizeof(*f));
	if (!f)
		die("readprofile: calloc");
	*nr = 0;
	while (line < end) {
		char *nl = memchr(line, '\n', end - line), *name;

		if (!nl)
			break;
		*nl = '\0';
		name = strrchr(line, ' ');
		if (name) {
			f[*nr].addr = strtoul(line, NULL, 16);
			strncpy(f[*nr].name, name + 1, NAME_MAX_LEN);
			(*nr)++;
		}
		line = nl + 1;
	}
	free(text);
	return f;
}

/* The function containing addr (the last one starting at or below it), or NULL. */
static struct func *find_func(struct func *f, size_t nr, unsigned long addr)
{
	size_t lo = 0, hi = nr;

	if (!nr || addr < f[0].addr)
		return NULL;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (f[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	return &f[lo];
}

static int by_hits(const void *a, const void *b)
{
	const struct func *x = a, *y = b;

	return x->hits < y->hits ? 1 : x->hits > y->hits ? -1 : strcmp(x->name, y->name);
}

static void reset(void)
{
	int fd = open(PROFILE, O_WRONLY);

	if (fd < 0 || write(fd, "0", 1) != 1)
		die(PROFILE);
	close(fd);
}

int main(int argc, char **argv)
{
	size_t top = DEFAULT_TOP, nr, len, buckets;
	unsigned long total = 0, step, text;
	struct func *funcs;
	unsigned int *prof;

	if (argc == 2 && !strcmp(argv[1], "-r")) {
		reset();
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "-n"))
		top = strtoul(argv[2], NULL, 10);
	else if (argc != 1) {
		fputs("usage: readprofile [-r] [-n N]\n", stderr);
		return 2;
	}
	prof = (unsigned int *)slurp(PROFILE, &len);
	if (len < 2 * sizeof(*prof)) {
		fputs("readprofile: the kernel is not profiling (boot it with `profile`)\n", stderr);
		return 1;
	}
	funcs = read_symbols(&nr);
	if (!nr) {
		fputs("readprofile: " KALLSYMS " lists no symbols\n", stderr);
		return 1;
	}
	step = prof[0];
	buckets = len / sizeof(*prof) - 1;
	text = funcs[0].addr;   /* bucket 0 starts at _text, the first byte of kernel text */
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(funcs[i].name, "_text"))
			text = funcs[i].addr;
	for (size_t i = 0; i < buckets; i++) {
		struct func *f;

		if (!prof[i + 1])
			continue;
		f = find_func(funcs, nr, text + i * step);
		if (f)
			f->hits += prof[i + 1];
		total += prof[i + 1];
	}
	qsort(funcs, nr, sizeof(*funcs), by_hits);
	printf("%8s %6s  %s\n", "ticks", "share", "function");
	for (size_t i = 0; i < nr && i < top && funcs[i].hits; i++)
		printf("%8lu %5lu.%lu%%  %s\n", funcs[i].hits, funcs[i].hits * 100 / total,
		       funcs[i].hits * 1000 / total % 10, funcs[i].name);
	printf("%8lu %6s  total\n", total, "");
	return 0;
}
