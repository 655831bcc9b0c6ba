/*
 * Nothing is ever mapped below MMAP_MIN_ADDR (docs/vma.md): a stack
 * mapped at the minimum does not grow into page 0 -- from a user access
 * or from a system call's user copy, whatever the stack pointer -- and a
 * system call does not grow a stack far below the caller's esp; mmap's
 * MAP_FIXED and hint, mremap's MREMAP_FIXED and brk stay above it too.
 * /proc/self/maps must show nothing below the minimum after each.
 */
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include "ut.h"

#define MMAP_MIN_ADDR 0x10000UL       /* anvil's (include/anvil/mm.h), Linux's usual default */
#define RW (PROT_READ | PROT_WRITE)
#define GROWSDOWN_FIXED (MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN)
#define FAR_BELOW (32 * PGSZ)         /* further below esp than the 64 KiB + 128 B allowance */

/* int $0x80 from user mode switches to the kernel stack, so esp need not point at memory. */
long read_with_esp(void *esp, int fd, void *buf, size_t n)
{
	long ret;

	asm volatile("movl %%esp, %%edi\n\t"
		     "movl %[esp], %%esp\n\t"
		     "int $0x80\n\t"
		     "movl %%edi, %%esp"
		     : "=a"(ret)
		     : "0"((long)__NR_read), "b"(fd), "c"(buf), "d"(n), [esp] "S"(esp)
		     : "edi", "memory");
	return ret;
}

/* In a child: read the byte at addr with the stack pointer at esp (a fault kills it). */
struct esp_touch {
	void *esp;
	volatile char *addr;
};

static void esp_touch_child(void *arg)
{
	struct esp_touch *t = arg;

	asm volatile("movl %%esp, %%edi\n\t"
		     "movl %[esp], %%esp\n\t"
		     "movb (%[addr]), %%al\n\t"
		     "movl %%edi, %%esp"
		     : : [esp] "S"(t->esp), [addr] "c"(t->addr)
		     : "eax", "edi", "memory");
}

/* The signal a user-mode read of addr with esp there gets, or 0. */
static int touch_with_esp(void *esp, volatile void *addr)
{
	struct esp_touch t = { esp, addr };

	return killed_by(run_in_child(esp_touch_child, &t));
}

/* A pipe holding enough bytes for every read below. */
static void data_pipe(int fds[2])
{
	static const char data[256];

	CHECK_OK(pipe(fds));
	CHECK(write(fds[1], data, sizeof(data)) == sizeof(data), "filling the pipe");
}

static void check_nothing_low(const char *when)
{
	CHECK(count_vmas(0, MMAP_MIN_ADDR) == 0, "%s: a mapping below 0x%lx in /proc/self/maps",
	      when, MMAP_MIN_ADDR);
}

/* The case: read(fd, NULL, 16) beside a stack at the minimum grew it down to page 0. */
static void t_lowmap_read_null(void)
{
	int fds[2];

	data_pipe(fds);
	CHECK_OK(mmap(ADDR(MMAP_MIN_ADDR), PGSZ, RW, GROWSDOWN_FIXED, -1, 0));
	CHECK_ERR(read(fds[0], NULL, 16), EFAULT);
	CHECK_ERR(write(fds[1], NULL, 16), EFAULT);
	CHECK_ERR(read(fds[0], ADDR(MMAP_MIN_ADDR - PGSZ), 16), EFAULT);
	check_nothing_low("after read(fd, NULL, 16)");
	CHECK(touch_signal(NULL, 0) == SIGSEGV, "reading page 0 does not fault");
	check_nothing_low("after touching page 0");
	CHECK(count_vmas(MMAP_MIN_ADDR, MMAP_MIN_ADDR + PGSZ) == 1, "the stack mapping went away");
}

/*
 * The same with the stack pointer right there, so that only the minimum
 * stops the growth: expand_stack itself must refuse, for a user copy and
 * for a user access.  The stack may still grow down to the minimum exactly.
 */
