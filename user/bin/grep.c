/*
 * grep [-nvicqlh] [-e PATTERN | PATTERN] [file...]: the lines matching a
 * basic regular expression -- POSIX BREs' core: characters, ".", "[...]",
 * "[^...]" with ranges, "*", "^" and "$" anchors, "\" quoting (no groups
 * or intervals).  Several files: each line names its file.  Exit status 0
 * if a line was selected, 1 if none, 2 on an error, as GNU grep's.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATOMS 256
#define NCHARS 256

/* One element of the pattern: a set of characters it matches, repeated by "*" or not. */
struct atom {
	unsigned char set[NCHARS];
	int star;
};

static struct atom atoms[MAX_ATOMS];
static int natoms, anchored_start, anchored_end;
static int opt_number, opt_invert, opt_icase, opt_count, opt_quiet, opt_list, opt_no_name;

static void die(const char *msg, const char *what)
{
	fprintf(stderr, "grep: %s%s\n", msg, what);
	exit(2);
}

static void add_char(struct atom *a, unsigned char c)
{
	a->set[c] = 1;
	if (opt_icase) {
		a->set[tolower(c)] = 1;
		a->set[toupper(c)] = 1;
	}
}

/* "[...]" from p (just after the "["); returns the character after the "]". */
static const char *bracket(const char *p, struct atom *a)
{
	int negate = *p == '^';
	const char *start;

	p += negate;
	start = p;
	for (; *p && (*p != ']' || p == start); p++) {     /* a "]" first is a member */
		if (p[1] == '-' && p[2] && p[2] != ']') {
			for (int c = (unsigned char)p[0]; c <= (unsigned char)p[2]; c++)
				add_char(a, c);
			p += 2;
		} else {
			add_char(a, *p);
		}
	}
	if (!*p)
		die("Unmatched [, [^, [:, [., or [=", "");
	if (negate)
		for (int c = 0; c < NCHARS; c++)
			a->set[c] = !a->set[c];
	a->set['\n'] = 0;
	return p + 1;
}

static void compile(const char *p)
{
	anchored_start = *p == '^';
	p += anchored_start;
	while (*p) {
		struct atom *a;

		if (p[0] == '$' && !p[1]) {
			anchored_end = 1;
			break;
		}
		if (*p == '*' && natoms == 0) {      /* a leading "*" is an ordinary character */
			a = &atoms[natoms++];
			add_char(a, '*');
			p++;
			continue;
		}
		if (natoms == MAX_ATOMS)
			die("pattern too long", "");
		a = &atoms[natoms++];
		if (*p == '.') {
			memset(a->set, 1, sizeof(a->set));
			a->set['\n'] = 0;
			p++;
		} else if (*p == '[') {
			p = bracket(p + 1, a);
		} else if (*p == '\\' && p[1]) {
			add_char(a, p[1]);
			p += 2;
		} else {
			add_char(a, *p++);
		}
		if (*p == '*') {
			a->star = 1;
			while (*p == '*')
				p++;
		}
	}
}

/* Does atoms[i...] match text at s (up to its end, if anchored there)? Backtracking, as Pike's. */
static int match_here(int i, const unsigned char *s)
{
	for (; i < natoms; i++) {
		const struct atom *a = &atoms[i];

		if (a->star) {
			const unsigned char *t = s;

			while (*t && a->set[*t])
				t++;
			for (; t >= s; t--)         /* longest first */
				if (match_here(i + 1, t))
					return 1;
			return 0;
		}
		if (!*s || !a->set[*s])
			return 0;
		s++;
	}
	return !anchored_end || !*s;
}

static int matches(const char *line)
{
	const unsigned char *s = (const unsigned char *)line;

	if (anchored_start)
		return match_here(0, s);
	do
		if (match_here(0, s))
			return 1;
	while (*s++);
	return 0;
}

/* Search one input, its lines prefixed by "name:" if show_name; the number of lines selected. */
static long grep(FILE *f, const char *name, int show_name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long lineno = 0, selected = 0;

	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (matches(line) == opt_invert)
			continue;
		selected++;
		if (opt_quiet || opt_list)
			break;
		if (opt_count)
			continue;
		if (show_name)
			printf("%s:", name);
		if (opt_number)
			printf("%ld:", lineno);
		puts(line);
	}
	free(line);
	if (opt_count && show_name)
		printf("%s:%ld\n", name, selected);
	else if (opt_count)
		printf("%ld\n", selected);
	if (opt_list && selected)
		puts(name);
	return selected;
}

static int set_option(char o)
{
	switch (o) {
	case 'n': opt_number = 1; return 1;
	case 'v': opt_invert = 1; return 1;
	case 'i': opt_icase = 1; return 1;
	case 'c': opt_count = 1; return 1;
	case 'q': opt_quiet = 1; return 1;
	case 'l': opt_list = 1; return 1;
	case 'h': opt_no_name = 1; return 1;
	default: return 0;
	}
}

static int usage(void)
{
	fputs("usage: grep [-nvicqlh] [-e PATTERN | PATTERN] [file...]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static char *just_stdin[] = { "-" };
	const char *pattern = NULL;
	char **files;
	int i = 1, nfiles, status = 1, error = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'e') {        /* -e PATTERN or -ePATTERN: the rest of the word */
				pattern = o[1] ? o + 1 : i + 1 < argc ? argv[++i] : NULL;
				if (!pattern)
					return usage();
				break;
			}
			if (!set_option(*o))
				return usage();
		}
	}
	if (!pattern && i < argc)
		pattern = argv[i++];
	if (!pattern)
		return usage();
	compile(pattern);
	files = i < argc ? argv + i : just_stdin;
	nfiles = i < argc ? argc - i : 1;
	for (i = 0; i < nfiles; i++) {
		int is_stdin = !strcmp(files[i], "-");
		FILE *f = is_stdin ? stdin : fopen(files[i], "r");
		const char *name = is_stdin ? "(standard input)" : files[i];

		if (!f) {
			fprintf(stderr, "grep: %s: %s\n", files[i], strerror(errno));
			error = 1;
			continue;
		}
		if (grep(f, name, nfiles > 1 && !opt_no_name) > 0) {
			status = 0;
			if (opt_quiet)
				return 0;
		}
		if (!is_stdin)
			fclose(f);
	}
	fflush(stdout);
	return error ? 2 : status;
}
