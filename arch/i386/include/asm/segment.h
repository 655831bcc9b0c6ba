/*
 * GDT layout and segment selectors.  Entries 6-8 are the three TLS
 * slots at the same numbers as Linux i386 (GDT_ENTRY_TLS_MIN = 6), so a
 * static Linux binary's set_thread_area() gets the selector it expects.
 */
#ifndef ASM_SEGMENT_H
#define ASM_SEGMENT_H

#define GDT_ENTRY_KERNEL_CS 1
#define GDT_ENTRY_KERNEL_DS 2
#define GDT_ENTRY_USER_CS 3
#define GDT_ENTRY_USER_DS 4
#define GDT_ENTRY_TSS 5
#define GDT_ENTRY_TLS_MIN 6
#define GDT_ENTRY_TLS_ENTRIES 3
#define GDT_ENTRY_TLS_MAX (GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES - 1)
#define GDT_ENTRIES (GDT_ENTRY_TLS_MAX + 1)

#define __KERNEL_CS (GDT_ENTRY_KERNEL_CS * 8)
#define __KERNEL_DS (GDT_ENTRY_KERNEL_DS * 8)
#define __USER_CS (GDT_ENTRY_USER_CS * 8 + 3)
#define __USER_DS (GDT_ENTRY_USER_DS * 8 + 3)
#define __TSS_SEL (GDT_ENTRY_TSS * 8)

#define SEGMENT_RPL_MASK 3
#define USER_RPL 3

#endif
