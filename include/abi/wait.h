/*
 * wait4/waitpid options and the Linux wait-status encoding:
 *   exited with code c:    (c & 0xff) << 8
 *   killed by signal s:    s            (| 0x80 if a core was dumped: WCOREDUMP)
 *   stopped by signal s:   (s << 8) | 0x7f
 *   continued:             0xffff
 */
#ifndef ABI_WAIT_H
#define ABI_WAIT_H

#define WNOHANG 0x00000001
#define WUNTRACED 0x00000002
#define WSTOPPED WUNTRACED
#define WEXITED 0x00000004
#define WCONTINUED 0x00000008
#define __WALL 0x40000000

#define W_EXITCODE(ret, sig) (((ret) & 0xff) << 8 | (sig))
#define WCOREFLAG 0x80
#define W_STOPCODE(sig) ((sig) << 8 | 0x7f)
#define W_CONTINUED 0xffff

#define WEXITSTATUS(s) (((s) & 0xff00) >> 8)
#define WTERMSIG(s) ((s) & 0x7f)
#define WSTOPSIG(s) WEXITSTATUS(s)
#define WIFEXITED(s) (WTERMSIG(s) == 0)
#define WIFSIGNALED(s) (((signed char)(((s) & 0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(s) (((s) & 0xff) == 0x7f)
#define WIFCONTINUED(s) ((s) == W_CONTINUED)
#define WCOREDUMP(s) ((s) & WCOREFLAG)

/* struct rusage as wait4 fills it (all zero on anvil but the times). */
struct abi_timeval {
	long tv_sec;
	long tv_usec;
};

struct rusage {
	struct abi_timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	long ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

#endif
