/*
 * env [-i] [NAME=value...] [command [arg...]]: run command with the
 * environment changed (-i: emptied first); with no command, print the
 * resulting environment.  Exit status 127 if command is not found,
 * 126 if it cannot be run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char *empty[] = { NULL };
	int i = 1;

	if (i < argc && !strcmp(argv[i], "-i")) {
		environ = empty;
		i++;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	for (; i < argc && strchr(argv[i], '='); i++) {
		char *eq = strchr(argv[i], '=');

		*eq = '\0';
		if (setenv(argv[i], eq + 1, 1) < 0) {
			fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
			return 125;
		}
	}
	if (i == argc) {
		for (char **e = environ; *e; e++)
			puts(*e);
		return fflush(stdout) ? 1 : 0;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "env: %s: %s\n", argv[i], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
