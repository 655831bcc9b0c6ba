/*
 * Named pipes (mknod/mkfifo) and what Linux's fifo_open does: a reader
 * waits for a writer and a writer for a reader, O_NONBLOCK readers open
 * at once and O_NONBLOCK writers with no reader get ENXIO, O_RDWR never
 * waits, data flows between separate opens, a FIFO forgets its data when
 * the last end closes, and poll shows no hang-up before the first writer.
 * Also mknod's file types and errors.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../common/report.h"

#define FIFO "fifo"
#define OPENER_MS 100         /* how long the other end takes to come */

static void show_mode(const char *what, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		show(what, -1);
	else
		printf("%s: type %#o perm %#o\n", what, st.st_mode & S_IFMT, st.st_mode & 07777);
}

static void make_nodes(void)
{
	umask(022);
	show("mkfifo", mkfifo(FIFO, 0666));
	show_mode("  the fifo", FIFO);
	show("mkfifo again", mkfifo(FIFO, 0666));
	show("mknod of a regular file (type 0)", mknod("plain", 0644, 0));
	show_mode("  it", "plain");
	show("mknod S_IFREG", mknod("plain2", S_IFREG | 0600, 0));
	show("mknod S_IFDIR", mknod("dir", S_IFDIR | 0755, 0));
	show("mknod of type 0170000", mknod("odd", 0170000 | 0644, 0));
	show("mknod S_IFSOCK", mknod("sock", S_IFSOCK | 0644, 0));
	show("  open of the socket node", open("sock", O_RDONLY));
	show("mknod in a missing directory", mknod("no/such", S_IFIFO | 0644, 0));
	show("mknodat(AT_FDCWD) of a FIFO", syscall(__NR_mknodat, AT_FDCWD, "fifo2",
						   S_IFIFO | 0640, 0));
	show_mode("  it", "fifo2");
}

static void open_writer_later(void *arg)
{
	int fd;

	msleep(OPENER_MS);
	fd = open(FIFO, O_WRONLY);
	write(fd, "hello", 5);
	close(fd);
}

static void open_reader_later(void *arg)
{
	char buf[8] = "";
	int fd;

	msleep(OPENER_MS);
	fd = open(FIFO, O_RDONLY);
	read(fd, buf, sizeof(buf));
	_exit(strcmp(buf, "world") ? 1 : 0);
}

static void opens(void)
{
	char buf[16] = "";
	struct pollfd pfd;
	int fd, rw, status;
	pid_t pid;

	show("O_WRONLY|O_NONBLOCK with no reader", open(FIFO, O_WRONLY | O_NONBLOCK));
	fd = open(FIFO, O_RDONLY | O_NONBLOCK);
	show_bool("O_RDONLY|O_NONBLOCK opens at once", fd >= 0);
	show("  read with no writer yet", read(fd, buf, sizeof(buf)));
	pfd.fd = fd;
	pfd.events = POLLIN;
	show("  poll before any writer", poll(&pfd, 1, 0));
	show("  O_WRONLY|O_NONBLOCK with a reader now", rw = open(FIFO, O_WRONLY | O_NONBLOCK));
	show("  write", write(rw, "abc", 3));
	show("  read", read(fd, buf, sizeof(buf)));
	close(rw);
	show("  poll after the writer left", poll(&pfd, 1, 0));
	printf("  revents %#x\n", pfd.revents);
	close(fd);

	pid = spawn(open_writer_later, NULL);
	fd = open(FIFO, O_RDONLY);                  /* blocks until the writer comes */
	memset(buf, 0, sizeof(buf));
	show("blocking reader: read", read(fd, buf, sizeof(buf)));
	printf("  got \"%s\"\n", buf);
	show("  then EOF", read(fd, buf, sizeof(buf)));
	close(fd);
	waitpid(pid, &status, 0);

	pid = spawn(open_reader_later, NULL);
	fd = open(FIFO, O_WRONLY);                  /* blocks until the reader comes */
	show("blocking writer: write", write(fd, "world", 5));
	close(fd);
	show_status("  the reader", wait_status(pid, 0));

	rw = open(FIFO, O_RDWR);
	show_bool("O_RDWR opens without waiting", rw >= 0);
	show("  write", write(rw, "xyz", 3));
	close(rw);
	fd = open(FIFO, O_RDONLY | O_NONBLOCK);
	show("reopened: the data is gone", read(fd, buf, sizeof(buf)));
	close(fd);
	show("O_DIRECT open of a FIFO", open(FIFO, O_RDONLY | O_NONBLOCK | O_DIRECT));
	show("lseek on a FIFO", (rw = open(FIFO, O_RDWR)) >= 0 ? lseek(rw, 0, SEEK_SET) : -1);
	close(rw);
}

static void interrupted(int sig)
{
}

/* A blocked open interrupted by a signal without SA_RESTART fails with EINTR. */
static void open_interrupted(void)
{
	struct sigaction sa = { .sa_handler = interrupted };

	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	show("a blocking FIFO open interrupted by SIGALRM", open(FIFO, O_RDONLY));
	alarm(0);
}

int main(void)
{
	enter_scratch("fifo");
	make_nodes();
	opens();
	open_interrupted();
	leave_scratch();
	return 0;
}
