/*
 * Buffered streams: FILE, stdin/stdout/stderr, open/close, reading,
 * writing and flushing.  A stream's buffer is allocated at first use;
 * then a stream on a terminal becomes line-buffered, any other stays
 * fully buffered.  stderr is unbuffered.  Formatted output is printf.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "libc.h"

#define F_READ 0x01     /* opened for reading */
#define F_WRITE 0x02    /* opened for writing */
#define F_EOF 0x04
#define F_ERR 0x08
#define F_LINEBUF 0x10  /* flush at each '\n' */
#define F_UNBUF 0x20    /* no buffer at all */
#define F_STATIC 0x40   /* one of the three standard streams: never freed */

struct _FILE {
	int fd;
	int flags;
	int ungot;              /* a character pushed back by ungetc, or EOF */
	unsigned char *buf;     /* NULL until first use */
	size_t size;
	size_t rpos, rend;      /* reading: buf[rpos, rend) not yet consumed */
	size_t wlen;            /* writing: buf[0, wlen) not yet written */
	struct _FILE *next;     /* every open stream, for fflush(NULL) and exit */
};

static unsigned char stdin_buf[BUFSIZ], stdout_buf[BUFSIZ];
static FILE std_err = { 2, F_WRITE | F_UNBUF | F_STATIC, EOF, NULL, 0, 0, 0, 0, NULL };
static FILE std_out = { 1, F_WRITE | F_STATIC, EOF, NULL, 0, 0, 0, 0, &std_err };
static FILE std_in = { 0, F_READ | F_STATIC, EOF, NULL, 0, 0, 0, 0, &std_out };
FILE *stdin = &std_in, *stdout = &std_out, *stderr = &std_err;
static FILE *streams = &std_in;

/* Give f its buffer on first use and choose line or full buffering. */
static int setup_buffer(FILE *f)
{
	if (f->buf || (f->flags & F_UNBUF))
		return 0;
	if (f == stdin || f == stdout) {
		f->buf = f == stdin ? stdin_buf : stdout_buf;
	} else if (!(f->buf = malloc(BUFSIZ))) {
		f->flags |= F_ERR;
		return -1;
	}
	f->size = BUFSIZ;
	if (isatty(f->fd))
		f->flags |= F_LINEBUF;
	return 0;
}

/* Write all n bytes, across short writes and interrupted calls. */
static int write_all(FILE *f, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(f->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			f->flags |= F_ERR;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

/* Forget read-ahead, moving the file offset back to what the reader has consumed. */
static void drop_read(FILE *f)
{
	off_t ahead = (off_t)(f->rend - f->rpos) + (f->ungot != EOF);

	if (ahead)
		lseek(f->fd, -ahead, SEEK_CUR);   /* fails harmlessly on pipes and terminals */
	f->rpos = f->rend = 0;
	f->ungot = EOF;
}

static int flush_write(FILE *f)
{
	size_t n = f->wlen;

	f->wlen = 0;
	return n ? write_all(f, f->buf, n) : 0;
}

int fflush(FILE *f)
{
	int r = 0;

	if (!f) {
		for (f = streams; f; f = f->next)
			if (fflush(f))
				r = EOF;
		return r;
	}
	if (f->wlen)
		return flush_write(f) ? EOF : 0;
	if (f->rend > f->rpos || f->ungot != EOF)
		drop_read(f);
	return 0;
}

void __stdio_exit(void) { fflush(NULL); }

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
	const unsigned char *p = buf;
	size_t total = size * n, left = total;

	if (!total)
		return 0;
	if (!(f->flags & F_WRITE)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return 0;
	}
	if (f->rend > f->rpos || f->ungot != EOF)
		drop_read(f);
	if (setup_buffer(f) < 0)
		return 0;
	if (f->flags & F_UNBUF)
		return write_all(f, p, total) ? 0 : n;
	while (left) {
		size_t room = f->size - f->wlen, chunk = left < room ? left : room;

		/* A write at least a buffer long bypasses an empty buffer. */
		if (!f->wlen && left >= f->size) {
			if (write_all(f, p, left))
				return (total - left) / size;
			break;
		}
		memcpy(f->buf + f->wlen, p, chunk);
		f->wlen += chunk;
		p += chunk;
		left -= chunk;
		if (f->wlen == f->size && flush_write(f))
			return (total - left) / size;
	}
	if ((f->flags & F_LINEBUF) && memchr(buf, '\n', total) && flush_write(f))
		return 0;
	return n;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	return fwrite(&ch, 1, 1, f) == 1 ? ch : EOF;
}

int putc(int c, FILE *f) { return fputc(c, f); }
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *s, FILE *f)
{
	size_t n = strlen(s);

	return fwrite(s, 1, n, f) == n ? 0 : EOF;
}

int puts(const char *s) { return fputs(s, stdout) == EOF || fputc('\n', stdout) == EOF ? EOF : 0; }

