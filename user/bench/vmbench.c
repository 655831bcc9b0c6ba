/*
 * vmbench: the user-level rows of `make bench`, run under anvil by
 * tools/run-bench.  Each row is measured with the TSC and printed as
 *     kbench: <bench> | <what> | <value> | <unit>
 * Ratios compare two measurements taken here, in the same boot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <abi/unistd.h>
#include "bench.h"

#define SYSCALL_ROUNDS 20000
#define FORK_ROUNDS 50
#define EXEC_ROUNDS 20
#define BIG_FORK_ROUNDS 5
#define TOUCHED (16 * MB)
#define MOVE_SIZE (64 * MB)
#define TABLE_SPAN (4UL * MB)     /* what one i386 page table maps */
#define FAULT_PAGES 4096

/*
 * Cycles for one fork + child exit + wait, averaged over rounds.  With
 * copy set, the child first takes its own copy of [copy, copy + len)
 * (MADV_POPULATE_WRITE breaks copy-on-write on every page): the cost of a
 * fork that copies eagerly, as xv6's does.
 */
static unsigned long long fork_exit_wait(int rounds, char *copy, size_t len)
{
	unsigned long long t0 = rdtsc();

	for (int i = 0; i < rounds; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(copy && madvise(copy, len, MADV_POPULATE_WRITE) ? 1 : 0);
		if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
			perror("vmbench: fork");
			exit(1);
		}
	}
	return (rdtsc() - t0) / rounds;
}

static void bench_syscalls(void)
{
	unsigned long long t0 = rdtsc(), per;

	for (int i = 0; i < SYSCALL_ROUNDS; i++)
		syscall(__NR_getppid);
	per = (rdtsc() - t0) / SYSCALL_ROUNDS;
	kbench_row("process", "getppid round trip", per, "cycles");
}

static void bench_fork_exec(void)
{
	char *argv[] = { "/bin/true", NULL };
	unsigned long long t0, per;

	kbench_row("process", "fork+exit+wait (small process)", fork_exit_wait(FORK_ROUNDS, NULL, 0),
		   "cycles");
	t0 = rdtsc();
	for (int i = 0; i < EXEC_ROUNDS; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
		waitpid(pid, &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			fprintf(stderr, "vmbench: /bin/true failed\n");
			exit(1);
		}
	}
	per = (rdtsc() - t0) / EXEC_ROUNDS;
	kbench_row("process", "fork+exec(/bin/true)+exit+wait", per, "cycles");
}

/* A process with 16 MiB touched: copy-on-write fork against eager copying. */
static void bench_cow_fork(void)
{
	char *p = map_anon(TOUCHED);
	unsigned long long cow, eager;

	touch(p, TOUCHED);
	cow = fork_exit_wait(BIG_FORK_ROUNDS, NULL, 0);
	eager = fork_exit_wait(BIG_FORK_ROUNDS, p, TOUCHED);
	kbench_row("fork", "fork+exit+wait, 16 MiB touched, copy-on-write", cow, "cycles");
	kbench_row("fork", "fork+exit+wait, 16 MiB touched, eager copy", eager, "cycles");
	kbench_ratio("fork", "eager copy / copy-on-write", eager, cow);
	munmap(p, TOUCHED);
}

/*
 * Move the first MOVE_SIZE bytes at p (unaligned) to a 4 MiB-aligned
 * address, untimed, then time a move to a second aligned address; unmap
 * the area and what is left at p.  Returns the cycles, or exits if a move
 * failed.
 */
static unsigned long long move_aligned(char *p)
{
	size_t room = 3 * MOVE_SIZE;
	char *res = mmap(NULL, room, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a = (char *)(((unsigned long)res + TABLE_SPAN - 1) & ~(TABLE_SPAN - 1));
	char *b = a + MOVE_SIZE + TABLE_SPAN;
	unsigned long long t0, t;

	if (res == MAP_FAILED ||
	    mremap(p, MOVE_SIZE, MOVE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, a) != a) {
		fprintf(stderr, "vmbench: mremap to an aligned address failed\n");
		exit(1);
	}
	t0 = rdtsc();
	if (mremap(a, MOVE_SIZE, MOVE_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, b) != b) {
		fprintf(stderr, "vmbench: aligned mremap failed\n");
		exit(1);
	}
	t = rdtsc() - t0;
	if (b[PAGE] != (char)PAGE) {
		fprintf(stderr, "vmbench: the aligned move lost the data\n");
		exit(1);
	}
	munmap(res, room);
	munmap(p + MOVE_SIZE, 2 * PAGE);
	return t;
}

/*
 * mremap of 64 MiB: a real move (a guard page right above the source
 * stops it growing in place; the destination the kernel picks is a page
 * off 4 MiB alignment, so every PTE moves), a grow in place, and a move
 * between two 4 MiB-aligned addresses (whole page tables move), against
 * copying the same bytes with memcpy.
 */
static void bench_mremap(void)
{
	char *src = map_anon(MOVE_SIZE), *dst, *guard, *moved, *grown;
	unsigned long long t0, copy, move, grow, aligned;

	touch(src, MOVE_SIZE);
	guard = mmap(src + MOVE_SIZE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	dst = map_anon(MOVE_SIZE);
	touch(dst, MOVE_SIZE);
	t0 = rdtsc();
	memcpy(dst, src, MOVE_SIZE);
	copy = rdtsc() - t0;
	munmap(dst, MOVE_SIZE);
	t0 = rdtsc();
	moved = mremap(src, MOVE_SIZE, MOVE_SIZE + PAGE, MREMAP_MAYMOVE);
	move = rdtsc() - t0;
	if (guard != src + MOVE_SIZE || moved == MAP_FAILED || moved == src ||
	    moved[PAGE] != (char)PAGE) {
		fprintf(stderr, "vmbench: mremap did not move the area\n");
		exit(1);
	}
	t0 = rdtsc();
	grown = mremap(moved, MOVE_SIZE + PAGE, MOVE_SIZE + 2 * PAGE, 0);
	grow = rdtsc() - t0;
	if (grown != moved) {
		fprintf(stderr, "vmbench: mremap could not grow in place\n");
		exit(1);
	}
	aligned = move_aligned(grown);
	kbench_row("mremap", "move 64 MiB with mremap", move, "cycles");
	kbench_row("mremap", "grow 64 MiB in place with mremap", grow, "cycles");
	kbench_row("mremap", "move 64 MiB, both ends 4 MiB-aligned", aligned, "cycles");
	kbench_row("mremap", "copy 64 MiB with memcpy", copy, "cycles");
	kbench_ratio("mremap", "copy / mremap move", copy, move);
	munmap(guard, PAGE);
}

/* The first write to an anonymous page: fault, zeroed page, PTE. */
static void bench_faults(void)
{
	char *p = map_anon(FAULT_PAGES * PAGE);
	unsigned long long t0, fault, hit;

	t0 = rdtsc();
	touch(p, FAULT_PAGES * PAGE);
	fault = (rdtsc() - t0) / FAULT_PAGES;
	t0 = rdtsc();
	touch(p, FAULT_PAGES * PAGE);
	hit = (rdtsc() - t0) / FAULT_PAGES;
	kbench_row("fault", "anonymous page fault (first write)", fault, "cycles");
	kbench_row("fault", "write to a mapped page", hit, "cycles");
	kbench_ratio("fault", "fault / mapped write", fault, hit);
	munmap(p, FAULT_PAGES * PAGE);
}

int main(void)
{
	bench_syscalls();
	bench_fork_exec();
	bench_cow_fork();
	bench_mremap();
	bench_faults();
	printf("kbench: done\n");
	return 0;
}
