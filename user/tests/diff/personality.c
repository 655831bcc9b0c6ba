/*
 * personality(2) against Linux: 0xffffffff only reads it, any other
 * value is set and the old one returned; PER_LINUX with flags such as
 * ADDR_NO_RANDOMIZE, another domain's number, and the value inherited
 * by fork and kept by exec.  "personality after-exec" is the program
 * the exec runs.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/personality.h>
#include "../common/report.h"

#define PER_BSD 0x0006            /* another execution domain's number */

static void show_persona(const char *what, int r)
{
	printf("%s: %#x\n", what, (unsigned)r);
}

static void fork_child(void *arg)
{
	show_persona("  a child of fork reads", personality(PERSONALITY_QUERY));
	fflush(stdout);
}

static void exec_child(void *arg)
{
	char *const argv[] = { arg, "after-exec", NULL };

	execv(arg, argv);
	_exit(127);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after-exec")) {
		show_persona("  the program exec'd reads", personality(PERSONALITY_QUERY));
		return 0;
	}
	show_persona("personality(0xffffffff)", personality(PERSONALITY_QUERY));
	show_persona("personality(ADDR_NO_RANDOMIZE)", personality(PER_LINUX | ADDR_NO_RANDOMIZE));
	show_persona("personality(0xffffffff)", personality(PERSONALITY_QUERY));
	fflush(stdout);
	show_status("  the child", run_in_child(fork_child, NULL));
	show_status("  the exec", run_in_child(exec_child, argv[0]));
	show_persona("personality(PER_BSD)", personality(PER_BSD));
	show_persona("personality(0xffffffff)", personality(PERSONALITY_QUERY));
	show_persona("personality(PER_LINUX)", personality(PER_LINUX));
	show_persona("personality(0xffffffff)", personality(PERSONALITY_QUERY));
	return 0;
}
