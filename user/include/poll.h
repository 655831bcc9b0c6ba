/* poll(2): struct pollfd and the POLL* bits are the kernel's (abi/poll.h). */
#ifndef _POLL_H
#define _POLL_H

#include <abi/poll.h>

typedef unsigned long nfds_t;

int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#endif
