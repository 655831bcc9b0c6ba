/* cat [file...]: copy the files (or stdin; "-" means stdin) to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char buf[16384];

/* Copy fd to stdout; 0 on success, else errno (and *write_err for output errors). */
static int copy(int fd, int *write_err)
{
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(1, buf + done, n - done);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				*write_err = 1;
				return errno;
			}
			done += w;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static char *just_stdin[] = { "-" };
	char **files = argc > 1 ? argv + 1 : just_stdin;
	int nfiles = argc > 1 ? argc - 1 : 1, status = 0;

	for (int i = 0; i < nfiles; i++) {
		int stdin_arg = !strcmp(files[i], "-");
		int fd = stdin_arg ? 0 : open(files[i], O_RDONLY);
		int err, write_err = 0;

		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", files[i], strerror(errno));
			status = 1;
			continue;
		}
		err = copy(fd, &write_err);
		if (err) {
			fprintf(stderr, "cat: %s: %s\n", write_err ? "write error" : files[i],
				strerror(err));
			status = 1;
		}
		if (!stdin_arg)
			close(fd);
		if (write_err)
			break;
	}
	return status;
}
