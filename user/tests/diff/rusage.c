/*
 * getrusage(2) and wait4's rusage against Linux: the page faults a
 * student counts -- first touches, a read of the zero page then a write,
 * copy-on-write after fork (one minor fault per page written, none for
 * reading), MAP_POPULATE's faults, those a read() takes writing into
 * fresh pages -- the peak resident set (it never
 * falls; RUSAGE_CHILDREN's is the largest of the reaped descendants',
 * grandchildren included, and a child nobody waited for counts for
 * nothing), CPU times, voluntary context switches, and the argument
 * errors.  Exact counts only where Linux's are exact; the rest as
 * "at least".
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "../common/report.h"

#define PAGES 32                 /* small: no huge page can back it */
#define MB_PAGES 256
#define KB_PER_PAGE 4
#define SELF_MB 4                /* touched by this process */
#define CHILD_MB 8               /* by a child */
#define GRANDCHILD_MB 16         /* by a grandchild */
#define IGNORED_MB 24            /* by a child nobody waits for */
#define SPIN_MS 100              /* CPU time a child burns */
#define NAP_MS 20
/*
 * Linux's rss counters are per-CPU and read without their unflushed
 * deltas, and its CPU times are truncated to microseconds field by field:
 * a peak or a time is checked to be at least this share of the truth.
 */
#define AT_LEAST(x) ((x) * 3 / 4)

/* Both readings live in one place, touched before the first: no fault of their own. */
static struct rusage before, after;

static void measure_start(int who)
{
	memset(&after, 0, sizeof(after));
	getrusage(who, &before);
}

static void show_faults(const char *what)
{
	getrusage(RUSAGE_SELF, &after);
	printf("%s: minflt +%ld, majflt +%ld\n", what, after.ru_minflt - before.ru_minflt,
	       after.ru_majflt - before.ru_majflt);
}

static char *map_pages(size_t pages, int flags)
{
	char *p = mmap(NULL, pages * PGSZ, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED) {
		printf("mmap: %s\n", errno_name(errno));
		exit(1);
	}
	return p;
}

static void write_pages(char *p, size_t pages, char v)
{
	for (size_t i = 0; i < pages; i++)
		((volatile char *)p)[i * PGSZ] = v;
}

static long read_pages(const char *p, size_t pages)
{
	long sum = 0;

	for (size_t i = 0; i < pages; i++)
		sum += ((const volatile char *)p)[i * PGSZ];
	return sum;
}

static long maxrss(int who)
{
	struct rusage r;

	getrusage(who, &r);
	return r.ru_maxrss;
}

static void errors(void)
{
	struct rusage r;

	show("getrusage(RUSAGE_SELF)", getrusage(RUSAGE_SELF, &r));
	show("getrusage(RUSAGE_CHILDREN)", getrusage(RUSAGE_CHILDREN, &r));
	show("getrusage(RUSAGE_THREAD)", getrusage(RUSAGE_THREAD, &r));
	show("getrusage(2)", getrusage(2, &r));
	show("getrusage(-2)", getrusage(-2, &r));
	show("getrusage(-3)", getrusage(-3, &r));
	show("getrusage(SELF, bad pointer)", getrusage(RUSAGE_SELF, ADDR(1)));
	show("getrusage(CHILDREN, kernel pointer)", getrusage(RUSAGE_CHILDREN, KERNEL_ADDR));
	show("getrusage(2, bad pointer)", getrusage(2, ADDR(1)));
	getrusage(RUSAGE_CHILDREN, &r);
	show_bool("no child reaped yet: RUSAGE_CHILDREN all zero",
		  !r.ru_minflt && !r.ru_majflt && !r.ru_maxrss && !r.ru_utime.tv_sec &&
		  !r.ru_utime.tv_usec && !r.ru_nvcsw);
}

#define READ (-1)

/* The faults of writing v to (or reading, v READ) the PAGES pages at p. */
static void show_access_faults(const char *what, char *p, int v)
{
	measure_start(RUSAGE_SELF);
	if (v == READ)
		read_pages(p, PAGES);
	else
		write_pages(p, PAGES, (char)v);
	show_faults(what);
}

static void first_touch(void)
{
	char *p = map_pages(PAGES, 0), *q = map_pages(PAGES, 0), *r;
	int fd;

	show_access_faults("writing 32 fresh pages", p, 1);
	show_access_faults("writing them again", p, 2);
	show_access_faults("reading 32 fresh pages (the zero page)", q, READ);
	show_access_faults("then writing them", q, 1);
	measure_start(RUSAGE_SELF);
	r = map_pages(PAGES, MAP_POPULATE);
	show_faults("mmap of 32 pages with MAP_POPULATE");
	show_access_faults("then writing them", r, 1);
	munmap(p, PAGES * PGSZ);
	munmap(q, PAGES * PGSZ);
	munmap(r, PAGES * PGSZ);

	fd = open("/dev/zero", O_RDONLY);
	p = map_pages(PAGES, 0);
	measure_start(RUSAGE_SELF);
	show("read() of /dev/zero into 32 fresh pages", read(fd, p, PAGES * PGSZ) == PAGES * PGSZ);
	show_faults("  its faults");
	close(fd);
	munmap(p, PAGES * PGSZ);
}

static char *cow;

static void cow_child(void *arg)
{
	show_access_faults("child: reading 32 pages shared copy-on-write", cow, READ);
	show_access_faults("child: writing them (one copy each)", cow, 3);
	show_access_faults("child: writing them again", cow, 4);
	fflush(stdout);
}

