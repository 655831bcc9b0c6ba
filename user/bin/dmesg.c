/*
 * dmesg: print the kernel log buffer (syslog READ_ALL), dropping each
 * line's "<level>" prefix: "<6>[    1.234567] text" -> "[    1.234567] text".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>

int main(int argc, char **argv)
{
	int size, n;
	char *buf, *line, *end;

	if (argc > 1) {
		fputs("usage: dmesg\n", stderr);
		return 1;
	}
	size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	if (size < 0) {
		fprintf(stderr, "dmesg: klogctl: %s\n", strerror(errno));
		return 1;
	}
	buf = malloc(size + 1);
	if (!buf) {
		fputs("dmesg: out of memory\n", stderr);
		return 1;
	}
	n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
	if (n < 0) {
		fprintf(stderr, "dmesg: klogctl: %s\n", strerror(errno));
		return 1;
	}
	buf[n] = '\0';
	for (line = buf; *line; line = end) {
		end = strchr(line, '\n');
		end = end ? end + 1 : line + strlen(line);
		if (line[0] == '<') {
			char *close = strchr(line, '>');

			if (close && close < end)
				line = close + 1;
		}
		fwrite(line, 1, end - line, stdout);
	}
	return fflush(stdout) ? 1 : 0;
}
