/*
 * Resource usage as anvil counts it, where Linux's answer depends on its
 * scheduler or its /proc: a task that uses up its time slice beside a
 * runnable one is switched out involuntarily (ru_nivcsw), and
 * /proc/<pid>/stat's minflt, cminflt, majflt and cmajflt are the counters
 * getrusage reports.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include "../common/uthread.h"
#include "ut.h"

#define SPIN_MS 300              /* of CPU time: six of anvil's 50 ms time slices */
#define CHILD_PAGES 64
#define STAT_MINFLT_FIELD 10     /* /proc/<pid>/stat's fields, counted from 1 */

static void spin_forever(void *arg)
{
	for (;;)
		;
}

static long cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Spin until this process was charged SPIN_MS of CPU time -- ticks, not
 * wall-clock time, which a loaded host can let pass with few ticks in
 * the guest -- so it certainly used up several time slices.
 */
static void t_involuntary_switch(void)
{
	struct rusage before, after;
	pid_t pid;
	long start;

	CHECK_OK(uthread_pin(0));          /* both on one CPU, however many there are */
	pid = spawn(spin_forever, NULL);
	CHECK_OK(pid);
	CHECK_OK(getrusage(RUSAGE_SELF, &before));
	start = cpu_ms();
	while (cpu_ms() - start < SPIN_MS)
		;
	CHECK_OK(getrusage(RUSAGE_SELF, &after));
	kill(pid, SIGKILL);
	wait_status(pid, 0);
	CHECK_OK(uthread_unpin());
	CHECK(after.ru_nivcsw > before.ru_nivcsw,
	      "spinning %d ms beside a spinning child: ru_nivcsw %ld -> %ld", SPIN_MS,
	      before.ru_nivcsw, after.ru_nivcsw);
}

static void touch_pages(void *arg)
{
	_exit(touch_new_pages(CHILD_PAGES) ? 0 : 1);
}

/* minflt, cminflt, majflt, cmajflt from /proc/self/stat. */
static void read_stat_faults(long f[4])
{
	static char buf[1024];
	int fd = CHECK_OK(open("/proc/self/stat", O_RDONLY));
	long n = CHECK_OK(read(fd, buf, sizeof(buf) - 1));
	char *at = strrchr(buf, ')');     /* the name may hold spaces */
	int field = 2;

	close(fd);
	buf[n] = '\0';
	CHECK(at, "no ')' in /proc/self/stat");
	while (field < STAT_MINFLT_FIELD && (at = strchr(at + 1, ' ')))
		field++;
	CHECK(at, "/proc/self/stat too short");
	for (int i = 0; i < 4; i++)
		f[i] = strtol(at + 1, &at, 10);
}

static void t_proc_stat_faults(void)
{
	struct rusage self0, self1, children;
	long f[4];

	check_child_ok(run_in_child(touch_pages, NULL), "the child touching pages");
	CHECK_OK(getrusage(RUSAGE_SELF, &self0));
	read_stat_faults(f);
	CHECK_OK(getrusage(RUSAGE_SELF, &self1));
	CHECK_OK(getrusage(RUSAGE_CHILDREN, &children));
	CHECK(f[0] >= self0.ru_minflt && f[0] <= self1.ru_minflt,
	      "stat minflt %ld, getrusage %ld .. %ld", f[0], self0.ru_minflt, self1.ru_minflt);
	CHECK(f[2] == self1.ru_majflt, "stat majflt %ld, getrusage %ld", f[2], self1.ru_majflt);
	CHECK(f[1] == children.ru_minflt && f[1] >= CHILD_PAGES,
	      "stat cminflt %ld, getrusage(RUSAGE_CHILDREN) %ld", f[1], children.ru_minflt);
	CHECK(f[3] == children.ru_majflt, "stat cmajflt %ld, getrusage %ld", f[3],
	      children.ru_majflt);
}

const struct subtest rusage_tests[] = {
	{ "rusage_involuntary_switch", t_involuntary_switch, 0 },
	{ "rusage_proc_stat_faults", t_proc_stat_faults, 0 },
	{ NULL },
};
