/*
 * Thread groups as anvil keeps them, where Linux has nothing to compare
 * (user/tests/diff/threads.c compares the rest with the host): every way
 * a threaded process can end -- its threads exiting one by one, leader
 * first, exit_group, a SIGKILL, an exec from a thread, a fault -- gives
 * back every task_struct, signal_struct, sighand_struct, fs_struct and
 * the one mm (the runner's leak check names the subtest that leaked), and
 * leaves rmap_verify clean; a child forked by a thread that exits passes
 * to another thread of the process, which can wait for it.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <abi/futex.h>
#include <abi/unistd.h>
#include "ut.h"
#include "../common/uthread.h"

#define NTHREADS 4
#define REGION_PAGES 64
#define EXEC_STATUS 7

static volatile uint32_t never;           /* a futex nobody wakes */
static int *volatile nowhere;             /* NULL, read through: a fault */
static char *region;

/* Touch this thread's share of the region, then sleep for good. */
static int touch_and_sleep(void *arg)
{
	long i = (long)arg;

	fill_pages(region + i * (REGION_PAGES / NTHREADS) * PGSZ, REGION_PAGES / NTHREADS,
		   (unsigned)i);
	for (;;)
		raw_futex(&never, FUTEX_WAIT, 0, NULL, NULL, 0);
	return 0;
}

static int touch_and_return(void *arg)
{
	long i = (long)arg;

	fill_pages(region + i * (REGION_PAGES / NTHREADS) * PGSZ, REGION_PAGES / NTHREADS,
		   (unsigned)i);
	return 0;
}

static int do_exit_group(void *arg)
{
	raw_syscall(__NR_exit_group, (long)arg, 0, 0, 0, 0);
	return 0;
}

static int do_fault(void *arg)
{
	return *nowhere;
}

static int do_exec(void *arg)
{
	char fd[12], status[12];
	char *argv[] = { "usertests", "--exit", fd, status, NULL };
	char *envp[] = { NULL };

	snprintf(fd, sizeof(fd), "%d", report_fd);
	snprintf(status, sizeof(status), "%d", EXEC_STATUS);
	raw_syscall(__NR_execve, (long)self_path, (long)argv, (long)envp, 0, 0);
	return 99;
}

/* A process with NTHREADS threads that touched memory, then `last` run by one more. */
static void threaded_process(int (*last)(void *), void *arg)
{
	static struct uthread t[NTHREADS + 1];

	region = mmap(NULL, REGION_PAGES * PGSZ, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(region != MAP_FAILED, "mmap");
	for (long i = 0; i < NTHREADS; i++)
		CHECK(uthread_start(&t[i], touch_and_sleep, (void *)i) > 0, "clone a thread");
	msleep(10);
	CHECK(uthread_start(&t[NTHREADS], last, arg) > 0, "clone the last thread");
	for (;;)
		raw_futex(&never, FUTEX_WAIT, 0, NULL, NULL, 0);
}

static void group_exits(void *arg)
{
	threaded_process(do_exit_group, (void *)3);
}

static void thread_faults(void *arg)
{
	threaded_process(do_fault, NULL);
}

static void thread_execs(void *arg)
{
	threaded_process(do_exec, NULL);
}

static void threads_then_sleep(void *arg)
{
	threaded_process(touch_and_return, (void *)0);
}

/* 1 while the leader lives: its clear_child_tid word, which its exit clears and wakes */
static volatile uint32_t leader_alive;

/*
 * Touch this thread's share of the region, then return once the leader
 * has exited.  Its exit wakes one waiter (as Linux's does: a join has one
 * joiner); the first thread to see the word cleared wakes the others.
 */
static int touch_then_outlive_leader(void *arg)
{
	touch_and_return(arg);
	while (leader_alive)
		raw_futex(&leader_alive, FUTEX_WAIT, 1, NULL, NULL, 0);
	raw_futex(&leader_alive, FUTEX_WAKE, NTHREADS, NULL, NULL, 0);
	return 0;
}

/*
 * The leader leaves first; its threads each return, one by one.  They wait
 * for its exit: on two CPUs they could otherwise all be done before the
 * leader's exit(4), which would then be the last thread out.
 */
static void leader_first(void *arg)
{
	static struct uthread t[NTHREADS];

	region = mmap(NULL, REGION_PAGES * PGSZ, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	leader_alive = 1;
	raw_syscall(__NR_set_tid_address, (long)&leader_alive, 0, 0, 0, 0);
	for (long i = 0; i < NTHREADS; i++)
		uthread_start(&t[i], touch_then_outlive_leader, (void *)i);
	raw_syscall(__NR_exit, 4, 0, 0, 0, 0);
}

static void t_threaded_exits(void)
{
	pid_t pid;
	int status;

	status = run_in_child(group_exits, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 3, "exit_group(3) from a thread: %s",
	      status_str(status));
	check_child_signal(run_in_child(thread_faults, NULL), SIGSEGV, "a thread's fault");
	pid = spawn(thread_execs, NULL);
	CHECK_OK(pid);
	CHECK(waitpid(pid, &status, 0) == pid, "the exec'ing process keeps its pid");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == EXEC_STATUS, "exec from a thread: %s",
	      status_str(status));
	pid = spawn(threads_then_sleep, NULL);
	CHECK_OK(pid);
	msleep(20);
	kill(pid, SIGKILL);
	check_child_signal(wait_status(pid, 0), SIGKILL, "SIGKILL to a threaded process");
	/* the last thread out gives the status (diff/threads shows Linux does the same) */
	status = run_in_child(leader_first, NULL);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "leader exit(4), threads return 0: %s",
	      status_str(status));
}

/* A thread forks and exits: its child passes to the main thread, whose wait finds it. */
static volatile long forked;

static int fork_and_exit(void *arg)
{
	forked = raw_syscall(__NR_fork, 0, 0, 0, 0, 0);
	if (forked == 0) {
		struct timespec nap = { 0, 20 * 1000000L };

		raw_syscall(__NR_nanosleep, (long)&nap, 0, 0, 0, 0);
		raw_syscall(__NR_exit_group, 5, 0, 0, 0, 0);
	}
	return 0;
}

static void t_child_of_exited_thread(void)
{
	struct uthread t;
	int status;

	CHECK(uthread_start(&t, fork_and_exit, NULL) > 0, "clone a thread");
	uthread_join(&t);
	CHECK(forked > 0, "fork from a thread: %ld", forked);
	CHECK(waitpid((pid_t)forked, &status, 0) == forked, "wait for the exited thread's child");
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 5, "its status: %s", status_str(status));
}

const struct subtest threads_tests[] = {
	{ "threads_every_exit_gives_all_back", t_threaded_exits, T_VM },
	{ "threads_child_of_exited_thread", t_child_of_exited_thread, 0 },
	{ NULL },
};
