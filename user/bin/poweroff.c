/* poweroff: flush the file systems and switch the machine off (needs privilege). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		fputs("usage: poweroff\n", stderr);
		return 1;
	}
	sync();
	/* as Linux's shutdown: a disk root left read-only is marked clean for the next boot */
	mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL);
	reboot(RB_POWER_OFF);
	fprintf(stderr, "poweroff: reboot: %s\n", strerror(errno));
	return 1;
}
