/*
 * ls [-la1] [file...]: list directories (sorted by name) and files.
 * -l: long format "mode links owner group size YYYY-MM-DD HH:MM name"
 * (times in UTC); -a: include names starting with '.'; -1 is accepted
 * (one name per line is the only layout).  Exit status: 2 when a
 * command-line operand cannot be listed, 1 for a problem with an entry.
 */
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

struct entry {
	char *name;     /* as printed */
	char *path;     /* for lstat and readlink */
	struct stat st;
	int have_st;
};

static int opt_long, opt_all;
static int status;

static void complain(const char *what, int err, int level)
{
	fprintf(stderr, "ls: %s: %s\n", what, strerror(err));
	if (status < level)
		status = level;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void mode_string(unsigned int m, char *s)
{
	static const char types[] = "?pc?d?b?-?l?s???";   /* indexed by (m >> 12) & 15 */
	static const char rwx[] = "rwxrwxrwx";

	s[0] = types[(m >> 12) & 15];
	for (int i = 0; i < 9; i++)
		s[i + 1] = (m & (0400 >> i)) ? rwx[i] : '-';
	if (m & S_ISUID)
		s[3] = (m & S_IXUSR) ? 's' : 'S';
	if (m & S_ISGID)
		s[6] = (m & S_IXGRP) ? 's' : 'S';
	if (m & S_ISVTX)
		s[9] = (m & S_IXOTH) ? 't' : 'T';
	s[10] = '\0';
}

/* The owner's name from /etc/passwd, or its number, as GNU ls. */
static void user_string(uid_t uid, char *buf, size_t size)
{
	struct passwd *pw = getpwuid(uid);

	if (pw)
		snprintf(buf, size, "%s", pw->pw_name);
	else
		snprintf(buf, size, "%u", uid);
}

/* The group's name from /etc/group, or its number. */
static void group_string(gid_t gid, char *buf, size_t size)
{
	struct group *gr = getgrgid(gid);

	if (gr)
		snprintf(buf, size, "%s", gr->gr_name);
	else
		snprintf(buf, size, "%u", gid);
}

static int num_width(unsigned long v)
{
	int w = 1;

	while (v >= 10) {
		v /= 10;
		w++;
	}
	return w;
}

struct widths {
	int link, user, group, size, minor;
};

static int is_device(const struct stat *st)
{
	return S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode);
}

/*
 * Column widths that fit the widest value of the listing, as GNU ls.
 * Device files show "major, minor" in the size column, the minors
 * aligned in a column of their own.
 */
static void measure(const struct entry *e, int n, struct widths *w)
{
	char buf[32];
	int major = 0;

	memset(w, 0, sizeof(*w));
	for (int i = 0; i < n; i++) {
		const struct stat *st = &e[i].st;
		int len;

		if (!e[i].have_st)
			continue;
		if ((len = num_width(st->st_nlink)) > w->link)
			w->link = len;
		user_string(st->st_uid, buf, sizeof(buf));
		if ((len = strlen(buf)) > w->user)
			w->user = len;
		group_string(st->st_gid, buf, sizeof(buf));
		if ((len = strlen(buf)) > w->group)
			w->group = len;
		if (is_device(st)) {
			if ((len = num_width(major(st->st_rdev))) > major)
				major = len;
			if ((len = num_width(minor(st->st_rdev))) > w->minor)
				w->minor = len;
		} else if ((len = snprintf(buf, sizeof(buf), "%lld", st->st_size)) > w->size) {
			w->size = len;
		}
	}
	if (major && major + 2 + w->minor > w->size)
		w->size = major + 2 + w->minor;
}

static void print_long(const struct entry *e, const struct widths *w)
{
	const struct stat *st = &e->st;
	char mode[11], user[16], group[16], size[40];
	time_t t = st->st_mtime;
	struct tm tm;

	if (!e->have_st)
		return;
	gmtime_r(&t, &tm);
	mode_string(st->st_mode, mode);
	user_string(st->st_uid, user, sizeof(user));
	group_string(st->st_gid, group, sizeof(group));
	if (is_device(st))
		snprintf(size, sizeof(size), "%*u, %*u", w->size - w->minor - 2, major(st->st_rdev),
			 w->minor, minor(st->st_rdev));
	else
		snprintf(size, sizeof(size), "%lld", st->st_size);
	printf("%s %*u %-*s %-*s %*s %04d-%02d-%02d %02d:%02d %s", mode, w->link, st->st_nlink,
	       w->user, user, w->group, group, w->size, size, tm.tm_year + 1900, tm.tm_mon + 1,
	       tm.tm_mday, tm.tm_hour, tm.tm_min, e->name);
	if (S_ISLNK(st->st_mode)) {
		char target[PATH_MAX];
		ssize_t len = readlink(e->path, target, sizeof(target) - 1);

		if (len >= 0) {
			target[len] = '\0';
			printf(" -> %s", target);
		}
	}
	putchar('\n');
}

