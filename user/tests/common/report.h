/*
 * Output for the Linux-differential programs (user/tests/diff): one line
 * per observation, in a form that is the same on Linux and on anvil --
 * results and errno names, never addresses, pids, times or inode numbers.
 */
#ifndef REPORT_H
#define REPORT_H

#include <errno.h>
#include <stdio.h>
#include "testlib.h"

/* "what: r", or "what: -1 ENAME" when r is -1 (errno read at the call). */
void show(const char *what, long r);
/* "what: ok", or "what: MAP_FAILED ENAME". */
void show_map(const char *what, void *p);
/* "what: yes" or "what: no". */
void show_bool(const char *what, int cond);
/* "what: exit N" / "what: signal SIGNAME" / ... for a wait status. */
void show_status(const char *what, int status);
/* Run fn(arg) in a child and show how it ended. */
void show_child(const char *what, child_fn fn, void *arg);
/* Run fn(arg) in a child, its output flushed at the end; "what: status" only if it did not exit 0. */
void in_child(const char *what, child_fn fn, void *arg);
/* "what: uid R E S FS gid R E S FS groups G,G..." of the caller. */
void show_ids(const char *what);
/* "what: ok" if reading (how 0) / writing (1) addr works, else the signal's name. */
void show_touch(const char *what, volatile void *addr, int how);
/*
 * Truncate a file "cut" (made in the working directory) under a shared
 * and a private mapping and show what each sees: SIGBUS beyond the new
 * end, the cut page's tail zeroed, zeros after growing again.
 */
void show_truncated_mappings(void);

/* Make a fresh scratch directory under /tmp for tag and chdir into it; exits on failure. */
void enter_scratch(const char *tag);
/* Its path (to strip from getcwd's answers). */
const char *scratch(void);
/* chdir("/") and remove the scratch directory with all in it. */
void leave_scratch(void);

#endif
