/*
 * The environment: environ (set by start-up) and getenv/setenv/unsetenv.
 * setenv allocates its strings and the array it grows; the start-up
 * strings and array are never freed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char **environ;

/* The index of name's entry in environ, or -1. */
static int env_find(const char *name, size_t len)
{
	for (int i = 0; environ && environ[i]; i++)
		if (!strncmp(environ[i], name, len) && environ[i][len] == '=')
			return i;
	return -1;
}

static int env_name_ok(const char *name)
{
	if (!name || !*name || strchr(name, '=')) {
		errno = EINVAL;
		return 0;
	}
	return 1;
}

char *getenv(const char *name)
{
	size_t len = strlen(name);
	int i = env_find(name, len);

	return i < 0 ? NULL : environ[i] + len + 1;
}

int setenv(const char *name, const char *value, int overwrite)
{
	static char **owned;   /* the array setenv allocated, if environ is it */
	size_t nlen, vlen;
	char *s;
	int i, n;

	if (!env_name_ok(name))
		return -1;
	nlen = strlen(name);
	i = env_find(name, nlen);
	if (i >= 0 && !overwrite)
		return 0;
	vlen = strlen(value);
	s = malloc(nlen + vlen + 2);
	if (!s)
		return -1;
	memcpy(s, name, nlen);
	s[nlen] = '=';
	memcpy(s + nlen + 1, value, vlen + 1);
	if (i >= 0) {
		environ[i] = s;   /* the old string may be a start-up one: not freed */
		return 0;
	}
	for (n = 0; environ && environ[n]; n++)
		;
	{
		char **env = realloc(environ == owned ? owned : NULL, (n + 2) * sizeof(char *));

		if (!env) {
			free(s);
			return -1;
		}
		if (environ != owned && n)
			memcpy(env, environ, n * sizeof(char *));
		env[n] = s;
		env[n + 1] = NULL;
		environ = owned = env;
	}
	return 0;
}

int unsetenv(const char *name)
{
	size_t len;
	int i;

	if (!env_name_ok(name))
		return -1;
	len = strlen(name);
	while ((i = env_find(name, len)) >= 0)
		do
			environ[i] = environ[i + 1];
		while (environ[i++]);
	return 0;
}
