/*
 * The usertests framework.  Each subtest runs in its own forked child (in
 * its own process group); it passes by returning, and fails by calling
 * fail(), which reports one line to the runner and exits.  Children a
 * subtest forks may call fail() too: their message reaches the runner the
 * same way, and their exit status tells the subtest.
 */
#ifndef UT_H
#define UT_H

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include "../common/testlib.h"

#define T_VM 1          /* a memory-manager test: rmap_verify must hold afterwards */

struct subtest {
	const char *name;
	void (*fn)(void);
	unsigned flags;
};

/* The subtest tables, each ending with a { NULL } entry. */
extern const struct subtest proc_tests[], exec_tests[], pipe_tests[], fs_tests[],
	efault_tests[], fault_tests[], brk_tests[], signal_tests[], mmap_tests[],
	mremap_tests[], cow_tests[], symlink_tests[], poll_tests[], sendfile_tests[],
	lowmap_tests[], pgoff_tests[], mount_tests[], core_tests[], procfs_tests[],
	rusage_tests[];
extern const struct subtest users_tests[], mlock_tests[], threads_tests[];

/* A helper mode (`usertests --NAME REPORT-FD args...`), run by a subtest's execve; its exit status. */
int run_helper(int argc, char **argv);

/* The path this program was started by, for re-executing itself. */
extern const char *self_path;
/* The descriptor fail() reports on (a pipe to the runner). */
extern int report_fd;

void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

#define CHECK(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)
/* expr must fail with errno err. */
#define CHECK_ERR(expr, err) check_err_((long)(expr), (err), #expr)
/* expr must not return -1 (or MAP_FAILED); its value. */
#define CHECK_OK(expr) check_ok_((long)(expr), #expr)

void check_err_(long r, int err, const char *what);
long check_ok_(long r, const char *what);

/* The child exited with code 0; else fail, naming what it was. */
void check_child_ok(int status, const char *what);
/* The child was killed by sig; else fail. */
void check_child_signal(int status, int sig, const char *what);
/* anvil_rmap_verify() finds no violation (nothing on Linux). */
void check_rmap(const char *when);

/* The pid of the running subtest's first process (its children inherit it); 0 outside one. */
extern pid_t subtest_pid;
/* A fresh scratch directory /tmp/anvil-ut-<subtest_pid>, removed when the subtest ends. */
const char *scratch_dir(void);
/* scratch_dir()/name in a static buffer (two alternate, so a pair can be live). */
const char *scratch_path(const char *name);

/* read(fd, buf, n) made with esp as the caller's stack pointer: -errno or the count (lowmap.c). */
long read_with_esp(void *esp, int fd, void *buf, size_t n);

/* path's text (one read: a /proc file) into buf, NUL-terminated; its length, or -1. */
ssize_t read_proc_text(const char *path, char *buf, size_t size);

/* ---- the runner's leak check (leak.c) ---- */

#define SETTLE_MS 3000      /* how long exiting processes may take to vanish */

struct leak_state {
	long free_pages;                 /* after empty slabs went back, and the runner's own */
	int nr_slabs;
	struct slab_count slabs[MAX_SLAB_CACHES];
};

/* Until run-elf's init has closed the pipe it started us with (a baseline's first step). */
void wait_for_init_to_wait(void);
/* The state now (free_pages -1 off anvil). */
void leak_snapshot(struct leak_state *s);
/* Read the state until it equals want, or SETTLE_MS passed; 1 if it does. */
int settled_leak_state(struct leak_state *now, const struct leak_state *want);
/* " cache N -> M" for every cache whose objects in use differ between two states. */
void slab_changes(const struct leak_state *before, const struct leak_state *after, char *out,
		  size_t size);

#endif
