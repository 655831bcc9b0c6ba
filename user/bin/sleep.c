/*
 * sleep number[smhd]...: pause for the sum of the durations; a number
 * may have a fraction ("0.25"), and a suffix s (default), m, h or d.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Parse one duration into ts (added to it); 0 if malformed. */
static int add_duration(const char *s, struct timespec *ts)
{
	long long sec = 0, nsec = 0, scale = 100000000;
	int digits = 0, mult = 1;

	for (; isdigit(*s); s++, digits++)
		sec = sec * 10 + (*s - '0');
	if (*s == '.')
		for (s++; isdigit(*s); s++, digits++, scale /= 10)
			nsec += (*s - '0') * scale;
	if (!digits)
		return 0;
	switch (*s) {
	case '\0':
	case 's':
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return 0;
	}
	if (*s && s[1])
		return 0;
	nsec *= mult;
	sec = sec * mult + nsec / 1000000000;
	ts->tv_nsec += nsec % 1000000000;
	ts->tv_sec += sec + ts->tv_nsec / 1000000000;
	ts->tv_nsec %= 1000000000;
	return 1;
}

int main(int argc, char **argv)
{
	struct timespec ts = { 0, 0 };

	if (argc < 2) {
		fputs("sleep: missing operand\nusage: sleep number[smhd]...\n", stderr);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		if (!add_duration(argv[i], &ts)) {
			fprintf(stderr, "sleep: invalid time interval '%s'\n", argv[i]);
			return 1;
		}
	}
	/* A handled signal interrupts nanosleep: sleep on for what is left. */
	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "sleep: nanosleep: %s\n", strerror(errno));
			return 1;
		}
	}
	return 0;
}
