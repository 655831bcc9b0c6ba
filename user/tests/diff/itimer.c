/*
 * setitimer/getitimer and alarm against Linux: the three timers
 * (ITIMER_REAL and SIGALRM, ITIMER_VIRTUAL and SIGVTALRM, ITIMER_PROF
 * and SIGPROF), their intervals reported as set and reloaded when they
 * fire, alarm and ITIMER_REAL seeing each other (alarm's rounding, its
 * clearing of the interval), the errors (which, tv_usec, bad pointers,
 * and their order), a NULL new value, a huge alarm, the timers dropped
 * by fork and kept by exec.  Times are printed only as "within bounds";
 * a timer that must fire is waited for with a generous time-out.
 * "itimer after-exec" is the program the exec runs.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include "../common/report.h"

#define MS 1000                   /* tv_usec per millisecond */
#define PERIOD_MS 20
#define FIRINGS 4                 /* a periodic timer must fire this often ... */
#define GIVE_UP_MS 10000          /* ... before this much wall-clock time passes */
#define SLEEP_MS 200
#define TICK_SLACK_MS 10          /* Linux adds a tick (HZ >= 100) to a CPU timer's value */
#define LONG_S 10                 /* armed for longer than the test runs */
#define HUGE_S 2147483647L
#define DAY_S 86400L
#define YEAR_S (365 * DAY_S)

static volatile sig_atomic_t fired[NSIG];
static volatile int last_code;

static void on_timer(int sig, siginfo_t *info, void *ctx)
{
	fired[sig]++;
	last_code = info->si_code;
}

static struct itimerval itv(long value_ms, long interval_ms)
{
	struct itimerval v = { { interval_ms / 1000, interval_ms % 1000 * MS },
			       { value_ms / 1000, value_ms % 1000 * MS } };

	return v;
}

static long ms_of(struct timeval tv)
{
	return tv.tv_sec * 1000 + tv.tv_usec / MS;
}

static const char *const names[] = { "ITIMER_REAL", "ITIMER_VIRTUAL", "ITIMER_PROF" };
static const int signals[] = { SIGALRM, SIGVTALRM, SIGPROF };

/* "NAME: value in (lo, hi] ms, interval I.IIIIII s" -- the interval exactly, as set. */
static void show_timer(const char *what, int which, long lo_ms, long hi_ms)
{
	struct itimerval v;

	if (getitimer(which, &v) < 0) {
		printf("%s: getitimer %s\n", what, errno_name(errno));
		return;
	}
	if (!v.it_value.tv_sec && !v.it_value.tv_usec)
		printf("%s: disarmed", what);
	else
		printf("%s: value %s", what,
		       ms_of(v.it_value) > lo_ms && ms_of(v.it_value) <= hi_ms ? "within bounds" :
		       "OUT OF BOUNDS");
	printf(", interval %ld.%06ld s\n", v.it_interval.tv_sec, v.it_interval.tv_usec);
}

static void disarm_all(void)
{
	struct itimerval zero = itv(0, 0);

	for (int which = ITIMER_REAL; which <= ITIMER_PROF; which++)
		setitimer(which, &zero, NULL);
}

static int set(int which, long value_ms, long interval_ms)
{
	struct itimerval v = itv(value_ms, interval_ms);

	return setitimer(which, &v, NULL);
}

