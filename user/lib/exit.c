/*
 * Ending the process: exit() runs the atexit handlers (last registered
 * first), flushes stdio and calls exit_group; _exit skips both; abort
 * raises SIGABRT.
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "libc.h"

#define ATEXIT_MAX 32

static void (*atexit_fns[ATEXIT_MAX])(void);
static int atexit_count;

int atexit(void (*fn)(void))
{
	if (atexit_count == ATEXIT_MAX)
		return -1;
	atexit_fns[atexit_count++] = fn;
	return 0;
}

void exit(int status)
{
	while (atexit_count > 0)
		atexit_fns[--atexit_count]();
	__stdio_exit();
	_exit(status);
}

void _exit(int status)
{
	for (;;)
		__syscall1(__NR_exit_group, status);
}

void _Exit(int status) { _exit(status); }

/* Unblock and raise SIGABRT; if a handler returns, reset it and raise again. */
void abort(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGABRT);
	signal(SIGABRT, SIG_DFL);
	raise(SIGABRT);
	_exit(127);
}
