/* personality(2): the execution domain and its flags (ADDR_NO_RANDOMIZE ...). */
#ifndef _SYS_PERSONALITY_H
#define _SYS_PERSONALITY_H

#include <abi/personality.h>

int personality(unsigned long persona);

#endif
