/*
 * Changing an inode's owner, group and mode (Linux's fs/attr.c): who
 * may do what (setattr_prepare), the set-user-ID and set-group-ID bits
 * that go when the owner changes or someone other than root writes to
 * the file, and the change itself (setattr_copy).  chmod and chown
 * (open.c) and the write and truncate paths come here.
 */
#include <anvil/kernel.h>
#include <anvil/fs.h>
#include <anvil/cred.h>
#include <anvil/sched.h>
#include <anvil/time.h>
#include <abi/errno.h>

bool inode_owner_or_capable(const struct inode *inode)
{
	return current->fsuid == inode->i_uid || capable(CAP_FOWNER);
}

/* May the caller keep S_ISGID on a file of group gid? */
static bool in_group_or_capable(gid_t gid)
{
	return in_group_p(gid) || capable(CAP_FSETID);
}

/* The owner may "give" a file only to itself; CAP_CHOWN to anyone. */
static bool chown_ok(const struct inode *inode, uid_t uid)
{
	return (current->fsuid == inode->i_uid && uid == inode->i_uid) || capable(CAP_CHOWN);
}

/* The owner may give it to any group it is in. */
static bool chgrp_ok(const struct inode *inode, gid_t gid)
{
	if (current->fsuid == inode->i_uid && (gid == inode->i_gid || in_group_p(gid)))
		return true;
	return capable(CAP_CHOWN);
}

/*
 * S_ISGID goes with a change of owner or a write when the group may
 * execute the file (a set-group-ID program); without group execute it
 * marks mandatory locking, and goes only if the caller is not in the
 * file's group.
 */
unsigned int setattr_should_drop_sgid(const struct inode *inode)
{
	if (!(inode->i_mode & S_ISGID))
		return 0;
	if ((inode->i_mode & S_IXGRP) || !in_group_or_capable(inode->i_gid))
		return ATTR_KILL_SGID;
	return 0;
}

/* The checks of the change attr asks for; S_ISGID may be dropped from attr->ia_mode. */
static int setattr_prepare(const struct inode *inode, struct iattr *attr)
{
	unsigned int valid = attr->ia_valid;

	if (valid & ATTR_FORCE)
		return 0;
	if ((valid & ATTR_UID) && !chown_ok(inode, attr->ia_uid))
		return -EPERM;
	if ((valid & ATTR_GID) && !chgrp_ok(inode, attr->ia_gid))
		return -EPERM;
	if (valid & ATTR_MODE) {
		if (!inode_owner_or_capable(inode))
			return -EPERM;
		if (!in_group_or_capable(valid & ATTR_GID ? attr->ia_gid : inode->i_gid))
			attr->ia_mode &= ~S_ISGID;
	}
	return 0;
}

static void setattr_copy(struct inode *inode, const struct iattr *attr)
{
	if (attr->ia_valid & ATTR_UID)
		inode->i_uid = attr->ia_uid;
	if (attr->ia_valid & ATTR_GID)
		inode->i_gid = attr->ia_gid;
	if (attr->ia_valid & ATTR_MODE) {
		umode_t mode = attr->ia_mode & 07777;

		if (!in_group_or_capable(inode->i_gid))
			mode &= ~S_ISGID;
		inode->i_mode = (inode->i_mode & S_IFMT) | mode;
	}
	if (attr->ia_valid & ATTR_CTIME)
		inode->i_ctime = current_time_sec();
}

/*
 * Change inode as attr says, if the caller may: ATTR_KILL_SUID and
 * ATTR_KILL_SGID become a mode change that clears those bits (checked as
 * one: a chown(-1, -1) of someone else's set-user-ID file is -EPERM).
 */
int notify_change(struct inode *inode, struct iattr *attr)
{
	umode_t mode = inode->i_mode;
	int err;

	if ((attr->ia_valid & ATTR_KILL_SUID) && (mode & S_ISUID)) {
		attr->ia_valid |= ATTR_MODE;
		attr->ia_mode = mode & ~S_ISUID;
	}
	if ((attr->ia_valid & ATTR_KILL_SGID) && (mode & S_ISGID)) {
		if (!(attr->ia_valid & ATTR_MODE)) {
			attr->ia_valid |= ATTR_MODE;
			attr->ia_mode = mode;
		}
		attr->ia_mode &= ~S_ISGID;
	}
	err = setattr_prepare(inode, attr);
	if (!err)
		setattr_copy(inode, attr);
	return err;
}

/*
 * Before a write or a truncation by anyone but root: a regular file
 * loses S_ISUID, and S_ISGID as a chown would take it, so that nobody
 * can plant code in a set-id program that keeps its privilege.
 */
void file_remove_privs(struct inode *inode)
{
	struct iattr attr = { .ia_valid = ATTR_FORCE };

	if (!S_ISREG(inode->i_mode) || capable(CAP_FSETID))
		return;
	if (inode->i_mode & S_ISUID)
		attr.ia_valid |= ATTR_KILL_SUID;
	attr.ia_valid |= setattr_should_drop_sgid(inode);
	if (attr.ia_valid != ATTR_FORCE)
		notify_change(inode, &attr);
}
