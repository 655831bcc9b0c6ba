/*
 * cp source dest, cp source... directory: copy files.  A new file gets
 * the source's permission bits (less the umask); an existing one is
 * overwritten in place and keeps its own.  Directories are not copied
 * (there is no -r), as coreutils' cp without -r refuses them.
 */
#include <errno.h>
#include <libgen.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define PERMISSION_BITS 07777

static char buf[65536];

static int write_all(int fd, const char *p, ssize_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= w;
	}
	return 0;
}

static int copy(const char *from, const char *to)
{
	struct stat src, dst;
	int in, out, status = 0;
	ssize_t n;

	if (stat(from, &src) < 0) {
		fprintf(stderr, "cp: cannot stat '%s': %s\n", from, strerror(errno));
		return 1;
	}
	if (S_ISDIR(src.st_mode)) {
		fprintf(stderr, "cp: -r not specified; omitting directory '%s'\n", from);
		return 1;
	}
	if (stat(to, &dst) == 0 && dst.st_dev == src.st_dev && dst.st_ino == src.st_ino) {
		fprintf(stderr, "cp: '%s' and '%s' are the same file\n", from, to);
		return 1;
	}
	in = open(from, O_RDONLY);
	if (in < 0) {
		fprintf(stderr, "cp: cannot open '%s' for reading: %s\n", from, strerror(errno));
		return 1;
	}
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, src.st_mode & PERMISSION_BITS);
	if (out < 0) {
		fprintf(stderr, "cp: cannot create regular file '%s': %s\n", to, strerror(errno));
		close(in);
		return 1;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, buf, n) < 0) {
			fprintf(stderr, "cp: %s '%s': %s\n", n < 0 ? "error reading" : "error writing",
				n < 0 ? from : to, strerror(errno));
			status = 1;
			break;
		}
	}
	close(in);
	if (close(out) < 0 && !status) {
		fprintf(stderr, "cp: error writing '%s': %s\n", to, strerror(errno));
		status = 1;
	}
	return status;
}

int main(int argc, char **argv)
{
	return for_each_source(argc, argv, "cp", copy);
}
