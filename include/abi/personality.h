/*
 * personality(2): the execution domain (the low byte) and the flags
 * above it that Linux i386 defines.  anvil runs only PER_LINUX programs
 * and never randomises addresses, so the value is kept and reported, as
 * Linux keeps it, without changing what the kernel does.
 */
#ifndef ABI_PERSONALITY_H
#define ABI_PERSONALITY_H

#define PER_LINUX 0x0000
#define PER_MASK 0x00ff                /* the domain; the flags are above it */
#define PERSONALITY_QUERY 0xffffffffu  /* personality(0xffffffff) only reads it */

#define UNAME26 0x0020000
#define ADDR_NO_RANDOMIZE 0x0040000
#define FDPIC_FUNCPTRS 0x0080000
#define MMAP_PAGE_ZERO 0x0100000
#define ADDR_COMPAT_LAYOUT 0x0200000
#define READ_IMPLIES_EXEC 0x0400000
#define ADDR_LIMIT_32BIT 0x0800000
#define SHORT_INODE 0x1000000
#define WHOLE_SECONDS 0x2000000
#define STICKY_TIMEOUTS 0x4000000
#define ADDR_LIMIT_3GB 0x8000000

#endif
