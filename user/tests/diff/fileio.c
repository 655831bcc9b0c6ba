/*
 * File I/O and its errno values: open flags (O_CREAT/O_EXCL/O_TRUNC/
 * O_APPEND/O_DIRECTORY/O_CLOEXEC), read/write/lseek with holes,
 * pread/pwrite, readv/writev, truncation, stat, directories, rename and
 * unlink, getdents64 (sorted), and the whole of standard input.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "../common/report.h"

/* The file's size and contents, printable ('.' for NUL). */
static void show_file(const char *what, const char *path)
{
	char buf[64];
	int fd = open(path, O_RDONLY);
	ssize_t n = read(fd, buf, sizeof(buf));
	struct stat st;

	fstat(fd, &st);
	for (ssize_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = '.';
	printf("%s: size %lld, \"%.*s\"\n", what, st.st_size, n < 0 ? 0 : (int)n, buf);
	close(fd);
}

static void opening(void)
{
	int fd;

	show("open a missing file", open("missing", O_RDONLY));
	show("O_CREAT", fd = open("f", O_CREAT | O_RDWR, 0640));
	close(fd);
	show("O_CREAT | O_EXCL on an existing file", open("f", O_CREAT | O_EXCL | O_RDWR, 0644));
	show("O_DIRECTORY on a file", open("f", O_RDONLY | O_DIRECTORY));
	show("a file as a directory", open("f/x", O_RDONLY));
	show("trailing slash on a file", open("f/", O_RDONLY));
	show("a directory for writing", open(".", O_WRONLY));
	show("a directory O_RDONLY | O_DIRECTORY", fd = open(".", O_RDONLY | O_DIRECTORY));
	show("  read from it", read(fd, &fd, 1));
	close(fd);
	show("a name of 300 characters", open("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				O_CREAT | O_RDWR, 0644));
	show("empty path", open("", O_RDONLY));
	show("O_CLOEXEC: F_GETFD", fcntl(fd = open("f", O_RDONLY | O_CLOEXEC), F_GETFD));
	close(fd);
	show("bad descriptor: read", read(99, &fd, 1));
	show("bad descriptor: close", close(99));
}

static void reading_writing(void)
{
	int fd = open("f", O_RDWR | O_TRUNC);
	char buf[32];
	struct iovec iov[3] = { { "one ", 4 }, { "two ", 4 }, { "three", 5 } };

	show("write", write(fd, "hello world", 11));
	show("lseek SEEK_CUR", lseek(fd, 0, SEEK_CUR));
	show("lseek 6", lseek(fd, 6, SEEK_SET));
	show("read", read(fd, buf, sizeof(buf)));
	show("read at EOF", read(fd, buf, sizeof(buf)));
	show("lseek SEEK_END -5", lseek(fd, -5, SEEK_END));
	show("lseek to -1", lseek(fd, -1, SEEK_SET));
	show("lseek with whence 7", lseek(fd, 0, 7));
	show("lseek past the end", lseek(fd, 16, SEEK_SET));
	show("write there", write(fd, "!", 1));
	show_file("  with a hole", "f");
	show("pwrite at 2", pwrite(fd, "LL", 2, 2));
	show("  offset unchanged", lseek(fd, 0, SEEK_CUR));
	show("pread 5 at 0", pread(fd, buf, 5, 0));
	printf("  \"%.5s\"\n", buf);
	show("pread at a negative offset", pread(fd, buf, 1, -1));
	lseek(fd, 0, SEEK_SET);
	show("writev", writev(fd, iov, 3));
	show_file("  after writev", "f");
	lseek(fd, 4, SEEK_SET);
	iov[0].iov_base = buf;
	iov[0].iov_len = 3;
	iov[1].iov_base = buf + 3;
	iov[1].iov_len = 6;
	show("readv", readv(fd, iov, 2));
	printf("  \"%.9s\"\n", buf);
	show("writev with a negative count", writev(fd, iov, -1));
	close(fd);

	fd = open("f", O_WRONLY | O_APPEND);
	lseek(fd, 0, SEEK_SET);
	show("O_APPEND write after lseek 0", write(fd, "<end>", 5));
	show("  offset", lseek(fd, 0, SEEK_CUR));
	show("  read on O_WRONLY", read(fd, buf, 1));
	close(fd);
	show_file("after O_APPEND", "f");
	fd = open("f", O_RDONLY);
	show("write on O_RDONLY", write(fd, "x", 1));
	show("ftruncate on O_RDONLY", ftruncate(fd, 0));
	close(fd);
	show("truncate to 3", truncate("f", 3));
	show_file("  truncated", "f");
	show("truncate to 6", truncate("f", 6));
	show_file("  extended", "f");
	show("truncate to -1", truncate("f", -1));
	show("truncate a directory", truncate(".", 0));
	fd = creat("f", 0644);
	show_file("creat truncates", "f");
	close(fd);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's entries, sorted, with their types. */
static void show_dir(const char *path)
{
	static char buf[1024], *names[32];
	int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0, r;

	while ((r = getdents64(fd, buf, sizeof(buf))) > 0)
		for (int off = 0; off < r && n < 32; ) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);

			names[n] = malloc(strlen(d->d_name) + 4);
			sprintf(names[n++], "%s/%c", d->d_name, d->d_type == DT_DIR ? 'd' :
				d->d_type == DT_REG ? 'f' : '?');
			off += d->d_reclen;
		}
	qsort(names, n, sizeof(names[0]), compare_names);
	printf("%s:", path);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
	close(fd);
}

static void directories(void)
{
	struct stat st;

	show("mkdir d", mkdir("d", 0755));
	show("mkdir d again", mkdir("d", 0755));
	show("mkdir in a missing directory", mkdir("missing/d", 0755));
	show("mkdir under a file", mkdir("f/d", 0755));
	close(creat("d/a", 0644));
	close(creat("d/b", 0644));
	mkdir("d/sub", 0755);
	show_dir("d");
	show("rmdir a non-empty directory", rmdir("d"));
	show("rmdir a file", rmdir("d/a"));
	show("rmdir .", rmdir("d/sub/."));
	show("unlink a directory", unlink("d/sub"));
	show("unlink a missing file", unlink("d/missing"));
	show("rename a file over a file", rename("d/a", "d/b"));
	show("rename a file over a directory", rename("d/b", "d/sub"));
	show("rename a directory over a file", rename("d/sub", "d/b"));
	show("rename a directory into itself", rename("d", "d/sub/d"));
	show("rename a missing file", rename("d/missing", "d/x"));
	show("rename a directory", rename("d/sub", "d/sub2"));
	show_dir("d");
	stat("d/b", &st);
	printf("stat d/b: regular %d, size %lld, links %u, mode %o\n", S_ISREG(st.st_mode),
	       st.st_size, st.st_nlink, st.st_mode & 07777);
	stat("d", &st);
	printf("stat d: directory %d, mode %o\n", S_ISDIR(st.st_mode), st.st_mode & 07777);
	show("stat a missing file", stat("d/missing", &st));
	show("stat through a file", stat("d/b/x", &st));
	show("unlink d/b", unlink("d/b"));
	show("rmdir d/sub2", rmdir("d/sub2"));
	show("rmdir d", rmdir("d"));
}

static void standard_input(void)
{
	static char buf[4096];
	unsigned long total = 0, sum = 0, lines = 0;
	ssize_t r;

	while ((r = read(0, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < r; i++) {
			sum = sum * 31 + (unsigned char)buf[i];
			lines += buf[i] == '\n';
			total++;
		}
	printf("standard input: %lu bytes, %lu lines, checksum %08lx, last read %zd\n", total, lines,
	       sum & 0xffffffff, r);
}

int main(void)
{
	umask(022);
	enter_scratch("fileio");
	opening();
	reading_writing();
	directories();
	leave_scratch();
	standard_input();
	return 0;
}