static void errors(void)
{
	struct itimerval v = itv(LONG_S * 1000, 0), bad_usec = itv(0, 0);

	for (int which = ITIMER_REAL; which <= ITIMER_PROF; which++)
		show_timer(names[which], which, 0, 0);
	show("getitimer(3)", getitimer(3, &v));
	show("getitimer(-1)", getitimer(-1, &v));
	show("getitimer(REAL, bad pointer)", getitimer(ITIMER_REAL, ADDR(1)));
	show("getitimer(3, bad pointer)", getitimer(3, ADDR(1)));
	show("setitimer(3)", setitimer(3, &v, NULL));
	bad_usec.it_value.tv_usec = 1000000;
	show("setitimer(REAL), tv_usec 1000000", setitimer(ITIMER_REAL, &bad_usec, NULL));
	bad_usec.it_value.tv_usec = -1;
	show("setitimer(VIRTUAL), tv_usec -1", setitimer(ITIMER_VIRTUAL, &bad_usec, NULL));
	bad_usec = itv(1000, 0);
	bad_usec.it_interval.tv_usec = 1000000;
	show("setitimer(PROF), interval tv_usec 1000000", setitimer(ITIMER_PROF, &bad_usec, NULL));
	bad_usec = itv(0, 0);
	bad_usec.it_value.tv_sec = -1;
	show("setitimer(REAL), tv_sec -1", setitimer(ITIMER_REAL, &bad_usec, NULL));
	bad_usec.it_value.tv_sec = 0;
	bad_usec.it_value.tv_usec = 1000000;
	show("setitimer(3) with a bad tv_usec", setitimer(3, &bad_usec, NULL));
	show("setitimer(3, bad pointer)", setitimer(3, ADDR(1), NULL));
	show("setitimer(REAL, bad pointer)", setitimer(ITIMER_REAL, ADDR(1), NULL));
	show("setitimer(REAL, 10 s, bad old pointer)", setitimer(ITIMER_REAL, &v, ADDR(1)));
	show_timer("  ITIMER_REAL is set all the same", ITIMER_REAL, LONG_S * 1000 - 500,
		   LONG_S * 1000);
	show("setitimer(REAL, NULL, &old)", setitimer(ITIMER_REAL, NULL, &v));
	show_bool("  old value was the 10 s", ms_of(v.it_value) > LONG_S * 1000 - 500);
	show_timer("  NULL disarmed it", ITIMER_REAL, 0, 0);
}

static void intervals(void)
{
	struct itimerval old;

	for (int which = ITIMER_REAL; which <= ITIMER_PROF; which++) {
		char what[64];

		set(which, LONG_S * 1000, 1250);
		snprintf(what, sizeof(what), "%s 10 s every 1.25 s", names[which]);
		show_timer(what, which, LONG_S * 1000 - 500, LONG_S * 1000 + TICK_SLACK_MS);
		set(which, 0, 1250);
		snprintf(what, sizeof(what), "%s 0 s every 1.25 s", names[which]);
		show_timer(what, which, 0, 0);
		set(which, 3000, 500);
		show("  setitimer with an old value", setitimer(which, NULL, &old));
		show_bool("  the old value", ms_of(old.it_value) > 2500 &&
			  ms_of(old.it_value) <= 3000 + TICK_SLACK_MS && ms_of(old.it_interval) == 500);
	}
	disarm_all();
}

static void alarm_and_itimer(void)
{
	set(ITIMER_REAL, 2300, 0);
	show("alarm(0) after setitimer(REAL, 2.3 s)", alarm(0));
	set(ITIMER_REAL, 3700, 0);
	show("alarm(0) after setitimer(REAL, 3.7 s)", alarm(0));
	set(ITIMER_REAL, 200, 0);
	show("alarm(0) after setitimer(REAL, 0.2 s)", alarm(0));
	show("alarm(7)", alarm(7));
	show_timer("  ITIMER_REAL", ITIMER_REAL, 6500, 7000);
	set(ITIMER_REAL, 5000, 1000);
	show("alarm(3) after setitimer(REAL, 5 s every 1 s)", alarm(3));
	show_timer("  ITIMER_REAL (alarm cleared the interval)", ITIMER_REAL, 2500, 3000);
	show("alarm(0)", alarm(0));
	show_timer("  ITIMER_REAL", ITIMER_REAL, 0, 0);
	show("alarm(0) with none pending", alarm(0));
}

/* Run body until the timer's signal came n times or GIVE_UP_MS passed; did it come? */
static int wait_for(int sig, int n, void (*body)(void))
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (fired[sig] < n && ms_since(&t0) < GIVE_UP_MS)
		body();
	return fired[sig] >= n;
}

/* A short nap rather than pause(): a timer that never fires must not hang the test. */
static void do_nap(void)
{
	msleep(PERIOD_MS / 4);
}

static void do_spin(void)
{
	for (volatile int i = 0; i < 1000; i++)
		;
}

static void do_syscalls(void)
{
	for (int i = 0; i < 100; i++)
		getppid();
}

