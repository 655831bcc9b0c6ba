/*
 * sh: jobs.  Every command the shell forks belongs to a job: a pipeline
 * is one job, whose status is its last command's.  With job control (an
 * interactive shell on its controlling terminal) each job gets its own
 * process group, and a foreground job also gets the terminal until it
 * ends or stops; then the shell takes it back.  Background jobs are
 * announced as "[pid]" and their end is reported before a prompt.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "sh.h"

struct job {
	struct job *next;
	int id;            /* %id; 0 while in the foreground */
	pid_t pgid;        /* its process group (the first process) */
	pid_t *pids;
	int npids;
	int alive;         /* processes not yet ended */
	int stopped;       /* the signal that stopped it, or 0 */
	int status;        /* wait status of the last process */
};

int jobctl;
static int tty_fd = -1;   /* the terminal, on a descriptor of our own */
static pid_t shell_pgid;
static struct job *jobs;

void jobs_init(void)
{
	pid_t pgrp;

	tty_fd = fcntl(0, F_DUPFD_CLOEXEC, 10);
	if (tty_fd < 0)
		return;
	/*
	 * Started in the background by another shell?  Stop until it brings
	 * us to the foreground.  A session leader (init's console shell)
	 * has no such parent: it just takes the terminal.
	 */
	while ((pgrp = tcgetpgrp(tty_fd)) >= 0 && pgrp != getpgrp() && getsid(0) != getpid())
		kill(-getpgrp(), SIGTTIN);
	if (pgrp < 0) {
		sh_error("no job control: %s", strerror(errno));
		return;
	}
	signal(SIGTSTP, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	shell_pgid = getpid();
	if (getpgrp() != shell_pgid && setpgid(0, shell_pgid) < 0) {
		sh_error("no job control: setpgid: %s", strerror(errno));
		return;
	}
	tcsetpgrp(tty_fd, shell_pgid);
	jobctl = 1;
}

struct job *job_new(void)
{
	struct job *j = xmalloc(sizeof(*j));

	memset(j, 0, sizeof(*j));
	j->next = jobs;
	jobs = j;
	return j;
}

static void job_remove(struct job *job)
{
	for (struct job **jp = &jobs; *jp; jp = &(*jp)->next)
		if (*jp == job) {
			*jp = job->next;
			free(job->pids);
			free(job);
			return;
		}
}

static pid_t last_pid(const struct job *j) { return j->pids[j->npids - 1]; }

/*
 * A child's signals: the dispositions an interactive shell changed go
 * back to the defaults; without job control a background job ignores
 * ^C and ^\ (POSIX), as it cannot be told apart from the foreground.
 */
static void child_signals(int foreground)
{
	if (interactive) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGTSTP, SIG_DFL);
		signal(SIGTTIN, SIG_DFL);
		signal(SIGTTOU, SIG_DFL);
	}
	if (!jobctl && !foreground) {
		signal(SIGINT, SIG_IGN);
		signal(SIGQUIT, SIG_IGN);
	}
}

