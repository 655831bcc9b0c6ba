/*
 * Process start-up: reads the Linux start-up stack that crt0 hands over
 * (argc, argv, envp, auxv), sets environ, runs main and exits with its
 * result.  Also getauxval().
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/auxv.h>
#include "libc.h"

int main(int argc, char **argv, char **envp);
void __libc_start(long *sp) __attribute__((noreturn, used));

unsigned long *__auxv;

void __libc_start(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	__auxv = (unsigned long *)(p + 1);
	environ = envp;
	exit(main(argc, argv, envp));
}

unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = __auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

long sysconf(int name)
{
	unsigned long v;

	switch (name) {
	case _SC_PAGESIZE:
		v = getauxval(AT_PAGESZ);
		return v ? (long)v : 4096;
	case _SC_CLK_TCK:
		v = getauxval(AT_CLKTCK);
		return v ? (long)v : USER_HZ;
	}
	errno = EINVAL;
	return -1;
}
