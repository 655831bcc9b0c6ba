/*
 * anvil's own system calls, numbered far above Linux's so they can never
 * collide with a Linux binary's calls.
 *
 * __NR_anvil_rmap_verify (void): check the reverse-mapping invariant
 *   over the whole system (mm/rmap.c, rmap_verify).  Returns 0 when it
 *   holds, else the number of violations (each also logged by the
 *   kernel), or -ENOMEM.  The shell command `rmapcheck` calls it.
 *
 * __NR_anvil_drop_caches (void): drop swap-cache copies of pages that are
 *   also in memory (or on disk) and nobody else needs, the radix-tree node
 *   reserve and every empty slab, and return the number of free pages --
 *   steady figures that leak checks can compare before and after a test.
 */
#ifndef ABI_ANVIL_H
#define ABI_ANVIL_H

#define __NR_anvil_base 1000
#define __NR_anvil_rmap_verify 1000
#define __NR_anvil_drop_caches 1001
#define NR_ANVIL_SYSCALLS 2

#endif
