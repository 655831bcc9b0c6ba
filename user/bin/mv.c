/*
 * mv source dest, mv source... directory: rename files.  A directory
 * destination receives each source under its own name.  Moving between
 * file systems (EXDEV) is not supported.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int move(const char *from, const char *to)
{
	if (rename(from, to) == 0)
		return 0;
	fprintf(stderr, "mv: %s -> %s: %s\n", from, to, strerror(errno));
	return 1;
}

int main(int argc, char **argv)
{
	return for_each_source(argc, argv, "mv", move);
}
