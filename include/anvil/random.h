/* get_random_bytes() (kernel/random.c): not cryptographic, but never the same twice. */
#ifndef ANVIL_RANDOM_H
#define ANVIL_RANDOM_H

#include <anvil/types.h>

void get_random_bytes(void *buf, size_t n);

#endif
