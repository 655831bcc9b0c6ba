/*
 * bench.h: what the user-level benchmarks (vmbench, filebench, mmbench)
 * share: the clocks (TSC cycles, CLOCK_MONOTONIC ns), the row format
 * tools/run-bench and tools/bench-linux parse,
 *     kbench: <bench> | <what> | <value> | <unit>
 * and the anonymous-memory helpers.  Plain libc calls only, so the same
 * binary runs under anvil and under Linux.
 */
#ifndef USER_BENCH_BENCH_H
#define USER_BENCH_BENCH_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>

#define MB (1024 * 1024)
#define KB 1024
#define PAGE 4096
#define NSEC 1000000000ULL

static inline unsigned long long rdtsc(void)
{
	unsigned int lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((unsigned long long)hi << 32) | lo;
}

/* CLOCK_MONOTONIC in ns: the clock both kernels keep from the same emulated timer */
static inline unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * NSEC + ts.tv_nsec;
}

/* Flushed at once: a runner that times the first line, or a crash, sees every row so far. */
static inline void kbench_row(const char *bench, const char *what, unsigned long long v,
			      const char *unit)
{
	printf("kbench: %s | %s | %llu | %s\n", bench, what, v, unit);
	fflush(stdout);
}

/* a / b with two decimals */
static inline void kbench_ratio(const char *bench, const char *what, unsigned long long a,
				unsigned long long b)
{
	unsigned long long r = b ? a * 100 / b : 0;

	printf("kbench: %s | %s | %llu.%02llu | ratio\n", bench, what, r / 100, r % 100);
	fflush(stdout);
}

static inline void die(const char *what)
{
	perror(what);
	exit(1);
}

static inline void *map_anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap");
	return p;
}

/* One write per page: every page faulted in (or made private after a fork). */
static inline void touch(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += PAGE)
		p[i] = (char)i;
}

#endif
