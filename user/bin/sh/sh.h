/*
 * sh: declarations shared by the shell's files.  Source comes in by input.c
 * (at a terminal edited by lineedit.c), is cut into tokens (lex.c), parsed
 * a command at a time (parse.c), executed (exec.c), its words expanded just
 * before use (expand.c, arith.c).  Variables: var.c; builtins: builtin.c,
 * test.c; job control: jobs.c; main loop, errors, allocators: main.c.
 */
#ifndef SH_H
#define SH_H

#include <setjmp.h>
#include <stddef.h>
#include <sys/types.h>

/* ---- main.c: allocation, errors ---------------------------------------- */

/*
 * The arena holds the parse tree and expanded words; it is emptied after
 * each complete command, and a mark/release pair frees what one simple
 * command expanded (so loops do not grow it).
 */
struct arena_mark {
	void *chunk;
	size_t used;
};
void *sh_alloc(size_t n);
char *sh_strndup(const char *s, size_t n);
void arena_mark(struct arena_mark *m);
void arena_release(const struct arena_mark *m);

void *xmalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* "sh: <message>" on stderr. */
void sh_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Give up on the current command: back to the main loop (exit 2 unless interactive). */
void sh_abort(void) __attribute__((noreturn));
extern jmp_buf toplevel;
/* Run the commands of a string, then exit (the child of a command substitution). */
void run_string(const char *s) __attribute__((noreturn));

extern int interactive;       /* reading commands from a terminal */
extern int last_status;       /* $? */
extern pid_t shell_pid;       /* $$ */
extern pid_t last_bg_pid;     /* $! (0: none yet) */
extern char *arg0;            /* $0 */
extern char **pos_args;       /* $1... */
extern int pos_count;         /* $# */
extern int opt_errexit;       /* set -e: exit when a command fails outside a condition */
extern int opt_xtrace;        /* set -x: show each command before running it */
/* Apply "-ex"/"+x"-style option letters; -1 (with a message) for an unknown one. */
int set_options(const char *arg);

/* ---- input.c ------------------------------------------------------------ */

void input_from_string(const char *s);
void input_from_fd(int fd, int one_byte_reads);
int in_getc(void);
void in_ungetc(int c);
void input_new_command(void);   /* the next line read starts a command: prompt $PS1 */
void input_skip_line(void);     /* drop the rest of the current line */
extern volatile int got_sigint;

/* ---- lineedit.c --------------------------------------------------------- */

#define LINEEDIT_NO_TTY (-1)        /* fd is no terminal: read it as it is */
#define LINEEDIT_INTERRUPTED (-2)   /* ^C: the line was dropped */
/* Prompt and read one edited line into buf (with its newline); 0 at EOF (^D). */
ssize_t lineedit_read(int fd, const char *prompt, char *buf, size_t size);
int builtin_history(int argc, char **argv);

/* ---- parse.c ------------------------------------------------------------ */

enum node_type {
	N_CMD,        /* simple command */
	N_PIPE,       /* [!] a | b | c */
	N_AND,        /* a && b */
	N_OR,         /* a || b */
	N_SEQ,        /* a ; b */
	N_BG,         /* a & */
	N_SUBSHELL,   /* ( list ) */
	N_GROUP,      /* { list; } */
	N_IF,         /* if list; then list; [else list;] fi (elif: a nested N_IF) */
	N_WHILE,      /* while list; do list; done */
	N_UNTIL,
	N_FOR,        /* for name [in word...]; do list; done */
};

enum redir_type { R_IN, R_OUT, R_APPEND, R_RDWR, R_DUP, R_HEREDOC };

struct redir {
	enum redir_type type;
	int fd;             /* the descriptor redirected */
	char *word;         /* target (unexpanded); R_DUP: a number or "-"; R_HEREDOC: the body */
	int here_expand;    /* R_HEREDOC: the delimiter was unquoted, so $ and ` work in the body */
	int here_strip;     /* R_HEREDOC: <<- (leading tabs go) */
	struct redir *next;
};

struct node {
	enum node_type type;
	struct redir *redirs;           /* N_CMD and the compound commands */
	union {
		struct {                /* N_CMD */
			char **words;   /* NULL-terminated, unexpanded */
			char **assigns; /* NAME=value words before the command name */
		} cmd;
		struct {                /* N_PIPE */
			struct node **cmds;
			int count, negate;
		} pipe;
		struct {                /* N_AND, N_OR, N_SEQ; N_BG, N_SUBSHELL, N_GROUP use left */
			struct node *left, *right;
		} pair;
		struct {                /* N_IF */
			struct node *cond, *then, *otherwise;
		} cond;
		struct {                /* N_WHILE, N_UNTIL */
			struct node *cond, *body;
		} loop;
		struct {                /* N_FOR */
			char *name;
			char **words;   /* NULL: "$@" */
			struct node *body;
		} each;
	};
};

/* Parse the next complete command; NULL for an empty line.  *eof at end of input. */
struct node *parse_command_line(int *eof);
/* lex.c: forget the look-ahead token and queued here-documents (after an error). */
void parse_reset(void);
int is_name(const char *s, size_t len);

/* ---- expand.c ----------------------------------------------------------- */

/* Expand words (parameters, quotes, field splitting, pathnames) into a NULL-terminated argv. */
char **expand_words(char **words, int *argc);
/* Expand one word to one string: no field splitting, no pathname expansion. */
char *expand_string(const char *word);
/* A here-document body: $ and ` substitutions, backslash quotes only $ ` \ newline. */
char *expand_heredoc(const char *body);

/* ---- arith.c ------------------------------------------------------------ */

/* Evaluate $((expr)); -1 (with a message) on error. */
int arith_eval(const char *expr, long long *result);

/* ---- var.c -------------------------------------------------------------- */

void var_init(char **env);
const char *var_get(const char *name);
/* export: 1 marks the variable exported; 0 keeps its current mark. */
void var_set(const char *name, const char *value, int export);
void var_export(const char *name);
void var_unset(const char *name);
char **var_environ(void);
void var_print_exported(void);
void var_print_all(void);

/* ---- exec.c ------------------------------------------------------------- */

#define EX_TAIL 1   /* the last thing this process does: a command may exec in place */
int exec_node(struct node *n, int flags);
/* $(cmd): what cmd writes, without trailing newlines. */
char *command_output(const char *cmd);
extern int loop_depth, breaking, continuing;

/* ---- builtin.c ---------------------------------------------------------- */

typedef int (*builtin_fn)(int argc, char **argv);
builtin_fn find_builtin(const char *name);
int builtin_test(int argc, char **argv);   /* test.c */

/* ---- jobs.c ------------------------------------------------------------- */

struct job;
extern int jobctl;            /* job control on: process groups and the terminal */
void jobs_init(void);
struct job *job_new(void);
/* fork for job; the child (0) is set up as a foreground or background member. */
pid_t job_fork(struct job *job, int foreground);
/* Wait for a foreground job; returns its status as $? wants it (1 if nothing was started). */
int job_wait_fg(struct job *job);
void job_background(struct job *job);
void jobs_reap(int report);
int builtin_jobs(int argc, char **argv);
int builtin_fg(int argc, char **argv);
int builtin_bg(int argc, char **argv);
int builtin_wait(int argc, char **argv);
/* kill's arguments with each job spec (%N) replaced by what /bin/kill should signal. */
char **kill_job_args(char **argv, int *argc);

#endif
