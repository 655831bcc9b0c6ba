/*
 * A task's ids and what they allow: capable(), the get*id and set*id
 * calls of 32 bits (Linux keeps these in kernel/sys.c; the 16-bit ones
 * are in kernel/uid16.c) with today's Linux rules and errors, and the
 * "dumpable" state a change of ids takes away.  The uid and gid calls
 * follow the same rules, so each is written once over an id_set: the
 * four ids of one kind and the capability that lifts the rules for them.
 */
#include <anvil/kernel.h>
#include <anvil/cred.h>
#include <anvil/sched.h>
#include <anvil/fs.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/misc.h>

/*
 * Linux decides privileges from capability sets that set*id keeps in
 * step with the ids (security/commoncap.c): a process that never called
 * capset holds every capability exactly while its effective uid is 0 --
 * except the file-system ones, which follow the fs uid (setfsuid(x) by
 * root drops them; setfsuid(0) by a process whose real or saved uid is 0
 * raises them).  anvil keeps no sets and reads the answer off the ids.
 */
bool capable(int cap)
{
	uid_t who = (CAP_FS_MASK & (1U << cap)) ? current->fsuid : current->euid;

	return who == GLOBAL_ROOT_UID;
}

/* The real, effective, saved and fs ids of one kind, and the capability over them. */
struct id_set {
	u32 *r, *e, *s, *fs;
	int cap;
};

static struct id_set uid_set(void)
{
	return (struct id_set){ &current->uid, &current->euid, &current->suid, &current->fsuid,
				CAP_SETUID };
}

static struct id_set gid_set(void)
{
	return (struct id_set){ &current->gid, &current->egid, &current->sgid, &current->fsgid,
				CAP_SETGID };
}

/*
 * After a change of ids (Linux's commit_creds): a process whose effective
 * or fs id changed is no longer "dumpable" -- no core dump, and its
 * /proc files become root's --, so that what a set-user-ID program read
 * with its privilege cannot leak to the user who ran it.
 */
static void commit_ids(const struct id_set *ids, u32 old_e, u32 old_fs)
{
	if ((*ids->e != old_e || *ids->fs != old_fs) && current->mm)
		current->mm->dumpable = SUID_DUMP_DISABLE;
}

/*
 * Who owns /proc/<pid> and its files (Linux's task_dump_owner): the
 * process's effective ids -- always for the world-readable directory,
 * for the rest only while it is dumpable; root otherwise.
 */
void task_dump_owner(const struct task_struct *t, umode_t mode, uid_t *uid, gid_t *gid)
{
	bool its_own = mode == (S_IFDIR | S_IRUGO | S_IXUGO) ||
		       (t->mm && t->mm->dumpable == SUID_DUMP_USER);

	*uid = its_own ? t->euid : GLOBAL_ROOT_UID;
	*gid = its_own ? t->egid : GLOBAL_ROOT_GID;
}

/* May an unprivileged caller take id?  -1 ("unchanged") always. */
static bool id_is_own(const struct id_set *ids, u32 id)
{
	return id == INVALID_UID || id == *ids->r || id == *ids->e || id == *ids->s;
}

/*
 * setuid/setgid: privileged, all four ids; otherwise only the effective
 * and fs ids, and only to the real or saved id.
 */
long do_setid(bool gids, u32 id)
{
	struct id_set ids = gids ? gid_set() : uid_set();
	u32 old_e = *ids.e, old_fs = *ids.fs;

	if (id == INVALID_UID)
		return -EINVAL;
	if (capable(ids.cap))
		*ids.r = *ids.s = id;
	else if (id != *ids.r && id != *ids.s)
		return -EPERM;
	*ids.e = *ids.fs = id;
	commit_ids(&ids, old_e, old_fs);
	return 0;
}

