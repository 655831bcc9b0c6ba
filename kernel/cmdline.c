/*
 * Kernel command-line parsing.  The string is copied into the cmdline's
 * own buffer and cut in place: each parameter's key and value point into
 * it, so nothing is allocated (it runs before any allocator).
 */
#include <anvil/kernel.h>
#include <anvil/cmdline.h>

struct cmdline kernel_cmdline;

/* Cut the next word (quotes group, and are removed) out of *p in place. */
static char *next_word(char **p)
{
	char *s = *p, *out, *word;
	bool quoted = false;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s) {
		*p = s;
		return NULL;
	}
	word = out = s;
	for (; *s; s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (!quoted && (*s == ' ' || *s == '\t'))
			break;
		*out++ = *s;
	}
	if (*s)
		s++;
	*out = '\0';
	*p = s;
	return word;
}

int cmdline_parse(struct cmdline *cl, const char *s)
{
	char *p = cl->buf, *word;

	strlcpy(cl->buf, s, sizeof(cl->buf));
	cl->nr = 0;
	while ((word = next_word(&p))) {
		char *eq = strchr(word, '=');

		if (cl->nr >= CMDLINE_MAX_PARAMS)
			return -1;
		cl->params[cl->nr].key = word;
		if (eq) {
			*eq = '\0';
			cl->params[cl->nr].value = eq + 1;
		} else {
			cl->params[cl->nr].value = word + strlen(word);  /* "" */
		}
		cl->nr++;
	}
	return cl->nr;
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	for (int i = cl->nr - 1; i >= 0; i--)
		if (!strcmp(cl->params[i].key, key))
			return cl->params[i].value;
	return NULL;
}

long cmdline_get_long(const struct cmdline *cl, const char *key, long dflt)
{
	const char *v = cmdline_get(cl, key);
	char *end;
	long n;

	if (!v || !*v)
		return dflt;
	n = simple_strtol(v, &end, 0);
	return *end ? dflt : n;
}

const char *kernel_param(const char *key)
{
	return cmdline_get(&kernel_cmdline, key);
}

bool kernel_flag(const char *key)
{
	return cmdline_get(&kernel_cmdline, key) != NULL;
}
