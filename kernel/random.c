/*
 * get_random_bytes(): the kernel's one source of unpredictable-looking bytes,
 * for AT_RANDOM (stack canaries) and getrandom(2). Not cryptographic: a
 * xorshift64 stream seeded by the TSC at first use; anvil has no entropy pool.
 * The name is Linux's (drivers/char/random.c).
 */
#include <anvil/kernel.h>
#include <anvil/random.h>
#include <anvil/time.h>
#include <asm/processor.h>

static u64 random_state;

void get_random_bytes(void *buf, size_t n)
{
	u8 *p = buf;

	if (!random_state)	/* never 0 again: xorshift has no way out of 0 */
		random_state = (rdtsc() ^ ((u64)jiffies << 32)) | 1;
	for (size_t i = 0; i < n; i++) {
		random_state ^= random_state << 13;
		random_state ^= random_state >> 7;
		random_state ^= random_state << 17;
		p[i] = (u8)random_state;
	}
}
