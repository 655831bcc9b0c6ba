/*
 * A pipe's capacity (F_GETPIPE_SZ, F_SETPIPE_SZ: rounded up to a power of
 * two of pages, EBUSY below what it holds, EBADF for a file that is no
 * pipe) and packet mode (pipe2 with O_DIRECT, or F_SETFL): each write a
 * packet of at most a page, each read one packet with any excess lost,
 * one packet per page of capacity.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define CHUNK 1024
#define BIG_PACKET 10000      /* two full pages and a part: three packets */
#define SMALL_READ 100

static int make_pipe(int p[2], int flags)
{
	return syscall(__NR_pipe2, p, flags);
}

static void sizes(void)
{
	static char chunk[CHUNK];
	int p[2], fd, n = 0;

	make_pipe(p, O_NONBLOCK);
	show("F_GETPIPE_SZ of a new pipe", fcntl(p[0], F_GETPIPE_SZ));
	show("F_SETPIPE_SZ 0", fcntl(p[1], F_SETPIPE_SZ, 0));
	show("F_SETPIPE_SZ 5000", fcntl(p[1], F_SETPIPE_SZ, 5000));
	show("  F_GETPIPE_SZ of the other end", fcntl(p[0], F_GETPIPE_SZ));
	show("F_SETPIPE_SZ 1 MiB", fcntl(p[1], F_SETPIPE_SZ, 1 << 20));
	show("F_SETPIPE_SZ 16384", fcntl(p[1], F_SETPIPE_SZ, 16384));
	while (write(p[1], chunk, sizeof(chunk)) == sizeof(chunk))
		n++;
	printf("  %d KiB written before EAGAIN\n", n);
	show("  shrink to 4096 while full", fcntl(p[1], F_SETPIPE_SZ, 4096));
	show("  read 10 KiB", read(p[0], chunk, sizeof(chunk)) + read(p[0], chunk, sizeof(chunk)) * 9);
	show("  grow to 65536 with data in it", fcntl(p[1], F_SETPIPE_SZ, 65536));
	for (n = 0; read(p[0], chunk, sizeof(chunk)) == sizeof(chunk); n++)
		;
	printf("  %d KiB more read back\n", n);
	show("F_SETPIPE_SZ above 2^31", fcntl(p[1], F_SETPIPE_SZ, 0x80000001UL));
	close(p[0]);
	close(p[1]);
	fd = open("/dev/null", O_RDWR);
	show("F_GETPIPE_SZ of /dev/null", fcntl(fd, F_GETPIPE_SZ));
	show("F_SETPIPE_SZ of /dev/null", fcntl(fd, F_SETPIPE_SZ, 4096));
	show("F_SETFL O_DIRECT on /dev/null", fcntl(fd, F_SETFL, O_DIRECT));
	close(fd);
	show("open of /dev/null with O_DIRECT", open("/dev/null", O_RDONLY | O_DIRECT));
}

static void packets(void)
{
	static char big[BIG_PACKET], buf[BIG_PACKET];
	int p[2], n, avail = 0;

	show("pipe2(O_DIRECT)", make_pipe(p, O_DIRECT));
	show_bool("  F_GETFL has O_DIRECT", fcntl(p[0], F_GETFL) & O_DIRECT);
	write(p[1], "a", 1);
	write(p[1], "bb", 2);
	write(p[1], "ccc", 3);
	ioctl(p[0], FIONREAD, &avail);
	printf("  FIONREAD after three packets: %d\n", avail);
	for (int i = 0; i < 3; i++) {
		n = read(p[0], buf, sizeof(buf));
		printf("  read %d: %d bytes \"%.*s\"\n", i, n, n, buf);
	}
	memset(big, 'x', sizeof(big));
	show("  write of 10000 bytes", write(p[1], big, sizeof(big)));
	for (int i = 0; i < 3; i++)
		show("  a 100-byte read", read(p[0], buf, SMALL_READ));
	fcntl(p[0], F_SETFL, O_NONBLOCK | O_DIRECT);
	show("  then nothing is left", read(p[0], buf, sizeof(buf)));
	fcntl(p[1], F_SETFL, O_NONBLOCK | O_DIRECT);
	for (n = 0; write(p[1], "z", 1) == 1; n++)
		;
	printf("  one-byte packets before EAGAIN: %d (%s)\n", n, errno_name(errno));
	show("  F_SETPIPE_SZ 4096 with 16 packets", fcntl(p[1], F_SETPIPE_SZ, 4096));
	fcntl(p[0], F_SETFL, O_NONBLOCK);           /* a stream reader reads across packets */
	show("  a stream read", read(p[0], buf, sizeof(buf)));
	close(p[0]);
	close(p[1]);
	make_pipe(p, 0);
	show("F_SETFL O_DIRECT on a plain pipe", fcntl(p[1], F_SETFL, O_DIRECT));
	write(p[1], "ab", 2);
	write(p[1], "cd", 2);
	fcntl(p[0], F_SETFL, O_DIRECT);
	show("  a packet read of two earlier stream writes", read(p[0], buf, sizeof(buf)));
	close(p[0]);
	close(p[1]);
	show("pipe2 with an unknown flag", make_pipe(p, O_APPEND));
}

int main(void)
{
	sizes();
	packets();
	return 0;
}
