/*
 * sh: arithmetic expansion, $((expression)), in 64 bits.  Operators by
 * precedence, loosest first:  ||  &&  |  ^  &  == !=  < <= > >=  << >>
 * + -  * / %  and the unary - + ! ~; parentheses; numbers (decimal,
 * 0x hex, 0 octal); a variable name stands for its value (unset: 0).
 * Parameters ($x) are expanded before this runs.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

static const char *p;     /* the rest of the expression */
static const char *fail;  /* the first error, or NULL */

static void skip_space(void)
{
	while (isspace(*p))
		p++;
}

/* Consume the operator op if it comes next (and is not the start of a longer one). */
static int accept(const char *op)
{
	size_t n = strlen(op);

	skip_space();
	if (strncmp(p, op, n))
		return 0;
	/* "<" must not take "<<" or "<=", "&" not "&&", and so on. */
	if (n == 1 && strchr("<>&|=!", op[0]) && (p[1] == op[0] || p[1] == '=') &&
	    !(op[0] == '!' && p[1] == '!'))
		return 0;
	p += n;
	return 1;
}

static long long parse_binary(int level);

static long long parse_unary(void)
{
	long long v = 0;

	skip_space();
	if (accept("-"))
		return -parse_unary();
	if (accept("+"))
		return parse_unary();
	if (accept("!"))
		return !parse_unary();
	if (accept("~"))
		return ~parse_unary();
	if (accept("(")) {
		v = parse_binary(0);
		if (!accept(")") && !fail)
			fail = "missing )";
		return v;
	}
	if (isdigit(*p)) {
		char *end;

		v = strtoll(p, &end, 0);
		p = end;
		if (isalnum(*p) && !fail)
			fail = "bad number";
		return v;
	}
	if (isalpha(*p) || *p == '_') {
		const char *start = p, *value;

		while (isalnum(*p) || *p == '_')
			p++;
		value = var_get(sh_strndup(start, p - start));
		return value ? strtoll(value, NULL, 0) : 0;
	}
	if (!fail)
		fail = *p ? "syntax error" : "missing operand";
	return 0;
}

/* The binary operators, one row per precedence level, loosest first. */
static const char *const levels[][4] = {
	{ "||" }, { "&&" }, { "|" }, { "^" }, { "&" }, { "==", "!=" },
	{ "<=", ">=", "<", ">" }, { "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};
#define NLEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static long long apply(const char *op, long long a, long long b)
{
	switch (op[0]) {
	case '|': return op[1] ? a || b : a | b;
	case '&': return op[1] ? a && b : a & b;
	case '^': return a ^ b;
	case '=': return a == b;
	case '!': return a != b;
	case '<': return op[1] == '=' ? a <= b : op[1] == '<' ? a << b : a < b;
	case '>': return op[1] == '=' ? a >= b : op[1] == '>' ? a >> b : a > b;
	case '+': return a + b;
	case '-': return a - b;
	case '*': return a * b;
	}
	if (b == 0) {
		if (!fail)
			fail = "division by zero";
		return 0;
	}
	if (b == -1)   /* LONG_MIN / -1 would trap */
		return op[0] == '/' ? (long long)(0ULL - (unsigned long long)a) : 0;
	return op[0] == '/' ? a / b : a % b;
}

static long long parse_binary(int level)
{
	long long v;

	if (level == NLEVELS)
		return parse_unary();
	v = parse_binary(level + 1);
	for (;;) {
		const char *op = NULL;

		for (int i = 0; i < 4 && levels[level][i]; i++)
			if (accept(levels[level][i])) {
				op = levels[level][i];
				break;
			}
		if (!op)
			return v;
		v = apply(op, v, parse_binary(level + 1));
	}
}

int arith_eval(const char *expr, long long *result)
{
	p = expr;
	fail = NULL;
	*result = parse_binary(0);
	skip_space();
	if (!fail && *p)
		fail = "syntax error";
	if (fail) {
		sh_error("arithmetic: %s: %s", expr, fail);
		return -1;
	}
	return 0;
}