pid_t job_fork(struct job *job, int foreground)
{
	pid_t pid;

	fflush(stdout);   /* or the child would write it again */
	pid = fork();
	if (pid < 0) {
		sh_error("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		/*
		 * Both sides set the group, so it is right whichever runs
		 * first; the child takes the terminal before SIGTTOU is
		 * back to its default.
		 */
		if (jobctl) {
			pid_t pgid = job->pgid ? job->pgid : getpid();

			setpgid(0, pgid);
			if (foreground)
				tcsetpgrp(tty_fd, pgid);
		}
		child_signals(foreground);
		interactive = jobctl = 0;
		jobs = NULL;   /* the parent's jobs are not ours */
		return 0;
	}
	if (!job->pgid)
		job->pgid = pid;
	if (jobctl)
		setpgid(pid, job->pgid);
	job->pids = xrealloc(job->pids, (job->npids + 1) * sizeof(pid_t));
	job->pids[job->npids++] = pid;
	job->alive++;
	return pid;
}

/* Record what waitpid said about pid in its job. */
static void note_status(pid_t pid, int status)
{
	for (struct job *j = jobs; j; j = j->next)
		for (int i = 0; i < j->npids; i++) {
			if (j->pids[i] != pid)
				continue;
			if (WIFSTOPPED(status)) {
				j->stopped = WSTOPSIG(status);
			} else {
				j->alive--;
				if (pid == last_pid(j))
					j->status = status;
			}
			return;
		}
}

/* Wait for any child to end or stop and record it; -1 (errno set) if interrupted or none left. */
static int wait_any(void)
{
	int status;
	pid_t pid = waitpid(-1, &status, WUNTRACED);

	if (pid < 0)
		return -1;
	note_status(pid, status);
	return 0;
}

/* A wait status as $? has it; a foreground death by a signal is also reported, as shells do. */
static int exit_code(int status, int report)
{
	int sig;

	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	sig = WTERMSIG(status);
	if (report && sig == SIGINT && interactive)
		fputc('\n', stderr);
	else if (report && sig != SIGINT && sig != SIGPIPE)
		fprintf(stderr, "%s\n", strsignal(sig));
	return 128 + sig;
}

static void take_terminal_back(void)
{
	if (jobctl)
		tcsetpgrp(tty_fd, shell_pgid);
}

/* A job going to the background gets an id: one more than the highest in use. */
static void give_id(struct job *job)
{
	int max = 0;

	for (struct job *j = jobs; j; j = j->next)
		if (j->id > max)
			max = j->id;
	if (!job->id)
		job->id = max + 1;
}

/* A job whose forks all failed has no processes: it is dropped, with status 1. */
int job_wait_fg(struct job *job)
{
	int status;

	if (!job->npids) {
		job_remove(job);
		return 1;
	}
	while (job->alive > 0 && !job->stopped)
		if (wait_any() < 0 && errno != EINTR)
			break;
	take_terminal_back();
	if (job->stopped) {
		give_id(job);
		fprintf(stderr, "\n[%d] Stopped\n", last_pid(job));
		return 128 + job->stopped;
	}
	status = job->status;
	job_remove(job);
	return exit_code(status, 1);
}

void job_background(struct job *job)
{
	give_id(job);
	last_bg_pid = last_pid(job);
	if (interactive)
		fprintf(stderr, "[%d]\n", last_bg_pid);
}

static void collect(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG | WUNTRACED)) > 0)
		note_status(pid, status);
}

static void report_done(const struct job *j)
{
	if (WIFEXITED(j->status) && !WEXITSTATUS(j->status))
		fprintf(stderr, "[%d] Done\n", last_pid(j));
	else if (WIFEXITED(j->status))
		fprintf(stderr, "[%d] Exit %d\n", last_pid(j), WEXITSTATUS(j->status));
	else
		fprintf(stderr, "[%d] %s\n", last_pid(j), strsignal(WTERMSIG(j->status)));
}

/*
 * Collect ended background jobs.  When reporting (at a prompt) they are
 * announced and forgotten; otherwise the one $! names is kept for "wait $!".
 */
void jobs_reap(int report)
{
	struct job *j, *next;

	collect();
	for (j = jobs; j; j = next) {
		next = j->next;
		if (j->alive)
			continue;
		if (report)
			report_done(j);
		if (report || last_pid(j) != last_bg_pid)
			job_remove(j);
	}
}

/* The newest job, as "%%" and "%+" name it. */
static int is_current(const char *arg)
{
	return !arg || !strcmp(arg, "%%") || !strcmp(arg, "%+");
}

/* No argument, "%%" or "%+": the newest job.  "%N": job N.  A number: the job with that process. */
static struct job *find_job(const char *arg, const char *who)
{
	struct job *best = NULL;

