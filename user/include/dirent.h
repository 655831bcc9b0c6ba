/* Directory streams over getdents64. */
#ifndef _DIRENT_H
#define _DIRENT_H

#include <sys/types.h>
#include <bits/abi_misc.h>   /* DT_* */

struct dirent {
	ino_t d_ino;
	off64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

typedef struct _DIR DIR;

DIR *opendir(const char *path);
struct dirent *readdir(DIR *d);
int closedir(DIR *d);
int dirfd(DIR *d);
int getdents64(int fd, void *buf, size_t size);

#endif
