/*
 * tail [-n [+]N | -N] [-c [+]N] [file...]: the last N lines (10 by
 * default) or bytes of each file or of stdin; "+N" starts at line (byte)
 * N instead.  The input is read whole into memory, then the start is
 * found from the end.  Several files get "==> name <==" lines, as head's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LINES 10
#define CHUNK 65536

static int usage(void)
{
	fputs("usage: tail [-n [+]N | -N] [-c [+]N] [file...]\n", stderr);
	return 1;
}

/* All of f; NULL (errno set) if it cannot be read or held. */
static char *slurp(FILE *f, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	do {
		if (*len + CHUNK > cap) {
			char *p = realloc(buf, cap += CHUNK);

			if (!p) {
				free(buf);
				errno = ENOMEM;
				return NULL;
			}
			buf = p;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n);
	if (ferror(f)) {
		free(buf);
		return NULL;
	}
	return buf ? buf : malloc(1);
}

/* Where the last n lines start: count newlines back from the end (a last line may lack one). */
static size_t last_lines(const char *buf, size_t len, long n)
{
	size_t end = len && buf[len - 1] == '\n' ? len - 1 : len;

	if (!n)
		return len;
	for (size_t i = end; i > 0; i--)
		if (buf[i - 1] == '\n' && --n == 0)
			return i;
	return 0;
}

/* Where line n (from 1) starts. */
static size_t from_line(const char *buf, size_t len, long n)
{
	size_t i = 0;

	while (--n > 0 && i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);

		i = nl ? (size_t)(nl - buf) + 1 : len;
	}
	return i;
}

int main(int argc, char **argv)
{
	static char *just_stdin[] = { "-" };
	char **files;
	long n = DEFAULT_LINES;
	int bytes = 0, from_start = 0, i = 1, status = 0, nfiles, headers = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *opt = argv[i], *num;
		char *end;

		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		if ((opt[1] == 'n' || opt[1] == 'c') && !opt[2]) {
			if (++i == argc)
				return usage();
			num = argv[i];
		} else {
			num = opt[1] == 'n' || opt[1] == 'c' ? opt + 2 : opt + 1;   /* or the old "-5" */
		}
		bytes = opt[1] == 'c';
		from_start = *num == '+';
		num += *num == '+';
		n = strtol(num, &end, 10);
		if (*num < '0' || *num > '9' || *end)
			return usage();
	}
	files = i < argc ? argv + i : just_stdin;
	nfiles = i < argc ? argc - i : 1;
	for (i = 0; i < nfiles; i++) {
		int is_stdin = !strcmp(files[i], "-");
		FILE *f = is_stdin ? stdin : fopen(files[i], "r");
		size_t len = 0, start;
		char *buf = f ? slurp(f, &len) : NULL;

		if (!buf) {
			fprintf(stderr, f ? "tail: error reading '%s': %s\n" :
				"tail: cannot open '%s' for reading: %s\n",
				is_stdin ? "standard input" : files[i], strerror(errno));
			status = 1;
			if (f && !is_stdin)
				fclose(f);
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", headers++ ? "\n" : "",
			       is_stdin ? "standard input" : files[i]);
		if (bytes && from_start)
			start = n > 1 ? (size_t)n - 1 : 0;
		else if (bytes)
			start = len > (size_t)n ? len - n : 0;
		else
			start = from_start ? from_line(buf, len, n) : last_lines(buf, len, n);
		if (start < len)
			fwrite(buf + start, 1, len - start, stdout);
		free(buf);
		if (!is_stdin)
			fclose(f);
	}
	return fflush(stdout) ? 1 : status;
}
