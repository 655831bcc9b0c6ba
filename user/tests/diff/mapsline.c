/*
 * The lines /proc/self/maps gives anonymous mappings, byte for byte:
 * start and end and the offset as eight hex digits (a to f among them),
 * the permissions and p or s, device 00:00 and inode 0, nothing after.
 * anvil writes these fields digit by digit (kernel/fs/proc/task_mmu.c),
 * so Linux's own lines are the check; and a read that runs into a hole
 * in its buffer returns the bytes before it, the next read the rest.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

static const struct {
	unsigned long addr, pages;
	int prot, flags;
} maps[] = {
	{ 0x10000000UL, 1, PROT_READ, MAP_PRIVATE },
	{ 0x2abcd000UL, 3, PROT_READ | PROT_WRITE, MAP_PRIVATE },
	{ 0x9ef01000UL, 2, PROT_READ | PROT_EXEC, MAP_PRIVATE },
	{ 0xa0000000UL, 16, PROT_NONE, MAP_PRIVATE },
	{ 0xbf00f000UL, 1, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE },
};

/* Print the maps lines that start at one of our addresses. */
static void show_our_lines(void)
{
	char *buf = read_self_maps();

	for (char *line = buf ? buf : ""; *line; ) {
		char *next = strchr(line, '\n');
		unsigned long start = strtoul(line, NULL, 16);

		for (unsigned int i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
			if (start == maps[i].addr)
				printf("[%.*s]\n", next ? (int)(next - line) : (int)strlen(line), line);
		if (!next)
			break;
		line = next + 1;
	}
}

/*
 * A read whose buffer runs into a hole after SHORT bytes returns those
 * bytes, and the next read goes on from there: the two together are the
 * file, neither a byte lost nor one given twice.
 */
#define SHORT 10

static void read_into_a_hole(void)
{
	char *p = mmap(NULL, 2 * PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static char whole[32768], pieced[32768];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0, m = SHORT;
	ssize_t r;

	munmap(p + PGSZ, PGSZ);
	while ((r = read(fd, whole + n, sizeof(whole) - 1 - n)) > 0)
		n += r;
	lseek(fd, 0, SEEK_SET);
	show("read of maps into a buffer 10 bytes before a hole", read(fd, p + PGSZ - SHORT, PGSZ));
	memcpy(pieced, p + PGSZ - SHORT, SHORT);
	while ((r = read(fd, pieced + m, sizeof(pieced) - 1 - m)) > 0)
		m += r;
	show_bool("  those bytes and the rest make the whole file",
		  m == n && !memcmp(whole, pieced, n));
	close(fd);
	munmap(p, PGSZ);
}

int main(void)
{
	for (unsigned int i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		show_map("mmap", mmap(ADDR(maps[i].addr), maps[i].pages * PGSZ, maps[i].prot,
				      maps[i].flags | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	show_our_lines();
	read_into_a_hole();
	return 0;
}
