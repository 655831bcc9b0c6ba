/*
 * MAP_GROWSDOWN at the edges (docs/vma.md): a stack mapped at
 * 64 KiB never grows down to page 0 -- read(fd, NULL, 16) beside it is
 * EFAULT and reading address 0 is SIGSEGV, leaving nothing mapped below
 * it -- and only private anonymous memory may grow down: a file mapping
 * or shared memory growing down would run its page offset below 0.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define LOW_STACK 0x10000UL     /* the lowest address Linux and anvil let a program map by default */

/* "yes" if /proc/self/maps lists a mapping that starts below addr. */
static void show_mapped_below(const char *what, unsigned long addr)
{
	char *buf = read_self_maps();
	int found = 0;

	for (char *line = buf ? buf : ""; *line; ) {
		char *next = strchr(line, '\n');

		if (strtoul(line, NULL, 16) < addr)
			found = 1;
		if (!next)
			break;
		line = next + 1;
	}
	show_bool(what, found);
}

static void stack_at_the_minimum(void)
{
	static const char data[64];
	int p[2];

	if (pipe(p) < 0 || write(p[1], data, sizeof(data)) != sizeof(data))
		printf("pipe: %s\n", errno_name(errno));
	show_map("MAP_GROWSDOWN at 0x10000", mmap(ADDR(LOW_STACK), PGSZ, RW,
						  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN,
						  -1, 0));
	show("read(fd, NULL, 16)", read(p[0], NULL, 16));
	show("write(fd, NULL, 16)", write(p[1], NULL, 16));
	show_touch("reading address 0", NULL, 0);
	show_touch("writing address 0", NULL, 1);
	show_mapped_below("anything mapped below 0x10000", LOW_STACK);
	show_touch("the stack page", ADDR(LOW_STACK), 1);
	close(p[0]);
	close(p[1]);
	munmap(ADDR(LOW_STACK), PGSZ);
}

static void who_may_grow_down(void)
{
	int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0600);
	void *m;

	if (fd < 0 || write(fd, "x", 1) != 1)
		printf("file: %s\n", errno_name(errno));
	show_map("a private file mapping, MAP_GROWSDOWN",
		 mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0));
	show_map("a shared file mapping, MAP_GROWSDOWN",
		 mmap(NULL, PGSZ, PROT_READ, MAP_SHARED | MAP_GROWSDOWN, fd, 0));
	show_map("shared anonymous memory, MAP_GROWSDOWN",
		 mmap(NULL, PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0));
	m = mmap(NULL, PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	show_map("private anonymous memory, MAP_GROWSDOWN", m);
	munmap(m, PGSZ);
	close(fd);
}

int main(void)
{
	enter_scratch("growsdown");
	stack_at_the_minimum();
	who_may_grow_down();
	leave_scratch();
	return 0;
}
