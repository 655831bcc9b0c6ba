/*
 * glibc's POSIX threads, built with Debian's static i386 glibc
 * (i686-linux-gnu-gcc -static -pthread) and run on the Linux host and on
 * anvil, outputs compared (the diff suite): mutexes, condition
 * variables, barriers, joins, __thread variables, cancellation, detached
 * threads, a robust mutex whose owner dies, thread ids, the working
 * directory and umask threads share, CPU time counted for the process,
 * exit_group, a fatal signal, exec.
 * Every line printed is independent of scheduling.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#define NTHREADS 4
#define ITERATIONS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value = 7;
static __thread char tls_name[16];

static void *count_up(void *arg)
{
	long id = (long)arg;

	tls_value += (int)id;
	snprintf(tls_name, sizeof(tls_name), "worker-%ld", id);
	for (int i = 0; i < ITERATIONS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 1000 == 0)
			sched_yield();
	}
	/* each thread saw its own copy of the __thread variables */
	return (void *)(long)(tls_value * 100 + (strcmp(tls_name, "worker-0") == 0));
}

static void test_mutex_join_tls(void)
{
	pthread_t t[NTHREADS];
	long sum = 0;

	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, count_up, (void *)i);
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		sum += (long)ret;
	}
	printf("mutex: counter %ld (want %d)\n", counter, NTHREADS * ITERATIONS);
	printf("tls: joined values sum %ld, main still has %d\n", sum, tls_value);
}

/* a bounded queue: producer and consumer on two condition variables */
#define QSIZE 4
#define ITEMS 200
static int queue[QSIZE], qhead, qcount;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER, not_full = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&lock);
		while (qcount == QSIZE)
			pthread_cond_wait(&not_full, &lock);
		queue[(qhead + qcount++) % QSIZE] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void test_condvar(void)
{
	pthread_t p;
	long sum = 0;

	pthread_create(&p, NULL, producer, NULL);
	for (int n = 0; n < ITEMS; n++) {
		pthread_mutex_lock(&lock);
		while (qcount == 0)
			pthread_cond_wait(&not_empty, &lock);
		sum += queue[qhead];
		qhead = (qhead + 1) % QSIZE;
		qcount--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&lock);
	}
	pthread_join(p, NULL);
	printf("condvar: consumed sum %ld (want %d)\n", sum, ITEMS * (ITEMS + 1) / 2);
}

/* broadcast: every waiter wakes (glibc requeues or wakes them all) */
static int go, woke;
static pthread_cond_t go_cond = PTHREAD_COND_INITIALIZER;

static void *wait_for_go(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!go)
		pthread_cond_wait(&go_cond, &lock);
	woke++;
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void test_broadcast(void)
{
	pthread_t t[NTHREADS];

	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, wait_for_go, NULL);
	usleep(20000);
	pthread_mutex_lock(&lock);
	go = 1;
	pthread_cond_broadcast(&go_cond);
	pthread_mutex_unlock(&lock);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	printf("broadcast: %d of %d woke\n", woke, NTHREADS);
}

/* barrier: nobody passes phase k before everyone finished it */
static pthread_barrier_t barrier;
static int phase_done[3];
static int phase_errors;

static void *barrier_worker(void *arg)
{
	(void)arg;
	for (int phase = 0; phase < 3; phase++) {
		__sync_fetch_and_add(&phase_done[phase], 1);
		pthread_barrier_wait(&barrier);
		if (phase_done[phase] != NTHREADS)
			__sync_fetch_and_add(&phase_errors, 1);
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void test_barrier(void)
{
	pthread_t t[NTHREADS];

	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, barrier_worker, NULL);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&barrier);
	printf("barrier: phases %d %d %d, errors %d\n", phase_done[0], phase_done[1],
	       phase_done[2], phase_errors);
}

/* cancellation: a thread blocked in a cancellation point, cleanup handler run */
static int cleaned_up;

static void cleanup(void *arg)
{
	(void)arg;
	cleaned_up = 1;
}

static void *sleeper(void *arg)
{
	(void)arg;
	pthread_cleanup_push(cleanup, NULL);
	for (;;)
		pause();
	pthread_cleanup_pop(0);
	return NULL;
}

static void test_cancel(void)
{
	pthread_t t;
	void *ret;

	pthread_create(&t, NULL, sleeper, NULL);
	usleep(10000);
	pthread_cancel(t);
	pthread_join(t, &ret);
	printf("cancel: canceled %d, cleanup ran %d\n", ret == PTHREAD_CANCELED, cleaned_up);
}

/* detached threads: they post a semaphore and vanish; nobody joins them */
static sem_t done_sem;

static void *detached(void *arg)
{
	(void)arg;
	sem_post(&done_sem);
	return NULL;
}

