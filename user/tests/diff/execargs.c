/*
 * execve's argument limits, as Linux has them since 2.6.23: many small
 * arguments and a few large ones reach the new program intact; a string
 * longer than MAX_ARG_STRLEN, or strings and pointers beyond a quarter
 * of the stack limit, give E2BIG, and every failed exec leaves the
 * caller running.  The program execs itself: "execargs child KIND ..."
 * checks the arguments it was given and says so.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define MAX_ARG_STRLEN (32 * 4096)        /* Linux's, the NUL included */
#define STACK_LIMIT (8UL << 20)           /* RLIMIT_STACK: a quarter of it for the arguments */
#define RLIMIT_STACK 3
#define BIG_ARG 120000                    /* 17 of these fit in STACK_LIMIT / 4, 18 do not */
#define FIXED_ARGS 3                      /* argv[0], "child", the kind */
#define MAX_ARGS 700000

static const char *self;
static char *const child_env[] = { "EXECARGS=yes", NULL };
static char **args;                       /* FIXED_ARGS + the case's arguments + NULL */
static char *text;                        /* the argument strings */
static size_t text_used;

/* Memory the failed execs must leave alone. */
#define WITNESS_LEN (64 * 1024)
static char witness[WITNESS_LEN];

/* ---- the child: what did execve give us? ---- */

static int count(char **v)
{
	int n = 0;

	while (v[n])
		n++;
	return n;
}

/* Argument i (from 0, after the fixed ones) of each kind, as the parent made it. */
static int arg_ok(const char *kind, int i, const char *arg)
{
	char want[16];

	if (!strcmp(kind, "same"))
		return !strcmp(arg, "abcdef");
	if (!strcmp(kind, "numbered")) {
		snprintf(want, sizeof(want), "%d", i);
		return !strcmp(arg, want);
	}
	if (!strcmp(kind, "empty"))
		return !*arg;
	if (!strcmp(kind, "long")) {          /* "long": runs of one letter, any length */
		for (const char *p = arg; *p; p++)
			if (*p != 'a' + i % 26)
				return 0;
		return 1;
	}
	return 0;
}

static int child(int argc, char **argv, char **envp)
{
	const char *kind = argc > 2 ? argv[2] : "none";
	int n = argc - FIXED_ARGS, bad = -1;

	if (argc < FIXED_ARGS) {
		printf("  child: argc %d, argv[0] \"%s\"\n", argc, argc ? argv[0] : "(none)");
		return 0;
	}
	/* run as "#!self child" with the script's path where the kind would be */
	if (!strcmp(kind, "script")) {
		const char *execfn = (const char *)getauxval(AT_EXECFN);

		printf("  child: argc %d, script path %s, AT_EXECFN %s, then:", argc, argv[2],
		       execfn ? execfn : "(none)");
		for (int i = 3; i < argc; i++)
			printf(" %s", argv[i]);
		printf("\n");
		return 0;
	}
	for (int i = 0; i < n && bad < 0; i++)
		if (!arg_ok(kind, i, argv[FIXED_ARGS + i]))
			bad = i;
	printf("  child %s: argc %d (argv[argc] %s), %s", kind, argc,
	       argv[argc] ? "not NULL" : "NULL", bad < 0 ? "every argument as sent" : "WRONG");
	if (bad >= 0)
		printf(" at %d", bad);
	printf("; environment %d: %s\n", count(envp), envp[0] ? envp[0] : "(none)");
	if (!strcmp(kind, "long") && n <= 20)
		for (int i = 0; i < n; i++)
			printf("  child: length of argument %d: %zu\n", i, strlen(argv[FIXED_ARGS + i]));
	printf("  child: AT_EXECFN is the path executed: %s\n",
	       !strcmp((const char *)getauxval(AT_EXECFN), argv[0]) ? "yes" : "no");
	return 0;
}

/* ---- the parent: build the arguments, exec in a child ---- */

static void begin(const char *kind)
{
	args[0] = (char *)self;
	args[1] = "child";
	args[2] = (char *)kind;
	args[FIXED_ARGS] = NULL;
	text_used = 0;
}

static char *add_arg(int *n, size_t len, char c)
{
	char *s = text + text_used;

	memset(s, c, len);
	s[len] = '\0';
	text_used += len + 1;
	args[FIXED_ARGS + *n] = s;
	args[FIXED_ARGS + ++*n] = NULL;
	return s;
}

static void add_str(int *n, const char *str)
{
	strcpy(add_arg(n, strlen(str), 'x'), str);
}

static void exec_child(void *envp)
{
	int i;

	execve(self, args, envp ? envp : child_env);
	printf("  execve: -1 %s\n", errno_name(errno));
	/* the caller is intact: its memory, its arguments */
	for (i = 0; args && args[i]; i++)
		;
	printf("  caller intact after the failed exec: %s\n",
	       check_pattern(witness, sizeof(witness), 7) == -1 && i > 2 &&
	       !strcmp(args[1], "child") ? "yes" : "no");
	fflush(stdout);
}

