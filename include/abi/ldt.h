/*
 * The descriptor request set_thread_area(2) and clone(CLONE_SETTLS) take
 * (Linux's asm/ldt.h), shared by the kernel (arch/i386/gdt.c) and user
 * programs.
 */
#ifndef ABI_LDT_H
#define ABI_LDT_H

struct user_desc {
	unsigned int entry_number;       /* a GDT slot, or -1: any free TLS slot */
	unsigned int base_addr;
	unsigned int limit;
	unsigned int seg_32bit : 1;
	unsigned int contents : 2;       /* MODIFY_LDT_CONTENTS_* */
	unsigned int read_exec_only : 1;
	unsigned int limit_in_pages : 1;
	unsigned int seg_not_present : 1;
	unsigned int useable : 1;
};

/* user_desc.contents */
#define MODIFY_LDT_CONTENTS_DATA 0
#define MODIFY_LDT_CONTENTS_STACK 1      /* expand-down data */
#define MODIFY_LDT_CONTENTS_CODE 2       /* 3: conforming code */

#endif