static void test_detached(void)
{
	pthread_attr_t attr;
	int ok = 0;

	sem_init(&done_sem, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (int i = 0; i < NTHREADS; i++) {
		pthread_t t;

		ok += pthread_create(&t, &attr, detached, NULL) == 0;
	}
	for (int i = 0; i < NTHREADS; i++)
		sem_wait(&done_sem);
	printf("detached: %d created, %d finished\n", ok, NTHREADS);
}

/* ids: one pid, distinct tids */
static pid_t thread_tid, thread_pid;

static void *ids(void *arg)
{
	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	thread_pid = getpid();
	return NULL;
}

static void test_ids(void)
{
	pthread_t t;

	pthread_create(&t, NULL, ids, NULL);
	pthread_join(t, NULL);
	printf("ids: same pid %d, main tid is pid %d, thread tid differs %d\n",
	       thread_pid == getpid(), (pid_t)syscall(SYS_gettid) == getpid(),
	       thread_tid != getpid());
}

/* a thread's chdir and umask are the whole process's (clone's CLONE_FS) */
static void *change_fs(void *arg)
{
	(void)arg;
	if (chdir("/tmp") != 0)
		return (void *)1;
	umask(077);
	return NULL;
}

static void test_shared_fs(void)
{
	char cwd[64] = "";
	pthread_t t;
	void *ret;
	mode_t old = umask(022);

	pthread_create(&t, NULL, change_fs, NULL);
	pthread_join(t, &ret);
	printf("fs: chdir %s, main's cwd now %s, umask %03o\n", ret ? "failed" : "ok",
	       getcwd(cwd, sizeof(cwd)) ? cwd : "?", (unsigned int)umask(old));
	if (chdir("/") != 0)
		printf("fs: cannot go back to /\n");
}

/* the process's CPU time is its threads' together, a finished thread's included */
#define SPIN_MS 60
#define MS_PER_TICK 10                   /* times() counts USER_HZ = 100 ticks a second */

static long clock_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long rusage_ms(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

static void *spin_cpu(void *arg)
{
	(void)arg;
	while (clock_ms(CLOCK_THREAD_CPUTIME_ID) < SPIN_MS)
		;
	return (void *)clock_ms(CLOCK_THREAD_CPUTIME_ID);
}

/*
 * The caller's own time is taken across the spin alone: it sleeps in the joins meanwhile.
 * (Since its start it may have run longer than the spinners -- the earlier tests ran in
 * it, and under a loaded emulator they cost more ticks.)
 */
static void test_cpu_time(void)
{
	pthread_t t[2];
	long spun = 0, mine = rusage_ms(RUSAGE_THREAD);
	struct tms tms;

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, spin_cpu, NULL);
	for (int i = 0; i < 2; i++) {
		void *ms;

		pthread_join(t[i], &ms);
		spun += (long)ms;
	}
	times(&tms);
	printf("cpu: threads spun %s; the process clock has them %s, getrusage %s, "
	       "times %s; RUSAGE_THREAD is the caller's alone %s\n",
	       spun >= 2 * SPIN_MS ? "yes" : "no",
	       clock_ms(CLOCK_PROCESS_CPUTIME_ID) >= spun ? "yes" : "no",
	       rusage_ms(RUSAGE_SELF) >= spun ? "yes" : "no",
	       /* Linux rounds each field down, and splits user and system oddly */
	       (tms.tms_utime + tms.tms_stime) * MS_PER_TICK >= spun / 2 ? "yes" : "no",
	       rusage_ms(RUSAGE_THREAD) - mine < spun ? "yes" : "no");
}

/* a robust mutex whose owner exits holding it: the next locker gets EOWNERDEAD */
static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL;                     /* exits with the lock held */
}

static void test_robust(void)
{
	pthread_mutexattr_t ma;
	pthread_t t;
	int r;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	r = pthread_mutex_lock(&robust);
	printf("robust: lock after owner died: %s\n", r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r));
	if (r == EOWNERDEAD)
		pthread_mutex_consistent(&robust);
	pthread_mutex_unlock(&robust);
}

/* exit() from a thread ends the process with every thread in it (exit_group) */
static void *spin(void *arg)
{
	(void)arg;
	for (;;)
		sched_yield();
	return NULL;
}

static void *exit_process(void *arg)
{
	(void)arg;
	exit(42);
}

static void test_exit_group(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pthread_t a, b;

		pthread_create(&a, NULL, spin, NULL);
		pthread_create(&b, NULL, exit_process, NULL);
		for (;;)
			pause();
	}
	waitpid(pid, &status, 0);
	printf("exit_group: child exited %d status %d\n", WIFEXITED(status), WEXITSTATUS(status));
}

/* a fatal signal to the process kills every thread */
static void test_fatal_signal(void)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pthread_t a;

		pthread_create(&a, NULL, spin, NULL);
		kill(getpid(), SIGTERM);
		for (;;)
			pause();
	}
	waitpid(pid, &status, 0);
	printf("signal: child killed by %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

/* exec from a thread other than the leader: the process keeps its pid */
static void *exec_echo(void *arg)
{
	char *argv[] = { "pthreads", "exec-child", NULL };

	execv((const char *)arg, argv);
	_exit(99);
}

static void test_exec(const char *self)
{
	pid_t pid;
	int status, fds[2];
	char buf[64] = "";

	pipe(fds);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		pthread_t a, b;

		dup2(fds[1], 1);
		pthread_create(&a, NULL, spin, NULL);
		pthread_create(&b, NULL, exec_echo, (void *)self);
		for (;;)
			pause();
	}
	close(fds[1]);
	read(fds[0], buf, sizeof(buf) - 1);
	waitpid(pid, &status, 0);
	printf("exec: the new image has the old pid %d, exit status %d\n",
	       atoi(buf) == pid, WEXITSTATUS(status));
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
		printf("%d\n", getpid());
		return 5;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_mutex_join_tls();
	test_condvar();
	test_broadcast();
	test_barrier();
	test_cancel();
	test_detached();
	test_ids();
	test_robust();
	test_shared_fs();
	test_cpu_time();
	test_exit_group();
	test_fatal_signal();
	test_exec(argv[0]);
	return 0;
}
