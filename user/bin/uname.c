/*
 * uname [-asnrvm]: print system information (default -s).  -a prints
 * sysname, nodename, release, version and machine, in that order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

int main(int argc, char **argv)
{
	static const char letters[] = "snrvm";   /* output order */
	struct utsname u;
	const char *parts[5];
	int want = 0, first = 1;

	for (int i = 1; i < argc; i++) {
		if (argv[i][0] != '-' || !argv[i][1]) {
			fprintf(stderr, "uname: extra operand '%s'\nusage: uname [-asnrvm]\n", argv[i]);
			return 1;
		}
		for (char *o = argv[i] + 1; *o; o++) {
			const char *p = strchr(letters, *o);

			if (*o == 'a')
				want = 31;
			else if (p)
				want |= 1 << (p - letters);
			else {
				fprintf(stderr, "uname: invalid option -- '%c'\nusage: uname [-asnrvm]\n",
					*o);
				return 1;
			}
		}
	}
	if (!want)
		want = 1;
	if (uname(&u) < 0) {
		fprintf(stderr, "uname: uname: %s\n", strerror(errno));
		return 1;
	}
	parts[0] = u.sysname;
	parts[1] = u.nodename;
	parts[2] = u.release;
	parts[3] = u.version;
	parts[4] = u.machine;
	for (int i = 0; i < 5; i++) {
		if (!(want & (1 << i)))
			continue;
		printf("%s%s", first ? "" : " ", parts[i]);
		first = 0;
	}
	putchar('\n');
	return fflush(stdout) ? 1 : 0;
}
