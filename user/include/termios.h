/* Terminal attributes: struct termios is the kernel's (abi/termios.h). */
#ifndef _TERMIOS_H
#define _TERMIOS_H

#include <sys/types.h>
#include <abi/termios.h>

/* tcsetattr() actions: TCSETS, TCSETSW, TCSETSF */
#define TCSANOW 0
#define TCSADRAIN 1
#define TCSAFLUSH 2

int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int action, const struct termios *t);
pid_t tcgetpgrp(int fd);
int tcsetpgrp(int fd, pid_t pgrp);

#endif
