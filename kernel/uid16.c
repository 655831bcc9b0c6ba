/*
 * The 16-bit id calls i386 kept from Linux 2.2, before ids grew to 32
 * bits (Linux's kernel/uid16.c): an id travels as 16 bits -- the upper
 * half of an argument register is ignored, and 0xffff stands for -1 --
 * and an id above 65535 reads back as the overflow id 65534.  Each call
 * converts and hands over to its 32-bit twin.  (setfsuid16 returns the
 * old fs id unconverted, as Linux does.)
 */
#include <anvil/kernel.h>
#include <anvil/cred.h>
#include <anvil/sched.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>

typedef u16 old_uid_t;
typedef u16 old_gid_t;

#define OLD_ID_MAX 0xffffU
#define DEFAULT_OVERFLOWUID 65534     /* Linux's /proc/sys/kernel/overflowuid */

static u32 low2highid(u32 arg)
{
	old_uid_t id = arg;

	return id == (old_uid_t)-1 ? INVALID_UID : id;
}

static old_uid_t high2lowid(u32 id)
{
	return id > OLD_ID_MAX ? DEFAULT_OVERFLOWUID : id;
}

long sys_setuid16(u32 uid) { return do_setid(false, low2highid(uid)); }
long sys_setgid16(u32 gid) { return do_setid(true, low2highid(gid)); }
long sys_setreuid16(u32 r, u32 e) { return do_setreid(false, low2highid(r), low2highid(e)); }
long sys_setregid16(u32 r, u32 e) { return do_setreid(true, low2highid(r), low2highid(e)); }

long sys_setresuid16(u32 r, u32 e, u32 s)
{
	return do_setresid(false, low2highid(r), low2highid(e), low2highid(s));
}

long sys_setresgid16(u32 r, u32 e, u32 s)
{
	return do_setresid(true, low2highid(r), low2highid(e), low2highid(s));
}

long sys_setfsuid16(u32 uid) { return do_setfsid(false, low2highid(uid)); }
long sys_setfsgid16(u32 gid) { return do_setfsid(true, low2highid(gid)); }

long sys_getuid16(void) { return high2lowid(current->uid); }
long sys_geteuid16(void) { return high2lowid(current->euid); }
long sys_getgid16(void) { return high2lowid(current->gid); }
long sys_getegid16(void) { return high2lowid(current->egid); }

static long put_three(u32 r, u32 e, u32 s, old_uid_t *ur, old_uid_t *ue, old_uid_t *us)
{
	if (put_user(high2lowid(r), ur) || put_user(high2lowid(e), ue) ||
	    put_user(high2lowid(s), us))
		return -EFAULT;
	return 0;
}

long sys_getresuid16(old_uid_t *r, old_uid_t *e, old_uid_t *s)
{
	return put_three(current->uid, current->euid, current->suid, r, e, s);
}

long sys_getresgid16(old_gid_t *r, old_gid_t *e, old_gid_t *s)
{
	return put_three(current->gid, current->egid, current->sgid, r, e, s);
}

static int groups16_to_user(void *uarray, const struct group_info *gi)
{
	old_gid_t *ulist = uarray;

	for (int i = 0; i < gi->ngroups; i++)
		if (put_user(high2lowid(GROUP_AT(gi, i)), ulist + i))
			return -EFAULT;
	return 0;
}

static int groups16_from_user(struct group_info *gi, const void *uarray)
{
	const old_gid_t *ulist = uarray;

	for (int i = 0; i < gi->ngroups; i++) {
		old_gid_t g;

		if (get_user(g, ulist + i))
			return -EFAULT;
		GROUP_AT(gi, i) = low2highid(g);
		if (GROUP_AT(gi, i) == INVALID_GID)
			return -EINVAL;
	}
	return 0;
}

long sys_getgroups16(int size, old_gid_t *ulist)
{
	return do_getgroups(size, ulist, groups16_to_user);
}

long sys_setgroups16(int ngroups, const old_gid_t *ulist)
{
	return do_setgroups(ngroups, ulist, groups16_from_user);
}

long sys_chown16(const char *upath, u32 uid, u32 gid)
{
	return sys_chown32(upath, low2highid(uid), low2highid(gid));
}

long sys_lchown16(const char *upath, u32 uid, u32 gid)
{
	return sys_lchown32(upath, low2highid(uid), low2highid(gid));
}

long sys_fchown16(unsigned int fd, u32 uid, u32 gid)
{
	return sys_fchown32(fd, low2highid(uid), low2highid(gid));
}
