/* poweroff: flush the file systems and switch the machine off (needs privilege). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/reboot.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		fputs("usage: poweroff\n", stderr);
		return 1;
	}
	sync();
	reboot(RB_POWER_OFF);
	fprintf(stderr, "poweroff: reboot: %s\n", strerror(errno));
	return 1;
}
