/* The user database, /etc/passwd: one "name:password:uid:gid:gecos:home:shell" line per user. */
#ifndef _PWD_H
#define _PWD_H

#include <sys/types.h>

struct passwd {
	char *pw_name;
	char *pw_passwd;
	uid_t pw_uid;
	gid_t pw_gid;
	char *pw_gecos;
	char *pw_dir;
	char *pw_shell;
};

/* The entry, in storage the next call reuses; NULL if there is none. */
struct passwd *getpwuid(uid_t uid);
struct passwd *getpwnam(const char *name);

#endif
