/* errno: the last failing call's error, as the Linux E... numbers. */
#ifndef _ERRNO_H
#define _ERRNO_H

#include <abi/errno.h>

extern int errno;

#endif
