/*
 * Supplementary groups (Linux's kernel/groups.c): a task's group_info,
 * shared by fork and replaced whole by setgroups, sorted so that
 * in_group_p is a binary search; getgroups and setgroups (the 32-bit
 * calls; kernel/uid16.c has the 16-bit ones).
 */
#include <anvil/kernel.h>
#include <anvil/cred.h>
#include <anvil/sched.h>
#include <anvil/slab.h>
#include <anvil/gfp.h>
#include <anvil/uaccess.h>
#include <anvil/syscalls.h>
#include <abi/errno.h>
#include <abi/misc.h>

/* No groups: init_task's, and so never freed (the idle task never exits). */
struct group_info init_groups = { .usage = ATOMIC_INIT(1) };

static bool groups_in_pages(const struct group_info *gi)
{
	return gi->ngroups > NGROUPS_SMALL;
}

struct group_info *groups_alloc(int ngroups)
{
	int nblocks = max(DIV_ROUND_UP(ngroups, (int)NGROUPS_PER_BLOCK), 1);
	struct group_info *gi = kmalloc(sizeof(*gi) + nblocks * sizeof(gid_t *), GFP_KERNEL);

	if (!gi)
		return NULL;
	atomic_set(&gi->usage, 1);
	gi->ngroups = ngroups;
	gi->nblocks = nblocks;
	if (!groups_in_pages(gi)) {
		gi->blocks[0] = gi->small_block;
		return gi;
	}
	for (int i = 0; i < nblocks; i++) {
		gi->blocks[i] = (gid_t *)__get_free_page(GFP_KERNEL);
		if (!gi->blocks[i]) {
			gi->nblocks = i;
			put_group_info(gi);
			return NULL;
		}
	}
	return gi;
}

void put_group_info(struct group_info *gi)
{
	if (!atomic_dec_and_test(&gi->usage))
		return;
	BUG_ON(gi == &init_groups);
	if (groups_in_pages(gi))
		for (int i = 0; i < gi->nblocks; i++)
			free_page((unsigned long)gi->blocks[i]);
	kfree(gi);
}

/* A shell sort, as Linux 2.6's groups_sort: in place, through GROUP_AT. */
static void groups_sort(struct group_info *gi)
{
	int n = gi->ngroups, stride = 1;

	while (stride < n)
		stride = 3 * stride + 1;
	while ((stride /= 3) > 0) {
		for (int base = stride; base < n; base++) {
			gid_t tmp = GROUP_AT(gi, base);
			int right = base;

			while (right >= stride && GROUP_AT(gi, right - stride) > tmp) {
				GROUP_AT(gi, right) = GROUP_AT(gi, right - stride);
				right -= stride;
			}
			GROUP_AT(gi, right) = tmp;
		}
	}
}

bool groups_search(const struct group_info *gi, gid_t gid)
{
	int left = 0, right = gi->ngroups;

	while (left < right) {
		int mid = left + (right - left) / 2;
		gid_t g = GROUP_AT(gi, mid);

		if (gid == g)
			return true;
		if (gid > g)
			left = mid + 1;
		else
			right = mid;
	}
	return false;
}

/* Make gi (sorted here) the caller's groups; the caller keeps its own reference. */
static void set_current_groups(struct group_info *gi)
{
	struct group_info *old = current->group_info;

	groups_sort(gi);
	current->group_info = get_group_info(gi);
	put_group_info(old);
}

bool in_group_p(gid_t gid)
{
	return gid == current->fsgid || groups_search(current->group_info, gid);
}

bool in_egroup_p(gid_t gid)
{
	return gid == current->egid || groups_search(current->group_info, gid);
}

/* Copy the groups out to the user's array of gid_t, a block at a time. */
static int groups_to_user(void *uarray, const struct group_info *gi)
{
	gid_t *ulist = uarray;
	int left = gi->ngroups;

	for (int i = 0; left > 0; i++) {
		int n = min(left, (int)NGROUPS_PER_BLOCK);

		if (copy_to_user(ulist, gi->blocks[i], n * sizeof(gid_t)))
			return -EFAULT;
		ulist += n;
		left -= n;
	}
	return 0;
}

/* Fill gi from the user's array of gid_t; -1 names no group (EINVAL). */
static int groups_from_user(struct group_info *gi, const void *uarray)
{
	const gid_t *ulist = uarray;
	int left = gi->ngroups;

	for (int i = 0; left > 0; i++) {
		int n = min(left, (int)NGROUPS_PER_BLOCK);

		if (copy_from_user(gi->blocks[i], ulist, n * sizeof(gid_t)))
			return -EFAULT;
		for (int j = 0; j < n; j++)
			if (gi->blocks[i][j] == INVALID_GID)
				return -EINVAL;
		ulist += n;
		left -= n;
	}
	return 0;
}

/*
 * getgroups: how many groups the caller has, and unless size is 0 the
 * groups themselves, put into the user's array by copy (of gid_t, or of
 * 16-bit ids) -- if size leaves room for all.
 */
long do_getgroups(int size, void *ulist, int (*copy)(void *ulist, const struct group_info *gi))
{
	int n = current->group_info->ngroups;

	if (size < 0)
		return -EINVAL;
	if (!size)
		return n;
	if (n > size)
		return -EINVAL;
	return copy(ulist, current->group_info) ? -EFAULT : n;
}

long sys_getgroups(int size, gid_t *ulist)
{
	return do_getgroups(size, ulist, groups_to_user);
}

/*
 * setgroups: the caller's groups become the ngroups that fill reads from
 * the user's array ulist (of gid_t, or of 16-bit ids: kernel/uid16.c).
 */
int do_setgroups(int ngroups, const void *ulist,
		 int (*fill)(struct group_info *gi, const void *ulist))
{
	struct group_info *gi;
	int err;

	if (!capable(CAP_SETGID))
		return -EPERM;
	if ((unsigned int)ngroups > NGROUPS_MAX)
		return -EINVAL;
	gi = groups_alloc(ngroups);
	if (!gi)
		return -ENOMEM;
	err = fill(gi, ulist);
	if (!err)
		set_current_groups(gi);
	put_group_info(gi);
	return err;
}

long sys_setgroups(int ngroups, const gid_t *ulist)
{
	return do_setgroups(ngroups, ulist, groups_from_user);
}