static void copy_on_write(void)
{
	struct rusage r;

	cow = map_pages(PAGES, 0);
	write_pages(cow, PAGES, 1);
	fflush(stdout);
	show_status("the copy-on-write child", run_in_child(cow_child, NULL));
	getrusage(RUSAGE_CHILDREN, &r);
	show_bool("RUSAGE_CHILDREN has its 32 faults", r.ru_minflt >= PAGES);
	show_access_faults("parent, the child gone: writing the pages (each is its own again)",
			   cow, 5);
	show_bool("parent still holds its own data", read_pages(cow, PAGES) == 5 * PAGES);
	munmap(cow, PAGES * PGSZ);
}

static void touch_mb(void *arg)
{
	if (!touch_new_pages((size_t)(long)arg * MB_PAGES))
		_exit(1);
}

/* A child that lets a grandchild touch GRANDCHILD_MB and reaps it. */
static void grandparent_child(void *arg)
{
	run_in_child(touch_mb, (void *)(long)GRANDCHILD_MB);
}

static void peak_rss(void)
{
	long after_touch, r;
	char *p;
	struct sigaction ign = { .sa_handler = SIG_IGN }, dfl = { .sa_handler = SIG_DFL };
	int status;

	p = map_pages(SELF_MB * MB_PAGES, 0);
	write_pages(p, SELF_MB * MB_PAGES, 1);
	after_touch = maxrss(RUSAGE_SELF);
	show_bool("ru_maxrss holds the 4 MiB touched", after_touch >= AT_LEAST(SELF_MB * 1024));
	munmap(p, SELF_MB * MB_PAGES * PGSZ);
	show_bool("and did not fall at munmap", maxrss(RUSAGE_SELF) >= after_touch);

	show_status("a child touching 8 MiB", run_in_child(touch_mb, (void *)(long)CHILD_MB));
	r = maxrss(RUSAGE_CHILDREN);
	show_bool("RUSAGE_CHILDREN ru_maxrss holds its 8 MiB", r >= AT_LEAST(CHILD_MB * 1024));
	show_bool("  but not 16 MiB", r < GRANDCHILD_MB * 1024);
	show_status("a child whose child touches 16 MiB", run_in_child(grandparent_child, NULL));
	show_bool("RUSAGE_CHILDREN ru_maxrss holds the grandchild's 16 MiB",
		  maxrss(RUSAGE_CHILDREN) >= AT_LEAST(GRANDCHILD_MB * 1024));

	sigaction(SIGCHLD, &ign, NULL);
	spawn(touch_mb, (void *)(long)IGNORED_MB);
	show("wait with SIGCHLD ignored", wait(&status));
	sigaction(SIGCHLD, &dfl, NULL);
	show_bool("a child nobody reaped does not count",
		  maxrss(RUSAGE_CHILDREN) < IGNORED_MB * 1024);
}

static long cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long tv_ms(struct timeval tv)
{
	return tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static void spin(void *arg)
{
	struct rusage r;

	while (cpu_ms() < SPIN_MS)
		;
	getrusage(RUSAGE_SELF, &r);
	printf("child: its ru_utime + ru_stime hold the %d ms it spun: %s\n", SPIN_MS,
	       tv_ms(r.ru_utime) + tv_ms(r.ru_stime) >= AT_LEAST(SPIN_MS) ? "yes" : "no");
	fflush(stdout);
}

static void times_and_switches(void)
{
	struct rusage r, w;
	pid_t pid;
	int status;

	fflush(stdout);
	pid = spawn(spin, NULL);
	show_bool("wait4 returns the spinning child", wait4(pid, &status, 0, &w) == pid);
	show_bool("  its rusage has the CPU time",
		  tv_ms(w.ru_utime) + tv_ms(w.ru_stime) >= AT_LEAST(SPIN_MS));
	getrusage(RUSAGE_CHILDREN, &r);
	show_bool("RUSAGE_CHILDREN has it too",
		  tv_ms(r.ru_utime) + tv_ms(r.ru_stime) >= AT_LEAST(SPIN_MS));

	getrusage(RUSAGE_SELF, &r);
	msleep(NAP_MS);
	getrusage(RUSAGE_SELF, &w);
	show_bool("a nap is a voluntary context switch", w.ru_nvcsw > r.ru_nvcsw);
}

static void stop_after_touching(void *arg)
{
	touch_mb(arg);
	raise(SIGSTOP);
}

static void wait4_usage(void)
{
	struct rusage w;
	pid_t pid;
	int status;

	pid = spawn(stop_after_touching, (void *)1L);
	show_bool("wait4(WUNTRACED) of a child that stopped itself",
		  wait4(pid, &status, WUNTRACED, &w) == pid && WIFSTOPPED(status));
	show_bool("  its rusage has the faults so far", w.ru_minflt >= MB_PAGES);
	kill(pid, SIGKILL);
	wait_status(pid, 0);

	pid = spawn(grandparent_child, NULL);
	show_bool("wait4 of a child that reaped a grandchild", wait4(pid, &status, 0, &w) == pid);
	show_bool("  its ru_minflt has the grandchild's faults",
		  w.ru_minflt >= GRANDCHILD_MB * MB_PAGES);
	show_bool("  its ru_maxrss the grandchild's peak",
		  w.ru_maxrss >= AT_LEAST(GRANDCHILD_MB * 1024));
	pid = spawn(touch_mb, (void *)1L);
	show("wait4 with a bad rusage", wait4(pid, &status, 0, ADDR(1)));
	show("  the child was reaped all the same", wait4(pid, &status, WNOHANG, &w));
}

int main(void)
{
	errors();
	first_touch();
	copy_on_write();
	peak_rss();
	times_and_switches();
	wait4_usage();
	return 0;
}
