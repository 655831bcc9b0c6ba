/*
 * The physical-memory files of /proc, as Linux defines them: the bits of
 * a /proc/kpageflags word (Linux's include/uapi/linux/kernel-page-flags.h
 * numbers, which tools such as page-types decode), and the layout of a
 * /proc/<pid>/pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
 * Both files are arrays of 64-bit words: one per page frame, one per page.
 */
#ifndef ABI_KERNEL_PAGE_FLAGS_H
#define ABI_KERNEL_PAGE_FLAGS_H

/* /proc/kpageflags: one word per page frame number */
#define KPF_LOCKED 0
#define KPF_ERROR 1
#define KPF_REFERENCED 2
#define KPF_UPTODATE 3
#define KPF_DIRTY 4
#define KPF_LRU 5
#define KPF_ACTIVE 6
#define KPF_SLAB 7
#define KPF_WRITEBACK 8
#define KPF_RECLAIM 9
#define KPF_BUDDY 10
#define KPF_MMAP 11
#define KPF_ANON 12
#define KPF_SWAPCACHE 13
#define KPF_SWAPBACKED 14
#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define KPF_HUGE 17
#define KPF_UNEVICTABLE 18
#define KPF_HWPOISON 19
#define KPF_NOPAGE 20
#define KPF_KSM 21
#define KPF_THP 22
#define KPF_OFFLINE 23
#define KPF_ZERO_PAGE 24
#define KPF_IDLE 25
#define KPF_PGTABLE 26
/* raw kernel flags, which page-types shows only with --raw */
#define KPF_RESERVED 32
#define KPF_MLOCKED 33

/* /proc/<pid>/pagemap: one word per virtual page, at offset vaddr / PAGE_SIZE * 8 */
#define PM_ENTRY_BYTES 8
#define PM_PFRAME_BITS 55                       /* bits 0-54: the page frame number */
#define PM_PFRAME_MASK ((1ULL << PM_PFRAME_BITS) - 1)
#define PM_SWAP_TYPE_BITS 5                     /* swapped: bits 0-4 the type, 5-54 the offset */
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)          /* mapped by exactly one page-table entry */
#define PM_FILE (1ULL << 61)                    /* a file page or shared anonymous memory */
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)

#endif
