/*
 * Users on anvil itself (the diff tests setid, perm, chown, suidexec and
 * privileged compare the rules with Linux): the owners the initramfs
 * gives /home/student and the rest, /etc/passwd and /etc/group read by
 * /bin/id, another process's ids in /proc/<pid>/status, a set-user-ID
 * program on a nosuid mount, and NGROUPS_MAX groups shared by fork and
 * freed (the runner's leak check).
 */
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <abi/mount.h>
#include "ut.h"

#define STUDENT 1000
#define NOBODY 65534
#define UNNAMED 4242
#define OUT_MAX 256

static void check_owner(const char *path, uid_t uid, gid_t gid, mode_t mode)
{
	struct stat st;

	CHECK_OK(stat(path, &st));
	CHECK(st.st_uid == uid && st.st_gid == gid && st.st_mode == mode,
	      "%s: uid %u gid %u mode %o, not %u %u %o", path, (unsigned)st.st_uid,
	      (unsigned)st.st_gid, st.st_mode, uid, gid, mode);
}

/* The cpio archive's owners are kept: root's files, and the student's home. */
static void t_initramfs_owners(void)
{
	check_owner("/home/student", STUDENT, STUDENT, S_IFDIR | 0755);
	check_owner("/home", 0, 0, S_IFDIR | 0755);
	check_owner("/etc/passwd", 0, 0, S_IFREG | 0644);
	check_owner("/tmp", 0, 0, S_IFDIR | 01777);
	check_owner("/bin/id", 0, 0, S_IFREG | 0755);
}

struct ids {
	uid_t r, e, s;
	gid_t g;
	int ngroups;
	gid_t groups[2];
};

/*
 * Run program with argv under ids (from root) and check its standard
 * output is want, its exit status status.
 */
static void check_output(const char *program, char *const argv[], const struct ids *ids,
			 const char *want, int status)
{
	char out[OUT_MAX];
	int fds[2], st;
	ssize_t n = 0, r;
	pid_t pid;

	CHECK_OK(pipe(fds));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 1);
		dup2(open("/dev/null", O_WRONLY), 2);      /* id's complaints are not checked */
		if (setgroups(ids->ngroups, ids->groups) < 0 || setresgid(ids->g, ids->g, ids->g) < 0 ||
		    setresuid(ids->r, ids->e, ids->s) < 0)
			_exit(98);
		execve(program, argv, argv + 4);
		_exit(99);
	}
	close(fds[1]);
	while (n < OUT_MAX - 1 && (r = read(fds[0], out + n, OUT_MAX - 1 - n)) > 0)
		n += r;
	out[n] = '\0';
	close(fds[0]);
	st = wait_status(pid, 0);
	CHECK(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == status && !strcmp(out, want),
	      "%s %s as %u/%u: %s, printed \"%s\", not \"%s\"", program, argv[1] ? argv[1] : "",
	      ids->r, ids->e, status_str(st), out, want);
}

/* /bin/id prints as coreutils' does, with the names of /etc/passwd and /etc/group. */
static void t_id_program(void)
{
	char *plain[] = { "id", NULL, NULL, NULL, NULL };
	char *un[] = { "id", "-un", NULL, NULL, NULL };
	char *gn[] = { "id", "-Gn", NULL, NULL, NULL };
	char *user[] = { "id", "student", NULL, NULL, NULL };
	char *ru[] = { "id", "-ru", NULL, NULL, NULL };
	const struct ids root = { 0, 0, 0, 0, 0, { 0 } };
	const struct ids student = { STUDENT, STUDENT, STUDENT, STUDENT, 1, { STUDENT } };
	const struct ids setuid_root = { STUDENT, 0, 0, STUDENT, 2, { 0, STUDENT } };
	const struct ids nobody = { NOBODY, NOBODY, NOBODY, NOBODY, 0, { 0 } };
	const struct ids unnamed = { UNNAMED, UNNAMED, UNNAMED, UNNAMED, 0, { 0 } };

	check_output("/bin/id", plain, &root, "uid=0(root) gid=0(root) groups=0(root)\n", 0);
	check_output("/bin/id", plain, &student,
		     "uid=1000(student) gid=1000(student) groups=1000(student)\n", 0);
	check_output("/bin/id", plain, &setuid_root, "uid=1000(student) gid=1000(student) "
		     "euid=0(root) groups=1000(student),0(root)\n", 0);
	check_output("/bin/id", plain, &nobody,
		     "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n", 0);
	check_output("/bin/id", plain, &unnamed, "uid=4242 gid=4242 groups=4242\n", 0);
	check_output("/bin/id", un, &student, "student\n", 0);
	check_output("/bin/id", un, &unnamed, "4242\n", 1);
	check_output("/bin/id", gn, &setuid_root, "student root\n", 0);
	check_output("/bin/id", ru, &setuid_root, "1000\n", 0);
	check_output("/bin/id", user, &root,
		     "uid=1000(student) gid=1000(student) groups=1000(student)\n", 0);
}

