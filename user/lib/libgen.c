/*
 * POSIX basename(): the last component of a path, for programs that put a
 * source under its own name into a directory (cp, mv).  Like glibc's POSIX
 * version it may write into path (to drop trailing slashes).  And cp's and
 * mv's operands, SOURCE DEST or SOURCE... DIRECTORY (anvil's own).
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *basename(char *path)
{
	static char dot[] = ".";
	size_t n;
	char *b;

	if (!path || !*path)
		return dot;
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	b = strrchr(path, '/');
	return b && b[1] ? b + 1 : path;
}

/*
 * cp's and mv's command line: each source with the path it goes to (dest,
 * or dest/its basename when dest is a directory) handed to action; the
 * errors as coreutils words them.  The statuses or'ed, 1 on a bad line.
 */
int for_each_source(int argc, char **argv, const char *prog,
		    int (*action)(const char *from, const char *to))
{
	const char *dest;
	struct stat st;
	int into_dir, status = 0, first = 1;

	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	if (argc - first < 2) {
		fprintf(stderr, "%s: missing file operand\nusage: %s source dest | %s source... "
			"directory\n", prog, prog, prog);
		return 1;
	}
	dest = argv[argc - 1];
	into_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
	if (argc - first > 2 && !into_dir) {
		fprintf(stderr, "%s: target '%s' is not a directory\n", prog, dest);
		return 1;
	}
	for (int i = first; i < argc - 1; i++) {
		char *copy, *base, *to;

		if (!into_dir) {
			status |= action(argv[i], dest);
			continue;
		}
		copy = strdup(argv[i]);
		base = copy ? basename(copy) : NULL;
		to = base ? malloc(strlen(dest) + strlen(base) + 2) : NULL;
		if (!to) {
			fprintf(stderr, "%s: out of memory\n", prog);
			free(copy);
			return 1;
		}
		sprintf(to, "%s/%s", dest, base);
		status |= action(argv[i], to);
		free(copy);
		free(to);
	}
	return status;
}
