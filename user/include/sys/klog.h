/* klogctl(): the syslog(2) system call (actions in abi/misc.h). */
#ifndef _SYS_KLOG_H
#define _SYS_KLOG_H

#include <bits/abi_misc.h>

int klogctl(int action, char *buf, int len);

#endif
