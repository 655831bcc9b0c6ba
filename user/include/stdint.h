/* Exact-width integer types: GCC's own freestanding definitions. */
#ifndef _STDINT_H
#define _STDINT_H

#include <stdint-gcc.h>

#endif
