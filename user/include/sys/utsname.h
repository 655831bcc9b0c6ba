/* uname(2): struct utsname is the kernel's struct new_utsname. */
#ifndef _SYS_UTSNAME_H
#define _SYS_UTSNAME_H

#include <bits/abi_misc.h>

int uname(struct utsname *u);

#endif
