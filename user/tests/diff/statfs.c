/*
 * statfs, fstatfs, statfs64 and fstatfs64: the file system of /proc and
 * of a pipe (the same magic, block size and name length on Linux and
 * anvil), the two layouts agreeing, and every error: ENOENT, ENOTDIR,
 * EFAULT, EBADF and a statfs64 size that is not the structure's.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define BAD_FD 200
#define BAD_ADDR ((void *)1)

static void show_statfs64(const char *what, const struct statfs64 *s)
{
	printf("%s: type %#lx bsize %lu frsize %lu namelen %lu blocks %llu files %llu valid %d\n",
	       what, s->f_type, s->f_bsize, s->f_frsize, s->f_namelen, s->f_blocks, s->f_files,
	       !!(s->f_flags & ST_VALID));
}

/* The 32-bit call and the 64-bit one say the same of path. */
static void both_layouts(const char *path)
{
	struct statfs s32;
	struct statfs64 s64;
	char what[64];

	memset(&s32, 0xa5, sizeof(s32));
	memset(&s64, 0xa5, sizeof(s64));
	snprintf(what, sizeof(what), "statfs64(%s)", path);
	show(what, syscall(__NR_statfs64, path, sizeof(s64), &s64));
	show_statfs64("  ", &s64);
	show("  statfs (32-bit)", syscall(__NR_statfs, path, &s32));
	show_bool("  the same in both layouts", s32.f_type == s64.f_type &&
		  s32.f_bsize == s64.f_bsize && s32.f_namelen == s64.f_namelen &&
		  s32.f_frsize == s64.f_frsize && s32.f_blocks == s64.f_blocks &&
		  s32.f_flags == s64.f_flags);
	show_bool("  spare words zeroed", !s64.f_spare[0] && !s64.f_spare[3] && !s32.f_spare[0]);
}

static void descriptors(void)
{
	struct statfs64 s64;
	struct statfs s32;
	int p[2], fd = open("/proc/self/status", O_RDONLY);

	show("fstatfs64(a /proc file)", syscall(__NR_fstatfs64, fd, sizeof(s64), &s64));
	show_statfs64("  ", &s64);
	close(fd);
	pipe(p);
	show("fstatfs64(a pipe)", syscall(__NR_fstatfs64, p[0], sizeof(s64), &s64));
	show_statfs64("  ", &s64);
	show("fstatfs(a pipe)", syscall(__NR_fstatfs, p[1], &s32));
	printf("  type %#lx\n", s32.f_type);
	close(p[0]);
	close(p[1]);
}

static void errors(void)
{
	struct statfs64 s64;
	struct statfs s32;

	show("statfs64 of a missing path", syscall(__NR_statfs64, "/no/such", sizeof(s64), &s64));
	show("statfs64 through a file", syscall(__NR_statfs64, "/proc/self/status/x", sizeof(s64),
						&s64));
	show("statfs64 of an empty path", syscall(__NR_statfs64, "", sizeof(s64), &s64));
	show("statfs64 of a bad path pointer", syscall(__NR_statfs64, BAD_ADDR, sizeof(s64), &s64));
	show("statfs64 into a bad buffer", syscall(__NR_statfs64, "/", sizeof(s64), BAD_ADDR));
	show("statfs64 with size 88", syscall(__NR_statfs64, "/", sizeof(s64) + 4, &s64));
	show("statfs64 with size 64", syscall(__NR_statfs64, "/", sizeof(s32), &s64));
	show("statfs64 with a bad size and path", syscall(__NR_statfs64, "/no/such", 0, &s64));
	show("statfs into a bad buffer", syscall(__NR_statfs, "/", BAD_ADDR));
	show("statfs of a missing path", syscall(__NR_statfs, "/no/such", &s32));
	show("fstatfs64 of a closed fd", syscall(__NR_fstatfs64, BAD_FD, sizeof(s64), &s64));
	show("fstatfs64 of -1", syscall(__NR_fstatfs64, -1, sizeof(s64), &s64));
	show("fstatfs of a closed fd", syscall(__NR_fstatfs, BAD_FD, &s32));
	show("fstatfs64 of fd 0 with size 0", syscall(__NR_fstatfs64, 0, 0, &s64));
	show("statfs64 of / works", syscall(__NR_statfs64, "/", sizeof(s64), &s64));
	show("statfs64 of /tmp works", syscall(__NR_statfs64, "/tmp", sizeof(s64), &s64));
	show("fstatfs64 of stdout works", syscall(__NR_fstatfs64, 1, sizeof(s64), &s64));
}

int main(void)
{
	printf("sizeof(struct statfs) %zu, sizeof(struct statfs64) %zu\n", sizeof(struct statfs),
	       sizeof(struct statfs64));
	both_layouts("/proc");
	both_layouts("/proc/self");
	descriptors();
	errors();
	return 0;
}
