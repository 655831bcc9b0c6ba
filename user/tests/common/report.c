/*
 * Output helpers for the Linux-differential programs (report.h).  Every
 * line goes through stdio, which is flushed before each fork so that no
 * child repeats the parent's buffered lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/mman.h>
#include "report.h"
#include "testlib.h"

#define NGROUPS_SHOWN 64

void show(const char *what, long r)
{
	if (r == -1)
		printf("%s: -1 %s\n", what, errno_name(errno));
	else
		printf("%s: %ld\n", what, r);
}

void show_map(const char *what, void *p)
{
	if (p == MAP_FAILED)
		printf("%s: MAP_FAILED %s\n", what, errno_name(errno));
	else
		printf("%s: ok\n", what);
}

void show_bool(const char *what, int cond)
{
	printf("%s: %s\n", what, cond ? "yes" : "no");
}

void show_status(const char *what, int status)
{
	printf("%s: %s\n", what, status_str(status));
}

void show_child(const char *what, child_fn fn, void *arg)
{
	show_status(what, run_in_child(fn, arg));
}

void in_child(const char *what, child_fn fn, void *arg)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		fn(arg);
		fflush(NULL);
		_exit(0);
	}
	status = wait_status(pid, 0);
	if (status != 0)
		show_status(what, status);
}

void show_ids(const char *what)
{
	uid_t r, e, s;
	gid_t rg, eg, sg, groups[NGROUPS_SHOWN];
	int n;

	getresuid(&r, &e, &s);
	getresgid(&rg, &eg, &sg);
	/* an invalid id changes nothing and returns the current fs id */
	printf("%s: uid %u %u %u %d gid %u %u %u %d groups", what, r, e, s, setfsuid(-1),
	       rg, eg, sg, setfsgid(-1));
	n = getgroups(NGROUPS_SHOWN, groups);
	if (n < 0)
		printf(" %s", errno_name(errno));
	for (int i = 0; i < n; i++)
		printf("%s%u", i ? "," : " ", groups[i]);
	printf("\n");
}

void show_touch(const char *what, volatile void *addr, int how)
{
	int sig = touch_signal(addr, how);

	printf("%s: %s\n", what, sig ? signal_name(sig) : "ok");
}

static char scratch_path[64];

void enter_scratch(const char *tag)
{
	if (make_scratch_dir(tag, scratch_path, sizeof(scratch_path)) < 0 || chdir(scratch_path) < 0) {
		printf("cannot make %s: %s\n", scratch_path, errno_name(errno));
		exit(99);
	}
}

const char *scratch(void)
{
	return scratch_path;
}

void leave_scratch(void)
{
	if (chdir("/") < 0 || remove_tree(scratch_path) < 0)
		printf("cannot remove %s: %s\n", scratch_path, errno_name(errno));
}

void show_truncated_mappings(void)
{
	int fd = open("cut", O_CREAT | O_RDWR | O_TRUNC, 0644);
	char *shared, *private, page[PGSZ];

	memset(page, 'a', sizeof(page));
	for (int i = 0; i < 3; i++)
		write(fd, page, sizeof(page));
	shared = mmap(NULL, 3 * PGSZ, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	private = mmap(NULL, 3 * PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	private[2 * PGSZ] = 'p';                     /* a COW copy of page 2 */
	show("  private page 2 before", private[2 * PGSZ]);
	show("ftruncate to a page and 100 bytes", ftruncate(fd, PGSZ + 100));
	show("  shared byte 99 of page 1", shared[PGSZ + 99]);
	show("  shared byte 100 of page 1 (zeroed)", shared[PGSZ + 100]);
	show("  private byte 100 of page 1 (zeroed)", private[PGSZ + 100]);
	show_touch("  shared page 2", shared + 2 * PGSZ, 0);
	show_touch("  shared page 2 write", shared + 2 * PGSZ, 1);
	show_touch("  private COW copy of page 2", private + 2 * PGSZ, 0);
	show("ftruncate back to 3 pages", ftruncate(fd, 3 * PGSZ));
	show("  shared page 2 byte 0", shared[2 * PGSZ]);
	show("  private page 2 byte 0", private[2 * PGSZ]);
	show("  shared byte 100 of page 1", shared[PGSZ + 100]);
	show("ftruncate to 0", ftruncate(fd, 0));
	show_touch("  shared page 0", shared, 0);
	show_touch("  private page 0", private, 1);
	munmap(shared, 3 * PGSZ);
	munmap(private, 3 * PGSZ);
	close(fd);
}
