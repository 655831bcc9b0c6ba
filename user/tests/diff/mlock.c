/*
 * mlock, mlock2, munlock, mlockall, munlockall and MAP_LOCKED: argument
 * errors, VmLck in /proc/self/status, pages faulted in at lock time
 * (mincore), the VMA splits and merges a lock makes, what mprotect,
 * mremap, munmap, fork, madvise and msync do with a locked range, and
 * RLIMIT_MEMLOCK, which does not hold root back.  Only amounts this
 * program locked itself are printed: what mlockall(MCL_CURRENT) locks
 * depends on the stack and the libraries the kernel maps.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include "../common/report.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
#define PAGES 8
#define UNMAPPED ADDR(0x1000)    /* below the lowest address either maps */

static char *anon(size_t pages, int prot, int flags)
{
	return mmap(NULL, pages * PGSZ, prot, ANON | flags, -1, 0);
}

/* Pages of [p, p + pages) mincore says are resident, or -errno. */
static long resident(const void *p, size_t pages)
{
	unsigned char vec[64];
	long n = 0;

	if (pages > sizeof(vec))
		return -1;
	if (mincore((void *)p, pages * PGSZ, vec) < 0)
		return -errno;
	for (size_t i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

static void show_lck(const char *what)
{
	printf("%s: VmLck %ld kB\n", what, self_status_kb("VmLck"));
}

static void show_vmas(const char *what, const void *p, size_t pages)
{
	printf("%s: %d VMAs\n", what, count_vmas((unsigned long)p, (unsigned long)p + pages * PGSZ));
}

static void arguments(void)
{
	char *p = anon(PAGES, RW, 0);

	show("mlock of one page from an unaligned start", mlock(p + 1, PGSZ));
	show_lck("  the two pages it touches");
	show("munlock of them", munlock(p + 1, PGSZ));
	show_lck("  after");
	show("mlock of 0 bytes", mlock(p, 0));
	show("mlock of an unmapped range", mlock(UNMAPPED, PGSZ));
	show("munlock of an unmapped range", munlock(UNMAPPED, PGSZ));
	show("mlock at the kernel's address", mlock(KERNEL_ADDR, PGSZ));
	munmap(p + 4 * PGSZ, PGSZ);
	show("mlock over a hole", mlock(p, PAGES * PGSZ));
	show_lck("  the part before the hole was locked");
	show("munlock over a hole", munlock(p, PAGES * PGSZ));
	show_lck("  after");
	show("mlock2 with flag 2", mlock2(p, PGSZ, 2));
	show("mlock2 with MLOCK_ONFAULT", mlock2(p, 4 * PGSZ, MLOCK_ONFAULT));
	show_lck("  after");
	show("  resident pages", resident(p, 4));
	p[0] = 1;
	show("  resident pages after one write", resident(p, 4));
	show("munlock", munlock(p, 4 * PGSZ));
	show("mlockall(0)", mlockall(0));
	show("mlockall(MCL_ONFAULT)", mlockall(MCL_ONFAULT));
	show("mlockall(8)", mlockall(8));
	show("mlockall(MCL_FUTURE | 16)", mlockall(MCL_FUTURE | 16));
	munmap(p, PAGES * PGSZ);
}

/* What a lock faults in, and the VMAs it leaves. */
static void populate(void)
{
	char *p = anon(PAGES, RW, 0), *q;
	int fd;

	show("resident before mlock", resident(p, PAGES));
	show("mlock of the middle two pages", mlock(p + 3 * PGSZ, 2 * PGSZ));
	show("  resident", resident(p, PAGES));
	show_lck("  locked");
	show_vmas("  the mapping is", p, PAGES);
	show("mlock of all of it", mlock(p, PAGES * PGSZ));
	show("  resident", resident(p, PAGES));
	show_vmas("  the mapping is", p, PAGES);
	show("mlock of it again", mlock(p, PAGES * PGSZ));
	show_lck("  locked");
	show("munlock of the first page", munlock(p, PGSZ));
	show_vmas("  the mapping is", p, PAGES);
	show_lck("  locked");
	show("munlock of the rest", munlock(p, PAGES * PGSZ));
	show_vmas("  the mapping is", p, PAGES);
	show("  resident after munlock", resident(p, PAGES));
	munmap(p, PAGES * PGSZ);

	p = anon(PAGES, RW, MAP_LOCKED);
	show_map("MAP_LOCKED", p);
	show("  resident", resident(p, PAGES));
	show_lck("  locked");
	q = mmap(p + 2 * PGSZ, 2 * PGSZ, RW, ANON | MAP_FIXED, -1, 0);
	show_bool("MAP_FIXED over part of it", q == p + 2 * PGSZ);
	show_lck("  locked");
	show_vmas("  the mapping is", p, PAGES);
	munmap(p, PAGES * PGSZ);
	show_lck("after munmap");
	p = mmap(NULL, PAGES * PGSZ, RW, MAP_SHARED | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	show("shared anonymous MAP_LOCKED: resident", resident(p, PAGES));
	show_lck("  locked");
	munmap(p, PAGES * PGSZ);
	p = anon(PAGES, PROT_READ, 0);
	show("mlock of a read-only mapping", mlock(p, PAGES * PGSZ));
	show("  resident", resident(p, PAGES));
	show("  reads", p[0]);
	munmap(p, PAGES * PGSZ);
	p = anon(PAGES, PROT_NONE, 0);
	show("mlock of a PROT_NONE mapping", mlock(p, PAGES * PGSZ));
	show_lck("  locked");
	show("  resident", resident(p, PAGES));
	munlock(p, PAGES * PGSZ);
	munmap(p, PAGES * PGSZ);
	fd = open("file", O_CREAT | O_RDWR, 0644);
	write(fd, "x", 1);
	p = mmap(NULL, 4 * PGSZ, PROT_READ, MAP_PRIVATE, fd, 0);
	show("mlock of a file mapping longer than the file", mlock(p, 4 * PGSZ));
	show_lck("  locked");
	show("  resident", resident(p, 4));
	munlock(p, 4 * PGSZ);
	munmap(p, 4 * PGSZ);
	close(fd);
}

static long minor_faults(void)
{
	struct rusage r;

	getrusage(RUSAGE_SELF, &r);
	return r.ru_minflt;
}

/*
 * A locked range through mprotect, mremap, munmap, madvise and msync.  That
 * mprotect copies a locked private range at once shows as writes that then
 * take no fault (RssAnon would show it too, but Linux 6.1 updates it late).
 */
static void operations(void)
{
	char *p = anon(10, PROT_READ, 0), *q;
	long faults;

	munmap(p + 4 * PGSZ, 6 * PGSZ);       /* room above to grow into */
	show("mlock of a read-only private mapping", mlock(p, 4 * PGSZ));
	show("mprotect it read-write", mprotect(p, 4 * PGSZ, RW));
	faults = minor_faults();
	memset(p, 0, 4 * PGSZ);
	printf("  writing it then: minflt +%ld (copied at once)\n", minor_faults() - faults);
	show_lck("  locked");
	show("mprotect of one page read-only", mprotect(p + PGSZ, PGSZ, PROT_READ));
	show_vmas("  the mapping is", p, 4);
	show_lck("  locked");
	mprotect(p, 4 * PGSZ, RW);
	show_vmas("mprotect back: the mapping is", p, 4);
	p = mremap(p, 4 * PGSZ, 6 * PGSZ, 0);
	show_map("mremap grows it in place", p);
	show_lck("  locked");
	show("  resident", resident(p, 6));
	q = mmap(p + 6 * PGSZ, PGSZ, RW, ANON | MAP_FIXED, -1, 0);   /* no room now: it must move */
	memset(p, 'L', 6 * PGSZ);
	p = mremap(p, 6 * PGSZ, 10 * PGSZ, MREMAP_MAYMOVE);
	show_map("mremap moves it", p);
	show_lck("  locked");
	show("  resident", resident(p, 10));
	show("  the data moved", p[5 * PGSZ]);
	munmap(q, PGSZ);
	p = mremap(p, 10 * PGSZ, 7 * PGSZ, 0);
	show_map("mremap shrinks it", p);
	show_lck("  locked");
	show("munmap of two pages", munmap(p + 2 * PGSZ, 2 * PGSZ));
	show_lck("  locked");
	show("madvise(MADV_DONTNEED) of a locked page", madvise(p, PGSZ, MADV_DONTNEED));
	show("  data kept", p[0]);
	show("msync(MS_INVALIDATE) of a locked page", msync(p, PGSZ, MS_INVALIDATE));
	show("msync(MS_SYNC) of a locked page", msync(p, PGSZ, MS_SYNC));
	show("msync(MS_INVALIDATE) of a locked page and a hole", msync(p, 4 * PGSZ, MS_INVALIDATE));
	munlock(p, 2 * PGSZ);
	show("msync(MS_INVALIDATE) after munlock", msync(p, PGSZ, MS_INVALIDATE));
	munmap(p, 7 * PGSZ);
	show_lck("after munmap");
}

static void fork_child(void *p)
{
	show_lck("  child");
	show("  child's resident pages", resident(p, 4));
	show("  child can munlock", munlock(p, 4 * PGSZ));
	show("  child's msync(MS_INVALIDATE)", msync(p, 4 * PGSZ, MS_INVALIDATE));
	fflush(stdout);        /* the child ends in _exit */
}

static void future_child(void *arg)
{
	char *p;

	show("  child mmap", (p = anon(4, RW, 0)) == MAP_FAILED ? -1 : 0);
	show_lck("  child");
	show("  child's resident pages", resident(p, 4));
	fflush(stdout);
}

/* mlockall in a child of its own: it locks the whole program. */
static void lock_all(void *arg)
{
	char *p = anon(4, RW, 0), *q;
	long before = self_status_kb("VmLck");

	show("mlockall(MCL_FUTURE)", mlockall(MCL_FUTURE));
	printf("  VmLck grew by %ld kB (nothing mapped yet)\n", self_status_kb("VmLck") - before);
	q = anon(4, RW, 0);
	show("  a new mapping is resident", resident(q, 4));
	show_lck("  locked");
	show("  the old one is resident", resident(p, 4));
	show_child("  fork: the child's mm does not lock its mappings", future_child, NULL);
	show("  sbrk of 3 pages", sbrk(3 * PGSZ) == (void *)-1 ? -1 : 0);
	show_lck("  locked");
	show("munlockall", munlockall());
	show_lck("  locked");
	show("  mappings are one VMA again", count_vmas((unsigned long)q, (unsigned long)q + 4 * PGSZ));
	show("mlockall(MCL_CURRENT | MCL_ONFAULT)", mlockall(MCL_CURRENT | MCL_ONFAULT));
	show("  resident", resident(p, 4));
	show_bool("  VmLck counts the mapping", self_status_kb("VmLck") >= 16);
	munlockall();
	show("mlockall(MCL_CURRENT)", mlockall(MCL_CURRENT));
	show("  resident", resident(p, 4));
	show_bool("  VmLck counts the mapping", self_status_kb("VmLck") >= 16);
	q = anon(4, RW, 0);
	show("  a later mapping is resident", resident(q, 4));
	show("munlockall", munlockall());
	show_lck("  locked");
	fflush(stdout);
}

static void inheritance(void)
{
	char *p = anon(4, RW, MAP_LOCKED);

	show_lck("MAP_LOCKED before fork");
	show_child("fork", fork_child, p);
	show_lck("  parent after");
	munmap(p, 4 * PGSZ);
	show_child("mlockall", lock_all, NULL);
}

/* RLIMIT_MEMLOCK 0 does not hold back root, who has CAP_IPC_LOCK. */
static void limits(void *arg)
{
	struct rlimit r = { 0, 0 };
	char *p = anon(4, RW, 0);

	show("setrlimit(RLIMIT_MEMLOCK, 0)", setrlimit(RLIMIT_MEMLOCK, &r));
	show("  mlock as root", mlock(p, 4 * PGSZ));
	show("  MAP_LOCKED as root", anon(4, RW, MAP_LOCKED) == MAP_FAILED ? -1 : 0);
	show("  mlockall as root", mlockall(MCL_CURRENT | MCL_FUTURE));
	show("  munlockall", munlockall());
	fflush(stdout);
}

#define NOBODY 65534

/* Without root, RLIMIT_MEMLOCK counts: 0 refuses (EPERM), one page locks one page only. */
static void unprivileged(void *arg)
{
	struct rlimit zero = { 0, 0 }, one = { PGSZ, PGSZ };
	char *p = anon(4, RW, 0);

	setrlimit(RLIMIT_MEMLOCK, &zero);
	show("setresuid(nobody)", setresuid(NOBODY, NOBODY, NOBODY));
	show("  mlock with RLIMIT_MEMLOCK 0", mlock(p, PGSZ));
	show("  mlockall with RLIMIT_MEMLOCK 0", mlockall(MCL_CURRENT));
	show("  MAP_LOCKED with RLIMIT_MEMLOCK 0", anon(1, RW, MAP_LOCKED) == MAP_FAILED ? -1 : 0);
	show("  raising the limit again", setrlimit(RLIMIT_MEMLOCK, &one));
	fflush(stdout);
}

static void one_page_limit(void *arg)
{
	struct rlimit one = { PGSZ, PGSZ };
	char *p = anon(4, RW, 0);

	setrlimit(RLIMIT_MEMLOCK, &one);
	show("setresuid(nobody), RLIMIT_MEMLOCK one page", setresuid(NOBODY, NOBODY, NOBODY));
	show("  mlock of two pages", mlock(p, 2 * PGSZ));
	show("  mlock of one page", mlock(p, PGSZ));
	show("  mlock of another", mlock(p + PGSZ, PGSZ));
	show("  the same page again", mlock(p, PGSZ));
	fflush(stdout);
}

int main(void)
{
	enter_scratch("mlock");
	arguments();
	populate();
	operations();
	inheritance();
	show_child("RLIMIT_MEMLOCK 0", limits, NULL);
	show_child("not root", unprivileged, NULL);
	show_child("not root, one page", one_page_limit, NULL);
	leave_scratch();
	return 0;
}
