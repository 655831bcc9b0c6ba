/* mount, umount, umount2: the kernel's calls as glibc wraps them; the MS_/MNT_ flags are abi/mount.h's. */
#ifndef _SYS_MOUNT_H
#define _SYS_MOUNT_H

#include <abi/mount.h>

int mount(const char *source, const char *target, const char *type, unsigned long flags,
	  const void *data);
int umount(const char *target);
int umount2(const char *target, int flags);

#endif
