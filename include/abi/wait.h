/*
 * wait4/waitpid/waitid options, waitid's id types, and the Linux
 * wait-status encoding:
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
#define WNOWAIT 0x01000000           /* waitid: report, but leave the child waitable */
#define __WNOTHREAD 0x20000000       /* only this thread's children (anvil: every task's own) */
#define __WALL 0x40000000            /* every child, whatever its exit signal */
#define __WCLONE 0x80000000          /* only children whose exit signal is not SIGCHLD */

/* waitid's idtype */
#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define P_PIDFD 3

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

#endif
