/*
 * grep [-nvicqlh] [-e PATTERN]... [PATTERN] [file...]: the lines matching a
 * basic regular expression -- characters, ".", "[...]" with ranges and
 * [:classes:], "*", "^", "$", "\\" quoting and GNU's "\\|"; groups,
 * intervals and word escapes are refused.  Several files: each line names
 * its file.  Exit 0 if a line was selected, 1 if none, 2 on an error (GNU's).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ATOMS 256
#define NCHARS 256
#define ASCII_DEL 0x7f

/* One element of the pattern: a set of characters it matches, repeated by "*" or not. */
struct atom {
	unsigned char set[NCHARS];
	int star;
};

/* One alternative (a -e pattern, a line of one, or a side of "\\|"). */
struct regex {
	struct atom *atoms;
	int natoms, anchored_start, anchored_end;
};

static struct regex *alts;
static int nalts;
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

/* The POSIX classes lib/ctype.h lacks (the C locale's). */
static int is_blank(int c) { return c == ' ' || c == '\t'; }
static int is_cntrl(int c) { return c < ' ' || c == ASCII_DEL; }
static int is_graph(int c) { return c > ' ' && c < ASCII_DEL; }
static int is_punct(int c) { return is_graph(c) && !isalnum(c); }
static int is_alpha(int c) { return isalpha(c); }
static int is_digit(int c) { return isdigit(c); }
static int is_alnum(int c) { return isalnum(c); }
static int is_upper(int c) { return isupper(c); }
static int is_lower(int c) { return islower(c); }
static int is_space(int c) { return isspace(c); }
static int is_print(int c) { return isprint(c); }
static int is_xdigit(int c) { return isxdigit(c); }

static const struct {
	const char *name;
	int (*is)(int c);
} classes[] = {
	{ "alpha", is_alpha }, { "digit", is_digit }, { "alnum", is_alnum },
	{ "upper", is_upper }, { "lower", is_lower }, { "space", is_space },
	{ "blank", is_blank }, { "punct", is_punct }, { "print", is_print },
	{ "graph", is_graph }, { "cntrl", is_cntrl }, { "xdigit", is_xdigit },
};

/* "[:name:]" from p (just after "[:"); returns its last "]". */
static const char *char_class(const char *p, struct atom *a)
{
	const char *end = strstr(p, ":]");

	if (!end)
		die("Unmatched [, [^, [:, [., or [=", "");
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (strlen(classes[i].name) == (size_t)(end - p) &&
		    !strncmp(classes[i].name, p, end - p)) {
			for (int c = 0; c < NCHARS; c++)
				if (classes[i].is(c))
					add_char(a, c);
			return end + 1;
		}
	die("Invalid character class name", "");
	return NULL;
}

