/*
 * sh: the builtins, the commands that run inside the shell because they
 * change it (cd exit export unset set shift break continue read, the job
 * commands of jobs.c) or are too common to fork for (pwd test [ : true
 * false).  exec is handled by exec.c, as it needs the redirections.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

static int b_true(int argc, char **argv) { return 0; }
static int b_false(int argc, char **argv) { return 1; }

/* An optional count argument (default 1); -1 with a message if it is not a positive number. */
static int count_arg(int argc, char **argv)
{
	char *end;
	long n;

	if (argc < 2)
		return 1;
	n = strtol(argv[1], &end, 10);
	if (!*argv[1] || *end || n < 1) {
		sh_error("%s: %s: bad number", argv[0], argv[1]);
		return -1;
	}
	return n > INT_MAX ? INT_MAX : (int)n;
}

static int b_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : var_get("HOME");
	const char *old;
	char cwd[PATH_MAX];
	int dash = dir && !strcmp(dir, "-");

	if (dash)
		dir = var_get("OLDPWD");
	if (!dir) {
		sh_error("cd: %s not set", dash ? "OLDPWD" : "HOME");
		return 1;
	}
	if (chdir(dir) < 0) {
		sh_error("cd: %s: %s", dir, strerror(errno));
		return 1;
	}
	old = var_get("PWD");
	var_set("OLDPWD", old ? old : "", 0);
	if (getcwd(cwd, sizeof(cwd)))
		var_set("PWD", cwd, 0);
	if (dash)
		puts(cwd);
	return 0;
}

static int b_pwd(int argc, char **argv)
{
	char cwd[PATH_MAX];

	if (!getcwd(cwd, sizeof(cwd))) {
		sh_error("pwd: %s", strerror(errno));
		return 1;
	}
	puts(cwd);
	return 0;
}

static int b_exit(int argc, char **argv)
{
	int status = last_status;

	if (argc > 1) {
		char *end;

		status = (int)strtol(argv[1], &end, 10);
		if (!*argv[1] || *end) {
			sh_error("exit: %s: numeric argument required", argv[1]);
			status = 2;
		}
	}
	exit(status & 0xff);
}

static int b_export(int argc, char **argv)
{
	int status = 0;

	if (argc == 1) {
		var_print_exported();
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);

		if (!is_name(argv[i], len)) {
			sh_error("export: %s: not a valid name", argv[i]);
			status = 1;
		} else if (eq) {
			*eq = '\0';
			var_set(argv[i], eq + 1, 1);
		} else {
			var_export(argv[i]);
		}
	}
	return status;
}

static int b_unset(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		var_unset(argv[i]);
	return 0;
}

static int b_shift(int argc, char **argv)
{
	int n = count_arg(argc, argv);

	if (n < 0)
		return 1;
	if (n > pos_count) {
		sh_error("shift: can't shift that many");
		return 1;
	}
	pos_args += n;
	pos_count -= n;
	return 0;
}

/* break [n], continue [n]: leave (or go on with) the n-th enclosing loop. */
static int b_break(int argc, char **argv)
{
	int n = count_arg(argc, argv);

	if (n < 0)
		return 1;
	if (loop_depth == 0)
		return 0;
	if (n > loop_depth)
		n = loop_depth;
	if (argv[0][0] == 'b')
		breaking = n;
	else
		continuing = n;
	return 0;
}

/* set [-ex|+ex]... [--] [arg...]: options, and with arguments new positional parameters. */
static int b_set(int argc, char **argv)
{
	int i = 1;

	if (argc == 1) {
		var_print_all();
		return 0;
	}
	for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (set_options(argv[i]) < 0)
			return 2;
	}
	if (i < argc || !strcmp(argv[i - 1], "--")) {
		pos_count = argc - i;
		pos_args = xmalloc((pos_count + 1) * sizeof(char *));
		for (int k = 0; k <= pos_count; k++)
			pos_args[k] = argv[i + k] ? xstrdup(argv[i + k]) : NULL;
	}
	return 0;
}

static int is_blank(int c) { return c == ' ' || c == '\t'; }

/*
 * read [-r] [name...]: one line of stdin, split at blanks among the
 * names (the last takes the rest; default REPLY).  Without -r a
 * backslash quotes the next character and joins lines.  Status 1 at
 * end of file.
 */
static int b_read(int argc, char **argv)
{
	static char *reply[] = { "REPLY", NULL };
	char *line = NULL, *quoted = NULL, **names;
	size_t len = 0, cap = 0, i = 0;
	int raw = argc > 1 && !strcmp(argv[1], "-r"), status = 0;
	char c;

	names = argc > 1 + raw ? argv + 1 + raw : reply;
	for (;;) {
		ssize_t n = read(0, &c, 1);   /* a byte at a time: the rest stays for others */
		int q = 0;

		if (n < 0 && errno == EINTR && !got_sigint)
			continue;
		if (n < 0) {
			status = got_sigint ? 128 + 2 : 1;
			break;
		}
		if (n == 0) {
			status = 1;
			break;
		}
		if (c == '\\' && !raw) {
			if (read(0, &c, 1) != 1)
				break;
			if (c == '\n')
				continue;
			q = 1;
		} else if (c == '\n') {
			break;
		}
		if (len + 1 >= cap) {
			cap = cap ? 2 * cap : 128;
			line = xrealloc(line, cap);
			quoted = xrealloc(quoted, cap);
		}
		quoted[len] = (char)q;
		line[len++] = c;
	}
	for (; *names; names++) {
		size_t start, end;

		while (i < len && is_blank(line[i]) && !quoted[i])
			i++;
		start = i;
		if (names[1]) {
			while (i < len && !(is_blank(line[i]) && !quoted[i]))
				i++;
			end = i;
		} else {
			end = len;
			while (end > start && is_blank(line[end - 1]) && !quoted[end - 1])
				end--;
			i = len;
		}
		var_set(*names, sh_strndup(line ? line + start : "", end - start), 0);
	}
	free(line);
	free(quoted);
	return status;
}

static const struct {
	const char *name;
	builtin_fn fn;
} builtins[] = {
	{ ":", b_true },          { "true", b_true },       { "false", b_false },
	{ "cd", b_cd },           { "pwd", b_pwd },         { "exit", b_exit },
	{ "export", b_export },   { "unset", b_unset },     { "shift", b_shift },
	{ "break", b_break },     { "continue", b_break },  { "wait", builtin_wait },
	{ "jobs", builtin_jobs }, { "fg", builtin_fg },     { "bg", builtin_bg },
	{ "read", b_read },       { "test", builtin_test }, { "[", builtin_test },
	{ "set", b_set },         { "history", builtin_history },
};

builtin_fn find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (!strcmp(builtins[i].name, name))
			return builtins[i].fn;
	return NULL;
}
