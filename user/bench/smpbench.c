/*
 * smpbench: the SMP rows of `make bench`, run under anvil by tools/run-bench
 * once per CPU count (-smp 1, 2, 4), which makes the ratios across boots.
 *   smpbench faults     page-fault throughput of 1, 2 and 4 threads, each
 *                       first-writing its own fresh anonymous pages
 *   smpbench shootdown  mprotect of one page while another thread of the
 *                       process spins on CPU 1 (a TLB shootdown) against
 *                       the same in a process of one thread (a local flush)
 * Rows as bench.h prints them; with one CPU, shootdown says it needs two.
 */
#include <string.h>
#include <unistd.h>
#include "bench.h"
#include "../tests/common/uthread.h"

#define FAULT_PAGES_PER_THREAD 2048   /* 8 MiB each: 32 MiB for 4 threads */
#define MAX_THREADS 4
#define MPROTECT_ROUNDS 2000
#define MAIN_CPU 0
#define SPIN_CPU 1

struct faulter {
	struct uthread t;
	char *pages;
};

static volatile int go;

static int fault_in(void *arg)
{
	struct faulter *f = arg;

	while (!go)
		;
	touch(f->pages, FAULT_PAGES_PER_THREAD * PAGE);
	return 0;
}

/* Faults per second of n threads touching their own pages at once (wall clock). */
static unsigned long long fault_rate(int n)
{
	struct faulter f[MAX_THREADS];
	unsigned long long t0, ns;

	go = 0;
	for (int i = 0; i < n; i++) {
		f[i].pages = map_anon(FAULT_PAGES_PER_THREAD * PAGE);
		if (uthread_start(&f[i].t, fault_in, &f[i]) < 0)
			die("clone");
	}
	t0 = now_ns();
	go = 1;
	for (int i = 0; i < n; i++)
		uthread_join(&f[i].t);
	ns = now_ns() - t0;
	for (int i = 0; i < n; i++)
		munmap(f[i].pages, FAULT_PAGES_PER_THREAD * PAGE);
	return (unsigned long long)n * FAULT_PAGES_PER_THREAD * NSEC / (ns ? ns : 1);
}

static void bench_faults(void)
{
	char what[64];

	for (int n = 1; n <= MAX_THREADS; n *= 2) {
		snprintf(what, sizeof(what), "page faults, %d thread%s", n, n > 1 ? "s" : "");
		kbench_row("smp", what, fault_rate(n), "faults/s");
	}
}

/* ns per mprotect that takes write permission from a page just written, and gives it back */
static unsigned long long mprotect_ns(char *page)
{
	unsigned long long t0 = now_ns();

	for (int i = 0; i < MPROTECT_ROUNDS; i++) {
		page[0] = (char)i;            /* the PTE in this CPU's TLB, writable */
		if (mprotect(page, PAGE, PROT_READ) || mprotect(page, PAGE, PROT_READ | PROT_WRITE))
			die("mprotect");
	}
	return (now_ns() - t0) / (2 * MPROTECT_ROUNDS);
}

static volatile int spinning, stop;

/* The other CPU's user of the mm: in its cpu_vm_mask, so each flush must reach it. */
static int spin(void *arg)
{
	(void)arg;
	if (uthread_pin(SPIN_CPU) < 0)
		return 1;
	spinning = 1;
	while (!stop)
		;
	return 0;
}

/* 0, or 1 with one CPU: the rows need a second. */
static int bench_shootdown(void)
{
	char *page = map_anon(PAGE);
	unsigned long long local, remote;
	struct uthread t;
	long r = uthread_pin(MAIN_CPU);

	if (r < 0 || uthread_pin(SPIN_CPU) < 0 || uthread_pin(MAIN_CPU) < 0) {
		printf("smpbench: shootdown needs 2 CPUs\n");
		return 1;
	}
	local = mprotect_ns(page);
	if (uthread_start(&t, spin, NULL) < 0)
		die("clone");
	while (!spinning)
		;
	remote = mprotect_ns(page);
	stop = 1;
	uthread_join(&t);
	kbench_row("smp", "mprotect of a page, one thread (local flush)", local, "ns");
	kbench_row("smp", "mprotect of a page, a thread spinning on CPU 1 (shootdown)", remote,
		   "ns");
	kbench_ratio("smp", "TLB shootdown / local flush (mprotect)", remote, local);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "faults"))
		bench_faults();
	else if (argc > 1 && !strcmp(argv[1], "shootdown")) {
		if (bench_shootdown())
			return 1;
	} else {
		printf("usage: smpbench faults|shootdown\n");
		return 2;
	}
	printf("kbench: done\n");
	return 0;
}
