/* System-call numbers (__NR_*) for syscall(). */
#ifndef _SYS_SYSCALL_H
#define _SYS_SYSCALL_H

#include <abi/unistd.h>

#endif