/* "[...]" from p (just after the "["); returns the character after the "]". */
static const char *bracket(const char *p, struct atom *a)
{
	int negate = *p == '^';
	const char *start;

	p += negate;
	start = p;
	for (; *p && (*p != ']' || p == start); p++) {     /* a "]" first is a member */
		if (p[0] == '[' && p[1] == ':') {
			p = char_class(p + 2, a);
		} else if (p[0] == '[' && (p[1] == '.' || p[1] == '=')) {
			die("unsupported BRE syntax: [", (char[]){ p[1], '\0' });
		} else if (p[1] == '-' && p[2] && p[2] != ']') {
			if ((unsigned char)p[2] < (unsigned char)p[0])
				die("Invalid range end", "");
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

static struct regex *new_alternative(void)
{
	struct regex *r;

	alts = realloc(alts, (nalts + 1) * sizeof(*alts));
	if (!alts)
		die("memory exhausted", "");
	r = &alts[nalts++];
	memset(r, 0, sizeof(*r));
	return r;
}

static struct atom *new_atom(struct regex *r)
{
	struct atom *a;

	if (r->natoms % MAX_ATOMS == 0) {
		r->atoms = realloc(r->atoms, (r->natoms + MAX_ATOMS) * sizeof(*r->atoms));
		if (!r->atoms)
			die("memory exhausted", "");
	}
	a = &r->atoms[r->natoms++];
	memset(a, 0, sizeof(*a));
	return a;
}

/*
 * Escapes GNU gives a meaning this grep lacks: groups, back-references,
 * intervals, "\\+" "\\?", word and space classes, anchors of words and
 * buffers.  Refused, rather than matched as plain characters.
 */
static int unsupported_escape(char c)
{
	return c && strchr("(){}123456789+?<>bBwWsS`'", c);
}

/* Is p the end of an alternative: the pattern's end, a newline or "\\|"? */
static int alternative_ends(const char *p)
{
	return !*p || *p == '\n' || (p[0] == '\\' && p[1] == '|');
}

/* Add pattern p's alternatives (its lines and the sides of "\\|") to alts. */
static void compile(const char *p)
{
	for (;;) {
		struct regex *r = new_alternative();

		r->anchored_start = *p == '^';
		p += r->anchored_start;
		while (!alternative_ends(p)) {
			struct atom *a;

			if (p[0] == '$' && alternative_ends(p + 1)) {
				r->anchored_end = 1;
				p++;
				break;
			}
			a = new_atom(r);
			if (*p == '*' && r->natoms == 1) {     /* a leading "*" is an ordinary character */
				add_char(a, *p++);
			} else if (*p == '.') {
				memset(a->set, 1, sizeof(a->set));
				a->set['\n'] = 0;
				p++;
			} else if (*p == '[') {
				p = bracket(p + 1, a);
			} else if (*p == '\\' && unsupported_escape(p[1])) {
				die("unsupported BRE syntax: \\", (char[]){ p[1], '\0' });
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
		if (!*p)
			return;
		p += *p == '\n' ? 1 : 2;
	}
}

/* Does r's atoms[i...] match text at s (up to its end, if anchored there)? Backtracking, as Pike's. */
static int match_here(const struct regex *r, int i, const unsigned char *s)
{
	for (; i < r->natoms; i++) {
		const struct atom *a = &r->atoms[i];

		if (a->star) {
			const unsigned char *t = s;

			while (*t && a->set[*t])
				t++;
			for (; t >= s; t--)         /* longest first */
				if (match_here(r, i + 1, t))
					return 1;
			return 0;
		}
		if (!*s || !a->set[*s])
			return 0;
		s++;
	}
	return !r->anchored_end || !*s;
}

static int match_regex(const struct regex *r, const char *line)
{
	const unsigned char *s = (const unsigned char *)line;

	if (r->anchored_start)
		return match_here(r, 0, s);
	do
		if (match_here(r, 0, s))
			return 1;
	while (*s++);
	return 0;
}

static int matches(const char *line)
{
	for (int i = 0; i < nalts; i++)
		if (match_regex(&alts[i], line))
			return 1;
	return 0;
}

/*
 * Search one input, its lines prefixed by "name:" if show_name; the
 * number of lines selected.  A read error is told (*error set) before
 * the count, which GNU still prints.
 */
static long grep(FILE *f, const char *name, int show_name, int *error)
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
	if (ferror(f)) {
		fprintf(stderr, "grep: %s: %s\n", name, strerror(errno));
		*error = 1;
	}
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
	fputs("usage: grep [-nvicqlh] [-e PATTERN]... [PATTERN] [file...]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static char *just_stdin[] = { "-" };
	const char *pattern = NULL, **patterns = NULL;
	char **files;
	int i = 1, nfiles, npatterns = 0, status = 1, error = 0;

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
				patterns = realloc(patterns, (npatterns + 1) * sizeof(*patterns));
				if (!patterns)
					die("memory exhausted", "");
				patterns[npatterns++] = pattern;
				break;
			}
			if (!set_option(*o))
				return usage();
		}
	}
	if (!npatterns && i < argc) {
		pattern = argv[i++];
		patterns = &pattern;
		npatterns = 1;
	}
	if (!npatterns)
		return usage();
	for (int p = 0; p < npatterns; p++)      /* each -e adds its alternatives */
		compile(patterns[p]);
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
		if (grep(f, name, nfiles > 1 && !opt_no_name, &error) > 0) {
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
