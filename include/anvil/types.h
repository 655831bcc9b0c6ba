/*
 * Basic kernel types.  The freestanding compiler headers give us the
 * fixed-width integers; this adds the short Linux-style names and the
 * few kernel-wide typedefs (pfn, physical address, gfp mask).
 */
#ifndef ANVIL_TYPES_H
#define ANVIL_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

typedef int ssize_t;
typedef long off_t;
typedef long long loff_t;
typedef int pid_t;
typedef unsigned int gfp_t;
typedef u32 phys_addr_t;
typedef unsigned int umode_t;
typedef u32 dev_t;

typedef struct {
	volatile int counter;
} atomic_t;

#define ULONG_MAX (~0UL)
#define LONG_MAX ((long)(ULONG_MAX >> 1))

#endif