/* Sort and print; w gives the -l column widths. */
static void print_entries(struct entry *e, int n, const struct widths *w)
{
	qsort(e, n, sizeof(*e), by_name);
	for (int i = 0; i < n; i++)
		if (opt_long)
			print_long(&e[i], w);
		else
			puts(e[i].name);
}

static char *join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p = malloc(dl + nl + 2);

	if (!p) {
		fputs("ls: out of memory\n", stderr);
		exit(2);
	}
	memcpy(p, dir, dl);
	p[dl] = '/';
	memcpy(p + dl + 1, name, nl + 1);
	return p;
}

static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *de;
	struct entry *e = NULL;
	int n = 0, cap = 0;
	unsigned long long blocks = 0;
	struct widths w;

	if (!d) {
		complain(path, errno, 2);
		return;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' && !opt_all)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			e = realloc(e, cap * sizeof(*e));
			if (!e) {
				fputs("ls: out of memory\n", stderr);
				exit(2);
			}
		}
		e[n].path = join(path, de->d_name);
		e[n].name = e[n].path + strlen(path) + 1;
		e[n].have_st = 0;
		if (opt_long) {
			if (lstat(e[n].path, &e[n].st) == 0) {
				e[n].have_st = 1;
				blocks += e[n].st.st_blocks;
			} else {
				complain(e[n].path, errno, 1);
			}
		}
		n++;
	}
	if (errno)
		complain(path, errno, 2);
	closedir(d);
	if (opt_long)
		printf("total %llu\n", (blocks + 1) / 2);   /* 512-byte blocks, shown as KiB */
	measure(e, n, &w);
	print_entries(e, n, &w);
	for (int i = 0; i < n; i++)
		free(e[i].path);
	free(e);
}

int main(int argc, char **argv)
{
	/* The operands: files first, then directories, in one array. */
	struct entry *ops = calloc(argc + 1, sizeof(*ops)), *files, *dirs;
	int nops = 0, nfiles = 0, ndirs = 0, noperands = 0, options_done = 0;
	struct widths w;

	if (!ops)
		return 2;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];

		if (!options_done && a[0] == '-' && a[1]) {
			if (!strcmp(a, "--")) {
				options_done = 1;
				continue;
			}
			for (a++; *a; a++) {
				if (*a == 'l')
					opt_long = 1;
				else if (*a == 'a')
					opt_all = 1;
				else if (*a != '1') {
					fprintf(stderr, "ls: invalid option -- '%c'\n", *a);
					fputs("usage: ls [-la1] [file...]\n", stderr);
					return 2;
				}
			}
			continue;
		}
		argv[++noperands] = a;   /* operands move down over the options */
	}
	if (!noperands)
		argv[++noperands] = ".";
	for (int i = 1; i <= noperands; i++) {
		struct entry e = { argv[i], argv[i], { 0 }, 1 };

		/*
		 * -l shows a symbolic link itself; otherwise an operand that
		 * is a link to a directory lists the directory, as GNU ls.
		 */
		if ((opt_long || stat(e.path, &e.st) < 0) && lstat(e.path, &e.st) < 0) {
			complain(e.path, errno, 2);
			continue;
		}
		ops[nops++] = e;
	}
	/* Partition: non-directories to the front. */
	for (int i = 0; i < nops; i++)
		if (!S_ISDIR(ops[i].st.st_mode)) {
			struct entry t = ops[nfiles];

			ops[nfiles++] = ops[i];
			ops[i] = t;
		}
	files = ops;
	dirs = ops + nfiles;
	ndirs = nops - nfiles;
	/* GNU ls sizes the file columns to fit the directory operands too. */
	measure(ops, nops, &w);
	print_entries(files, nfiles, &w);
	qsort(dirs, ndirs, sizeof(*dirs), by_name);
	for (int i = 0; i < ndirs; i++) {
		if (noperands > 1)
			printf("%s%s:\n", nfiles || i ? "\n" : "", dirs[i].name);
		list_dir(dirs[i].path);
	}
	if (fflush(stdout))
		status = 2;
	return status;
}
