/*
 * oomtest: one process asks for more memory than RAM and swap hold; the
 * OOM killer must pick it (the largest) and SIGKILL it, while a small
 * bystander keeps running with its data intact and the parent is untouched.
 * Prints "oomtest: ok" and exits 0 when that is what happened.
 *
 * `oomtest write`: the hog fills a /tmp file (ramfs: never swapped) with
 * one write() larger than RAM instead.  Its file pages are nobody's RSS,
 * so the bystander may be killed first; but once killed the hog must stop
 * writing, so that the parent lives on to remove the file (found by the
 * fuzzer: the dying writer took the last reserve pages into the file, and
 * the OOM killer took the parent too).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define MB (1024 * 1024)
#define PAGE 4096
#define HOG_MB 1024               /* far more than any test machine has */
#define BYSTANDER_MB 1
#define WRITE_MB 256              /* one write(), more than RAM and swap */
#define BIG_FILE "/tmp/oomtest-big"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

/* Keep touching a small region and check it; exit 0 if it stayed intact. */
static void bystander(void)
{
	unsigned char *p = mmap(NULL, BYSTANDER_MB * MB, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		_exit(2);
	signal(SIGTERM, on_term);
	for (size_t i = 0; i < BYSTANDER_MB * MB; i++)
		p[i] = (unsigned char)(i * 7);
	while (!stop) {
		for (size_t i = 0; i < BYSTANDER_MB * MB; i += PAGE / 4)
			if (p[i] != (unsigned char)(i * 7))
				_exit(3);
		usleep(10000);
	}
	_exit(0);
}

static void hog(void)
{
	char *p = mmap(NULL, (size_t)HOG_MB * MB, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		_exit(4);
	for (size_t i = 0;; i = (i + PAGE) % ((size_t)HOG_MB * MB))
		p[i] = 1;
}

static void write_hog(void)
{
	char *p = mmap(NULL, (size_t)WRITE_MB * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
		       MAP_NORESERVE, -1, 0);
	int fd = open(BIG_FILE, O_CREAT | O_TRUNC | O_WRONLY, 0600);

	if (p == MAP_FAILED || fd < 0)
		_exit(4);
	for (;;)
		write(fd, p, (size_t)WRITE_MB * MB);
}

int main(int argc, char **argv)
{
	int by_writing = argc > 1 && !strcmp(argv[1], "write");
	pid_t by = fork(), h;
	int st;

	if (by == 0)
		bystander();
	usleep(200000);              /* let it fill its region first */
	h = fork();
	if (h == 0) {
		if (by_writing)
			write_hog();
		hog();
	}
	if (waitpid(h, &st, 0) != h) {
		perror("oomtest: waitpid");
		return 2;
	}
	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
		printf("oomtest: the hog was not killed by SIGKILL (status %#x)\n", st);
		return 1;
	}
	if (by_writing) {
		unlink(BIG_FILE);
		kill(by, SIGKILL);
		waitpid(by, &st, 0);
		printf("oomtest: ok: the writer got SIGKILL and stopped; its file is gone\n");
		return 0;
	}
	if (kill(by, 0)) {
		printf("oomtest: the bystander died too\n");
		return 1;
	}
	kill(by, SIGTERM);
	if (waitpid(by, &st, 0) != by || !WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("oomtest: the bystander's memory was damaged (status %#x)\n", st);
		return 1;
	}
	printf("oomtest: ok: the hog got SIGKILL, the bystander's data is intact\n");
	return 0;
}
