/* Waiting for children; the W* macros decode Linux wait statuses. */
#ifndef _SYS_WAIT_H
#define _SYS_WAIT_H

#include <sys/types.h>
#include <bits/abi_time.h>
#include <signal.h>

typedef int idtype_t;       /* P_ALL, P_PID, P_PGID, P_PIDFD */
typedef int id_t;

pid_t wait(int *status);
pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru);
int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options);

#endif
