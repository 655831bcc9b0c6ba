/*
 * exec and the ids: a set-user-ID file runs with its owner as the
 * effective (and saved, and fs) uid, a set-group-ID one -- if its group
 * may execute it -- with its group; every exec makes the saved ids the
 * effective ones; a #! script's own set-id bits are ignored (its
 * interpreter's count); AT_SECURE says the ids changed, and AT_UID..
 * AT_EGID are the new ones; such a program, or one its user may not
 * read, is not dumpable (PR_GET_DUMPABLE).  The program copies itself into a scratch
 * directory, sets the copies' owners and modes as root, and children
 * with other ids run them with the argument "ids", which prints them.
 */
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define USER 1000
#define OWNER 2000
#define GROUP 3000
#define COPY_BUF 4096

static void print_ids(void)
{
	printf("  ran: ");
	show_ids("ids");
	printf("  auxv: uid %lu euid %lu gid %lu egid %lu secure %lu; dumpable %ld\n",
	       getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID), getauxval(AT_EGID),
	       getauxval(AT_SECURE), syscall(__NR_prctl, PR_GET_DUMPABLE));
}

static int self_fd;        /* this program, opened before leaving the starting directory */

static int copy_self(const char *to)
{
	char buf[COPY_BUF];
	int out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755);
	ssize_t n;

	if (out < 0 || lseek(self_fd, 0, SEEK_SET) < 0)
		return -1;
	while ((n = read(self_fd, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(out);
	return n;
}

static void install(const char *name, uid_t uid, gid_t gid, mode_t mode)
{
	/* chown clears the set-id bits: the mode comes after it */
	chown(name, uid, gid);
	chmod(name, mode);
}

struct run {
	const char *what, *file;
	uid_t r, e, s;
	gid_t rg, eg, sg;
};

static void run_child(void *arg)
{
	const struct run *run = arg;
	char path[128];
	char *argv[] = { path, "ids", NULL };

	snprintf(path, sizeof(path), "%s/%s", scratch(), run->file);
	setgroups(0, NULL);
	setresgid(run->rg, run->eg, run->sg);
	setresuid(run->r, run->e, run->s);
	execve(path, argv, argv + 2);
	printf("  execve: %s\n", errno_name(errno));
}

static void run(const struct run *r)
{
	printf("%s\n", r->what);
	in_child(r->what, run_child, (void *)r);
}

int main(int argc, char **argv)
{
	if (argc > 1) {           /* "ids", or a script's path and "ids" */
		print_ids();
		return 0;
	}
	setgroups(0, NULL);
	umask(0);
	self_fd = open(argv[0], O_RDONLY);
	enter_scratch("suidexec");
	chmod(".", 0755);
	if (copy_self("plain") < 0) {
		printf("cannot copy %s: %s\n", argv[0], errno_name(errno));
		return 1;
	}
	copy_self("suid");
	install("suid", OWNER, GROUP, 04755);
	copy_self("sgid");
	install("sgid", OWNER, GROUP, 02755);
	copy_self("sgid-nox");
	install("sgid-nox", OWNER, GROUP, 02745);
	copy_self("both");
	install("both", OWNER, GROUP, 06755);
	copy_self("suidroot");
	install("suidroot", 0, 0, 04755);
	copy_self("xonly");
	install("xonly", OWNER, GROUP, 04711);
	copy_self("unreadable");
	install("unreadable", OWNER, GROUP, 0711);
	copy_self("noexec");
	install("noexec", OWNER, GROUP, 04744);
	FILE *f = fopen("script", "w");
	fprintf(f, "#!%s/plain\n", scratch());
	fclose(f);
	install("script", OWNER, GROUP, 06755);
	f = fopen("suidscript", "w");
	fprintf(f, "#!%s/suid\n", scratch());
	fclose(f);
	install("suidscript", 0, 0, 0755);

	show_ids("the test");
	run(&(struct run){ "root runs plain", "plain", 0, 0, 0, 0, 0, 0 });
	run(&(struct run){ "root runs suid (owner 2000)", "suid", 0, 0, 0, 0, 0, 0 });
	run(&(struct run){ "1000 runs suid", "suid", USER, USER, USER, USER, USER, USER });
	run(&(struct run){ "1000 runs sgid (group 3000)", "sgid", USER, USER, USER, USER, USER, USER });
	run(&(struct run){ "1000 runs sgid without group x", "sgid-nox", USER, USER, USER, USER,
			   USER, USER });
	run(&(struct run){ "1000 runs suid+sgid", "both", USER, USER, USER, USER, USER, USER });
	run(&(struct run){ "1000 runs a set-uid-root file", "suidroot", USER, USER, USER, USER,
			   USER, USER });
	run(&(struct run){ "1000 runs a 04711 file (execute only)", "xonly", USER, USER, USER,
			   USER, USER, USER });
	run(&(struct run){ "1000 runs a 0711 file it cannot read", "unreadable", USER, USER, USER,
			   USER, USER, USER });
	run(&(struct run){ "1000 runs a 04744 file", "noexec", USER, USER, USER, USER, USER,
			   USER });
	run(&(struct run){ "ids 1000 4000 5000 run plain", "plain", USER, 4000, 5000, USER, 4000,
			   5000 });
	run(&(struct run){ "real 0, effective 1000, run plain", "plain", 0, USER, 0, 0, USER, 0 });
	run(&(struct run){ "1000 runs a 06755 script", "script", USER, USER, USER, USER, USER,
			   USER });
	run(&(struct run){ "1000 runs a script whose interpreter is suid", "suidscript", USER,
			   USER, USER, USER, USER, USER });
	run(&(struct run){ "2000 runs its own suid file", "suid", OWNER, OWNER, OWNER, USER, USER,
			   USER });
	leave_scratch();
	return 0;
}
