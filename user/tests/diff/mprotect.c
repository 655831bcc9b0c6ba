/*
 * mprotect: EINVAL (unaligned, bad bits), ENOMEM (unmapped or partly
 * unmapped ranges), EACCES (PROT_WRITE on a shared mapping of a read-only
 * file), and what each protection allows on x86: reads through
 * PROT_WRITE-only pages work, writes need PROT_WRITE.  (Not PROT_EXEC
 * alone: whether that reads depends on the host CPU's protection keys.)
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

static void show_access(const char *what, char *p)
{
	int r = touch_signal(p, 0), w = touch_signal(p, 1);

	printf("%s: read %s, write %s\n", what, r ? signal_name(r) : "ok", w ? signal_name(w) : "ok");
}

int main(void)
{
	static const struct { int prot; const char *name; } prots[] = {
		{ PROT_NONE, "PROT_NONE" }, { PROT_READ, "PROT_READ" }, { PROT_WRITE, "PROT_WRITE" },
{ PROT_READ | PROT_WRITE, "PROT_READ|PROT_WRITE" },
		{ PROT_READ | PROT_EXEC, "PROT_READ|PROT_EXEC" },
	};
	char *p = mmap(NULL, 4 * PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char name[64];
	int fd;

	memset(p, 'm', 4 * PGSZ);
	show("unaligned address", mprotect(p + 1, PGSZ, PROT_READ));
	show("unknown bit 0x10", mprotect(p, PGSZ, PROT_READ | 0x10));
	show("PROT_GROWSDOWN|PROT_GROWSUP", mprotect(p, PGSZ, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP));
	show("length 0", mprotect(p, 0, PROT_NONE));
	show("unaligned length", mprotect(p + 3 * PGSZ, 1, PROT_READ));
	show_access("  page 3", p + 3 * PGSZ);
	for (size_t i = 0; i < sizeof(prots) / sizeof(prots[0]); i++) {
		show(prots[i].name, mprotect(p, PGSZ, prots[i].prot));
		snprintf(name, sizeof(name), "  page 0 with %s", prots[i].name);
		show_access(name, p);
	}
	show("  data kept through the changes", p[0] == 'm' && p[PGSZ] == 'm');

	munmap(p + 2 * PGSZ, PGSZ);
	show("over a hole", mprotect(p, 4 * PGSZ, PROT_READ));
	show("after the hole only", mprotect(p + 3 * PGSZ, PGSZ, PROT_READ));
	show("an unmapped range", mprotect(p + 2 * PGSZ, PGSZ, PROT_READ));
	munmap(p, 4 * PGSZ);

	enter_scratch("mprotect");
	fd = open("f", O_CREAT | O_RDWR, 0644);
	ftruncate(fd, PGSZ);
	close(fd);
	fd = open("f", O_RDONLY);
	p = mmap(NULL, PGSZ, PROT_READ, MAP_SHARED, fd, 0);
	show("PROT_WRITE, shared mapping of a read-only file", mprotect(p, PGSZ, PROT_READ | PROT_WRITE));
	munmap(p, PGSZ);
	p = mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, fd, 0);
	show("PROT_WRITE, private mapping of a read-only file", mprotect(p, PGSZ, PROT_READ | PROT_WRITE));
	show_access("  the page", p);
	munmap(p, PGSZ);
	close(fd);
	leave_scratch();
	return 0;
}
