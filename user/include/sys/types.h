/*
 * Basic system data types of the Linux i386 ABI (ILP32).  off_t is the
 * 32-bit one, as glibc's default; off64_t is for lseek64.
 */
#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H

#include <stddef.h>

typedef int ssize_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef unsigned int mode_t;
typedef unsigned int nlink_t;
typedef unsigned long long dev_t;
typedef unsigned long long ino_t;
typedef long off_t;
typedef long long off64_t;
typedef long time_t;
typedef long clock_t;
typedef long suseconds_t;
typedef unsigned int useconds_t;
typedef int clockid_t;

#endif
