/*
 * ps [aux]: one line per process, sorted by pid, from /proc/<pid>/stat
 * (Linux's fields: 3 state ... 14 utime, 15 stime, 22 start, 23 vsize, 24 rss).
 * Plain ps: PID PPID S RSS(KiB) VSZ(KiB) COMMAND.  ps aux: procps' BSD
 * columns, the user from /proc/<pid>/status, the command from cmdline.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CMDLINE_MAX 256
#define TTY_CONSOLE 0x0501      /* tty_nr of /dev/console: major 5, minor 1 */
#define SECONDS_PER_DAY (24 * 60 * 60)
#define PERMILLE 1000
#define PCPU_MAX 9990           /* procps shows at most 999.0 */

struct proc {
	int pid, ppid, pgrp, session, tty_nr, tpgid;
	char state;
	unsigned long utime, stime, start_ticks;
	unsigned long rss_kib, vsz_kib;
	char comm[64];
};

/* Parse one stat line; 0 if it does not look like Linux's. */
static int parse_stat(char *line, long page_kib, struct proc *p)
{
	char *open = strchr(line, '('), *close = strrchr(line, ')');  /* comm may hold ')' */
	char *field, *end;
	unsigned long vsize = 0, rss = 0;
	int n;

	if (!open || !close || close < open)
		return 0;
	p->pid = atoi(line);
	snprintf(p->comm, sizeof(p->comm), "%.*s", (int)(close - open - 1), open + 1);
	/* Fields from the 3rd (state) on are separated by single spaces. */
	field = close + 2;
	for (n = 3; *field; n++) {
		if (n == 3)
			p->state = *field;
		else if (n == 4)
			p->ppid = atoi(field);
		else if (n == 5)
			p->pgrp = atoi(field);
		else if (n == 6)
			p->session = atoi(field);
		else if (n == 7)
			p->tty_nr = atoi(field);
		else if (n == 8)
			p->tpgid = atoi(field);
		else if (n == 14)
			p->utime = strtoul(field, NULL, 10);
		else if (n == 15)
			p->stime = strtoul(field, NULL, 10);
		else if (n == 22)
			p->start_ticks = strtoul(field, NULL, 10);
		else if (n == 23)
			vsize = strtoul(field, NULL, 10);
		else if (n == 24) {
			rss = strtoul(field, NULL, 10);
			break;
		}
		end = strchr(field, ' ');
		if (!end)
			return 0;
		field = end + 1;
	}
	if (n != 24)
		return 0;
	p->vsz_kib = vsize / 1024;
	p->rss_kib = rss * page_kib;
	return 1;
}

static int read_proc(int pid, long page_kib, struct proc *p)
{
	char path[32], line[1024];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;     /* it exited meanwhile */
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	line[n] = '\0';
	return parse_stat(line, page_kib, p);
}

static int by_pid(const void *a, const void *b)
{
	return ((const struct proc *)a)->pid - ((const struct proc *)b)->pid;
}

