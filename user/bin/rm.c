/*
 * rm [-rf] file...: remove files; -r: directories and their contents;
 * -f: no complaint about missing files.  "." and ".." are refused.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static int recursive, force, status;

static void complain(const char *path, int err)
{
	if (force && err == ENOENT)
		return;
	fprintf(stderr, "rm: %s: %s\n", path, strerror(err));
	status = 1;
}

static void remove_path(const char *path);

/* Remove everything inside the directory path, then the directory. */
static void remove_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	size_t len = strlen(path);

	if (!d) {
		complain(path, errno);
		return;
	}
	while ((de = readdir(d))) {
		char *child;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		child = malloc(len + strlen(de->d_name) + 2);
		if (!child) {
			complain(path, ENOMEM);
			break;
		}
		sprintf(child, "%s/%s", path, de->d_name);
		remove_path(child);
		free(child);
	}
	closedir(d);
	if (rmdir(path) < 0)
		complain(path, errno);
}

static void remove_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		complain(path, errno);
	} else if (S_ISDIR(st.st_mode)) {
		if (recursive)
			remove_dir(path);
		else
			complain(path, EISDIR);
	} else if (unlink(path) < 0) {
		complain(path, errno);
	}
}

/* The last component of path, ignoring trailing slashes, is "." or "..". */
static int is_dot_or_dotdot(const char *path)
{
	size_t n = strlen(path);
	const char *base;

	while (n > 1 && path[n - 1] == '/')
		n--;
	base = path + n;
	while (base > path && base[-1] != '/')
		base--;
	n -= base - path;
	return (n == 1 && base[0] == '.') || (n == 2 && base[0] == '.' && base[1] == '.');
}

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (char *o = argv[i] + 1; *o; o++) {
			if (*o == 'r' || *o == 'R')
				recursive = 1;
			else if (*o == 'f')
				force = 1;
			else {
				fprintf(stderr, "rm: invalid option -- '%c'\nusage: rm [-rf] file...\n", *o);
				return 1;
			}
		}
	}
	if (i == argc && !force) {
		fputs("rm: missing operand\nusage: rm [-rf] file...\n", stderr);
		return 1;
	}
	for (; i < argc; i++) {
		if (is_dot_or_dotdot(argv[i])) {
			fprintf(stderr, "rm: refusing to remove '.' or '..': %s\n", argv[i]);
			status = 1;
			continue;
		}
		remove_path(argv[i]);
	}
	return status;
}
