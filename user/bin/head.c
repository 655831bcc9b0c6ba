/*
 * head [-n N | -N] [-c N] [file...]: the first N lines (10 by default)
 * or the first N bytes of each file, or of stdin ("-" too).  With more
 * than one file each starts under a "==> name <==" line, as in coreutils.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LINES 10

static int usage(void)
{
	fputs("usage: head [-n N | -N] [-c N] [file...]\n", stderr);
	return 1;
}

/* A count: digits only; -1 if not. */
static long count_arg(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	return *s >= '0' && *s <= '9' && !*end ? n : -1;
}

/* Copy the first n lines (or bytes) of f to stdout; -1 (errno set) on a read error. */
static int head(FILE *f, long n, int bytes)
{
	int c;

	while (n > 0 && (c = getc(f)) != EOF) {
		putchar(c);
		if (bytes || c == '\n')
			n--;
	}
	return ferror(f) ? -1 : 0;
}

int main(int argc, char **argv)
{
	static char *just_stdin[] = { "-" };
	char **files;
	long n = DEFAULT_LINES;
	int bytes = 0, i = 1, status = 0, nfiles, headers = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *opt = argv[i];

		if (!strcmp(opt, "--")) {
			i++;
			break;
		}
		if ((opt[1] == 'n' || opt[1] == 'c') && !opt[2]) {
			if (++i == argc)
				return usage();
			n = count_arg(argv[i]);
		} else if (opt[1] == 'n' || opt[1] == 'c') {
			n = count_arg(opt + 2);
		} else {
			n = count_arg(opt + 1);     /* the old "-5" */
		}
		if (n < 0)
			return usage();
		bytes = opt[1] == 'c';
	}
	files = i < argc ? argv + i : just_stdin;
	nfiles = i < argc ? argc - i : 1;
	for (i = 0; i < nfiles; i++) {
		int is_stdin = !strcmp(files[i], "-");
		FILE *f = is_stdin ? stdin : fopen(files[i], "r");

		if (!f) {
			fprintf(stderr, "head: cannot open '%s' for reading: %s\n", files[i],
				strerror(errno));
			status = 1;
			continue;
		}
		if (nfiles > 1)
			printf("%s==> %s <==\n", headers++ ? "\n" : "",
			       is_stdin ? "standard input" : files[i]);
		if (head(f, n, bytes) < 0) {
			fprintf(stderr, "head: error reading '%s': %s\n",
				is_stdin ? "standard input" : files[i], strerror(errno));
			status = 1;
		}
		if (!is_stdin)
			fclose(f);
	}
	return fflush(stdout) ? 1 : status;
}
