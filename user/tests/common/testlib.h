/*
 * Helpers shared by the user-level test programs (usertests and the
 * Linux-differential suite): anvil's own system calls, running code in a
 * child and decoding how it ended, errno/signal names, data patterns,
 * scratch directories under /tmp and the slab caches' objects in use.
 */
#ifndef TESTLIB_H
#define TESTLIB_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#define PGSZ 4096UL
#define CRC32_POLY 0xedb88320u     /* zlib's, reflected */
#define ADDR(x) ((void *)(unsigned long)(x))
#define KERNEL_ADDR ADDR(0xC0000000)     /* PAGE_OFFSET on anvil */

/* anvil_rmap_verify(): violations found, or -1 when not on anvil (ENOSYS). */
long anvil_rmap_verify(void);
/* anvil_drop_caches(): free pages after giving empty slabs back, or -1 when not on anvil. */
long anvil_free_pages(void);

/* A function run in a forked child, which then _exit(0)s. */
typedef void (*child_fn)(void *arg);

pid_t spawn(child_fn fn, void *arg);
/* waitpid(pid, &status, options) retrying EINTR; the status, or -1 (errno set). */
int wait_status(pid_t pid, int options);
/* spawn + wait_status. */
int run_in_child(child_fn fn, void *arg);
/* The signal that killed a child with this wait status, or 0. */
int killed_by(int status);
/* "exit 3", "signal SIGSEGV", "stopped SIGSTOP", "continued" (static buffer). */
const char *status_str(int status);

/* The signal a child gets from reading (write = 0), writing (1) or calling (2) addr; 0 if none. */
int touch_signal(volatile void *addr, int how);

const char *errno_name(int err);
const char *signal_name(int sig);

/* Word i of the pattern for seed. */
unsigned pattern_word(unsigned seed, size_t i);
/* Fill len bytes with the pattern for seed. */
void fill_pattern(void *p, size_t len, unsigned seed);
/* Offset of the first word differing from fill_pattern's, or -1 if all match. */
long check_pattern(const void *p, size_t len, unsigned seed);
/* Page i of the npages at p gets fill_pattern(seed + i); pages can be checked one by one. */
void fill_pages(void *p, size_t npages, unsigned seed);
/* Index of the first page not holding fill_pages' pattern, or -1 if all do. */
long check_pages(const void *p, size_t npages, unsigned seed);
/* Map npages fresh anonymous pages and write to each (a fault each); NULL if mmap fails. */
char *touch_new_pages(size_t npages);
/* A child touches npages fresh pages and exits, waited for: cold pages elsewhere go to swap. */
void memory_pressure(size_t npages);
/* Nonzero if all len bytes are zero. */
int all_zero(const void *p, size_t len);

/* Create /tmp/anvil-<tag>-<pid> (path receives it); 0, or -1 with errno. */
int make_scratch_dir(const char *tag, char *path, size_t size);
/* rm -r path; 0, or -1 with errno. */
int remove_tree(const char *path);
/* Create path holding len bytes of fill_pattern(seed); 0, or -1 with errno. */
int write_pattern_file(const char *path, size_t len, unsigned seed);

/*
 * This process's own pages: anonymous ones, swap entries and page tables
 * (RssAnon + VmSwap + VmPTE of /proc/self/status), which a leak check
 * counts as free since the checker's own heap and stack may grow; 0 if
 * they cannot be read.
 */
long self_mm_pages(void);
/* The kB of one "Key:" line of /proc/self/status (VmLck, VmRSS, ...), or 0. */
long self_status_kb(const char *key);
/* The number after name at a line start of a /proc file ("VmSwap:", "pswpin "), or -1. */
long proc_field(const char *path, const char *name);
/* zlib's CRC-32, continued from crc (0 to start). */
unsigned int crc32(unsigned int crc, const unsigned char *p, size_t n);
/* /proc/self/maps whole, NUL-terminated, in a static buffer (its first 32 KiB); NULL on error. */
char *read_self_maps(void);
/* Number of mappings in /proc/self/maps overlapping [start, end), or -1 if it cannot be read. */
int count_vmas(unsigned long start, unsigned long end);

/* One slab cache's objects in use (the active_objs column of /proc/slabinfo). */
#define SLAB_NAME_LEN 24
#define MAX_SLAB_CACHES 64
struct slab_count {
	char name[SLAB_NAME_LEN];
	long active;
};
/* Every cache in /proc/slabinfo, at most max; how many (0 if it cannot be read). */
int read_slab_counts(struct slab_count *c, int max);
/*
 * Caches whose objects in use differ between two readings (a cache in
 * one only counts as 0 in the other): how many, and " name N -> M" for
 * each into out (size bytes, NUL-terminated; nothing if size is 0).
 */
int slab_count_changes(const struct slab_count *before, int nbefore,
		       const struct slab_count *after, int nafter, char *out, size_t size);

/*
 * Become uid and gid -- real, effective, saved and fs -- with ngroups
 * supplementary groups (the caller must be root); exits 98 if it cannot.
 */
void become(uid_t uid, gid_t gid, int ngroups, const gid_t *groups);

/* Sleep for ms milliseconds. */
void msleep(unsigned ms);
/* Milliseconds of CLOCK_MONOTONIC since *t0. */
long ms_since(const struct timespec *t0);

#endif
