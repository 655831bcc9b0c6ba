/*
 * crashme: the core dump that tools/usertests.py opens with the host's
 * GDB.  A child with RLIMIT_CORE unlimited stores known values and dies
 * of SIGSEGV in crash_here(); the parent prints the wait status, then
 * the core file in hex between "core-begin" and "core-end" lines.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "../common/testlib.h"

#define HEX_LINE 32

int answer;
char message[32];

static void __attribute__((noinline)) crash_here(volatile int *p)
{
	*p = answer;                 /* the faulting line */
}

static void child(void *arg)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	answer = 42;
	strcpy(message, "core dumps work");
	setrlimit(RLIMIT_CORE, &r);
	crash_here(arg);
}

int main(void)
{
	unsigned char buf[HEX_LINE];
	int status, fd;
	ssize_t n;

	if (chdir("/tmp") < 0)
		return 1;
	unlink("core");
	status = run_in_child(child, NULL);
	printf("status %#x (%s)%s\n", status, status_str(status),
	       WCOREDUMP(status) ? ", core dumped" : "");
	fd = open("core", O_RDONLY);
	if (fd < 0) {
		printf("no core file\n");
		return 1;
	}
	printf("core-begin\n");
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", buf[i]);
		printf("\n");
	}
	printf("core-end\n");
	close(fd);
	return 0;
}
