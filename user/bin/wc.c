/*
 * wc [-lwc] [file...]: newlines, words (runs of non-blanks) and bytes of
 * each file or of stdin, then a "total" line for several files.  The
 * columns are as wide as coreutils makes them: wide enough for the
 * regular files' total size, at least 7 when a pipe or terminal is among
 * the inputs, and unpadded for a single count of a single input.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define NONREGULAR_WIDTH 7

struct counts {
	unsigned long long lines, words, bytes;
};

static int show_lines, show_words, show_bytes, width;

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* No file named (NULL) or "-". */
static int is_stdin(const char *name)
{
	return !name || !strcmp(name, "-");
}

static int count(int fd, struct counts *c)
{
	static unsigned char buf[65536];
	int in_word = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c->bytes += n;
		for (ssize_t i = 0; i < n; i++) {
			c->lines += buf[i] == '\n';
			if (is_blank(buf[i]))
				in_word = 0;
			else if (!in_word++)
				c->words++;
		}
	}
	return 0;
}

static void print(const struct counts *c, const char *name)
{
	const char *sep = "";

	if (show_lines) {
		printf("%*llu", width, c->lines);
		sep = " ";
	}
	if (show_words) {
		printf("%s%*llu", sep, width, c->words);
		sep = " ";
	}
	if (show_bytes)
		printf("%s%*llu", sep, width, c->bytes);
	printf("%s%s\n", name ? " " : "", name ? name : "");
}

/* coreutils' compute_number_width, from what stat says of the inputs. */
static int number_width(char **files, int nfiles)
{
	unsigned long long regular = 0;
	int w = 1, minimum = 1;

	if (nfiles == 1 && show_lines + show_words + show_bytes == 1)
		return 1;
	for (int i = 0; i < nfiles; i++) {
		struct stat st;

		if ((is_stdin(files[i]) ? fstat(0, &st) : stat(files[i], &st)) < 0)
			continue;
		if (S_ISREG(st.st_mode))
			regular += st.st_size;
		else
			minimum = NONREGULAR_WIDTH;
	}
	for (; regular >= 10; regular /= 10)
		w++;
	return w > minimum ? w : minimum;
}

int main(int argc, char **argv)
{
	static char *just_stdin[] = { NULL };
	struct counts total = { 0, 0, 0 };
	char **files;
	int i = 1, nfiles, status = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'l')
				show_lines = 1;
			else if (*o == 'w')
				show_words = 1;
			else if (*o == 'c')
				show_bytes = 1;
			else {
				fputs("usage: wc [-lwc] [file...]\n", stderr);
				return 1;
			}
		}
	}
	if (!show_lines && !show_words && !show_bytes)
		show_lines = show_words = show_bytes = 1;
	files = i < argc ? argv + i : just_stdin;
	nfiles = i < argc ? argc - i : 1;
	width = number_width(files, nfiles);
	for (i = 0; i < nfiles; i++) {
		struct counts c = { 0, 0, 0 };
		int fd = is_stdin(files[i]) ? 0 : open(files[i], O_RDONLY);

		if (fd < 0 || count(fd, &c) < 0) {
			fprintf(stderr, "wc: %s: %s\n", files[i] ? files[i] : "-", strerror(errno));
			status = 1;
		}
		if (fd >= 0)        /* what was read before a read error is counted, as coreutils */
			print(&c, files[i]);
		if (fd > 0)
			close(fd);
		total.lines += c.lines;
		total.words += c.words;
		total.bytes += c.bytes;
	}
	if (nfiles > 1)
		print(&total, "total");
	return fflush(stdout) ? 1 : status;
}
