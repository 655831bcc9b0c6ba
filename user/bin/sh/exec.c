/*
 * sh: running the parse tree.  Simple commands run as builtins in the
 * shell or as programs in a forked child; pipelines fork one child per
 * command; redirections are applied in the child, or around a builtin
 * or compound command in the shell and undone afterwards.  EX_TAIL
 * marks the last thing a forked child does: a program may then replace
 * the child instead of forking again.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

int loop_depth, breaking, continuing;
static int cond_depth;   /* inside a condition, where set -e does not apply */
static int subst_status = -1;   /* status of the last command substitution, -1 if none */

/*
 * ^C in an interactive shell that is running builtins or loops itself
 * (its jobs get their own ^C): abandon the rest of the command line.
 */
static int interrupted(void)
{
	return interactive && got_sigint;
}

static void __attribute__((noreturn)) exit_child(int status)
{
	fflush(stdout);
	_exit(status);
}

/* ---- redirections ------------------------------------------------------- */

/* What a descriptor was before a redirection changed it (copy -1: it was closed). */
struct saved_fd {
	int fd, copy;
};

struct saved {
	struct saved_fd fds[16];
	int n;
};

static void save_fd(struct saved *s, int fd)
{
	for (int i = 0; i < s->n; i++)
		if (s->fds[i].fd == fd)
			return;
	if (s->n == (int)(sizeof(s->fds) / sizeof(s->fds[0])))
		return;
	s->fds[s->n].fd = fd;
	s->fds[s->n].copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	s->n++;
}

static void restore_fds(struct saved *s)
{
	while (s->n > 0) {
		struct saved_fd *f = &s->fds[--s->n];

		if (f->copy >= 0) {
			dup2(f->copy, f->fd);
			close(f->copy);
		} else {
			close(f->fd);
		}
	}
}

