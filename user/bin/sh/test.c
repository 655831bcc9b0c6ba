/*
 * sh: the test and [ builtins.  Expressions:
 *   ! e    e -a e    e -o e    ( e )    string    -n s    -z s
 *   -e -f -d -r -w -x -s -L -h -c -b -p file    -t fd
 *   s = s    s == s    s != s    n -eq -ne -lt -le -gt -ge n
 * Exit status 0 true, 1 false, 2 for an error.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "sh.h"

static char **args;     /* what is left to read */
static int nargs;
static int failed;      /* a syntax error happened */

static int error(const char *what, const char *arg)
{
	if (!failed)
		sh_error("test: %s%s%s", arg ? arg : "", arg ? ": " : "", what);
	failed = 1;
	return 0;
}

static const char *next(void)
{
	nargs--;
	return *args++;
}

static int is_unary(const char *s)
{
	return s[0] == '-' && s[1] && !s[2] && strchr("nzefdrwxsLhcbpt", s[1]);
}

static int is_binary(const char *s)
{
	static const char *const ops[] = { "=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt",
					   "-ge", NULL };

	for (int i = 0; ops[i]; i++)
		if (!strcmp(s, ops[i]))
			return 1;
	return 0;
}

static long number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end)
		error("integer expected", s);
	return v;
}

static int unary(char op, const char *arg)
{
	struct stat st;

	switch (op) {
	case 'n':
		return *arg != '\0';
	case 'z':
		return *arg == '\0';
	case 't':
		return isatty((int)number(arg));
	case 'r':
		return access(arg, R_OK) == 0;
	case 'w':
		return access(arg, W_OK) == 0;
	case 'x':
		return access(arg, X_OK) == 0;
	case 'L':
	case 'h':
		return lstat(arg, &st) == 0 && S_ISLNK(st.st_mode);
	}
	if (stat(arg, &st) < 0)
		return 0;
	switch (op) {
	case 'f':
		return S_ISREG(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 's':
		return st.st_size > 0;
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'p':
		return S_ISFIFO(st.st_mode);
	}
	return 1;   /* -e */
}

static int binary(const char *a, const char *op, const char *b)
{
	long x, y;

	if (op[0] != '-')
		return !strcmp(a, b) == (op[0] != '!');
	x = number(a);
	y = number(b);
	if (!strcmp(op, "-eq"))
		return x == y;
	if (!strcmp(op, "-ne"))
		return x != y;
	if (!strcmp(op, "-lt"))
		return x < y;
	if (!strcmp(op, "-le"))
		return x <= y;
	if (!strcmp(op, "-gt"))
		return x > y;
	return x >= y;
}

static int expr_or(void);

static int primary(void)
{
	const char *a;

	if (!nargs)
		return error("argument expected", NULL);
	/* An operator is one only if its operands are there; else it is a string. */
	if (nargs >= 3 && is_binary(args[1])) {
		const char *op;

		a = next();
		op = next();
		return binary(a, op, next());
	}
	if (!strcmp(args[0], "(") && nargs >= 2) {
		int v;

		next();
		v = expr_or();
		if (!nargs || strcmp(next(), ")"))
			return error("missing )", NULL);
		return v;
	}
	if (nargs >= 2 && is_unary(args[0])) {
		a = next();
		return unary(a[1], next());
	}
	return *next() != '\0';
}

static int expr_not(void)
{
	if (nargs >= 2 && !strcmp(args[0], "!")) {
		next();
		return !expr_not();
	}
	return primary();
}

static int expr_and(void)
{
	int v = expr_not();

	while (nargs && !strcmp(args[0], "-a")) {
		next();
		v = expr_not() && v;
	}
	return v;
}

static int expr_or(void)
{
	int v = expr_and();

	while (nargs && !strcmp(args[0], "-o")) {
		next();
		v = expr_and() || v;
	}
	return v;
}

int builtin_test(int argc, char **argv)
{
	int v;

	if (!strcmp(argv[0], "[")) {
		if (strcmp(argv[argc - 1], "]")) {
			sh_error("[: missing ]");
			return 2;
		}
		argc--;
	}
	args = argv + 1;
	nargs = argc - 1;
	failed = 0;
	if (!nargs)
		return 1;
	v = expr_or();
	if (nargs && !failed)
		error("unexpected argument", args[0]);
	return failed ? 2 : !v;
}