/*
 * setreuid/setregid: the real id may become the effective one, the
 * effective id any of the three; the saved id follows the new effective
 * one when the real id was given or the effective id moves away from
 * the old real one (so that a set-user-ID program can drop its
 * privilege for good by swapping them).
 */
long do_setreid(bool gids, u32 r, u32 e)
{
	struct id_set ids = gids ? gid_set() : uid_set();
	bool privileged = capable(ids.cap);
	u32 old_r = *ids.r, old_e = *ids.e, old_fs = *ids.fs;

	if (r != INVALID_UID && r != *ids.r && r != *ids.e && !privileged)
		return -EPERM;
	if (!privileged && !id_is_own(&ids, e))
		return -EPERM;
	if (r != INVALID_UID)
		*ids.r = r;
	if (e != INVALID_UID)
		*ids.e = e;
	if (r != INVALID_UID || (e != INVALID_UID && e != old_r))
		*ids.s = *ids.e;
	*ids.fs = *ids.e;
	commit_ids(&ids, old_e, old_fs);
	return 0;
}

/*
 * setresuid/setresgid: each given id must be one of the three the caller
 * has, unless privileged.  A call that changes nothing returns at once,
 * leaving even an fs id set apart by setfsuid, as Linux does since 6.5.
 */
long do_setresid(bool gids, u32 r, u32 e, u32 s)
{
	struct id_set ids = gids ? gid_set() : uid_set();
	u32 old_e = *ids.e, old_fs = *ids.fs;

	if ((r == INVALID_UID || r == *ids.r) &&
	    (e == INVALID_UID || (e == *ids.e && e == *ids.fs)) &&
	    (s == INVALID_UID || s == *ids.s))
		return 0;
	if (!capable(ids.cap) &&
	    (!id_is_own(&ids, r) || !id_is_own(&ids, e) || !id_is_own(&ids, s)))
		return -EPERM;
	if (r != INVALID_UID)
		*ids.r = r;
	if (e != INVALID_UID)
		*ids.e = e;
	if (s != INVALID_UID)
		*ids.s = s;
	*ids.fs = *ids.e;
	commit_ids(&ids, old_e, old_fs);
	return 0;
}

/*
 * setfsuid/setfsgid never fail: they return the old fs id, changed to id
 * if it is one of the caller's four ids or the caller is privileged (so
 * an invalid id only asks for the current one).
 */
long do_setfsid(bool gids, u32 id)
{
	struct id_set ids = gids ? gid_set() : uid_set();
	u32 old = *ids.fs;

	if (id != INVALID_UID && (id_is_own(&ids, id) || id == old || capable(ids.cap))) {
		*ids.fs = id;
		commit_ids(&ids, *ids.e, old);
	}
	return old;
}

long sys_setuid(uid_t uid) { return do_setid(false, uid); }
long sys_setgid(gid_t gid) { return do_setid(true, gid); }
long sys_setreuid(uid_t ruid, uid_t euid) { return do_setreid(false, ruid, euid); }
long sys_setregid(gid_t rgid, gid_t egid) { return do_setreid(true, rgid, egid); }
long sys_setresuid(uid_t r, uid_t e, uid_t s) { return do_setresid(false, r, e, s); }
long sys_setresgid(gid_t r, gid_t e, gid_t s) { return do_setresid(true, r, e, s); }
long sys_setfsuid(uid_t uid) { return do_setfsid(false, uid); }
long sys_setfsgid(gid_t gid) { return do_setfsid(true, gid); }

long sys_getuid(void) { return current->uid; }
long sys_geteuid(void) { return current->euid; }
long sys_getgid(void) { return current->gid; }
long sys_getegid(void) { return current->egid; }

long sys_getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	if (put_user(current->uid, r) || put_user(current->euid, e) || put_user(current->suid, s))
		return -EFAULT;
	return 0;
}

long sys_getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	if (put_user(current->gid, r) || put_user(current->egid, e) || put_user(current->sgid, s))
		return -EFAULT;
	return 0;
}
