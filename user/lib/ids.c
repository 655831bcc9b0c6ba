/*
 * User and group ids: the set*id/get*id family, supplementary groups,
 * the fs ids, and chown/chmod/access on names and descriptors -- each
 * the 32-bit Linux call (the "32" numbers), as glibc makes them.
 * seteuid/setegid are setresuid/setresgid leaving the rest alone, as in
 * glibc.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include "libc.h"

#define ID_UNCHANGED ((unsigned int)-1)

int setuid(uid_t uid) { return SYS1(__NR_setuid32, uid); }
int setgid(gid_t gid) { return SYS1(__NR_setgid32, gid); }
int seteuid(uid_t euid) { return SYS3(__NR_setresuid32, ID_UNCHANGED, euid, ID_UNCHANGED); }
int setegid(gid_t egid) { return SYS3(__NR_setresgid32, ID_UNCHANGED, egid, ID_UNCHANGED); }
int setreuid(uid_t ruid, uid_t euid) { return SYS2(__NR_setreuid32, ruid, euid); }
int setregid(gid_t rgid, gid_t egid) { return SYS2(__NR_setregid32, rgid, egid); }

int setresuid(uid_t ruid, uid_t euid, uid_t suid)
{
	return SYS3(__NR_setresuid32, ruid, euid, suid);
}

int setresgid(gid_t rgid, gid_t egid, gid_t sgid)
{
	return SYS3(__NR_setresgid32, rgid, egid, sgid);
}

int getresuid(uid_t *ruid, uid_t *euid, uid_t *suid)
{
	return SYS3(__NR_getresuid32, ruid, euid, suid);
}

int getresgid(gid_t *rgid, gid_t *egid, gid_t *sgid)
{
	return SYS3(__NR_getresgid32, rgid, egid, sgid);
}

int getgroups(int size, gid_t list[]) { return SYS2(__NR_getgroups32, size, list); }
int setgroups(size_t size, const gid_t *list) { return SYS2(__NR_setgroups32, size, list); }

/* These never fail: they return the previous fs id (an invalid id only asks for it). */
int setfsuid(uid_t fsuid) { return __syscall1(__NR_setfsuid32, fsuid); }
int setfsgid(gid_t fsgid) { return __syscall1(__NR_setfsgid32, fsgid); }

int chown(const char *path, uid_t uid, gid_t gid) { return SYS3(__NR_chown32, path, uid, gid); }
int lchown(const char *path, uid_t uid, gid_t gid) { return SYS3(__NR_lchown32, path, uid, gid); }
int fchown(int fd, uid_t uid, gid_t gid) { return SYS3(__NR_fchown32, fd, uid, gid); }

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	return SYS5(__NR_fchownat, dirfd, path, uid, gid, flags);
}

int fchmod(int fd, mode_t mode) { return SYS2(__NR_fchmod, fd, mode); }

/* fchmodat(2) has no flags; glibc's AT_SYMLINK_NOFOLLOW needs fchmodat2, which anvil lacks. */
int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	return flags ? __syscall_ret(-EINVAL) : SYS3(__NR_fchmodat, dirfd, path, mode);
}

/* faccessat2 takes the flags (AT_EACCESS: the effective ids); faccessat(2) has none. */
int faccessat(int dirfd, const char *path, int mode, int flags)
{
	return SYS4(__NR_faccessat2, dirfd, path, mode, flags);
}
