/*
 * The fuzzer's seeded generator and its interesting argument sets: the
 * values where kernels go wrong (0, -1, huge lengths, unaligned and
 * kernel addresses, buffers that end at a hole) mixed with valid ones,
 * so that calls get past their first check.
 */
#include <abi/fcntl.h>
#include <abi/signal.h>
#include "fuzz.h"

#define KERNEL_BASE 0xC0000000UL
#define NO_SUCH_PID 32767
#define LONG_NAME_LEN 300        /* past NAME_MAX */

static uint32_t state;
long last_child = NO_SUCH_PID;
long self_pid;

/* Seeds mixed by the splitmix32 finaliser, so neighbouring seeds and batches differ. */
uint32_t rng_mix(uint32_t seed, uint32_t batch)
{
	uint32_t z = seed * 0x9E3779B9u + batch * 0x85EBCA6Bu + 0x6A09E667u;

	z = (z ^ (z >> 16)) * 0x7FEB352Du;
	z = (z ^ (z >> 15)) * 0x846CA68Bu;
	return (z ^ (z >> 16)) | 1;    /* xorshift never leaves 0 */
}

uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

void rng_seed(uint32_t seed, uint32_t batch)
{
	state = rng_mix(seed, batch);
}

uint32_t rnd(void)
{
	return xorshift(&state);
}

uint32_t rnd_below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

#define PICK(arr) ((arr)[rnd_below(sizeof(arr) / sizeof((arr)[0]))])

static char own_buf[2 * PAGE] __attribute__((aligned(PAGE)));
static char long_name[LONG_NAME_LEN + 1];

static const unsigned long kernel_addrs[] = {
	KERNEL_BASE, KERNEL_BASE + 0x100000, 0xFFFFF000UL, KERNEL_BASE - 2, 0xFFFFFFFFUL,
};

unsigned long arena_addr(void)
{
	return ARENA_BASE + rnd_below(ARENA_PAGES) * PAGE;
}

static long gen_int(void)
{
	static const long ints[] = { 0, 1, -1, 2, 3, 0x7FFFFFFF, (long)0x80000000UL, 255, 4096 };

	switch (rnd_below(4)) {
	case 0:
		return PICK(ints);
	case 1:
		return rnd_below(16);
	case 2:
		return rnd_below(256);
	default:
		return (long)rnd();
	}
}

static long gen_fd(void)
{
	static const long odd_fds[] = { -1, AT_FDCWD, 255, 256, 0x7FFFFFFF };

	return rnd_below(8) ? (long)rnd_below(MAX_FUZZ_FD) : PICK(odd_fds);
}

/* Names in the scratch directory only: relative, never "..", so no call reaches outside. */
static long gen_path(void)
{
	static const char *const names[] = {
		"a", "b", "c", "d", "d/e", "d/e/f", "a/b", "f.txt", ".", "", "./a", "d//e", "d/",
	};

	switch (rnd_below(16)) {
	case 0:
		for (int i = 0; i < LONG_NAME_LEN; i++)
			long_name[i] = 'x';
		return (long)long_name;
	case 1:
		return 0;
	case 2:
		return (long)PICK(kernel_addrs);
	case 3:
		return (long)(ARENA_END + PAGE);      /* never mapped */
	default:
		return (long)PICK(names);
	}
}

static long gen_buf(void)
{
	unsigned long a;

	switch (rnd_below(10)) {
	case 0: case 1: case 2: case 3:
		return (long)(arena_addr() + rnd_below(PAGE));
	case 4: case 5:
		return (long)(own_buf + rnd_below(PAGE));
	case 6:
		return 0;
	case 7:
		return (long)PICK(kernel_addrs);
	case 8:
		a = arena_addr() + PAGE - 1 - rnd_below(8);   /* runs into the next page */
		return (long)a;
	default:
		return (long)(rnd_below(2) ? ARENA_END + rnd_below(PAGE) : ARENA_END - 1 - rnd_below(8));
	}
}

static long gen_len(void)
{
	static const unsigned long lens[] = {
		0, 1, 2, 3, 7, 16, PAGE - 1, PAGE, PAGE + 1, 1UL << 20, 0x7FFFFFFFUL,
		0x80000000UL, 0xFFFFFFFFUL, 0xFFFFF000UL, ARENA_PAGES * PAGE,
	};

	return rnd_below(3) ? (long)PICK(lens) : (long)rnd_below(2 * PAGE);
}

static long gen_flags(void)
{
	switch (rnd_below(5)) {
	case 0:
		return 0;
	case 1:
		return 1L << rnd_below(32);
	case 2:
		return (long)(rnd() & rnd());
	case 3:
		return (long)rnd_below(16);
	default:
		return (long)rnd();
	}
}

static long gen_addr(void)
{
	static const unsigned long odd[] = { 0, KERNEL_BASE, 0xFFFFF000UL, ARENA_END,
					     ARENA_BASE - PAGE };

	switch (rnd_below(8)) {
	case 0:
		return (long)(arena_addr() + 1 + rnd_below(PAGE - 1));
	case 1:
		return (long)PICK(odd);
	default:
		return (long)arena_addr();
	}
}

static long gen_pid(void)
{
	switch (rnd_below(5)) {
	case 0:
		return 0;
	case 1:
		return last_child;
	case 2:
		return NO_SUCH_PID;
	case 3:
		return -1;
	default:
		return self_pid;
	}
}

/* Stopping signals would leave the batch stopped until its watchdog: SIGCONT instead. */
static long gen_sig(void)
{
	static const long odd[] = { -1, 65, 1000 };
	long sig = rnd_below(16) ? (long)rnd_below(65) : PICK(odd);

	if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
		sig = SIGCONT;
	return sig;
}

long gen_arg(enum arg_kind kind)
{
	static long (*const gen[NR_ARG_KINDS])(void) = {
		[A_INT] = gen_int, [A_FD] = gen_fd, [A_PATH] = gen_path, [A_BUF] = gen_buf,
		[A_LEN] = gen_len, [A_FLAGS] = gen_flags, [A_ADDR] = gen_addr, [A_PID] = gen_pid,
		[A_SIG] = gen_sig, [A_TLS_ENTRY] = gen_tls_entry, [A_SEG_BASE] = gen_seg_base,
		[A_SEG_LIMIT] = gen_seg_limit, [A_DESC_FLAGS] = gen_desc_flags,
		[A_DESC_PTR] = gen_desc_ptr, [A_SEL] = gen_sel, [A_SEG_REG] = gen_seg_reg,
		[A_SEG_WHILE] = gen_seg_while,
	};

	return gen[kind] ? gen[kind]() : 0;
}