	for (struct job *j = jobs; j; j = j->next) {
		if (is_current(arg)) {
			if (!best || j->id > best->id)
				best = j;
		} else if (arg[0] == '%') {
			if (j->id == atoi(arg + 1))
				return j;
		} else {
			for (int i = 0; i < j->npids; i++)
				if (j->pids[i] == atoi(arg))
					return j;
		}
	}
	if (!best)
		sh_error("%s: %s: no such job", who, arg ? arg : "current");
	return best;
}

/*
 * kill's job specs: each "%N" ("%%", "%+") becomes the job's process
 * group, "-PGID", when it has one of its own (job control), else its
 * processes' ids; /bin/kill then signals those.  A group first of all
 * goes after "--", or it would read as a signal number.  NULL if a job
 * is unknown.
 */
char **kill_job_args(char **argv, int *argc)
{
	int most = 1, room = *argc + 2, n = 0;
	char **out;

	for (struct job *j = jobs; j; j = j->next)
		most = j->npids > most ? j->npids : most;
	for (int i = 1; i < *argc; i++)
		room += argv[i][0] == '%' ? most : 0;    /* a spec becomes at most a job's processes */
	out = sh_alloc(room * sizeof(char *));
	for (int i = 0; i < *argc; i++) {
		struct job *j;

		if (i == 0 || argv[i][0] != '%') {
			out[n++] = argv[i];
			continue;
		}
		j = find_job(argv[i], "kill");
		if (!j)
			return NULL;
		if (i == 1 && jobctl)
			out[n++] = "--";
		for (int k = 0; k < (jobctl ? 1 : j->npids); k++) {
			char num[16];

			snprintf(num, sizeof(num), "%d", jobctl ? -j->pgid : j->pids[k]);
			out[n++] = sh_strndup(num, strlen(num));
		}
	}
	out[n] = NULL;
	*argc = n;
	return out;
}

int builtin_jobs(int argc, char **argv)
{
	struct job *j, *next;

	collect();
	for (j = jobs; j; j = next) {
		next = j->next;
		printf("[%d] %d %s\n", j->id, last_pid(j),
		       !j->alive ? "Done" : j->stopped ? "Stopped" : "Running");
		if (!j->alive)
			job_remove(j);
	}
	return 0;
}

/* The job fg or bg means (job control only). */
static struct job *job_arg(int argc, char **argv, const char *who)
{
	if (!jobctl) {
		sh_error("%s: no job control", who);
		return NULL;
	}
	return find_job(argc > 1 ? argv[1] : NULL, who);
}

static void resume(struct job *j)
{
	j->stopped = 0;
	kill(-j->pgid, SIGCONT);
}

int builtin_fg(int argc, char **argv)
{
	struct job *j = job_arg(argc, argv, "fg");

	if (!j)
		return 1;
	tcsetpgrp(tty_fd, j->pgid);   /* the terminal first, so it does not stop again at once */
	resume(j);
	return job_wait_fg(j);
}

int builtin_bg(int argc, char **argv)
{
	struct job *j = job_arg(argc, argv, "bg");

	if (!j)
		return 1;
	resume(j);
	fprintf(stderr, "[%d]\n", last_pid(j));
	return 0;
}

/* wait: for every background job; wait pid|%N...: for those, giving the last one's status. */
int builtin_wait(int argc, char **argv)
{
	int status = 0;

	if (argc == 1) {
		for (;;) {
			struct job *j = jobs;

			while (j && (!j->alive || j->stopped))
				j = j->next;
			if (!j)
				break;
			if (wait_any() < 0) {
				if (errno == EINTR)
					return 128 + SIGINT;
				break;
			}
		}
		for (struct job *j = jobs, *next; j; j = next) {   /* all collected: forget them */
			next = j->next;
			if (!j->alive)
				job_remove(j);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		struct job *j = find_job(argv[i], "wait");

		if (!j) {
			status = 127;
			continue;
		}
		while (j->alive && !j->stopped) {
			if (wait_any() < 0) {
				if (errno == EINTR)
					return 128 + SIGINT;
				break;
			}
		}
		status = j->stopped ? 128 + j->stopped : exit_code(j->status, 0);
		if (!j->alive)
			job_remove(j);
	}
	return status;
}