static void firing(void)
{
	struct sigaction sa = { .sa_sigaction = on_timer, .sa_flags = SA_SIGINFO | SA_RESTART };
	struct itimerval left;

	for (int which = ITIMER_REAL; which <= ITIMER_PROF; which++)
		sigaction(signals[which], &sa, NULL);

	set(ITIMER_REAL, PERIOD_MS, PERIOD_MS);
	show_bool("ITIMER_REAL fires SIGALRM again and again", wait_for(SIGALRM, FIRINGS, do_nap));
	printf("  si_code %#x\n", last_code);
	disarm_all();

	fired[SIGALRM] = 0;
	set(ITIMER_REAL, PERIOD_MS, 0);
	show_bool("a one-shot ITIMER_REAL fires", wait_for(SIGALRM, 1, do_nap));
	msleep(SLEEP_MS);
	show_bool("  once only", fired[SIGALRM] == 1);
	show_timer("  and is disarmed", ITIMER_REAL, 0, 0);

	set(ITIMER_VIRTUAL, PERIOD_MS, PERIOD_MS);
	show_bool("ITIMER_VIRTUAL fires SIGVTALRM while we spin",
		  wait_for(SIGVTALRM, FIRINGS, do_spin));
	printf("  si_code %#x\n", last_code);
	disarm_all();

	fired[SIGVTALRM] = 0;
	set(ITIMER_VIRTUAL, SLEEP_MS / 2, 0);
	msleep(SLEEP_MS);
	getitimer(ITIMER_VIRTUAL, &left);
	show_bool("ITIMER_VIRTUAL does not count a sleep",
		  !fired[SIGVTALRM] && ms_of(left.it_value) > SLEEP_MS / 4);
	disarm_all();

	set(ITIMER_PROF, PERIOD_MS, PERIOD_MS);
	show_bool("ITIMER_PROF fires SIGPROF while we make system calls",
		  wait_for(SIGPROF, FIRINGS, do_syscalls));
	printf("  si_code %#x\n", last_code);
	disarm_all();
}

static void huge(void)
{
	struct itimerval v = { { 0, 0 }, { HUGE_S, 0 } };

	fired[SIGALRM] = 0;
	alarm(4294967295u);
	msleep(SLEEP_MS / 4);
	show_bool("alarm(UINT_MAX) has not fired", fired[SIGALRM] == 0);
	show_bool("  alarm(0) after it has more than a year left", alarm(0) > YEAR_S);
	setitimer(ITIMER_REAL, &v, NULL);
	getitimer(ITIMER_REAL, &v);
	show_bool("setitimer(REAL, INT_MAX s) has more than 100 days left",
		  v.it_value.tv_sec > 100 * DAY_S);
	disarm_all();
}

static void fork_child(void *arg)
{
	for (int which = ITIMER_REAL; which <= ITIMER_PROF; which++)
		show_timer(names[which], which, 0, 0);
	fflush(stdout);
}

/* The exec'd program must find the timers this child set. */
static void exec_child(void *arg)
{
	char *const argv[] = { arg, "after-exec", NULL };

	set(ITIMER_REAL, LONG_S * 1000, 2000);
	set(ITIMER_VIRTUAL, LONG_S * 1000, 3000);
	execv(arg, argv);
	_exit(127);
}

static void across_fork_and_exec(const char *self)
{
	set(ITIMER_REAL, LONG_S * 1000, 2000);
	set(ITIMER_VIRTUAL, LONG_S * 1000, 3000);
	printf("a child of fork:\n");
	fflush(stdout);
	show_status("  it", run_in_child(fork_child, NULL));
	show_timer("the parent's ITIMER_REAL", ITIMER_REAL, LONG_S * 1000 - 1000, LONG_S * 1000);
	disarm_all();
	printf("a program exec'd:\n");
	fflush(stdout);
	show_status("  it", run_in_child(exec_child, (void *)self));
}

static int after_exec(void)
{
	show_timer("  ITIMER_REAL", ITIMER_REAL, LONG_S * 1000 - 2000, LONG_S * 1000);
	show_timer("  ITIMER_VIRTUAL", ITIMER_VIRTUAL, LONG_S * 1000 - 2000,
		   LONG_S * 1000 + TICK_SLACK_MS);
	show_timer("  ITIMER_PROF", ITIMER_PROF, 0, 0);
	disarm_all();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "after-exec"))
		return after_exec();
	errors();
	intervals();
	alarm_and_itimer();
	firing();
	huge();
	across_fork_and_exec(argv[0]);
	return 0;
}
