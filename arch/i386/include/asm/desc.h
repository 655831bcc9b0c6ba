/*
 * Segment descriptors, the TSS and the IDT (arch/i386/gdt.c and
 * arch/i386/traps.c own them).
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <anvil/types.h>
#include <asm/segment.h>
#include <abi/ldt.h>
#include <anvil/percpu.h>

/* The i386 task-state segment; anvil uses only esp0/ss0 (the ring-0 stack). */
struct tss_struct {
	u32 prev_task;
	u32 esp0, ss0;
	u32 esp1, ss1;
	u32 esp2, ss2;
	u32 cr3, eip, eflags;
	u32 eax, ecx, edx, ebx, esp, ebp, esi, edi;
	u32 es, cs, ss, ds, fs, gs;
	u32 ldt;
	u16 trap;
	u16 io_bitmap_base;
} __attribute__((packed));

DECLARE_PER_CPU(struct tss_struct, init_tss);

void gdt_init(void);
void idt_init(void);
void idt_load(void);
/* The kernel stack the CPU switches to on a trap from user mode. */
void load_esp0(unsigned long esp0);
/* Install one TLS descriptor (entry GDT_ENTRY_TLS_MIN..MAX); raw = 0 clears it. */
void set_tls_desc(int entry, u64 raw);
/* The descriptor a set_thread_area() request asks for; -EINVAL if it may not be had. */
int tls_desc_from_user(const struct user_desc *info, u64 *desc);

#endif
