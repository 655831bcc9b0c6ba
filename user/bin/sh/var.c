/*
 * sh: shell variables.  Each has a value and an export mark; the
 * environment of a command is built from the exported ones.  The
 * shell starts with its own environment, all exported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sh.h"

struct var {
	char *name, *value;
	int exported;
};

static struct var *vars;
static int nvars, cap;

static struct var *find(const char *name)
{
	for (int i = 0; i < nvars; i++)
		if (!strcmp(vars[i].name, name))
			return &vars[i];
	return NULL;
}

void var_init(char **env)
{
	for (; env && *env; env++) {
		char *eq = strchr(*env, '=');

		if (eq && is_name(*env, eq - *env)) {
			char *name = xstrdup(*env);

			name[eq - *env] = '\0';
			var_set(name, eq + 1, 1);
			free(name);
		}
	}
}

const char *var_get(const char *name)
{
	struct var *v = find(name);

	return v ? v->value : NULL;
}

void var_set(const char *name, const char *value, int export)
{
	struct var *v = find(name);

	if (!v) {
		if (nvars == cap)
			vars = xrealloc(vars, (cap = cap ? 2 * cap : 32) * sizeof(*vars));
		v = &vars[nvars++];
		v->name = xstrdup(name);
		v->value = NULL;
		v->exported = 0;
	}
	value = xstrdup(value);   /* first: value may be the old one */
	free(v->value);
	v->value = (char *)value;
	v->exported |= export;
}

/* "export NAME" of an unset variable marks it, for when it gets a value; we just give it "". */
void var_export(const char *name)
{
	struct var *v = find(name);

	if (v)
		v->exported = 1;
	else
		var_set(name, "", 1);
}

void var_unset(const char *name)
{
	struct var *v = find(name);

	if (!v)
		return;
	free(v->name);
	free(v->value);
	*v = vars[--nvars];
}

/* A fresh NULL-terminated "NAME=value" array of the exported variables (for exec). */
char **var_environ(void)
{
	char **env = xmalloc((nvars + 1) * sizeof(char *));
	int n = 0;

	for (int i = 0; i < nvars; i++) {
		size_t nl, vl;

		if (!vars[i].exported)
			continue;
		nl = strlen(vars[i].name);
		vl = strlen(vars[i].value);
		env[n] = xmalloc(nl + vl + 2);
		memcpy(env[n], vars[i].name, nl);
		env[n][nl] = '=';
		memcpy(env[n] + nl + 1, vars[i].value, vl + 1);
		n++;
	}
	env[n] = NULL;
	return env;
}

/* Lines "[prefix]NAME='value'", re-readable by the shell. */
static void print_vars(const char *prefix, int only_exported)
{
	for (int i = 0; i < nvars; i++) {
		if (only_exported && !vars[i].exported)
			continue;
		printf("%s%s='", prefix, vars[i].name);
		for (const char *p = vars[i].value; *p; p++)
			if (*p == '\'')
				fputs("'\\''", stdout);
			else
				putchar(*p);
		puts("'");
	}
}

void var_print_exported(void) { print_vars("export ", 1); }
void var_print_all(void) { print_vars("", 0); }
