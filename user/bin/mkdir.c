/* mkdir [-p] dir...: make directories; -p: parents too, and no error if one exists. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* mkdir that accepts an existing directory. */
static int mkdir_ok(const char *path)
{
	struct stat st;

	if (mkdir(path, 0777) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	errno = EEXIST;
	return -1;
}

/* Make every leading component of path, then path itself. */
static int mkdir_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		if (mkdir_ok(path) < 0) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir_ok(path);
}

int main(int argc, char **argv)
{
	int parents = 0, status = 0, i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (char *o = argv[i] + 1; *o; o++) {
			if (*o != 'p') {
				fprintf(stderr, "mkdir: invalid option -- '%c'\nusage: mkdir [-p] dir...\n", *o);
				return 1;
			}
			parents = 1;
		}
	}
	if (i == argc) {
		fputs("mkdir: missing operand\nusage: mkdir [-p] dir...\n", stderr);
		return 1;
	}
	for (; i < argc; i++) {
		if ((parents ? mkdir_parents(argv[i]) : mkdir(argv[i], 0777)) < 0) {
			fprintf(stderr, "mkdir: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	}
	return status;
}
