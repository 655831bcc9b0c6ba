/*
 * memhog MB [PASSES]: take MB MiB of anonymous memory, write every word
 * of it with a value its address decides, then read it all back PASSES
 * times (default 1) checking each word.  With more MiB than the machine
 * has RAM it makes the kernel reclaim and swap -- something to watch
 * from GDB (README, "Debugging with GDB") -- and proves nothing was lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#define MB (1024 * 1024)
#define WORD_MIX 2654435761u      /* Knuth's multiplier: neighbouring words differ */

static unsigned int word_value(unsigned long i)
{
	return (unsigned int)(i * WORD_MIX) ^ (unsigned int)(i >> 10);
}

int main(int argc, char **argv)
{
	unsigned long mb = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	unsigned long passes = argc > 2 ? strtoul(argv[2], NULL, 10) : 1;
	unsigned long words = mb * (MB / sizeof(unsigned int));
	unsigned int *p;

	if (argc < 2 || argc > 3 || !mb || !passes) {
		fputs("usage: memhog MB [PASSES]\n", stderr);
		return 2;
	}
	p = mmap(NULL, mb * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("memhog: mmap");
		return 1;
	}
	for (unsigned long i = 0; i < words; i++)
		p[i] = word_value(i);
	for (unsigned long pass = 0; pass < passes; pass++)
		for (unsigned long i = 0; i < words; i++)
			if (p[i] != word_value(i)) {
				printf("memhog: word %lu (page %lu) is %#x, not %#x\n", i,
				       i * sizeof(unsigned int) / 4096, p[i], word_value(i));
				return 1;
			}
	printf("memhog: %lu MiB written and read back %lu times, every word right\n", mb, passes);
	return 0;
}