/* /proc/<pid>/status shows that process's ids, whoever reads it. */
static void t_proc_status_other(void)
{
	static char buf[4096];
	char path[32];
	int ready[2], go[2], fd;
	ssize_t n;
	pid_t pid;
	char c;

	CHECK_OK(pipe(ready));
	CHECK_OK(pipe(go));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		gid_t groups[] = { 60, 50 };

		setgroups(2, groups);
		setresgid(11, 12, 13);
		setresuid(21, 22, 23);
		write(ready[1], "", 1);
		read(go[0], &c, 1);
		_exit(0);
	}
	CHECK(read(ready[0], &c, 1) == 1, "the child did not start");
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = CHECK_OK(open(path, O_RDONLY));
	n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));
	buf[n] = '\0';
	close(fd);
	write(go[1], "", 1);
	check_child_ok(wait_status(pid, 0), "the child");
	CHECK(strstr(buf, "\nUid:\t21\t22\t23\t22\nGid:\t11\t12\t13\t12\nGroups:\t50 60 \n"),
	      "%s reads:\n%s", path, buf);
}

/* Copy /bin/id to path, root's and set-user-ID. */
static void install_setuid_id(const char *path)
{
	static char buf[65536];
	int in = CHECK_OK(open("/bin/id", O_RDONLY));
	int out = CHECK_OK(open(path, O_CREAT | O_WRONLY | O_TRUNC, 0755));
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) > 0)
		CHECK(write(out, buf, n) == n, "write %s: %s", path, errno_name(errno));
	close(in);
	close(out);
	CHECK_OK(chmod(path, 04755));
}

/* A set-user-ID program runs with its owner's uid, but not from a nosuid mount. */
static void t_setuid_nosuid_mount(void)
{
	char *argv[] = { "id", NULL, NULL, NULL, NULL };
	const struct ids student = { STUDENT, STUDENT, STUDENT, STUDENT, 0, { 0 } };
	char dir[96], prog[128];

	install_setuid_id(scratch_path("id"));
	check_output(scratch_path("id"), argv, &student,
		     "uid=1000(student) gid=1000(student) euid=0(root) groups=1000(student)\n", 0);
	snprintf(dir, sizeof(dir), "%s", scratch_path("mnt"));
	CHECK_OK(mkdir(dir, 0755));
	CHECK_OK(syscall(__NR_mount, "nosuid", dir, "tmpfs", MS_NOSUID, "mode=755"));
	snprintf(prog, sizeof(prog), "%s/id", dir);
	install_setuid_id(prog);
	check_output(prog, argv, &student,
		     "uid=1000(student) gid=1000(student) groups=1000(student)\n", 0);
	CHECK_OK(unlink(prog));
	CHECK_OK(syscall(__NR_umount2, dir, 0));
}

/* NGROUPS_MAX groups (page-sized blocks) go to a grandchild by fork and are freed with both. */
static void t_groups_many(void)
{
	static gid_t groups[NGROUPS_MAX];
	pid_t pid;

	for (int i = 0; i < NGROUPS_MAX; i++)
		groups[i] = NGROUPS_MAX - i;
	pid = CHECK_OK(fork());
	if (pid == 0) {
		pid_t grandchild;

		CHECK_OK(setgroups(NGROUPS_MAX, groups));
		grandchild = CHECK_OK(fork());
		if (grandchild == 0) {
			CHECK(getgroups(NGROUPS_MAX, groups) == NGROUPS_MAX && groups[0] == 1 &&
			      groups[NGROUPS_MAX - 1] == NGROUPS_MAX, "the grandchild's groups");
			CHECK_OK(setgroups(1, groups));
			_exit(0);
		}
		check_child_ok(wait_status(grandchild, 0), "the grandchild");
		CHECK(getgroups(0, NULL) == NGROUPS_MAX, "the child's groups changed");
		_exit(0);
	}
	check_child_ok(wait_status(pid, 0), "the child");
	CHECK(getgroups(0, NULL) == 0, "the parent's groups changed");
}

const struct subtest users_tests[] = {
	{ "initramfs_owners", t_initramfs_owners, 0 },
	{ "id_program", t_id_program, 0 },
	{ "proc_status_other", t_proc_status_other, 0 },
	{ "setuid_nosuid_mount", t_setuid_nosuid_mount, 0 },
	{ "groups_many", t_groups_many, 0 },
	{ NULL },
};
