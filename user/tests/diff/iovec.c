/*
 * readv and writev at their edges: a bad pointer in the first or a later
 * segment, a length that is negative as an ssize_t, segments whose total
 * passes 2 GiB (Linux cuts the transfer to MAX_RW_COUNT), the segment
 * count (0, IOV_MAX, more, negative), a bad vector, a bad descriptor and
 * the wrong access mode -- with the file's size after each, so a failed
 * call is seen to have written nothing.
 */
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include "../common/report.h"

#define IOV_MAX 1024
#define UNMAPPED ADDR(0x1000)                   /* below the lowest address either maps */
#define NEGATIVE 0x80000000u                    /* a length < 0 as an ssize_t */
#define QUARTER 0x40000000u                     /* four of these pass the 2 GiB ssize_t */

/* Never touched: /dev/null takes (or gives) any length without reading it. */
static char big[16];
static struct iovec many[IOV_MAX + 1];

static void show_size(const char *path)
{
	struct stat st;

	stat(path, &st);
	printf("  size of %s: %lld\n", path, st.st_size);
}

/* A vector whose first entry (buf, 8) ends its page, the next page unmapped. */
static struct iovec *vector_at_end(void *buf)
{
	char *page = mmap(NULL, 2 * PGSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iovec *v = (struct iovec *)(page + PGSZ) - 1;

	munmap(page + PGSZ, PGSZ);
	*v = (struct iovec){ buf, 8 };
	return v;
}

static void bad_segments(void)
{
	char one[8] = "segment1", got[16];
	struct iovec v[2] = { { one, 8 }, { one, 8 } };
	int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);

	show("writev two good segments", writev(fd, v, 2));
	show_size("f");
	v[1].iov_base = UNMAPPED;
	show("writev, the second segment unmapped", writev(fd, v, 2));
	show_size("f");
	v[0].iov_base = UNMAPPED;
	show("writev, the first segment unmapped", writev(fd, v, 2));
	show_size("f");
	v[0].iov_base = one;
	v[1].iov_base = one;
	v[1].iov_len = NEGATIVE;
	show("writev, the second length negative", writev(fd, v, 2));
	show_size("f");
	v[0].iov_len = NEGATIVE;
	v[1].iov_len = 8;
	show("writev, the first length negative", writev(fd, v, 2));
	show_size("f");
	show("writev, the vector unmapped", writev(fd, UNMAPPED, 2));
	show("writev, the vector's second entry unmapped", writev(fd, vector_at_end(one), 2));
	show_size("f");

	lseek(fd, 0, SEEK_SET);
	v[0] = (struct iovec){ got, 8 };
	v[1] = (struct iovec){ UNMAPPED, 8 };
	show("readv, the second segment unmapped", readv(fd, v, 2));
	show("  offset after", lseek(fd, 0, SEEK_CUR));
	v[0].iov_base = UNMAPPED;
	show("readv, the first segment unmapped", readv(fd, v, 2));
	show("  offset after", lseek(fd, 0, SEEK_CUR));
	v[0] = (struct iovec){ got, 8 };
	v[1] = (struct iovec){ got + 8, NEGATIVE };
	show("readv, the second length negative", readv(fd, v, 2));
	show("  offset after", lseek(fd, 0, SEEK_CUR));
	close(fd);
}

/*
 * Beyond 2 GiB in total: Linux cuts the lengths to MAX_RW_COUNT (2 GiB - 4 KiB), no
 * EINVAL -- but one write() of 2 GiB is a count negative as a 32-bit ssize_t: EINVAL.
 */
static void totals(void)
{
	int fd = open("/dev/null", O_RDWR);
	struct iovec v[4];

	for (int i = 0; i < 4; i++)
		v[i] = (struct iovec){ big, QUARTER };
	show("writev to /dev/null, 1 GiB", writev(fd, v, 1));
	show("writev to /dev/null, 2 GiB - 1 in two", (v[1].iov_len = QUARTER - 1, writev(fd, v, 2)));
	v[1].iov_len = QUARTER;
	show("writev to /dev/null, 2 GiB in two", writev(fd, v, 2));
	show("writev to /dev/null, 4 GiB in four", writev(fd, v, 4));
	show("readv from /dev/null, 4 GiB in four", readv(fd, v, 4));
	show("write to /dev/null, 2 GiB", write(fd, big, 2 * QUARTER));
	v[3].iov_len = NEGATIVE;
	show("writev to /dev/null, 3 GiB then a negative length", writev(fd, v, 4));
	close(fd);
}

static void counts(void)
{
	int fd = open("/dev/null", O_RDWR);

	for (int i = 0; i <= IOV_MAX; i++)
		many[i] = (struct iovec){ big, 1 };
	show("writev of 0 segments", writev(fd, many, 0));
	show("writev of IOV_MAX segments", writev(fd, many, IOV_MAX));
	show("writev of IOV_MAX + 1 segments", writev(fd, many, IOV_MAX + 1));
	show("writev of -1 segments", writev(fd, many, -1));
	show("readv of IOV_MAX + 1 segments", readv(fd, many, IOV_MAX + 1));
	show("writev of 0 segments, vector unmapped", writev(fd, UNMAPPED, 0));
	close(fd);
}

static void descriptors(void)
{
	struct iovec v = { big, 1 };
	int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);

	show("writev to a bad descriptor", writev(99, &v, 1));
	show("writev of 0 segments to a bad descriptor", writev(99, &v, 0));
	show("writev of IOV_MAX + 1 segments to a bad descriptor", writev(99, many, IOV_MAX + 1));
	show("writev to a read-only descriptor", writev(ro, &v, 1));
	show("readv from a write-only descriptor", readv(wo, &v, 1));
	show("writev to a read-only descriptor, vector unmapped", writev(ro, UNMAPPED, 1));
	v.iov_base = UNMAPPED;
	show("readv from a write-only descriptor, segment unmapped", readv(wo, &v, 1));
	v.iov_len = NEGATIVE;
	show("readv from a write-only descriptor, length negative", readv(wo, &v, 1));
	show("writev of 0 segments to a read-only descriptor", writev(ro, &v, 0));
	close(ro);
	close(wo);
}

int main(void)
{
	enter_scratch("iovec");
	bad_segments();
	totals();
	counts();
	descriptors();
	leave_scratch();
	return 0;
}
