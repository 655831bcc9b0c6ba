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
 *
 * __NR_anvil_fork_mode (int eager): 1 makes fork copy every anonymous
 *   page at once (the xv6-style eager copy), 0 restores copy-on-write.
 *   Returns the previous mode.  Only for the side-by-side benchmark.
 */
#ifndef ABI_ANVIL_H
#define ABI_ANVIL_H

#define __NR_anvil_base 1000
#define __NR_anvil_rmap_verify 1000
#define __NR_anvil_drop_caches 1001
#define __NR_anvil_fork_mode 1002
#define NR_ANVIL_SYSCALLS 3

#endif
