/*
 * free: memory use in KiB from /proc/meminfo, laid out as procps-ng 4's
 * free: used = total - available, buff/cache = Buffers + Cached +
 * SReclaimable.  Without MemAvailable, available = free + buff/cache.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct field {
	const char *name;
	unsigned long long kib;
	int seen;
};

enum { TOTAL, FREE, AVAIL, BUFFERS, CACHED, SRECLAIM, SHMEM, SWAPTOTAL, SWAPFREE, NFIELDS };

static struct field fields[NFIELDS] = {
	[TOTAL] = { "MemTotal" },       [FREE] = { "MemFree" },
	[AVAIL] = { "MemAvailable" },   [BUFFERS] = { "Buffers" },
	[CACHED] = { "Cached" },        [SRECLAIM] = { "SReclaimable" },
	[SHMEM] = { "Shmem" },          [SWAPTOTAL] = { "SwapTotal" },
	[SWAPFREE] = { "SwapFree" },
};

#define KIB(f) (fields[f].kib)

int main(int argc, char **argv)
{
	FILE *f;
	char line[256];
	unsigned long long buffcache, avail, used;

	if (argc > 1) {
		fputs("usage: free\n", stderr);
		return 1;
	}
	f = fopen("/proc/meminfo", "r");
	if (!f) {
		fprintf(stderr, "free: /proc/meminfo: %s\n", strerror(errno));
		return 1;
	}
	/* Lines look like "MemTotal:       24684096 kB". */
	while (fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!colon)
			continue;
		*colon = '\0';
		for (int i = 0; i < NFIELDS; i++)
			if (!strcmp(line, fields[i].name)) {
				fields[i].kib = strtoul(colon + 1, NULL, 10);
				fields[i].seen = 1;
			}
	}
	fclose(f);
	if (!fields[TOTAL].seen || !fields[FREE].seen) {
		fputs("free: /proc/meminfo: no MemTotal or MemFree\n", stderr);
		return 1;
	}
	buffcache = KIB(BUFFERS) + KIB(CACHED) + KIB(SRECLAIM);
	avail = fields[AVAIL].seen ? KIB(AVAIL) : KIB(FREE) + buffcache;
	if (avail > KIB(TOTAL))
		avail = KIB(TOTAL);
	used = KIB(TOTAL) - avail;
	printf("%-7s %12s %11s %11s %11s %11s %11s\n", "", "total", "used", "free", "shared",
	       "buff/cache", "available");
	printf("%-7s %12llu %11llu %11llu %11llu %11llu %11llu\n", "Mem:", KIB(TOTAL), used,
	       KIB(FREE), KIB(SHMEM), buffcache, avail);
	printf("%-7s %12llu %11llu %11llu\n", "Swap:", KIB(SWAPTOTAL),
	       KIB(SWAPTOTAL) - KIB(SWAPFREE), KIB(SWAPFREE));
	return fflush(stdout) ? 1 : 0;
}