static void t_lowmap_growsdown_min(void)
{
	char *low = ADDR(MMAP_MIN_ADDR), *stack = ADDR(MMAP_MIN_ADDR + 4 * PGSZ);
	int fds[2];

	data_pipe(fds);
	CHECK_OK(mmap(stack, PGSZ, RW, GROWSDOWN_FIXED, -1, 0));
	/* esp at the minimum: address 0 is within the 64 KiB + 128 B allowance below it */
	CHECK(read_with_esp(low, fds[0], NULL, 16) == -EFAULT,
	      "read(fd, NULL, 16) with esp at 0x%lx did not fail with EFAULT", MMAP_MIN_ADDR);
	CHECK(read_with_esp(low, fds[0], low - PGSZ, 16) == -EFAULT,
	      "read into the page below the minimum did not fail with EFAULT");
	CHECK(touch_with_esp(low, NULL) == SIGSEGV, "reading page 0 with esp near it does not fault");
	CHECK(touch_with_esp(low, low - PGSZ) == SIGSEGV,
	      "reading below the minimum with esp near it does not fault");
	check_nothing_low("after the attempts");
	/* the positive case: growing down to the minimum itself, from a system call and from user mode */
	CHECK(read_with_esp(stack, fds[0], stack - PGSZ, 16) == 16, "the stack did not grow by a page");
	CHECK(touch_with_esp(low, low) == 0, "the stack did not grow down to the minimum");
	CHECK(count_vmas(MMAP_MIN_ADDR, MMAP_MIN_ADDR + 5 * PGSZ) == 1, "the grown stack is not one VMA");
	CHECK(read_with_esp(low, fds[0], low - PGSZ, 16) == -EFAULT,
	      "a stack at the minimum grew below it");
	check_nothing_low("after growing to the minimum");
	check_rmap("after the stack grew");
}

/* A system call's buffer far below the caller's esp is EFAULT, as a user access there is SIGSEGV. */
static void t_lowmap_far_below_esp(void)
{
	char *area = (char *)CHECK_OK(mmap(NULL, 64 * PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	char *stack = area + 63 * PGSZ, *far = stack - FAR_BELOW;
	int fds[2];

	data_pipe(fds);
	CHECK_OK(munmap(area, 63 * PGSZ));
	CHECK_OK(mmap(stack, PGSZ, RW, GROWSDOWN_FIXED, -1, 0));
	CHECK_ERR(read(fds[0], far, 16), EFAULT);
	CHECK(touch_signal(far, 0) == SIGSEGV, "a user read far below esp grew the stack");
	CHECK(count_vmas((unsigned long)area, (unsigned long)stack) == 0,
	      "the stack grew for an access far below esp");
	/* with esp near the buffer the same read grows the stack */
	CHECK(read_with_esp(far + PGSZ, fds[0], far, 16) == 16, "read with esp near the buffer failed");
	CHECK(count_vmas((unsigned long)far, (unsigned long)stack) == 1, "the stack did not grow");
	check_rmap("after the stack grew");
	CHECK_OK(munmap(far, stack + PGSZ - far));
}

/* The other ways to ask for a low address: each refused, or moved up to the minimum. */
static void t_lowmap_other_routes(void)
{
	static const unsigned long fixed[] = { 0, PGSZ, MMAP_MIN_ADDR - PGSZ };
	char *p = (char *)CHECK_OK(mmap(NULL, PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)), *q;
	unsigned long brk0 = syscall(__NR_brk, 0);

	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		CHECK_ERR(mmap(ADDR(fixed[i]), PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), EPERM);
		CHECK_ERR(mmap(ADDR(fixed[i]), PGSZ, RW, GROWSDOWN_FIXED, -1, 0), EPERM);
		CHECK_ERR(mremap(p, PGSZ, PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, ADDR(fixed[i])), EPERM);
	}
	CHECK_ERR(mmap(ADDR(MMAP_MIN_ADDR - PGSZ), 2 * PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		       -1, 0), EPERM);
	CHECK_ERR(mremap(p, PGSZ, 2 * PGSZ, MREMAP_MAYMOVE | MREMAP_FIXED, ADDR(MMAP_MIN_ADDR - PGSZ)),
		  EPERM);
	CHECK(count_vmas((unsigned long)p, (unsigned long)p + PGSZ) == 1, "a failed mremap moved the mapping");
	/* a hint below the minimum means the minimum (Linux's round_hint_to_min) */
	q = (char *)CHECK_OK(mmap(ADDR(2 * PGSZ), PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CHECK(q == ADDR(MMAP_MIN_ADDR), "a hint of 0x2000 gave %p, want 0x%lx", q, MMAP_MIN_ADDR);
	CHECK_OK(munmap(q, PGSZ));
	q = (char *)CHECK_OK(mmap(ADDR(0x800), PGSZ, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	CHECK((unsigned long)q >= MMAP_MIN_ADDR, "a hint inside page 0 gave %p", q);
	CHECK_OK(munmap(q, PGSZ));
	/* brk below the program's own break is refused: the break stays */
	CHECK((unsigned long)syscall(__NR_brk, PGSZ) == brk0, "brk(0x1000) moved the break");
	check_nothing_low("after the attempts");
	CHECK_OK(munmap(p, PGSZ));
}

const struct subtest lowmap_tests[] = {
	{ "lowmap_read_null", t_lowmap_read_null, T_VM },
	{ "lowmap_growsdown_min", t_lowmap_growsdown_min, T_VM },
	{ "lowmap_far_below_esp", t_lowmap_far_below_esp, T_VM },
	{ "lowmap_other_routes", t_lowmap_other_routes, T_VM },
	{ NULL },
};