/* n>&m, n<&m, n>&-: a descriptor number or "-". */
static int redirect_dup(struct redir *r, const char *target)
{
	char *end;
	long from;

	if (!strcmp(target, "-")) {
		close(r->fd);
		return 0;
	}
	from = strtol(target, &end, 10);
	if (!*target || *end || from < 0) {
		sh_error("%s: bad file descriptor number", target);
		return -1;
	}
	if (from != r->fd && dup2((int)from, r->fd) < 0) {
		sh_error("%ld: %s", from, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * A here-document becomes a deleted temporary file holding the body:
 * unlike a pipe, it cannot fill up before the command reads it.
 */
static int heredoc_fd(struct redir *r)
{
	static int count;
	char path[64];
	const char *body = r->here_expand ? expand_heredoc(r->word) : r->word;
	size_t len, done = 0;
	int fd;

	if (!body)
		return -1;
	snprintf(path, sizeof(path), "/tmp/.sh-heredoc-%d-%d", getpid(), count++);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		sh_error("here-document: %s: %s", path, strerror(errno));
		return -1;
	}
	unlink(path);
	for (len = strlen(body); done < len;) {
		ssize_t n = write(fd, body + done, len - done);

		if (n <= 0) {
			sh_error("here-document: %s", strerror(errno));
			close(fd);
			return -1;
		}
		done += n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/*
 * Apply the redirections in order; with save, record the old
 * descriptors for restore_fds.  On failure print why and return -1.
 */
static int apply_redirs(struct redir *r, struct saved *save)
{
	static const int flags[] = {
		[R_IN] = O_RDONLY,
		[R_OUT] = O_WRONLY | O_CREAT | O_TRUNC,
		[R_APPEND] = O_WRONLY | O_CREAT | O_APPEND,
		[R_RDWR] = O_RDWR | O_CREAT,
	};

	for (; r; r = r->next) {
		char *target = r->type == R_HEREDOC ? r->word : expand_string(r->word);
		int fd;

		if (!target)
			return -1;
		if (save)
			save_fd(save, r->fd);
		if (r->type == R_DUP) {
			if (redirect_dup(r, target) < 0)
				return -1;
			continue;
		}
		if (r->type == R_HEREDOC) {
			fd = heredoc_fd(r);
			if (fd < 0)
				return -1;
		} else if ((fd = open(target, flags[r->type], 0666)) < 0) {
			sh_error("%s: %s", target, strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			dup2(fd, r->fd);
			close(fd);
		}
	}
	return 0;
}

/* ---- simple commands ---------------------------------------------------- */

/* The NAME=value words before a command, expanded. */
struct assigns {
	char **names, **values;
	int n;
};

/* -1 on an expansion error. */
static int expand_assigns(struct node *n, struct assigns *a)
{
	a->n = 0;
	for (char **w = n->cmd.assigns; *w; w++)
		a->n++;
	a->names = sh_alloc(a->n * sizeof(char *));
	a->values = sh_alloc(a->n * sizeof(char *));
	for (int i = 0; i < a->n; i++) {
		const char *word = n->cmd.assigns[i], *eq = strchr(word, '=');

		a->names[i] = sh_strndup(word, eq - word);
		a->values[i] = expand_string(eq + 1);
		if (!a->values[i])
			return -1;
	}
	return 0;
}

/* set -x: "+ NAME=value... word..." on stderr. */
static void trace(const struct assigns *a, char **argv)
{
	fputs("+", stderr);
	for (int i = 0; i < a->n; i++)
		fprintf(stderr, " %s=%s", a->names[i], a->values[i]);
	for (; *argv; argv++)
		fprintf(stderr, " %s", *argv);
	fputs("\n", stderr);
}

/* In the child: redirect, export the prefix assignments, exec.  Never returns. */
static void exec_program(struct node *n, char **argv, const struct assigns *a)
{
	if (apply_redirs(n->redirs, NULL) < 0)
		exit_child(1);
	for (int i = 0; i < a->n; i++)
		var_set(a->names[i], a->values[i], 1);
	environ = var_environ();   /* execvp searches the PATH of this environment */
	execvp(argv[0], argv);
	if (errno == ENOENT) {
		sh_error("%s: not found", argv[0]);
		exit_child(127);
	}
	sh_error("%s: %s", argv[0], strerror(errno));
	exit_child(126);
}

/* A builtin, with the prefix assignments in force only while it runs. */
static int run_builtin(builtin_fn fn, struct node *n, int argc, char **argv,
		       const struct assigns *a)
{
	struct saved save = { .n = 0 };
	char **old = sh_alloc(a->n * sizeof(char *));   /* NULL: was unset */
	int status = 1;

	for (int i = 0; i < a->n; i++) {
		const char *v = var_get(a->names[i]);

		old[i] = v ? sh_strndup(v, strlen(v)) : NULL;
		var_set(a->names[i], a->values[i], 0);
	}
	if (apply_redirs(n->redirs, &save) == 0)
		status = fn(argc, argv);
	fflush(stdout);
	restore_fds(&save);
	for (int i = a->n - 1; i >= 0; i--) {
		if (old[i])
			var_set(a->names[i], old[i], 0);
		else
			var_unset(a->names[i]);
	}
	return status;
}

/* Only assignments and redirections: set the variables; the redirections are made and undone. */
static int run_assignments(struct node *n, const struct assigns *a)
{
	struct saved save = { .n = 0 };
	int status = 0;

	for (int i = 0; i < a->n; i++)
		var_set(a->names[i], a->values[i], 0);
	if (apply_redirs(n->redirs, &save) < 0)
		status = 1;
	restore_fds(&save);
	return status;
}

static int exec_simple(struct node *n, int flags)
{
	struct arena_mark mark;
	struct assigns a;
	builtin_fn builtin;
	char **argv;
	int argc, status;

	arena_mark(&mark);
	subst_status = -1;
	argv = expand_words(n->cmd.words, &argc);
	if (!argv || expand_assigns(n, &a) < 0) {
		if (!interactive)    /* POSIX: an expansion error ends a script */
			exit(2);
		arena_release(&mark);
		return 1;
	}
	if (opt_xtrace)
		trace(&a, argv);
	if (argc && !strcmp(argv[0], "kill") && !(argv = kill_job_args(argv, &argc))) {
		arena_release(&mark);
		return 1;
	}
	if (argc == 0) {
		/* "x=$(cmd)" has the status of cmd. */
		status = run_assignments(n, &a);
		if (!status && subst_status >= 0)
			status = subst_status;
	} else if (!strcmp(argv[0], "exec")) {
		/* exec program: replace the shell; exec alone: redirect the shell itself. */
		if (argc > 1)
			exec_program(n, argv + 1, &a);
		status = apply_redirs(n->redirs, NULL) < 0 ? 1 : 0;
	} else if ((builtin = find_builtin(argv[0]))) {
		status = run_builtin(builtin, n, argc, argv, &a);
	} else if (flags & EX_TAIL) {
		exec_program(n, argv, &a);
	} else {
		struct job *job = job_new();
		pid_t pid = job_fork(job, 1);

		if (pid == 0)
			exec_program(n, argv, &a);
		status = job_wait_fg(job);
	}
	arena_release(&mark);
	return status;
}

/* ---- pipelines, background, subshells, command substitution ------------ */

char *command_output(const char *cmd)
{
	struct job *job;
	int p[2];
	char *buf = NULL, *result;
	size_t len = 0, cap = 0;
	ssize_t n;

	if (pipe(p) < 0) {
		sh_error("pipe: %s", strerror(errno));
		subst_status = 1;
		return "";
	}
	job = job_new();
	if (job_fork(job, 1) == 0) {
		close(p[0]);
		if (p[1] != 1) {
			dup2(p[1], 1);
			close(p[1]);
		}
		run_string(cmd);
	}
	close(p[1]);
	for (;;) {
		if (len == cap)
			buf = xrealloc(buf, cap = cap ? 2 * cap : 256);
		n = read(p[0], buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	close(p[0]);
	subst_status = job_wait_fg(job);
	while (len && buf[len - 1] == '\n')
		len--;
	result = sh_strndup(buf ? buf : "", len);
	free(buf);
	return result;
}

static int exec_pipeline(struct node *n)
{
	struct job *job = job_new();
	int in = -1;

	for (int i = 0; i < n->pipe.count; i++) {
		int p[2] = { -1, -1 };
		pid_t pid;

		if (i < n->pipe.count - 1 && pipe(p) < 0) {
			sh_error("pipe: %s", strerror(errno));
			break;
		}
		pid = job_fork(job, 1);
		if (pid == 0) {
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (p[1] >= 0) {
				dup2(p[1], 1);
				close(p[1]);
				close(p[0]);
			}
			exit_child(exec_node(n->pipe.cmds[i], EX_TAIL));
		}
		if (in >= 0)
			close(in);
		if (p[1] >= 0)
			close(p[1]);
		in = p[0];
		if (pid < 0)
			break;
	}
	if (in >= 0)
		close(in);
	return job_wait_fg(job);
}

static int exec_background(struct node *n)
{
	struct job *job = job_new();
	int no_jobctl = !jobctl;
	pid_t pid = job_fork(job, 0);

	if (pid == 0) {
		/* Without job control a background job must not read the terminal. */
		if (no_jobctl) {
			int fd = open("/dev/null", O_RDONLY);

			if (fd > 0) {
				dup2(fd, 0);
				close(fd);
			}
		}
		exit_child(exec_node(n->pair.left, EX_TAIL));
	}
	if (pid < 0)
		return job_wait_fg(job);   /* nothing started: this just drops the job */
	job_background(job);
	return 0;
}

static int exec_subshell(struct node *n, int flags)
{
	struct job *job;
	pid_t pid;

	if (!(flags & EX_TAIL)) {
		job = job_new();
		pid = job_fork(job, 1);
		if (pid != 0)
			return job_wait_fg(job);
	}
	if (apply_redirs(n->redirs, NULL) < 0)
		exit_child(1);
	exit_child(exec_node(n->pair.left, EX_TAIL));
}

/* ---- compound commands in the shell ------------------------------------ */

/* A command whose status is tested (if, while, until, left of && and ||, after !). */
static int exec_condition(struct node *n)
{
	int status;

	cond_depth++;
	status = exec_node(n, 0);
	cond_depth--;
	return status;
}

/* After a loop body: 1 if the loop must stop (break, or continue of an outer loop). */
static int loop_should_stop(void)
{
	if (breaking) {
		breaking--;
		return 1;
	}
	if (continuing) {
		if (--continuing)
			return 1;
	}
	return 0;
}

static int exec_loop(struct node *n)
{
	int status = 0;

	loop_depth++;
	while (!interrupted()) {
		int cond = exec_condition(n->loop.cond);

		if (breaking || continuing) {
			if (loop_should_stop())
				break;
			continue;
		}
		if ((cond == 0) != (n->type == N_WHILE))
			break;
		status = exec_node(n->loop.body, 0);
		if (loop_should_stop())
			break;
	}
	loop_depth--;
	return status;
}

static int exec_for(struct node *n)
{
	struct arena_mark mark;
	char **words;
	int count, status = 0;

	arena_mark(&mark);
	if (n->each.words) {
		words = expand_words(n->each.words, &count);
		if (!words) {
			arena_release(&mark);
			return 1;
		}
	} else {
		words = pos_args;
		count = pos_count;
	}
	loop_depth++;
	for (int i = 0; i < count; i++) {
		var_set(n->each.name, words[i], 0);
		status = exec_node(n->each.body, 0);
		if (loop_should_stop())
			break;
	}
	loop_depth--;
	arena_release(&mark);
	return status;
}

/* A compound command run in the shell, with its redirections around it. */
static int exec_compound(struct node *n)
{
	struct saved save = { .n = 0 };
	int status = 1;

	if (apply_redirs(n->redirs, &save) < 0)
		goto out;
	switch (n->type) {
	case N_GROUP:
		status = exec_node(n->pair.left, 0);
		break;
	case N_IF:
		if (exec_condition(n->cond.cond) == 0)
			status = exec_node(n->cond.then, 0);
		else
			status = n->cond.otherwise ? exec_node(n->cond.otherwise, 0) : 0;
		break;
	case N_WHILE:
	case N_UNTIL:
		status = exec_loop(n);
		break;
	case N_FOR:
		status = exec_for(n);
		break;
	default:
		break;
	}
	fflush(stdout);
out:
	restore_fds(&save);
	return status;
}

int exec_node(struct node *n, int flags)
{
	int status;

	if (interrupted())
		return last_status = 128 + SIGINT;
	switch (n->type) {
	case N_CMD:
		status = exec_simple(n, flags);
		break;
	case N_PIPE:
		if (n->pipe.count == 1)   /* only "! command": it must come back to be negated */
			status = !exec_condition(n->pipe.cmds[0]);
		else if (n->pipe.negate) {
			cond_depth++;
			status = !exec_pipeline(n);
			cond_depth--;
		} else {
			status = exec_pipeline(n);
		}
		break;
	case N_SEQ:
		exec_node(n->pair.left, flags & ~EX_TAIL);
		if (breaking || continuing)
			return last_status;
		status = exec_node(n->pair.right, flags);
		break;
	case N_AND:
	case N_OR:
		status = exec_condition(n->pair.left);
		if (!breaking && !continuing && (status == 0) == (n->type == N_AND))
			status = exec_node(n->pair.right, flags);
		break;
	case N_BG:
		status = exec_background(n);
		break;
	case N_SUBSHELL:
		status = exec_subshell(n, flags);
		break;
	default:
		status = exec_compound(n);
		break;
	}
	last_status = status;
	/* set -e: a failed command, pipeline or subshell that is not a condition ends the shell. */
	if (opt_errexit && status && !cond_depth &&
	    (n->type == N_CMD || n->type == N_PIPE || n->type == N_SUBSHELL) &&
	    !(n->type == N_PIPE && n->pipe.negate))
		exit(status);
	return status;
}
