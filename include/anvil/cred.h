/*
 * Credentials: who a task is.  As in Linux 2.6 before struct cred, the
 * ids live in the task_struct itself -- real, effective, saved and fs
 * uid and gid (sched.h) -- with the supplementary groups in a shared,
 * reference-counted group_info (kernel/groups.c).  anvil has no
 * capability sets: capable() answers as Linux does for a process that
 * never called capset (kernel/cred.c).
 */
#ifndef ANVIL_CRED_H
#define ANVIL_CRED_H

#include <anvil/types.h>
#include <anvil/atomic.h>
#include <asm/page.h>

typedef u32 uid_t;
typedef u32 gid_t;

#define INVALID_UID ((uid_t)-1)    /* the one id that names nobody: "unchanged" to set*id */
#define INVALID_GID ((gid_t)-1)
#define GLOBAL_ROOT_UID 0
#define GLOBAL_ROOT_GID 0

/* Linux's capability numbers, for the privileges anvil checks. */
#define CAP_CHOWN 0
#define CAP_DAC_OVERRIDE 1
#define CAP_DAC_READ_SEARCH 2
#define CAP_FOWNER 3
#define CAP_FSETID 4
#define CAP_KILL 5
#define CAP_SETGID 6
#define CAP_SETUID 7
#define CAP_IPC_LOCK 14
#define CAP_SYS_PTRACE 19
#define CAP_SYS_ADMIN 21
#define CAP_SYS_BOOT 22
#define CAP_SYS_NICE 23
#define CAP_SYS_RESOURCE 24
#define CAP_MKNOD 27
/* the file-system capabilities: they follow the fs uid, not the effective one */
#define CAP_FS_MASK ((1U << CAP_CHOWN) | (1U << CAP_DAC_OVERRIDE) | \
		     (1U << CAP_DAC_READ_SEARCH) | (1U << CAP_FOWNER) | (1U << CAP_FSETID) | \
		     (1U << CAP_MKNOD))

/*
 * Supplementary groups, sorted (groups_search is a binary search), in
 * page-sized blocks as Linux 2.6 kept them so that NGROUPS_MAX of them
 * need no large contiguous allocation; up to NGROUPS_SMALL fit inside.
 */
#define NGROUPS_SMALL 32
#define NGROUPS_PER_BLOCK ((unsigned int)(PAGE_SIZE / sizeof(gid_t)))

struct group_info {
	atomic_t usage;
	int ngroups;
	int nblocks;
	gid_t small_block[NGROUPS_SMALL];
	gid_t *blocks[];
};

#define GROUP_AT(gi, i) ((gi)->blocks[(i) / NGROUPS_PER_BLOCK][(i) % NGROUPS_PER_BLOCK])

/* groups.c */
extern struct group_info init_groups;     /* none: init's, and every kernel thread's */
struct group_info *groups_alloc(int ngroups);
void put_group_info(struct group_info *gi);
static inline struct group_info *get_group_info(struct group_info *gi)
{
	atomic_inc(&gi->usage);
	return gi;
}
bool groups_search(const struct group_info *gi, gid_t gid);
bool in_group_p(gid_t gid);        /* the fs gid or a supplementary group */
bool in_egroup_p(gid_t gid);       /* the effective gid or a supplementary group */
long do_getgroups(int size, void *ulist, int (*copy)(void *ulist, const struct group_info *gi));
int do_setgroups(int ngroups, const void *ulist,
		 int (*fill)(struct group_info *gi, const void *ulist));

struct task_struct;

/* cred.c: the set*id rules, for 32-bit calls and uid16.c (gids: the gid twin); /proc's owners */
bool capable(int cap);
long do_setid(bool gids, u32 id);
long do_setreid(bool gids, u32 r, u32 e);
long do_setresid(bool gids, u32 r, u32 e, u32 s);
long do_setfsid(bool gids, u32 id);
void task_dump_owner(const struct task_struct *t, umode_t mode, uid_t *uid, gid_t *gid);

#endif
