/*
 * Copies between the kernel and a user buffer that runs into an unmapped
 * page stop at the very byte that faulted: read() returns the bytes that
 * fit before the hole, write() takes the bytes before it, whatever the
 * buffer's alignment (the copy moves four bytes a step and must still
 * finish one by one up to the fault), and whether the fault comes in
 * the first 64-byte block of a long copy or after whole blocks went
 * through; a buffer unmapped from its first byte is EFAULT.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define PAGE 4096
#define COPY 256                     /* bytes asked each time: more than fit */

int main(void)
{
	char *p = mmap(NULL, 2 * PAGE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* bytes before the hole: every alignment in the first block, then past whole blocks */
	static const int shorts[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65, 130, 200, 255 };
	char line[64], data[COPY];
	int fd;

	enter_scratch("shortcopy");
	for (int i = 0; i < COPY; i++)
		data[i] = 'a' + i % 26;
	fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0600);
	write(fd, data, sizeof(data));
	munmap(p + PAGE, PAGE);                    /* the hole after the first page */
	for (unsigned int i = 0; i < sizeof(shorts) / sizeof(shorts[0]); i++) {
		int k = shorts[i];
		char *at = p + PAGE - k;

		memset(p + PAGE - COPY, '.', COPY);
		snprintf(line, sizeof(line), "read %d bytes before the hole", k);
		show(line, pread(fd, at, COPY, 0));
		printf("  got %.*s, byte before %c\n", k, at, at[-1]);
		snprintf(line, sizeof(line), "write %d bytes before the hole", k);
		memcpy(at, data + 10, k < COPY - 10 ? k : COPY - 10);
		show(line, pwrite(fd, at, COPY, 0));
	}
	show("read into the hole", pread(fd, p + PAGE, COPY, 0));
	show("write from the hole", pwrite(fd, p + PAGE, COPY, 0));
	close(fd);
	leave_scratch();
	return 0;
}
