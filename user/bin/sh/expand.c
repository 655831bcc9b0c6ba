/*
 * sh: word expansion, done when a command runs, in POSIX order:
 *   ~ at the start, then $NAME ${NAME} ${NAME:-word} (also :=, :+ and the
 *   forms without ':') $? $$ $! $# $0-$9 $@ $*, $(command) `command`,
 *   $((arithmetic)) -- then field splitting of unquoted expansions at
 *   blanks -- then pathname expansion (* ? [...]) -- and quote removal.
 * A field is built with a flag per character saying whether it was
 * quoted, so that only unquoted * ? [ act as patterns.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sh.h"

struct field {
	char *s, *quoted;    /* the text, and for each character whether it was quoted */
	size_t len, cap;
	int active;          /* a field has begun, maybe empty (as with "") */
};

struct fields {          /* the result, malloc'd until copied to the arena */
	char **v;
	int n, cap;
};

static int bad_substitution;

static void push(struct fields *o, char *s)
{
	if (o->n == o->cap)
		o->v = xrealloc(o->v, (o->cap = o->cap ? 2 * o->cap : 16) * sizeof(char *));
	o->v[o->n++] = s;
}

static void add(struct field *f, char c, int quoted)
{
	if (f->len + 1 >= f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->s = xrealloc(f->s, f->cap);
		f->quoted = xrealloc(f->quoted, f->cap);
	}
	f->s[f->len] = c;
	f->quoted[f->len++] = (char)quoted;
	f->active = 1;
}

/* ---- pathname expansion ------------------------------------------------- */

/*
 * [...] at p (plen characters left) against c: 1 match, 0 no match, -1
 * not a bracket expression (no closing ']').  *used gets its length.
 */
static int bracket(const char *p, const char *q, size_t plen, char c, size_t *used)
{
	size_t i = 1;
	int negate = 0, found = 0;

	if (i < plen && !q[i] && (p[i] == '!' || p[i] == '^')) {
		negate = 1;
		i++;
	}
	for (size_t first = i; i < plen; i++) {
		if (p[i] == ']' && !q[i] && i > first) {
			*used = i + 1;
			return found != negate;
		}
		if (i + 2 < plen && p[i + 1] == '-' && !q[i + 1] && !(p[i + 2] == ']' && !q[i + 2])) {
			if ((unsigned char)c >= (unsigned char)p[i] &&
			    (unsigned char)c <= (unsigned char)p[i + 2])
				found = 1;
			i += 2;
		} else if (p[i] == c) {
			found = 1;
		}
	}
	return -1;
}

/* Does the pattern p (q: quoted flags, plen long) match all of s? */
static int match(const char *p, const char *q, size_t plen, const char *s)
{
	for (size_t i = 0; i < plen; i++) {
		size_t used;
		int r;

		if (q[i] || (p[i] != '*' && p[i] != '?' && p[i] != '[')) {
			if (*s++ != p[i])
				return 0;
		} else if (p[i] == '*') {
			for (;; s++) {
				if (match(p + i + 1, q + i + 1, plen - i - 1, s))
					return 1;
				if (!*s)
					return 0;
			}
		} else if (p[i] == '?') {
			if (!*s++)
				return 0;
		} else if ((r = bracket(p + i, q + i, plen - i, *s, &used)) < 0) {
			if (*s++ != '[')      /* a lone '[' is an ordinary character */
				return 0;
		} else {
			if (!*s++ || !r)
				return 0;
			i += used - 1;
		}
	}
	return !*s;
}

/* An unquoted * or ?, or [ with a ] after it: so "[" alone (the test command) is no pattern. */
static int has_pattern(const char *p, const char *q, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (q[i])
			continue;
		if (p[i] == '*' || p[i] == '?')
			return 1;
		if (p[i] == '[' && memchr(p + i + 1, ']', len - i - 1))
			return 1;
	}
	return 0;
}

/*
 * Extend path (plen long, room for PATH_MAX) by the pattern's components
 * one at a time, reading a directory only where a component has a
 * pattern; push every existing result.
 */
static void glob_walk(char *path, size_t plen, const char *p, const char *q, size_t len,
		      struct fields *out)
{
	size_t clen;
	struct stat st;
	DIR *d;
	struct dirent *de;