static void run(const char *what, char **envp)
{
	printf("%s (%d arguments)\n", what, count(args));
	show_child("  exit", exec_child, envp);
}

static void many(const char *kind, int n, size_t len)
{
	char what[80];
	int made = 0;

	begin(kind);
	for (int i = 0; i < n; i++) {
		char num[16];

		if (!strcmp(kind, "same")) {
			add_str(&made, "abcdef");
		} else if (!strcmp(kind, "numbered")) {
			snprintf(num, sizeof(num), "%d", i);
			add_str(&made, num);
		} else {
			add_arg(&made, len, 'a' + i % 26);
		}
	}
	snprintf(what, sizeof(what), "%d %s arguments", n, kind);
	if (len)
		snprintf(what + strlen(what), sizeof(what) - strlen(what), " of %zu bytes", len);
	run(what, NULL);
}

static void lengths(void)
{
	char *env[] = { "EXECARGS=yes", NULL, NULL };
	int n = 0;

	begin("long");
	add_arg(&n, MAX_ARG_STRLEN - 1, 'a');
	run("one argument of MAX_ARG_STRLEN bytes with its NUL", NULL);
	begin("long");
	n = 0;
	add_arg(&n, 10, 'a');
	add_arg(&n, MAX_ARG_STRLEN, 'b');
	run("one argument one byte over MAX_ARG_STRLEN", NULL);
	begin("long");
	n = 0;
	env[1] = add_arg(&n, MAX_ARG_STRLEN, 'a');
	args[FIXED_ARGS] = NULL;
	run("an environment string one byte over MAX_ARG_STRLEN", env);
}

static void totals(void)
{
	many("long", 17, BIG_ARG);
	many("long", 18, BIG_ARG);
	many("long", 1000, 2000);
	many("long", 1100, 2000);
	many("empty", 200000, 0);               /* the pointers count too */
	many("empty", 600000, 0);
}

/* A bad pointer far into argv, after many strings were copied. */
static void bad_pointer(void)
{
	int n = 0;

	begin("same");
	for (int i = 0; i < 10000; i++)
		add_str(&n, "abcdef");
	args[FIXED_ARGS + 5000] = ADDR(0x1000);
	run("a bad pointer at argument 5000", NULL);
}

/* An empty argv gives the program { "" } (Linux 5.18 and later). */
static void empty_argv(void)
{
	char *none[] = { NULL };

	args = none;
	run("an empty argv", NULL);
	args = NULL;
	printf("a NULL argv\n");
	show_child("  exit", exec_child, NULL);
}

/* "#!self child": the interpreter gets its argument, the script's path, then argv[1..]. */
static void script(void)
{
	char line[300];
	int fd, len = snprintf(line, sizeof(line), "#!%s child\n", self);

	enter_scratch("execargs");
	fd = open("script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0 || write(fd, line, len) != len || close(fd) < 0) {
		printf("cannot write the script: %s\n", errno_name(errno));
		exit(1);
	}
	begin("script");
	args[0] = "argv0";
	args[1] = "one";
	args[2] = "two";
	printf("a #! script run with arguments one two\n");
	fflush(stdout);
	if (fork() == 0) {
		execve("script", args, child_env);
		printf("  execve: -1 %s\n", errno_name(errno));
		exit(1);
	}
	show_status("  exit", wait_status(-1, 0));
	leave_scratch();
}

/* Linux's limit follows RLIMIT_STACK: the host's must be the usual 8 MiB. */
static void set_stack_limit(void)
{
	struct { unsigned long long cur, max; } old, lim;

	if (syscall(__NR_prlimit64, 0, RLIMIT_STACK, NULL, &old) < 0)
		exit(1);
	lim.cur = STACK_LIMIT;
	lim.max = old.max;
	if (syscall(__NR_prlimit64, 0, RLIMIT_STACK, &lim, NULL) < 0)
		exit(1);
}

int main(int argc, char **argv, char **envp)
{
	static char path[512];

	if (getenv("EXECARGS"))
		return child(argc, argv, envp);
	if (argv[0][0] != '/' && getcwd(path, sizeof(path) - strlen(argv[0]) - 1)) {
		strcat(path, "/");
		strcat(path, argv[0]);
		self = path;
	} else {
		self = argv[0];
	}
	set_stack_limit();
	fill_pattern(witness, sizeof(witness), 7);
	args = mmap(NULL, (MAX_ARGS + FIXED_ARGS + 1) * sizeof(char *), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	text = mmap(NULL, 4UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (args == MAP_FAILED || text == MAP_FAILED)
		return 1;
	many("same", 16000, 6);
	many("numbered", 20000, 0);
	many("same", 100000, 6);
	lengths();
	totals();
	bad_pointer();
	script();
	empty_argv();
	return 0;
}
