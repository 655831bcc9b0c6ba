/*
 * mmap of /dev/zero: a private mapping is anonymous memory (zeros,
 * copy-on-write across fork, the file's offset and access mode checked
 * as for any file), a shared one is shared anonymous memory, as
 * MAP_SHARED | MAP_ANONYMOUS; what /proc/self/maps calls them; what
 * madvise and mremap make of them; and /dev/null, which cannot be mapped.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define PAGES 4
#define NAME_COLUMN 5       /* the name is the sixth field of a maps line */

/* The name /proc/self/maps gives the mapping starting at p ("" for none). */
static const char *maps_name(const void *p)
{
	char *buf = read_self_maps();

	for (char *line = buf ? buf : ""; *line; ) {
		char *next = strchr(line, '\n'), *f = line;

		if (next)
			*next = '\0';
		if (strtoul(line, NULL, 16) == (unsigned long)p) {
			for (int i = 0; i < NAME_COLUMN && f; i++) {
				f = strchr(f, ' ');
				while (f && *f == ' ')
					f++;
			}
			return f ? f : "";
		}
		if (!next)
			break;
		line = next + 1;
	}
	return "(no such mapping)";
}

static void child_writes(void *p)
{
	printf("  child reads %c\n", *(char *)p);
	strcpy(p, "child");
	fflush(stdout);        /* the child ends in _exit */
}

static void private_zero(int fd)
{
	char *p = mmap(NULL, PAGES * PGSZ, RW, MAP_PRIVATE, fd, 0), *q;

	show_map("private mapping of /dev/zero", p);
	printf("  maps calls it: %s\n", maps_name(p));
	show_bool("  reads zeros", all_zero(p, PAGES * PGSZ));
	strcpy(p, "parent");
	show_child("  fork", child_writes, p);
	printf("  parent reads: %s\n", p);
	show("  MADV_WIPEONFORK", madvise(p, PGSZ, MADV_WIPEONFORK));
	show("  MADV_FREE", madvise(p + PGSZ, PGSZ, MADV_FREE));
	show("  MADV_REMOVE", madvise(p, PGSZ, MADV_REMOVE));
	show("  MADV_DONTNEED", madvise(p, PGSZ, MADV_DONTNEED));
	printf("  after it reads: %d\n", p[0]);
	strcpy(p, "parent");
	q = mremap(p, PAGES * PGSZ, 3 * PAGES * PGSZ, MREMAP_MAYMOVE);
	show_map("  mremap to three times the size", q);
	printf("  reads: %s, and zeros after: %s\n", q, all_zero(q + PAGES * PGSZ, 2 * PAGES * PGSZ) ?
	       "yes" : "no");
	printf("  maps calls it: %s\n", maps_name(q));
	munmap(q, 3 * PAGES * PGSZ);
	p = mmap(NULL, PGSZ, RW, MAP_PRIVATE, fd, 5 * PGSZ);
	show_map("private mapping at offset 5 pages", p);
	show_bool("  reads zeros", all_zero(p, PGSZ));
	munmap(p, PGSZ);
	p = mmap(NULL, PGSZ, RW, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0);
	show_map("private MAP_GROWSDOWN", p);
}

static void shared_zero(int fd)
{
	char *p = mmap(NULL, PAGES * PGSZ, RW, MAP_SHARED, fd, 0);

	show_map("shared mapping of /dev/zero", p);
	printf("  maps calls it: %s\n", maps_name(p));
	show_bool("  reads zeros", all_zero(p, PAGES * PGSZ));
	strcpy(p, "parent");
	show_child("  fork", child_writes, p);
	printf("  parent reads: %s\n", p);
	show("  MADV_WIPEONFORK", madvise(p, PGSZ, MADV_WIPEONFORK));
	show("  MADV_REMOVE", madvise(p, PGSZ, MADV_REMOVE));
	printf("  after it reads: %d\n", p[0]);
	munmap(p, PAGES * PGSZ);
}

static void access_modes(void)
{
	int ro = open("/dev/zero", O_RDONLY), wo = open("/dev/zero", O_WRONLY);
	int null = open("/dev/null", O_RDWR);

	show_map("O_RDONLY, MAP_SHARED, PROT_WRITE", mmap(NULL, PGSZ, RW, MAP_SHARED, ro, 0));
	show_map("O_RDONLY, MAP_SHARED, PROT_READ", mmap(NULL, PGSZ, PROT_READ, MAP_SHARED, ro, 0));
	show_map("O_RDONLY, MAP_PRIVATE, PROT_WRITE", mmap(NULL, PGSZ, RW, MAP_PRIVATE, ro, 0));
	show_map("O_WRONLY, MAP_PRIVATE", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, wo, 0));
	show_map("O_WRONLY, MAP_SHARED, PROT_WRITE", mmap(NULL, PGSZ, PROT_WRITE, MAP_SHARED, wo, 0));
	show_map("/dev/null", mmap(NULL, PGSZ, PROT_READ, MAP_PRIVATE, null, 0));
	close(ro);
	close(wo);
	close(null);
}

int main(void)
{
	int fd = open("/dev/zero", O_RDWR);

	private_zero(fd);
	shared_zero(fd);
	close(fd);
	access_modes();
	return 0;
}
