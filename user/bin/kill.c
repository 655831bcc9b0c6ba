/*
 * kill [-SIGNAL | -N | -s SIGNAL] pid...: send a signal (default TERM);
 * a negative pid names a process group.  kill -l [N]: list the signal
 * names, or name signal N.
 */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[] = {
	NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
	"USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
	"URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};
#define NNAMES ((int)(sizeof(names) / sizeof(names[0])))

static int usage(void)
{
	fputs("usage: kill [-SIGNAL | -N | -s SIGNAL] pid... | kill -l [N]\n", stderr);
	return 1;
}

/* "9", "KILL", "SIGKILL" (any case) to a number, or -1. */
static int parse_signal(const char *s)
{
	char *end;
	long n;

	if (isdigit(*s)) {
		n = strtol(s, &end, 10);
		return *end || n > _NSIG ? -1 : (int)n;
	}
	if ((s[0] == 'S' || s[0] == 's') && (s[1] == 'I' || s[1] == 'i') &&
	    (s[2] == 'G' || s[2] == 'g'))
		s += 3;
	for (int i = 1; i < NNAMES; i++) {
		const char *a = s, *b = names[i];

		while (*a && toupper(*a) == *b)
			a++, b++;
		if (!*a && !*b)
			return i;
	}
	return -1;
}

static int list(const char *arg)
{
	int sig;

	if (arg) {
		sig = parse_signal(arg);
		if (sig <= 0 || sig >= NNAMES) {
			fprintf(stderr, "kill: %s: invalid signal\n", arg);
			return 1;
		}
		puts(names[sig]);
		return 0;
	}
	for (int i = 1; i < NNAMES; i++)
		printf("%s%c", names[i], i == NNAMES - 1 || i % 16 == 0 ? '\n' : ' ');
	return 0;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;

	if (i < argc && !strcmp(argv[i], "-l"))
		return argc > 3 ? usage() : list(argv[2]);
	if (i < argc && !strcmp(argv[i], "-s")) {
		if (i + 1 == argc)
			return usage();
		sig = parse_signal(argv[i + 1]);
		if (sig < 0) {
			fprintf(stderr, "kill: %s: invalid signal\n", argv[i + 1]);
			return 1;
		}
		i += 2;
	} else if (i < argc && argv[i][0] == '-' && argv[i][1] && strcmp(argv[i], "--")) {
		sig = parse_signal(argv[i] + 1);
		if (sig < 0) {
			fprintf(stderr, "kill: %s: invalid signal\n", argv[i] + 1);
			return 1;
		}
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i == argc)
		return usage();
	for (; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);

		if (!*argv[i] || *end) {
			fprintf(stderr, "kill: %s: not a process id\n", argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
