/*
 * id [-u|-g|-G] [-n] [-r] [USER]: who the caller (or USER) is, printed
 * as coreutils' id prints it:
 *
 *   uid=1000(student) gid=1000(student) euid=0(root) groups=1000(student),27(sudo)
 *
 * euid=/egid= only when they differ from the real ids; the groups are
 * the effective gid first, then the supplementary groups (getgroups, or
 * for USER every group of /etc/group naming it), duplicates dropped as
 * coreutils does.  Names come from /etc/passwd and /etc/group; an id with
 * no name is printed bare (with -n that is an error).
 */
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "usage: id [-u|-g|-G] [-n] [-r] [USER]\n";

/* The ids to show: the caller's (real and effective), or USER's. */
struct who {
	uid_t ruid, euid;
	gid_t rgid, egid;
	gid_t *groups;          /* the primary gid first, then the others */
	int ngroups;
};

static gid_t all_groups[NGROUPS_MAX + 1];

/* Drop duplicates as coreutils' mgetgroups does: of the first entry, and of each one's previous. */
static int dedupe(gid_t *g, int n)
{
	int kept = n ? 1 : 0;

	for (int i = 1; i < n; i++)
		if (g[i] != g[0] && g[i] != g[kept - 1])
			g[kept++] = g[i];
	return kept;
}

static int find_self(struct who *w, int real)
{
	int n;

	w->ruid = getuid();
	w->euid = geteuid();
	w->rgid = getgid();
	w->egid = getegid();
	all_groups[0] = real ? w->rgid : w->egid;
	n = getgroups(NGROUPS_MAX, all_groups + 1);
	if (n < 0) {
		perror("id: getgroups");
		return -1;
	}
	w->groups = all_groups;
	w->ngroups = dedupe(all_groups, n + 1);
	return 0;
}

static int find_user(struct who *w, const char *name)
{
	struct passwd *pw = getpwnam(name);
	int n = NGROUPS_MAX + 1;

	if (!pw) {
		fprintf(stderr, "id: '%s': no such user\n", name);
		return -1;
	}
	w->ruid = w->euid = pw->pw_uid;
	w->rgid = w->egid = pw->pw_gid;
	getgrouplist(name, pw->pw_gid, all_groups, &n);
	w->groups = all_groups;
	w->ngroups = dedupe(all_groups, n);
	return 0;
}

static const char *user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw ? pw->pw_name : NULL;
}

static const char *group_name(gid_t gid)
{
	struct group *gr = getgrgid(gid);

	return gr ? gr->gr_name : NULL;
}

/* "1000(student)", or "1000" when the id has no name. */
static void print_id(const char *label, unsigned int id, const char *name)
{
	printf("%s%u", label, id);
	if (name)
		printf("(%s)", name);
}

static void print_full(const struct who *w)
{
	print_id("uid=", w->ruid, user_name(w->ruid));
	print_id(" gid=", w->rgid, group_name(w->rgid));
	if (w->euid != w->ruid)
		print_id(" euid=", w->euid, user_name(w->euid));
	if (w->egid != w->rgid)
		print_id(" egid=", w->egid, group_name(w->egid));
	for (int i = 0; i < w->ngroups; i++)
		print_id(i ? "," : " groups=", w->groups[i], group_name(w->groups[i]));
	putchar('\n');
}

/* One id for -u/-g/-G: its name with -n (an error, and the number, if it has none). */
static int print_one(unsigned int id, const char *name, int names, const char *what)
{
	if (!names) {
		printf("%u", id);
		return 0;
	}
	if (name) {
		printf("%s", name);
		return 0;
	}
	fprintf(stderr, "id: cannot find name for %s ID %u\n", what, id);
	printf("%u", id);
	return 1;
}

int main(int argc, char **argv)
{
	int only = 0, names = 0, real = 0, failed = 0;
	const char *user = NULL;
	struct who w;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1]) {
			if (user) {
				fprintf(stderr, "id: extra operand '%s'\n%s", argv[i], usage);
				return 1;
			}
			user = argv[i];
			continue;
		}
		for (const char *o = argv[i] + 1; *o; o++) {
			if (*o == 'n')
				names = 1;
			else if (*o == 'r')
				real = 1;
			else if (strchr("ugG", *o) && (!only || only == *o))
				only = *o;
			else {
				fprintf(stderr, "id: %s\n%s", strchr("ugG", *o) ?
					"cannot print \"only\" of more than one choice" : "invalid option",
					usage);
				return 1;
			}
		}
	}
	if ((names || real) && !only) {
		fprintf(stderr, "id: cannot print only names or real IDs in default format\n");
		return 1;
	}
	if (user ? find_user(&w, user) : find_self(&w, real))
		return 1;
	if (only == 'u') {
		uid_t uid = real ? w.ruid : w.euid;

		failed = print_one(uid, user_name(uid), names, "user");
	} else if (only == 'g') {
		gid_t gid = real ? w.rgid : w.egid;

		failed = print_one(gid, group_name(gid), names, "group");
	} else if (only == 'G') {
		for (int i = 0; i < w.ngroups; i++) {
			if (i)
				putchar(' ');
			failed |= print_one(w.groups[i], group_name(w.groups[i]), names, "group");
		}
	} else {
		print_full(&w);
	}
	if (only)
		putchar('\n');
	return fflush(stdout) || failed ? 1 : 0;
}
