/*
 * Pipes: descriptor numbers, partial reads, EOF, EPIPE and SIGPIPE,
 * O_NONBLOCK and EAGAIN, wrong-direction I/O (EBADF), ESPIPE, fstat,
 * pipe2 flags, FIONREAD, a 200 KiB transfer and PIPE_BUF atomicity.
 */
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define BIG (200 * 1024)
#define PIPE_BUF 4096
#define WRITERS 4
#define BLOCKS 32

static void basics(void)
{
	int p[2], n;
	char buf[32];
	struct stat st;

	show("pipe", pipe(p));
	printf("descriptors: %d %d\n", p[0], p[1]);
	show("access mode of the read end", fcntl(p[0], F_GETFL) & O_ACCMODE);
	show("access mode of the write end", fcntl(p[1], F_GETFL) & O_ACCMODE);
	show("write 10", write(p[1], "0123456789", 10));
	show("FIONREAD", ioctl(p[0], FIONREAD, &n) < 0 ? -1 : n);
	show("read 4", read(p[0], buf, 4));
	show("read the rest", read(p[0], buf, sizeof(buf)));
	show("write to the read end", write(p[0], "x", 1));
	show("read from the write end", read(p[1], buf, 1));
	show("lseek", lseek(p[0], 0, SEEK_SET));
	fstat(p[0], &st);
	show_bool("fstat: a FIFO", S_ISFIFO(st.st_mode));
	show("write 3 then close the write end", write(p[1], "abc", 3));
	close(p[1]);
	show("read after the writer closed", read(p[0], buf, sizeof(buf)));
	show("read at EOF", read(p[0], buf, sizeof(buf)));
	close(p[0]);
}

static void write_no_reader(void *arg)
{
	int *p = arg;

	write(p[1], "x", 1);
}

static void no_readers(void)
{
	int p[2];

	pipe(p);
	close(p[0]);
	show_child("writing with no reader", write_no_reader, p);
	signal(SIGPIPE, SIG_IGN);
	show("writing with no reader, SIGPIPE ignored", write(p[1], "x", 1));
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
}

static void nonblocking(void)
{
	static char buf[PIPE_BUF];
	int p[2];
	long total = 0;
	ssize_t r;

	show("pipe2(O_NONBLOCK | O_CLOEXEC)", syscall(__NR_pipe2, p, O_NONBLOCK | O_CLOEXEC));
	show("  F_GETFD", fcntl(p[0], F_GETFD));
	show("  O_NONBLOCK set", (fcntl(p[1], F_GETFL) & O_NONBLOCK) != 0);
	show("  read from the empty pipe", read(p[0], buf, 1));
	while ((r = write(p[1], buf, sizeof(buf))) > 0)
		total += r;
	show("  filling it ends with", r);
	show_bool("  it held at least 4096 bytes", total >= PIPE_BUF);
	show("  one more byte", write(p[1], buf, 1));
	close(p[0]);
	close(p[1]);
	show("pipe2 with an unknown flag", syscall(__NR_pipe2, p, O_APPEND));
}

static void big_writer(void *arg)
{
	static unsigned char buf[BIG];
	int *p = arg;

	close(p[0]);
	fill_pattern(buf, BIG, 5);
	for (size_t off = 0; off < BIG; off += 3000)
		write(p[1], buf + off, BIG - off < 3000 ? BIG - off : 3000);
}

static void big_transfer(void)
{
	static unsigned char buf[BIG + 16];
	int p[2];
	size_t got = 0;
	ssize_t r;

	pipe(p);
	spawn(big_writer, p);
	close(p[1]);
	while ((r = read(p[0], buf + got, sizeof(buf) - got)) > 0)
		got += r;
	printf("200 KiB through a pipe: %zu bytes, pattern %s\n", got,
	       check_pattern(buf, BIG, 5) < 0 ? "intact" : "broken");
	show_status("  the writer", wait_status(-1, 0));
	close(p[0]);
}

static void atomic_writer(void *arg)
{
	int *p = arg;
	char block[PIPE_BUF];

	memset(block, 'a' + p[2], sizeof(block));
	for (int i = 0; i < BLOCKS; i++)
		write(p[1], block, sizeof(block));
}

/* Writers of PIPE_BUF-byte blocks never interleave within a block. */
static void atomicity(void)
{
	static char block[PIPE_BUF];
	int p[3], mixed = 0, count = 0;

	pipe(p);
	for (p[2] = 0; p[2] < WRITERS; p[2]++)
		spawn(atomic_writer, p);
	close(p[1]);
	for (;;) {
		size_t got = 0;
		ssize_t r = 1;

		while (got < PIPE_BUF && (r = read(p[0], block + got, PIPE_BUF - got)) > 0)
			got += r;
		if (got < PIPE_BUF)
			break;
		count++;
		for (int i = 1; i < PIPE_BUF; i++)
			mixed |= block[i] != block[0];
	}
	printf("%d writers of %d-byte blocks: %d blocks, %s\n", WRITERS, PIPE_BUF, count,
	       mixed ? "some interleaved" : "none interleaved");
	for (int i = 0; i < WRITERS; i++)
		wait_status(-1, 0);
	close(p[0]);
}

int main(void)
{
	basics();
	no_readers();
	nonblocking();
	big_transfer();
	atomicity();
	return 0;
}
