/*
 * Creating processes, running programs and waiting for children:
 * fork, vfork, the exec family (with execvp's PATH search), the wait
 * family, getrusage and personality.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <limits.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/personality.h>
#include "libc.h"

pid_t fork(void) { return SYS0(__NR_fork); }

/*
 * A C vfork wrapper cannot be correct (the child would return through the
 * parent's stack frame), so vfork is fork: same semantics for a caller
 * that only execs or _exits.
 */
pid_t vfork(void) { return fork(); }

int execve(const char *path, char *const argv[], char *const envp[])
{
	return SYS3(__NR_execve, path, argv, envp);
}

int execv(const char *path, char *const argv[]) { return execve(path, argv, environ); }

int execvp(const char *file, char *const argv[]) { return execvpe(file, argv, environ); }

/* A file without a #! line that execve rejects is run as a shell script, as POSIX says. */
static void exec_script(const char *path, char *const argv[], char *const envp[])
{
	int argc = 0;

	while (argv[argc])
		argc++;
	{
		char *sh_argv[argc + 2];

		sh_argv[0] = "sh";
		sh_argv[1] = (char *)path;
		memcpy(sh_argv + 2, argv + 1, argc * sizeof(char *));  /* with the NULL */
		execve("/bin/sh", sh_argv, envp);
	}
}

static void try_exec(const char *path, char *const argv[], char *const envp[])
{
	execve(path, argv, envp);
	if (errno == ENOEXEC) {
		exec_script(path, argv, envp);
		errno = ENOEXEC;
	}
}

/*
 * Search $PATH (default "/bin:/sbin") unless file contains a '/'.  The
 * error is the last one seen, but EACCES from any directory wins over
 * a later ENOENT, as in glibc.
 */
int execvpe(const char *file, char *const argv[], char *const envp[])
{
	const char *path = getenv("PATH");
	size_t flen = strlen(file);
	int saw_eacces = 0;

	if (!*file) {
		errno = ENOENT;
		return -1;
	}
	if (strchr(file, '/')) {
		try_exec(file, argv, envp);
		return -1;
	}
	if (!path)
		path = "/bin:/sbin";
	for (;;) {
		size_t dlen = strcspn(path, ":");
		char buf[PATH_MAX];

		if (dlen + 1 + flen < sizeof(buf)) {
			/* An empty PATH element means the current directory. */
			memcpy(buf, path, dlen);
			buf[dlen] = '\0';
			if (dlen)
				strcat(buf, "/");
			strcat(buf, file);
			try_exec(buf, argv, envp);
			if (errno == EACCES)
				saw_eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		} else {
			errno = ENAMETOOLONG;
		}
		if (!path[dlen])
			break;
		path += dlen + 1;
	}
	if (saw_eacces)
		errno = EACCES;
	return -1;
}

pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	return SYS4(__NR_wait4, pid, status, options, ru);
}

pid_t waitpid(pid_t pid, int *status, int options) { return wait4(pid, status, options, NULL); }
pid_t wait(int *status) { return wait4(-1, status, 0, NULL); }

/* The kernel's fifth argument (the child's rusage) is not in the POSIX call. */
int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	return SYS5(__NR_waitid, idtype, id, info, options, NULL);
}

int getrusage(int who, struct rusage *usage) { return SYS2(__NR_getrusage, who, usage); }

/* Never fails: the old personality, which may look like an error code, as in glibc. */
int personality(unsigned long persona) { return (int)__syscall1(__NR_personality, (long)persona); }
