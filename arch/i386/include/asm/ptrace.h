/*
 * struct pt_regs: the register frame that every trap, interrupt and
 * system call pushes on the kernel stack (arch/i386/entry.asm builds
 * it).  System-call arguments are read straight out of it.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include <anvil/types.h>
#include <asm/segment.h>

struct pt_regs {
	u32 ebx, ecx, edx, esi, edi, ebp, eax;
	u32 ds, es, fs, gs;
	u32 trapno, err;
	/* pushed by the CPU */
	u32 eip, cs, eflags;
	/* pushed by the CPU only on a privilege change (from user mode) */
	u32 esp, ss;
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & SEGMENT_RPL_MASK) == USER_RPL;
}

#endif