/*
 * Refill the read buffer: 1 if there is data, 0 at end of file, -1 on
 * error.  Reading may wait for a person, so first flush a line-buffered
 * stdout (its prompt), as glibc does.
 */
static int fill(FILE *f)
{
	ssize_t n;

	if (!(f->flags & F_READ)) {
		f->flags |= F_ERR;
		errno = EBADF;
		return -1;
	}
	if (f->wlen && flush_write(f))
		return -1;
	if (setup_buffer(f) < 0)
		return -1;
	if ((stdout->flags & F_LINEBUF) && stdout->wlen)
		flush_write(stdout);
	do
		n = read(f->fd, f->buf, f->size);
	while (n < 0 && errno == EINTR);
	if (n <= 0) {
		f->flags |= n ? F_ERR : F_EOF;
		return n ? -1 : 0;
	}
	f->rpos = 0;
	f->rend = n;
	return 1;
}

int fgetc(FILE *f)
{
	if (f->ungot != EOF) {
		int c = f->ungot;

		f->ungot = EOF;
		return c;
	}
	if (f->rpos == f->rend && fill(f) <= 0)
		return EOF;
	return f->buf[f->rpos++];
}

int getc(FILE *f) { return fgetc(f); }
int getchar(void) { return fgetc(stdin); }

int ungetc(int c, FILE *f)
{
	if (c == EOF || f->ungot != EOF)
		return EOF;
	f->ungot = (unsigned char)c;
	f->flags &= ~F_EOF;
	return f->ungot;
}

/* Read up to size-1 characters, through the first newline. */
char *fgets(char *s, int size, FILE *f)
{
	int i = 0, c = 0;

	while (i < size - 1 && c != '\n') {
		c = fgetc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
	}
	if (size <= 0 || (i == 0 && c == EOF))
		return NULL;
	s[i] = '\0';
	return s;
}

/* POSIX getline: a whole line of any length in *line (grown with realloc); -1 at EOF. */
ssize_t getline(char **line, size_t *cap, FILE *f)
{
	size_t n = 0;
	int c = 0;

	while (c != '\n' && (c = fgetc(f)) != EOF) {
		if (n + 2 > *cap) {
			size_t want = *cap ? 2 * *cap : 128;
			char *p = realloc(*line, want);

			if (!p)
				return -1;
			*line = p;
			*cap = want;
		}
		(*line)[n++] = (char)c;
	}
	if (!n)
		return -1;
	(*line)[n] = '\0';
	return n;
}

size_t fread(void *buf, size_t size, size_t n, FILE *f)
{
	unsigned char *p = buf;
	size_t total = size * n, got = 0;

	if (total && f->ungot != EOF) {
		p[got++] = (unsigned char)f->ungot;
		f->ungot = EOF;
	}
	while (got < total) {
		size_t avail = f->rend - f->rpos, chunk;

		if (!avail && fill(f) <= 0)
			break;
		avail = f->rend - f->rpos;
		chunk = total - got < avail ? total - got : avail;
		memcpy(p + got, f->buf + f->rpos, chunk);
		f->rpos += chunk;
		got += chunk;
	}
	return size ? got / size : 0;
}

int feof(FILE *f) { return (f->flags & F_EOF) != 0; }
int ferror(FILE *f) { return (f->flags & F_ERR) != 0; }
void clearerr(FILE *f) { f->flags &= ~(F_EOF | F_ERR); }
int fileno(FILE *f) { return f->fd; }

/* "r", "w", "a", each optionally with "+"; "b" is ignored, "e" is O_CLOEXEC, "x" O_EXCL. */
static int mode_flags(const char *mode, int *oflags)
{
	int o;

	switch (mode[0]) {
	case 'r':
		o = O_RDONLY;
		break;
	case 'w':
		o = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		o = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	for (const char *m = mode + 1; *m; m++) {
		if (*m == '+')
			o = (o & ~O_ACCMODE) | O_RDWR;
		else if (*m == 'e')
			o |= O_CLOEXEC;
		else if (*m == 'x')
			o |= O_EXCL;
	}
	*oflags = o;
	return 0;
}

FILE *fdopen(int fd, const char *mode)
{
	int o;
	FILE *f;

	if (mode_flags(mode, &o) < 0)
		return NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->fd = fd;
	f->ungot = EOF;
	if ((o & O_ACCMODE) != O_WRONLY)
		f->flags |= F_READ;
	if ((o & O_ACCMODE) != O_RDONLY)
		f->flags |= F_WRITE;
	f->next = streams;
	streams = f;
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int o, fd;
	FILE *f;

	if (mode_flags(mode, &o) < 0)
		return NULL;
	fd = open(path, o, 0666);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, mode);
	if (!f)
		close(fd);
	return f;
}

int fclose(FILE *f)
{
	int r = fflush(f);
	FILE **pp;

	if (close(f->fd) < 0)
		r = EOF;
	for (pp = &streams; *pp; pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	if (!(f->flags & F_STATIC)) {
		free(f->buf);
		free(f);
	}
	return r;
}
