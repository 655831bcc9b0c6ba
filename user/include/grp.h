/* The group database, /etc/group: one "name:password:gid:member,member..." line per group. */
#ifndef _GRP_H
#define _GRP_H

#include <stddef.h>
#include <sys/types.h>

struct group {
	char *gr_name;
	char *gr_passwd;
	gid_t gr_gid;
	char **gr_mem;          /* NULL-terminated */
};

/* The entry, in storage the next call reuses; NULL if there is none. */
struct group *getgrgid(gid_t gid);
struct group *getgrnam(const char *name);
/*
 * user's groups: group, then every group listing user as a member, at
 * most *ngroups into groups; *ngroups becomes the number found, and the
 * result is that number, or -1 if they did not all fit.
 */
int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups);
int setgroups(size_t size, const gid_t *list);

#endif
