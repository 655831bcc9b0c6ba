/* times(): process CPU times in clock ticks (USER_HZ per second). */
#ifndef _SYS_TIMES_H
#define _SYS_TIMES_H

#include <sys/types.h>
#include <bits/abi_time.h>

clock_t times(struct tms *buf);

#endif
