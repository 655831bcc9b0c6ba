/*
 * swapctl: swapon(2)/swapoff(2) on a running system.  Fills more memory
 * than RAM (so pages are on swap), then: swapon errors, swapoff refused
 * with ENOMEM while the data cannot fit in RAM (swap stays on), swapoff
 * succeeding once three quarters are unmapped (every page comes back,
 * intact), and swapon again.  Prints "swapctl: ok" and exits 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <abi/unistd.h>

#define MB (1024 * 1024)
#define PAGE 4096
#define DISK "/dev/hdb"

/* The raw result: the libc's syscall() returns -1 and sets errno. */
static long raw(long ret)
{
	return ret < 0 ? -errno : ret;
}

static long sys_swapon(const char *path, int flags)
{
	return raw(syscall(__NR_swapon, path, flags));
}

static long sys_swapoff(const char *path)
{
	return raw(syscall(__NR_swapoff, path));
}

static int expect(const char *what, long ret, long want)
{
	if (ret == want)
		return 0;
	printf("swapctl: %s returned %ld, expected %ld\n", what, ret, want);
	return 1;
}

static int intact(const unsigned int *p, size_t bytes)
{
	for (size_t i = 0; i < bytes / sizeof(*p); i += PAGE / sizeof(*p))
		if (p[i] != (unsigned int)(i * 2654435761u))
			return 0;
	return 1;
}

static int swaps_lists_disk(void)
{
	char buf[512];
	int fd = open("/proc/swaps", O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return strstr(buf, DISK) != NULL;
}

int main(int argc, char **argv)
{
	size_t bytes = (size_t)(argc > 1 ? atoi(argv[1]) : 40) * MB;
	unsigned int *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);
	int bad = 0;

	if (p == MAP_FAILED) {
		perror("swapctl: mmap");
		return 2;
	}
	for (size_t i = 0; i < bytes / sizeof(*p); i += PAGE / sizeof(*p))
		p[i] = (unsigned int)(i * 2654435761u);
	bad += expect("swapon of an active area", sys_swapon(DISK, 0), -EBUSY);
	bad += expect("swapon of a character device", sys_swapon("/dev/null", 0), -EINVAL);
	bad += expect("swapon of a missing path", sys_swapon("/no/such/disk", 0), -ENOENT);
	bad += expect("swapoff of a non-swap device", sys_swapoff("/dev/null"), -EINVAL);
	/* too much to bring back into RAM: refused, swap stays */
	bad += expect("swapoff with too little RAM", sys_swapoff(DISK), -ENOMEM);
	bad += expect("swap still listed", swaps_lists_disk(), 1);
	if (!intact(p, bytes)) {
		printf("swapctl: data damaged after the refused swapoff\n");
		bad++;
	}
	/* three quarters gone: the rest fits in RAM */
	munmap((char *)p + bytes / 4, bytes - bytes / 4);
	bad += expect("swapoff", sys_swapoff(DISK), 0);
	bad += expect("swap gone from /proc/swaps", swaps_lists_disk(), 0);
	if (!intact(p, bytes / 4)) {
		printf("swapctl: data damaged by swapoff\n");
		bad++;
	}
	bad += expect("swapon again", sys_swapon(DISK, 0), 0);
	bad += expect("swap back in /proc/swaps", swaps_lists_disk(), 1);
	if (!bad)
		printf("swapctl: ok\n");
	return bad ? 1 : 0;
}
