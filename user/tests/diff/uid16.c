/*
 * The 16-bit id calls i386 kept from Linux 2.2 (setuid, getuid, chown...
 * without the "32"): their ids are 16 bits, 0xffff stands for -1, an id
 * above 65535 reads as the overflow id 65534, and the upper half of an
 * argument register is ignored.  Run beside the 32-bit calls on the
 * same process, so each answer can be checked against the other.
 */
#include <fcntl.h>
#include <grp.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define OLD_NONE 0xffff

static void getters(const char *what)
{
	unsigned short r = 1, e = 1, s = 1;

	printf("%s: getuid %ld geteuid %ld getgid %ld getegid %ld\n", what, syscall(__NR_getuid),
	       syscall(__NR_geteuid), syscall(__NR_getgid), syscall(__NR_getegid));
	show("  getresuid16", syscall(__NR_getresuid, &r, &e, &s));
	printf("    %u %u %u\n", r, e, s);
	show("  getresgid16", syscall(__NR_getresgid, &r, &e, &s));
	printf("    %u %u %u\n", r, e, s);
}

static void set_uids(void *arg)
{
	show("setresuid16(0x11111, 0xffff, 70000)", syscall(__NR_setresuid, 0x11111, OLD_NONE, 70000));
	show_ids("  32-bit view");
	getters("  16-bit view");
	show("setfsuid16(0xffff)", syscall(__NR_setfsuid, OLD_NONE));
	show("setfsuid16(0x10005)", syscall(__NR_setfsuid, 0x10005));
	show("setfsuid32(70000)", syscall(__NR_setfsuid32, 70000));
	show("setfsuid16(0xffff), the fs uid 70000", syscall(__NR_setfsuid, OLD_NONE));
	show("setreuid16(0xffff, 4464)", syscall(__NR_setreuid, OLD_NONE, 4464));
	show_ids("  ");
	show("setuid16(0xffff)", syscall(__NR_setuid, OLD_NONE));
	show("setuid16(0x10000 + 4464)", syscall(__NR_setuid, 0x10000 + 4464));
	show_ids("  ");
	show("setuid16(0)", syscall(__NR_setuid, 0));
}

static void set_gids(void *arg)
{
	show("setresgid16(70000, 5, 0xffff)", syscall(__NR_setresgid, 70000, 5, OLD_NONE));
	show_ids("  32-bit view");
	getters("  16-bit view");
	show("setregid16(6, 0xffff)", syscall(__NR_setregid, 6, OLD_NONE));
	show("setgid16(0x20007)", syscall(__NR_setgid, 0x20007));
	show("setfsgid16(9)", syscall(__NR_setfsgid, 9));
	show("setgid16(0xffff)", syscall(__NR_setgid, OLD_NONE));
	show_ids("  ");
	show("setgid32(100000)", setgid(100000));
	getters("  16-bit view of 100000");
}

static void groups16(void *arg)
{
	unsigned short list[] = { 3, 70000 & 0xffff, 2, 0 }, got[8] = { 0 };
	gid_t big[] = { 70000, 1 };
	long n;

	show("setgroups16(3, [3 4464 2])", syscall(__NR_setgroups, 3, list));
	show_ids("  ");
	n = syscall(__NR_getgroups, 8, got);
	show("getgroups16(8, buf)", n);
	printf("  %u %u %u\n", got[0], got[1], got[2]);
	show("getgroups16(2, buf)", syscall(__NR_getgroups, 2, got));
	show("getgroups16(0, NULL)", syscall(__NR_getgroups, 0, NULL));
	show("getgroups16(-1, buf)", syscall(__NR_getgroups, -1, got));
	list[0] = OLD_NONE;
	show("setgroups16(1, [0xffff])", syscall(__NR_setgroups, 1, list));
	show("setgroups16(65537, ...)", syscall(__NR_setgroups, 65537, list));
	show("setgroups32(2, [70000 1])", setgroups(2, big));
	n = syscall(__NR_getgroups, 8, got);
	show("getgroups16(8, buf)", n);
	printf("  %u %u\n", got[0], got[1]);
}

static void chown16(void *arg)
{
	struct stat st;
	int fd = open("f", O_CREAT | O_WRONLY, 0644);

	symlink("f", "l");
	show("chown16(f, 0x10001, 0x20002)", syscall(__NR_chown, "f", 0x10001, 0x20002));
	stat("f", &st);
	printf("  %u %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	show("chown16(f, 0xffff, 7)", syscall(__NR_chown, "f", OLD_NONE, 7));
	stat("f", &st);
	printf("  %u %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	show("fchown16(fd, 8, 0xffff)", syscall(__NR_fchown, fd, 8, OLD_NONE));
	stat("f", &st);
	printf("  %u %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	show("lchown16(l, 9, 9)", syscall(__NR_lchown, "l", 9, 9));
	lstat("l", &st);
	printf("  link %u %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	stat("f", &st);
	printf("  file %u %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	show("chown32(f, 70000, 70001)", chown("f", 70000, 70001));
	stat("f", &st);
	printf("  %u %u\n", (unsigned)st.st_uid, (unsigned)st.st_gid);
	close(fd);
}

int main(void)
{
	setgroups(0, NULL);
	getters("root");
	in_child("uids", set_uids, NULL);
	in_child("gids", set_gids, NULL);
	in_child("groups", groups16, NULL);
	enter_scratch("uid16");
	in_child("chown", chown16, NULL);
	leave_scratch();
	return 0;
}
