/*
 * /proc/self/maps read in pieces: byte by byte, in chunks that end
 * inside lines, with pread at offsets behind and ahead of the last read,
 * across its end and past it -- every piece must be the same text as one
 * big read.  Made as it is read (docs/vma.md), the text also shows the
 * mappings made after open().  Sizes differ by machine: only agreement
 * is printed.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define TEXT_MAX (1 << 20)
#define NR_MAPS 300                 /* over a page of text */
#define ODD_CHUNK 77                /* reads that end inside lines */
#define PIECE 50

static char whole[TEXT_MAX], pieces[TEXT_MAX];

/* Read fd to its end in reads of chunk bytes into buf; the length. */
static long read_all(int fd, char *buf, size_t chunk)
{
	long n = 0, r;

	while ((r = read(fd, buf + n, chunk)) > 0)
		n += r;
	return r < 0 ? r : n;
}

static void same(const char *what, long r, long want, const char *at)
{
	printf("%s: %s\n", what, r == want && !memcmp(pieces, at, want) ? "same" : "DIFFERENT");
}

int main(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	long n, r;

	printf("open: %s\n", fd >= 0 ? "ok" : errno_name(errno));
	for (int i = 0; i < NR_MAPS; i++)          /* read-only and read-write in turn: no merging */
		mmap(NULL, 4096, (i & 1) ? PROT_READ : PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	n = read_all(fd, whole, TEXT_MAX);
	printf("lines after open shown: %s\n", n > NR_MAPS * 30 ? "yes" : "no");
	lseek(fd, 0, SEEK_SET);
	same("1-byte reads", read_all(fd, pieces, 1), n, whole);
	lseek(fd, 0, SEEK_SET);
	same("odd chunks", read_all(fd, pieces, ODD_CHUNK), n, whole);
	same("pread ahead", pread(fd, pieces, PIECE, n / 2), PIECE, whole + n / 2);
	same("pread behind", pread(fd, pieces, PIECE, PIECE), PIECE, whole + PIECE);
	same("pread across the end", pread(fd, pieces, PIECE, n - 10), 10, whole + n - 10);
	r = pread(fd, pieces, PIECE, n + PIECE);
	printf("pread past the end: %ld\n", r);
	lseek(fd, n - 1, SEEK_SET);
	r = read(fd, pieces, PIECE);
	printf("last byte: %ld %s\n", r, r == 1 && pieces[0] == '\n' ? "newline" : "other");
	printf("then: %ld\n", (long)read(fd, pieces, PIECE));
	close(fd);
	return 0;
}
