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
	const char *dest;
	struct stat st;
	int into_dir, status = 0, first = 1;

	if (first < argc && !strcmp(argv[first], "--"))
		first++;
	if (argc - first < 2) {
		fputs("mv: missing operand\nusage: mv source dest | mv source... directory\n", stderr);
		return 1;
	}
	dest = argv[argc - 1];
	into_dir = stat(dest, &st) == 0 && S_ISDIR(st.st_mode);
	if (!into_dir && argc - first > 2) {
		fprintf(stderr, "mv: %s: %s\n", dest, strerror(ENOTDIR));
		return 1;
	}
	for (int i = first; i < argc - 1; i++) {
		char *copy, *base, *to;

		if (!into_dir) {
			status |= move(argv[i], dest);
			continue;
		}
		copy = strdup(argv[i]);
		base = copy ? basename(copy) : NULL;
		to = base ? malloc(strlen(dest) + strlen(base) + 2) : NULL;
		if (!to) {
			fputs("mv: out of memory\n", stderr);
			return 1;
		}
		sprintf(to, "%s/%s", dest, base);
		status |= move(argv[i], to);
		free(copy);
		free(to);
	}
	return status;
}
