/* The fs ids, which file permission checks use: each call returns the previous one. */
#ifndef _SYS_FSUID_H
#define _SYS_FSUID_H

#include <sys/types.h>

int setfsuid(uid_t fsuid);
int setfsgid(gid_t fsgid);

#endif
