/*
 * The user and group databases, read straight from /etc/passwd and
 * /etc/group (glibc's "files" service, without NSS): lines of
 * colon-separated fields, a group's members comma-separated.  Each
 * lookup reads the file from the start; the entry returned lives in
 * static storage that the next lookup of the same kind reuses.
 */
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024
#define PASSWD_FIELDS 7
#define GROUP_FIELDS 4
#define MAX_MEMBERS 64

/*
 * Split line (its newline dropped) at the colons into exactly n fields;
 * false if it has another number of them.
 */
static bool split_fields(char *line, char **field, int n)
{
	line[strcspn(line, "\n")] = '\0';
	for (int i = 0; i < n; i++) {
		field[i] = line;
		line += strcspn(line, ":");
		if (i == n - 1)
			return !*line;
		if (!*line)
			return false;
		*line++ = '\0';
	}
	return true;
}

/* A numeric id field: all digits. */
static bool parse_id(const char *s, unsigned int *id)
{
	char *end;

	if (!*s)
		return false;
	*id = strtoul(s, &end, 10);
	return !*end;
}

static char pw_line[LINE_MAX_LEN];
static struct passwd pw;

/* The first /etc/passwd entry with this name (name non-NULL) or uid. */
static struct passwd *find_passwd(const char *name, uid_t uid)
{
	FILE *f = fopen("/etc/passwd", "r");
	struct passwd *found = NULL;
	char *field[PASSWD_FIELDS];

	if (!f)
		return NULL;
	while (!found && fgets(pw_line, sizeof(pw_line), f)) {
		if (!split_fields(pw_line, field, PASSWD_FIELDS) ||
		    !parse_id(field[2], &pw.pw_uid) || !parse_id(field[3], &pw.pw_gid))
			continue;
		if (name ? strcmp(field[0], name) : pw.pw_uid != uid)
			continue;
		pw.pw_name = field[0];
		pw.pw_passwd = field[1];
		pw.pw_gecos = field[4];
		pw.pw_dir = field[5];
		pw.pw_shell = field[6];
		found = &pw;
	}
	fclose(f);
	return found;
}

struct passwd *getpwuid(uid_t uid) { return find_passwd(NULL, uid); }
struct passwd *getpwnam(const char *name) { return find_passwd(name, 0); }

static char gr_line[LINE_MAX_LEN];
static char *gr_members[MAX_MEMBERS + 1];
static struct group gr;

/* Parse one /etc/group line into gr; false if it is not a valid entry. */
static bool parse_group(char *line)
{
	char *field[GROUP_FIELDS], *m;
	int n = 0;

	if (!split_fields(line, field, GROUP_FIELDS) || !parse_id(field[2], &gr.gr_gid))
		return false;
	gr.gr_name = field[0];
	gr.gr_passwd = field[1];
	for (m = field[3]; *m && n < MAX_MEMBERS; ) {
		gr_members[n++] = m;
		m += strcspn(m, ",");
		if (*m)
			*m++ = '\0';
	}
	gr_members[n] = NULL;
	gr.gr_mem = gr_members;
	return true;
}

/* The next valid entry of the open /etc/group f, into gr; false at its end. */
static bool next_group(FILE *f)
{
	while (fgets(gr_line, sizeof(gr_line), f))
		if (parse_group(gr_line))
			return true;
	return false;
}

/* The first /etc/group entry with this name (name non-NULL) or gid. */
static struct group *find_group(const char *name, gid_t gid)
{
	FILE *f = fopen("/etc/group", "r");
	struct group *found = NULL;

	if (!f)
		return NULL;
	while (!found && next_group(f))
		if (name ? !strcmp(gr.gr_name, name) : gr.gr_gid == gid)
			found = &gr;
	fclose(f);
	return found;
}

struct group *getgrgid(gid_t gid) { return find_group(NULL, gid); }
struct group *getgrnam(const char *name) { return find_group(name, 0); }

static bool is_member(const struct group *g, const char *user)
{
	for (char **m = g->gr_mem; *m; m++)
		if (!strcmp(*m, user))
			return true;
	return false;
}

int getgrouplist(const char *user, gid_t group, gid_t *groups, int *ngroups)
{
	FILE *f = fopen("/etc/group", "r");
	int n = 1, max = *ngroups;

	if (max > 0)
		groups[0] = group;
	while (f && next_group(f)) {
		bool seen = gr.gr_gid == group;

		for (int i = 1; i < n && i < max; i++)
			seen |= groups[i] == gr.gr_gid;
		if (seen || !is_member(&gr, user))
			continue;
		if (n < max)
			groups[n] = gr.gr_gid;
		n++;
	}
	if (f)
		fclose(f);
	*ngroups = n;
	return n <= max ? n : -1;
}
