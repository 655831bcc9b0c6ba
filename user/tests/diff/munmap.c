/*
 * munmap: its EINVAL cases, unmapping nothing, and partial unmaps (head,
 * tail, middle, across holes and across two mappings), each followed by
 * which pages still read and what they hold.
 */
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define NP 8

static char *map(size_t pages)
{
	char *p = mmap(NULL, pages * PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (size_t i = 0; i < pages; i++)
		memset(p + i * PGSZ, 'a' + i, PGSZ);
	return p;
}

/* One line: for each page, its letter if it reads, '-' if it faults. */
static void show_pages(const char *what, char *p, size_t pages)
{
	char line[NP * 2 + 1];

	for (size_t i = 0; i < pages; i++)
		line[i] = touch_signal(p + i * PGSZ, 0) ? '-' : p[i * PGSZ + PGSZ / 2];
	line[pages] = '\0';
	printf("%s: %s\n", what, line);
}

int main(void)
{
	char *p = map(NP), *q;

	show("unaligned address", munmap(p + 1, PGSZ));
	show("length 0", munmap(p, 0));
	show("wrapping past the top", munmap(ADDR(0xFFFFF000), 2 * PGSZ));
	show_pages("after the failed calls", p, NP);

	show("middle page", munmap(p + 3 * PGSZ, PGSZ));
	show_pages("  pages", p, NP);
	show("first page", munmap(p, PGSZ));
	show_pages("  pages", p, NP);
	show("last page, unaligned length", munmap(p + 7 * PGSZ, 100));
	show_pages("  pages", p, NP);
	show("across the hole", munmap(p + 2 * PGSZ, 3 * PGSZ));
	show_pages("  pages", p, NP);
	show("nothing there", munmap(p + 3 * PGSZ, PGSZ));
	show("all of it, holes included", munmap(p, NP * PGSZ));
	show_pages("  pages", p, NP);

	/* two mappings side by side (different protections, so two VMAs) */
	p = map(NP);
	mprotect(p + 4 * PGSZ, 4 * PGSZ, PROT_READ);
	show("across two mappings", munmap(p + 3 * PGSZ, 2 * PGSZ));
	show_pages("  pages", p, NP);
	show_touch("  write to page 5 (read-only)", p + 5 * PGSZ, 1);
	show_touch("  write to page 2", p + 2 * PGSZ, 1);
	q = mmap(p + 3 * PGSZ, 2 * PGSZ, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	show_bool("the freed range can be mapped again in place", q == p + 3 * PGSZ);
	show_pages("  pages", p, NP);
	munmap(p, NP * PGSZ);
	return 0;
}
