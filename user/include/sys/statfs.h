/* statfs, fstatfs: struct statfs is the kernel's 64-bit one (abi/statfs.h), as with glibc's LFS. */
#ifndef _SYS_STATFS_H
#define _SYS_STATFS_H

#include <abi/statfs.h>

int statfs64(const char *path, struct statfs64 *buf);
int fstatfs64(int fd, struct statfs64 *buf);

#endif
