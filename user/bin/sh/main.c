/*
 * sh: a small POSIX-style shell.
 *   sh [-ex] -c 'command' [name [arg...]]   sh [-ex] script [arg...]   sh [-ex] (stdin)
 * -e: exit when a command fails; -x: trace commands.  It prompts only
 * when stdin is a terminal, and then does job control.
 * This file: start-up, the read-parse-execute loop, error exits and the
 * memory helpers (the arena and checked malloc).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "sh.h"

int interactive;
int last_status;
pid_t shell_pid;
pid_t last_bg_pid;
char *arg0 = "sh";
char **pos_args;
int pos_count;
int opt_errexit, opt_xtrace;
jmp_buf toplevel;

/* ---- memory ------------------------------------------------------------- */

static void out_of_memory(void)
{
	static const char msg[] = "sh: out of memory\n";

	write(2, msg, sizeof(msg) - 1);
	_exit(2);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		out_of_memory();
	return d;
}

struct chunk {
	struct chunk *prev;
	size_t size, used;
	char data[] __attribute__((aligned(8)));
};

static struct chunk *arena;

void *sh_alloc(size_t n)
{
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!arena || arena->size - arena->used < n) {
		size_t size = n > 8192 ? n : 8192;
		struct chunk *c = xmalloc(sizeof(*c) + size);

		c->prev = arena;
		c->size = size;
		c->used = 0;
		arena = c;
	}
	p = arena->data + arena->used;
	arena->used += n;
	return p;
}

char *sh_strndup(const char *s, size_t n)
{
	char *d = sh_alloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void arena_mark(struct arena_mark *m)
{
	m->chunk = arena;
	m->used = arena ? arena->used : 0;
}

void arena_release(const struct arena_mark *m)
{
	while (arena != m->chunk) {
		struct chunk *prev = arena->prev;

		free(arena);
		arena = prev;
	}
	if (arena)
		arena->used = m->used;
}

/* ---- errors ------------------------------------------------------------- */

void sh_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "sh: %s\n", msg);
}

/* A syntax error: a script is abandoned; at a terminal the line is. */
void sh_abort(void)
{
	last_status = 2;
	if (!interactive)
		exit(2);
	longjmp(toplevel, 1);
}

/* ---- start-up ----------------------------------------------------------- */

static void on_sigint(int sig)
{
	got_sigint = 1;
}

/*
 * An interactive shell survives ^C and ^\ (its jobs get them instead)
 * and, as bash, SIGTERM (a plain `kill` must not take the terminal away);
 * SIGINT while reading a command is caught, without SA_RESTART, so the
 * read is interrupted and the half-typed command dropped (input.c).
 */
static void interactive_signals(void)
{
	struct sigaction sa = { .sa_handler = on_sigint };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
}

static int eof;   /* static: must survive the longjmp to toplevel */

/* Read, parse and execute commands until the input ends. */
static void run_commands(void)
{
	eof = 0;
	while (!eof) {
		struct node *n;
		struct arena_mark empty = { NULL, 0 };

		setjmp(toplevel);    /* sh_abort and ^C come back here */
		arena_release(&empty);
		parse_reset();
		jobs_reap(interactive);
		input_new_command();
		n = parse_command_line(&eof);
		if (n)
			exec_node(n, 0);
		if (interactive && got_sigint)   /* ^C stopped a builtin: end its line */
			write(2, "\n", 1);
	}
}

void run_string(const char *s)
{
	input_from_string(xstrdup(s));   /* s may be in the arena, which run_commands empties */
	run_commands();
	exit(last_status);
}

int set_options(const char *arg)
{
	int on = arg[0] == '-';

	for (const char *o = arg + 1; *o; o++) {
		if (*o == 'e') {
			opt_errexit = on;
		} else if (*o == 'x') {
			opt_xtrace = on;
		} else {
			sh_error("%c%c: unknown option", arg[0], *o);
			return -1;
		}
	}
	return 0;
}

static int usage(void)
{
	fputs("usage: sh [-ex] [-c command [name [arg...]] | script [arg...]]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	int i = 1;

	shell_pid = getpid();
	var_init(environ);
	{
		char ppid[16];

		snprintf(ppid, sizeof(ppid), "%d", getppid());
		var_set("PPID", ppid, 0);
	}
	for (; i < argc && (argv[i][0] == '-' || argv[i][0] == '+') && argv[i][1] &&
	       strcmp(argv[i], "-c"); i++)
		if (set_options(argv[i]) < 0)
			return usage();
	if (i < argc && !strcmp(argv[i], "-c")) {
		if (i + 1 == argc)
			return usage();
		input_from_string(argv[i + 1]);
		if (i + 2 < argc)
			arg0 = argv[i + 2];
		pos_count = argc > i + 3 ? argc - i - 3 : 0;
		pos_args = argv + argc - pos_count;
	} else if (i < argc) {
		int fd = open(argv[i], O_RDONLY | O_CLOEXEC);
		struct stat st;

		if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			fd = -1;
			errno = EISDIR;
		}
		if (fd < 0) {
			sh_error("%s: %s", argv[i], strerror(errno));
			return errno == ENOENT ? 127 : 126;
		}
		input_from_fd(fd, 0);
		arg0 = argv[i];
		pos_args = argv + i + 1;
		pos_count = argc - i - 1;
	} else {
		/* One byte at a time: commands we run may read the rest of stdin. */
		input_from_fd(0, 1);
		pos_args = argv + i;
		interactive = isatty(0);
	}
	if (interactive) {
		interactive_signals();
		jobs_init();
	}
	run_commands();
	exit(last_status);
}
