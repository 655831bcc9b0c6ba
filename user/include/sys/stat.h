/*
 * File status.  struct stat *is* the kernel's struct stat64 (abi/stat.h,
 * Linux i386's 96-byte layout): the header is included with the tag
 * renamed, and stat/lstat/fstat call stat64/lstat64/fstat64.  Include
 * abi/stat.h only through here.
 */
#ifndef _SYS_STAT_H
#define _SYS_STAT_H

#include <sys/types.h>

#define stat64 stat
#include <abi/stat.h>
#undef stat64

#define st_atime st_atime_sec
#define st_mtime st_mtime_sec
#define st_ctime st_ctime_sec

int stat(const char *path, struct stat *st);
int lstat(const char *path, struct stat *st);
int fstat(int fd, struct stat *st);
int mkdir(const char *path, mode_t mode);
int mknod(const char *path, mode_t mode, dev_t dev);
int mkfifo(const char *path, mode_t mode);
int chmod(const char *path, mode_t mode);
int fchmod(int fd, mode_t mode);
int fchmodat(int dirfd, const char *path, mode_t mode, int flags);
mode_t umask(mode_t mask);
struct timespec;
/* times[0] the access time, times[1] the modification time; NULL: both now */
int utimensat(int dirfd, const char *path, const struct timespec *times, int flags);

/* Device numbers as Linux encodes them in st_rdev. */
#define major(dev) ((unsigned int)(((dev) >> 8) & 0xfff))
#define minor(dev) ((unsigned int)(((dev) & 0xff) | (((dev) >> 12) & 0xfff00)))

#endif