	while (len && *p == '/' && plen < PATH_MAX - 1) {
		path[plen++] = '/';
		p++, q++, len--;
	}
	if (!len) {
		path[plen] = '\0';
		if (lstat(path, &st) == 0)
			push(out, sh_strndup(path, plen));
		return;
	}
	for (clen = 0; clen < len && p[clen] != '/'; clen++)
		;
	if (!has_pattern(p, q, clen)) {
		if (plen + clen >= PATH_MAX)
			return;
		memcpy(path + plen, p, clen);
		glob_walk(path, plen + clen, p + clen, q + clen, len - clen, out);
		return;
	}
	path[plen] = '\0';
	d = opendir(plen ? path : ".");
	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t nlen = strlen(de->d_name);

		/* A leading '.' must be matched by a quoted or literal '.'; "." and ".." never. */
		if (de->d_name[0] == '.' &&
		    (p[0] != '.' || !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")))
			continue;
		if (plen + nlen >= PATH_MAX || !match(p, q, clen, de->d_name))
			continue;
		memcpy(path + plen, de->d_name, nlen);
		glob_walk(path, plen + nlen, p + clen, q + clen, len - clen, out);
	}
	closedir(d);
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Push the sorted matches of the field as a pattern; 0 if there are none. */
static int glob_field(struct field *f, struct fields *out)
{
	char *path = xmalloc(PATH_MAX);
	int first = out->n;

	glob_walk(path, 0, f->s, f->quoted, f->len, out);
	free(path);
	qsort(out->v + first, out->n - first, sizeof(char *), by_string);
	return out->n - first;
}

/* End the current field (if one has begun): as a pattern's matches or as itself. */
static void finish(struct field *f, struct fields *out, int glob)
{
	if (f->active && !(glob && has_pattern(f->s, f->quoted, f->len) && glob_field(f, out)))
		push(out, sh_strndup(f->s, f->len));
	f->len = 0;
	f->active = 0;
}

/* ---- parameters --------------------------------------------------------- */

/* $@ and $* outside "$@" alone: the positional parameters joined by spaces. */
static char *join_args(void)
{
	size_t n = 0;
	char *s, *p;

	for (int i = 0; i < pos_count; i++)
		n += strlen(pos_args[i]) + 1;
	p = s = sh_alloc(n + 1);
	for (int i = 0; i < pos_count; i++) {
		if (i)
			*p++ = ' ';
		strcpy(p, pos_args[i]);
		p += strlen(p);
	}
	*p = '\0';
	return s;
}

/* The value of the parameter name[0..len), or NULL if it is unset. */
static const char *param_value(const char *name, size_t len)
{
	char num[16];
	char *key;

	if (len == 1 && strchr("?$!#@*", name[0])) {
		switch (name[0]) {
		case '?':
			snprintf(num, sizeof(num), "%d", last_status);
			break;
		case '$':
			snprintf(num, sizeof(num), "%d", shell_pid);
			break;
		case '!':
			if (!last_bg_pid)
				return NULL;
			snprintf(num, sizeof(num), "%d", last_bg_pid);
			break;
		case '#':
			snprintf(num, sizeof(num), "%d", pos_count);
			break;
		default:
			return join_args();
		}
		return sh_strndup(num, strlen(num));
	}
	if (name[0] >= '0' && name[0] <= '9') {
		int i = 0;

		for (size_t k = 0; k < len; k++)
			i = i * 10 + (name[k] - '0');
		return i == 0 ? arg0 : i <= pos_count ? pos_args[i - 1] : NULL;
	}
	key = sh_strndup(name, len);
	return var_get(key);
}

/* Add a value: in quotes, verbatim; unquoted, split into fields at blanks. */
static void add_value(struct field *f, struct fields *out, const char *v, int quoted, int split)
{
	if (quoted)
		f->active = 1;   /* "$empty" is still a field */
	for (; *v; v++) {
		if (split && !quoted && (*v == ' ' || *v == '\t' || *v == '\n'))
			finish(f, out, 1);
		else
			add(f, *v, quoted);
	}
}

/* The length of a parameter name at s: a name, digits in ${}, or one special character. */
static size_t name_length(const char *s, int braced)
{
	size_t n = 0;

	if (*s && strchr("?$!#@*", *s))
		return 1;
	if (*s >= '0' && *s <= '9') {
		if (!braced)
			return 1;
		while (s[n] >= '0' && s[n] <= '9')
			n++;
		return n;
	}
	while (is_name(s, n + 1))
		n++;
	return n;
}

/* How the text being expanded is quoted. */
enum quoting {
	Q_NONE,
	Q_DOUBLE,    /* inside "..." */
	Q_HEREDOC,   /* a here-document body: like "..." but " is an ordinary character */
};

static void expand_into(const char *w, struct field *f, struct fields *out, int split,
			enum quoting q);

/*
 * ${name}, ${name:-word}, ${name-word}, ${name:=word}, ${name=word},
 * ${name:+word}, ${name+word}; inner is what lies between the braces.
 */
static void expand_braced(const char *inner, size_t len, struct field *f, struct fields *out,
			  int quoted, int split)
{
	size_t nlen = name_length(inner, 1);
	const char *op = inner + nlen, *value;
	int colon = 0;
	char *word;

	if (!nlen) {
		sh_error("${%.*s}: bad substitution", (int)len, inner);
		bad_substitution = 1;
		return;
	}
	value = param_value(inner, nlen);
	if (op == inner + len) {
		if (value)
			add_value(f, out, value, quoted, split);
		return;
	}
	if (*op == ':') {
		colon = 1;
		op++;
	}
	if (op == inner + len || !strchr("-=+", *op)) {
		sh_error("${%.*s}: bad substitution", (int)len, inner);
		bad_substitution = 1;
		return;
	}
	word = sh_strndup(op + 1, inner + len - op - 1);
	/* With ':', an empty value counts as unset. */
	if (*op == '+') {
		if (value && (!colon || *value))
			expand_into(word, f, out, split, quoted ? Q_DOUBLE : Q_NONE);
		return;
	}
	if (value && (!colon || *value)) {
		add_value(f, out, value, quoted, split);
		return;
	}
	if (*op == '=') {
		if (!is_name(inner, nlen)) {
			sh_error("${%.*s}: cannot assign this way", (int)len, inner);
			bad_substitution = 1;
			return;
		}
		value = expand_string(word);
		if (!value)
			return;
		var_set(sh_strndup(inner, nlen), value, 0);
		add_value(f, out, value, quoted, split);
		return;
	}
	expand_into(word, f, out, split, quoted ? Q_DOUBLE : Q_NONE);
}

static const char *skip_parens(const char *p);

/* p at an opening `: the position after the closing one (the lexer saw to it). */
static const char *skip_backquote(const char *p)
{
	for (p++; *p != '`'; p++)
		if (*p == '\\')
			p++;
	return p + 1;
}

/* p at an opening ": the position after the closing one. */
static const char *skip_dquote(const char *p)
{
	for (p++; *p != '"';) {
		if (*p == '\\')
			p += 2;
		else if (*p == '$' && p[1] == '(')
			p = skip_parens(p + 1);
		else if (*p == '`')
			p = skip_backquote(p);
		else
			p++;
	}
	return p + 1;
}

/* p at the '(' of "$(": the position after the matching ')'. */
static const char *skip_parens(const char *p)
{
	int depth = 0;

	for (;;) {
		switch (*p) {
		case '\\':
			p += 2;
			continue;
		case '\'':
			p = strchr(p + 1, '\'') + 1;
			continue;
		case '"':
			p = skip_dquote(p);
			continue;
		case '`':
			p = skip_backquote(p);
			continue;
		case '(':
			depth++;
			break;
		case ')':
			if (--depth == 0)
				return p + 1;
			break;
		}
		p++;
	}
}

/* `command`: inside, a backslash quotes only $ ` and \. */
static char *backquote_text(const char *p, const char *end)
{
	char *s = sh_alloc(end - p + 1), *d = s;

	for (; p < end; p++) {
		if (*p == '\\' && p + 1 < end && strchr("$`\\", p[1]))
			p++;
		*d++ = *p;
	}
	*d = '\0';
	return s;
}

/* $((expression)): parameters inside are expanded first. */
static void expand_arith(const char *inner, size_t len, struct field *f, struct fields *out,
			 int quoted, int split)
{
	char *expr = expand_string(sh_strndup(inner, len)), num[24];
	long long v;

	if (!expr || arith_eval(expr, &v) < 0) {
		bad_substitution = 1;
		return;
	}
	snprintf(num, sizeof(num), "%lld", v);
	add_value(f, out, num, quoted, split);
}

/* Expand the $ reference at p; returns the position after it. */
static const char *expand_dollar(const char *p, struct field *f, struct fields *out, int quoted,
				 int split)
{
	size_t n;
	const char *value;

	if (p[1] == '(') {
		const char *end = skip_parens(p + 1);

		if (p[2] == '(' && skip_parens(p + 2) == end - 1)
			expand_arith(p + 3, end - 2 - (p + 3), f, out, quoted, split);
		else
			add_value(f, out, command_output(sh_strndup(p + 2, end - 1 - (p + 2))), quoted,
				  split);
		return end;
	}
	if (p[1] == '{') {
		const char *close = strchr(p + 2, '}');   /* the lexer saw to it */

		expand_braced(p + 2, close - (p + 2), f, out, quoted, split);
		return close + 1;
	}
	n = name_length(p + 1, 0);
	if (!n) {
		add(f, '$', quoted);     /* a lone $ is itself */
		return p + 1;
	}
	value = param_value(p + 1, n);
	if (value)
		add_value(f, out, value, quoted, split);
	return p + 1 + n;
}

/*
 * Expand the raw word w into f (and, when splitting, finished fields
 * into out).  q says how w is quoted to begin with: the word of a quoted
 * ${x:-word} starts inside "...".
 */
static void expand_into(const char *w, struct field *f, struct fields *out, int split,
			enum quoting q)
{
	const char *p = w;
	int dq = q != Q_NONE;

	if (split && p[0] == '~' && (p[1] == '/' || !p[1])) {
		const char *home = var_get("HOME");

		add_value(f, out, home ? home : "~", 1, 0);
		p++;
	}
	while (*p) {
		char c = *p;

		if (c == '\'' && !dq) {
			f->active = 1;
			for (p++; *p && *p != '\''; p++)
				add(f, *p, 1);
			if (*p)
				p++;
		} else if (c == '"' && q != Q_HEREDOC) {
			f->active = 1;
			dq = !dq;
			p++;
		} else if (c == '\\') {
			/* In "...", backslash quotes only $ ` " \ and newline (here-documents: not "). */
			if (p[1] && (!dq || strchr(q == Q_HEREDOC ? "$`\\\n" : "$`\"\\\n", p[1]))) {
				add(f, p[1], 1);
				p += 2;
			} else {
				add(f, '\\', 1);
				p++;
			}
		} else if (c == '$') {
			p = expand_dollar(p, f, out, dq, split);
		} else if (c == '`') {
			const char *end = skip_backquote(p);

			add_value(f, out, command_output(backquote_text(p + 1, end - 1)), dq, split);
			p = end;
		} else {
			add(f, c, dq);
			p++;
		}
	}
}

static void free_field(struct field *f)
{
	free(f->s);
	free(f->quoted);
}

char **expand_words(char **words, int *argc)
{
	struct fields out = { 0 };
	struct field f = { 0 };
	char **argv;

	bad_substitution = 0;   /* only expand_words and expand_string reset it */
	for (; *words; words++) {
		/* "$@" alone is every positional parameter as a field of its own. */
		if (!strcmp(*words, "\"$@\"")) {
			for (int i = 0; i < pos_count; i++)
				push(&out, pos_args[i]);
			continue;
		}
		expand_into(*words, &f, &out, 1, Q_NONE);
		finish(&f, &out, 1);
	}
	free_field(&f);
	argv = sh_alloc((out.n + 1) * sizeof(char *));
	if (out.n)
		memcpy(argv, out.v, out.n * sizeof(char *));
	argv[out.n] = NULL;
	*argc = out.n;
	free(out.v);
	return bad_substitution ? NULL : argv;
}

static char *expand_quoted(const char *word, enum quoting q)
{
	struct field f = { 0 };
	int outer_bad = bad_substitution, bad;
	char *s;

	bad_substitution = 0;
	expand_into(word, &f, NULL, 0, q);
	s = sh_strndup(f.s ? f.s : "", f.len);
	free_field(&f);
	bad = bad_substitution;
	bad_substitution = outer_bad | bad;
	return bad ? NULL : s;
}

/* Also called inside an expansion (${x:=word}): an error sticks for the outer one. */
char *expand_string(const char *word) { return expand_quoted(word, Q_NONE); }

char *expand_heredoc(const char *body) { return expand_quoted(body, Q_HEREDOC); }
