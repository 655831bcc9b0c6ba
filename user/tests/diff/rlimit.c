/*
 * Resource limits and the descriptor calls they bound: setrlimit, the old
 * and new getrlimit, prlimit64, RLIMIT_NOFILE against open, dup2, dup3 and
 * F_DUPFD, and RLIMIT_STACK against a growing stack.  Only limits this
 * program set itself are printed: the host's own defaults differ.
 */
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "../common/report.h"

#define NOFILE 16                 /* the descriptor limit set, far below anvil's table */
#define SMALL_STACK (512 * 1024)  /* RLIMIT_STACK for the recursion: above exec's first 128 KiB */
#define STACK_FRAME 1024          /* bytes each level of the recursion touches */
#define NO_SUCH_PID 0x3fffffff
#define TOO_MANY_FILES (1 << 30)  /* above anvil's table and Linux's nr_open */
#define BAD_FD 200

struct rlim32 {
	unsigned long cur, max;
};

struct rlim64 {
	uint64_t cur, max;
};

static void show_rlim32(const char *what, int nr, int resource)
{
	struct rlim32 r = { 0, 0 };
	long ret = syscall(nr, resource, &r);

	if (ret < 0)
		show(what, ret);
	else
		printf("%s: cur %#lx max %#lx\n", what, r.cur, r.max);
}

static void limits(void)
{
	struct rlim32 r = { 0x80000000UL, ~0UL }, bad = { 2, 1 };
	struct rlim64 r64 = { 0, 0 };

	show("setrlimit(RLIMIT_DATA, 2 GiB, infinity)", syscall(__NR_setrlimit, RLIMIT_DATA, &r));
	show_rlim32("  old getrlimit (76)", __NR_getrlimit, RLIMIT_DATA);
	show_rlim32("  ugetrlimit (191)", __NR_ugetrlimit, RLIMIT_DATA);
	show("  prlimit64 read", syscall(__NR_prlimit64, 0, RLIMIT_DATA, NULL, &r64));
	printf("  prlimit64: cur %#llx max %#llx\n", (unsigned long long)r64.cur,
	       (unsigned long long)r64.max);
	show("setrlimit with cur above max", syscall(__NR_setrlimit, RLIMIT_DATA, &bad));
	show("setrlimit of resource 16", syscall(__NR_setrlimit, 16, &r));
	show("setrlimit from a bad pointer", syscall(__NR_setrlimit, RLIMIT_DATA, (void *)1));
	show("ugetrlimit to a bad pointer", syscall(__NR_ugetrlimit, RLIMIT_DATA, (void *)1));
	show("ugetrlimit of resource 99", syscall(__NR_ugetrlimit, 99, &r));
	show("prlimit64 of no such pid", syscall(__NR_prlimit64, NO_SUCH_PID, RLIMIT_DATA, NULL, &r64));
	r64.cur = r64.max = TOO_MANY_FILES;
	show("prlimit64 RLIMIT_NOFILE to 2^30", syscall(__NR_prlimit64, 0, RLIMIT_NOFILE, &r64, NULL));
}

static void descriptors(void)
{
	struct rlim32 r = { NOFILE, NOFILE };
	int fd, last = -1;

	show("setrlimit(RLIMIT_NOFILE, 16)", syscall(__NR_setrlimit, RLIMIT_NOFILE, &r));
	show_rlim32("  ugetrlimit", __NR_ugetrlimit, RLIMIT_NOFILE);
	while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
		last = fd;
	}
	printf("opened up to fd %d, then: %s\n", last, errno_name(errno));
	show("dup2(0, 16)", dup2(0, NOFILE));
	show("dup2(0, 15)", dup2(0, NOFILE - 1));
	show("fcntl(0, F_DUPFD, 16)", fcntl(0, F_DUPFD, NOFILE));
	show("dup(0) with the table full", dup(0));
	close(last);
	close(last - 1);
	show("dup3(0, 0, 0)", syscall(__NR_dup3, 0, 0, 0));
	show("dup3(0, 5, O_CLOEXEC)", syscall(__NR_dup3, 0, 5, O_CLOEXEC));
	show("  F_GETFD of 5", fcntl(5, F_GETFD));
	show("dup3(0, 5, 0)", syscall(__NR_dup3, 0, 5, 0));
	show("  F_GETFD of 5", fcntl(5, F_GETFD));
	show("dup3 with flag O_NONBLOCK", syscall(__NR_dup3, 0, 6, O_NONBLOCK));
	show("dup3 of a closed fd", syscall(__NR_dup3, BAD_FD, 6, 0));
	show("dup3 to fd 16", syscall(__NR_dup3, 0, NOFILE, 0));
	show("dup2(5, 5)", dup2(5, 5));
	show("dup2 of a closed fd to itself", dup2(last, last));
	show("fcntl(0, F_DUPFD, 14)", fcntl(0, F_DUPFD, NOFILE - 2));
	for (fd = 3; fd < NOFILE; fd++)
		close(fd);
}

static volatile unsigned long *deepest;     /* in a shared page: the parent reads it */

/* Recurse, each level touching a new kilobyte of stack, until the stack limit kills us. */
static void grow(unsigned long depth)
{
	volatile char frame[STACK_FRAME];

	frame[0] = (char)depth;
	*deepest = depth * STACK_FRAME;
	if (depth < ~0UL)             /* always: says the recursion ends, for the compiler */
		grow(depth + 1);
	frame[1] = frame[0];
}

static void small_stack(void *arg)
{
	struct rlim32 r = { SMALL_STACK, SMALL_STACK };

	syscall(__NR_setrlimit, RLIMIT_STACK, &r);
	grow(0);
}

static void stack_limit(void)
{
	deepest = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	show_status("recursion under a 512 KiB RLIMIT_STACK", run_in_child(small_stack, NULL));
	show_bool("  it died within the limit", *deepest > 0 && *deepest <= SMALL_STACK);
}

int main(void)
{
	limits();
	descriptors();
	stack_limit();
	return 0;
}
