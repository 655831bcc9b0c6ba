/*
 * The runner's leak check: free pages once exiting processes are gone,
 * and, to say where a difference comes from, which slab caches hold a
 * different number of objects than before (from /proc/slabinfo).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ut.h"

long settled_free_pages(long want)
{
	long now = anvil_free_pages();

	for (int ms = 0; now != want && ms < SETTLE_MS; ms += 10) {
		msleep(10);
		now = anvil_free_pages();
	}
	return now;
}

void read_slabinfo(char *buf, size_t size)
{
	int fd = open("/proc/slabinfo", O_RDONLY);
	size_t n = 0;
	ssize_t r;

	while (fd >= 0 && n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	buf[n] = '\0';
	if (fd >= 0)
		close(fd);
}

static const char *next_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? nl + 1 : s + strlen(s);
}

/* A cache's line: its name and objects in use (the next field); 0, or -1 for other lines. */
static int parse_slab_line(const char *line, char *name, size_t size, long *active)
{
	size_t len = strcspn(line, " \t\n");
	char *end;

	if (!len || len >= size || line[0] == '#' || !strncmp(line, "slabinfo", 8))
		return -1;
	memcpy(name, line, len);
	name[len] = '\0';
	*active = strtol(line + len, &end, 10);
	return end == line + len ? -1 : 0;
}

/* Objects in use in cache name according to slabinfo text s (0 if it is not there). */
static long active_objects(const char *s, const char *name)
{
	char n[32];
	long v;

	for (; *s; s = next_line(s))
		if (parse_slab_line(s, n, sizeof(n), &v) == 0 && !strcmp(n, name))
			return v;
	return 0;
}

void slab_changes(const char *before, const char *after, char *out, size_t size)
{
	size_t n = 0;

	out[0] = '\0';
	for (const char *a = after; *a && n < size - 48; a = next_line(a)) {
		char name[32];
		long now, then;

		if (parse_slab_line(a, name, sizeof(name), &now) < 0)
			continue;
		then = active_objects(before, name);
		if (now != then)
			n += snprintf(out + n, size - n, " %s %+ld", name, now - then);
	}
}
