/* Character classes (ASCII): the freestanding library's lib/ctype.h. */
#ifndef _CTYPE_H
#define _CTYPE_H

#include <lib/ctype.h>

#endif
