/*
 * errno and signal names for test output: "EINVAL" and "SIGSEGV" read
 * better than numbers and are the same on Linux and anvil.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include "testlib.h"

#define N(x) [x] = #x
static const char *const errnos[] = {
	N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(ENXIO), N(E2BIG), N(ENOEXEC),
	N(EBADF), N(ECHILD), N(EAGAIN), N(ENOMEM), N(EACCES), N(EFAULT), N(ENOTBLK),
	N(EBUSY), N(EEXIST), N(EXDEV), N(ENODEV), N(ENOTDIR), N(EISDIR), N(EINVAL),
	N(ENFILE), N(EMFILE), N(ENOTTY), N(ETXTBSY), N(EFBIG), N(ENOSPC), N(ESPIPE),
	N(EROFS), N(EMLINK), N(EPIPE), N(EDOM), N(ERANGE), N(EDEADLK), N(ENAMETOOLONG),
	N(ENOLCK), N(ENOSYS), N(ENOTEMPTY), N(ELOOP), N(EOVERFLOW), N(EOPNOTSUPP),
};

static const char *const signals[] = {
	N(SIGHUP), N(SIGINT), N(SIGQUIT), N(SIGILL), N(SIGTRAP), N(SIGABRT), N(SIGBUS),
	N(SIGFPE), N(SIGKILL), N(SIGUSR1), N(SIGSEGV), N(SIGUSR2), N(SIGPIPE), N(SIGALRM),
	N(SIGTERM), N(SIGSTKFLT), N(SIGCHLD), N(SIGCONT), N(SIGSTOP), N(SIGTSTP), N(SIGTTIN),
	N(SIGTTOU), N(SIGURG), N(SIGXCPU), N(SIGXFSZ), N(SIGVTALRM), N(SIGPROF), N(SIGWINCH),
	N(SIGIO), N(SIGPWR), N(SIGSYS),
};
#undef N

const char *errno_name(int err)
{
	static char buf[16];

	if (err > 0 && err < (int)(sizeof(errnos) / sizeof(errnos[0])) && errnos[err])
		return errnos[err];
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

const char *signal_name(int sig)
{
	static char buf[16];

	if (sig > 0 && sig < (int)(sizeof(signals) / sizeof(signals[0])) && signals[sig])
		return signals[sig];
	snprintf(buf, sizeof(buf), "signal %d", sig);
	return buf;
}
