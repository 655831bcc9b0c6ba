/*
 * POSIX basename(): the last component of a path, for programs that put a
 * source under its own name into a directory (cp, mv).  Like glibc's POSIX
 * version it may write into path (to drop trailing slashes).
 */
#include <libgen.h>
#include <string.h>

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
