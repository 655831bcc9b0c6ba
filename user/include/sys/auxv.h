/* getauxval(): the ELF auxiliary vector the kernel passed to _start. */
#ifndef _SYS_AUXV_H
#define _SYS_AUXV_H

#include <bits/abi_misc.h>   /* AT_* */

unsigned long getauxval(unsigned long type);

#endif
