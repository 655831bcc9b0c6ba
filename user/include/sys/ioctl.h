/* ioctl(2); the terminal requests are in abi/termios.h. */
#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H

#include <abi/termios.h>

int ioctl(int fd, unsigned long request, ...);

#endif
