/*
 * free [-h]: memory use in KiB from /proc/meminfo, laid out as procps-ng
 * 4's free: used = total - available, buff/cache = Buffers + Cached +
 * SReclaimable.  Without MemAvailable, available = free + buff/cache.
 * -h: each value in the largest binary unit that keeps it short, as
 * procps writes it ("0B", "9.5Mi", "118Mi", "1.1Gi").
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
#define HUMAN_UNITS "KMGTP"
#define HUMAN_BYTES_MAX 999     /* "999B": procps keeps a value to four characters... */
#define HUMAN_TENTHS_MAX 99     /* "9.9Mi": ...or five with its unit */
#define HUMAN_WHOLE_MAX 999     /* "999Mi" */

static int human;

/*
 * procps' scale_size without floating point: the first unit in which the
 * value fits as d.d (rounded, as "%.1f" does) or as a whole (truncated, as
 * its "%ld" does).
 */
static const char *scaled(unsigned long long kib)
{
	static char buf[32];
	unsigned long long bytes = kib * 1024, unit = 1;

	if (!human) {
		snprintf(buf, sizeof(buf), "%llu", kib);
		return buf;
	}
	if (bytes <= HUMAN_BYTES_MAX) {
		snprintf(buf, sizeof(buf), "%lluB", bytes);
		return buf;
	}
	for (const char *u = HUMAN_UNITS; *u; u++) {
		unsigned long long tenths;

		unit *= 1024;
		tenths = (bytes * 10 + unit / 2) / unit;
		if (tenths <= HUMAN_TENTHS_MAX) {
			snprintf(buf, sizeof(buf), "%llu.%llu%ci", tenths / 10, tenths % 10, *u);
			return buf;
		}
		if (bytes / unit <= HUMAN_WHOLE_MAX) {
			snprintf(buf, sizeof(buf), "%llu%ci", bytes / unit, *u);
			return buf;
		}
	}
	snprintf(buf, sizeof(buf), "%lluPi", bytes / unit);
	return buf;
}

/* One line: its name, then each value under its column. */
static void row(const char *name, int n, const unsigned long long *kib)
{
	printf("%-7s", name);
	for (int i = 0; i < n; i++)
		printf(i ? " %11s" : " %12s", scaled(kib[i]));
	putchar('\n');
}

int main(int argc, char **argv)
{
	FILE *f;
	char line[256];
	unsigned long long buffcache, avail, used;

	human = argc == 2 && !strcmp(argv[1], "-h");
	if (argc > 2 || (argc == 2 && !human)) {
		fputs("usage: free [-h]\n", stderr);
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
	row("Mem:", 6, (unsigned long long[]){ KIB(TOTAL), used, KIB(FREE), KIB(SHMEM), buffcache,
					       avail });
	row("Swap:", 3, (unsigned long long[]){ KIB(SWAPTOTAL), KIB(SWAPTOTAL) - KIB(SWAPFREE),
						KIB(SWAPFREE) });
	return fflush(stdout) ? 1 : 0;
}
