/*
 * abi/misc.h with struct new_utsname under its POSIX name, struct
 * utsname.  User headers include abi/misc.h only through this one.
 */
#ifndef _BITS_ABI_MISC_H
#define _BITS_ABI_MISC_H

#define new_utsname utsname
#include <abi/misc.h>
#undef new_utsname

#endif