/* The first number after "key" in a /proc file; 0 if absent. */
static unsigned long proc_value(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned long v = 0;
	size_t klen = strlen(key);

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen)) {
			v = strtoul(line + klen, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* /proc/<pid>/cmdline with its NULs as spaces, or "[comm]" for a kernel thread or zombie. */
static void command_line(const struct proc *p, char *buf, size_t size)
{
	char path[32];
	int fd, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", p->pid);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, buf, size - 1);
		close(fd);
	}
	if (n <= 0) {
		snprintf(buf, size, "[%s]", p->comm);
		return;
	}
	while (n > 0 && !buf[n - 1])
		n--;
	for (int i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
}

static const char *user_name(int pid)
{
	static char num[16];
	char path[32];
	struct passwd *pw;
	unsigned long uid;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	uid = proc_value(path, "Uid:");
	pw = getpwuid(uid);
	if (pw)
		return pw->pw_name;
	snprintf(num, sizeof(num), "%lu", uid);
	return num;
}

/* procps' STAT: the state, "s" for a session leader, "+" in the terminal's foreground. */
static const char *stat_flags(const struct proc *p)
{
	static char buf[4];
	int n = 0;

	buf[n++] = p->state;
	if (p->session == p->pid)
		buf[n++] = 's';
	if (p->tty_nr && p->pgrp == p->tpgid)
		buf[n++] = '+';
	buf[n] = '\0';
	return buf;
}

/* START: the hour and minute it started (UTC) if that was today, else month and day. */
static const char *start_time(const struct proc *p, time_t boot, long hz)
{
	static const char months[][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	static char buf[16];
	time_t start = boot + p->start_ticks / hz;
	struct tm tm;

	gmtime_r(&start, &tm);
	if (time(NULL) - start < SECONDS_PER_DAY)
		snprintf(buf, sizeof(buf), "%02d:%02d", tm.tm_hour, tm.tm_min);
	else
		snprintf(buf, sizeof(buf), "%s%02d", months[tm.tm_mon], tm.tm_mday);
	return buf;
}

static void print_aux(const struct proc *procs, int n)
{
	unsigned long mem_kib = proc_value("/proc/meminfo", "MemTotal:");
	time_t boot = proc_value("/proc/stat", "btime");
	long hz = sysconf(_SC_CLK_TCK);
	time_t now = time(NULL);
	char cmd[CMDLINE_MAX];

	printf("USER       PID %%CPU %%MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n");
	for (int i = 0; i < n; i++) {
		const struct proc *p = &procs[i];
		unsigned long cpu = (p->utime + p->stime) / hz;
		long alive = now - (boot + (long)(p->start_ticks / hz));
		unsigned long pcpu = alive > 0 ? (p->utime + p->stime) * PERMILLE / hz / alive : 0;
		unsigned long pmem = mem_kib ? p->rss_kib * PERMILLE / mem_kib : 0;

		if (pcpu > PCPU_MAX)
			pcpu = PCPU_MAX;
		command_line(p, cmd, sizeof(cmd));
		printf("%-8s %5d %2lu.%lu %2lu.%lu %6lu %5lu %-8s %-4s %5s %3lu:%02lu %s\n",
		       user_name(p->pid), p->pid, pcpu / 10, pcpu % 10, pmem / 10, pmem % 10,
		       p->vsz_kib, p->rss_kib, p->tty_nr == TTY_CONSOLE ? "console" : "?",
		       stat_flags(p), start_time(p, boot, hz), cpu / 60, cpu % 60, cmd);
	}
}

int main(int argc, char **argv)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	struct proc *procs = NULL;
	int n = 0, cap = 0, aux = argc == 2 && !strcmp(argv[1], "aux");
	long page_kib = sysconf(_SC_PAGESIZE) / 1024;

	if (argc > 2 || (argc == 2 && !aux)) {
		fputs("usage: ps [aux]\n", stderr);
		return 1;
	}
	if (!d) {
		perror("ps: /proc");
		return 1;
	}
	while ((de = readdir(d))) {
		if (!isdigit(de->d_name[0]))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			procs = realloc(procs, cap * sizeof(*procs));
			if (!procs) {
				fputs("ps: out of memory\n", stderr);
				return 1;
			}
		}
		if (read_proc(atoi(de->d_name), page_kib, &procs[n]))
			n++;
	}
	closedir(d);
	qsort(procs, n, sizeof(*procs), by_pid);
	if (aux) {
		print_aux(procs, n);
		return fflush(stdout) ? 1 : 0;
	}
	printf("%5s %5s %s %8s %8s %s\n", "PID", "PPID", "S", "RSS(KiB)", "VSZ(KiB)", "COMMAND");
	for (int i = 0; i < n; i++)
		printf("%5d %5d %c %8lu %8lu %s\n", procs[i].pid, procs[i].ppid, procs[i].state,
		       procs[i].rss_kib, procs[i].vsz_kib, procs[i].comm);
	return fflush(stdout) ? 1 : 0;
}
