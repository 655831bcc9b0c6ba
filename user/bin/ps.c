/*
 * ps: one line per process, from /proc/<pid>/stat in Linux's format:
 *   pid (comm) state ppid pgrp ... vsize(23rd field, bytes) rss(24th, pages)
 * Columns: PID PPID S RSS(KiB) VSZ(KiB) COMMAND, sorted by pid.
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct proc {
	int pid, ppid;
	char state;
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

int main(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	struct proc *procs = NULL;
	int n = 0, cap = 0;
	long page_kib = sysconf(_SC_PAGESIZE) / 1024;

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
	printf("%5s %5s %s %8s %8s %s\n", "PID", "PPID", "S", "RSS(KiB)", "VSZ(KiB)", "COMMAND");
	for (int i = 0; i < n; i++)
		printf("%5d %5d %c %8lu %8lu %s\n", procs[i].pid, procs[i].ppid, procs[i].state,
		       procs[i].rss_kib, procs[i].vsz_kib, procs[i].comm);
	return fflush(stdout) ? 1 : 0;
}
