/*
 * personality(2), Linux's execution domains: a task's personality is a
 * domain (anvil knows only PER_LINUX's system calls) and flags such as
 * ADDR_NO_RANDOMIZE.  anvil keeps and reports the value without acting
 * on it -- it never randomises addresses -- and fork and exec keep it,
 * as the Linux host does for an i386 program.
 */
#include <anvil/kernel.h>
#include <anvil/sched.h>
#include <anvil/syscalls.h>
#include <abi/personality.h>

/* Set the personality unless asked only to read it; returns the old one. */
long sys_personality(unsigned int personality)
{
	unsigned int old = current->personality;

	if (personality != PERSONALITY_QUERY)
		current->personality = personality;
	return old;
}
