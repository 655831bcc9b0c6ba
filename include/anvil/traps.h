/*
 * CPU exception vectors and the trap-handling entry points shared by
 * arch/i386/traps.c and the rest of the kernel.
 */
#ifndef ANVIL_TRAPS_H
#define ANVIL_TRAPS_H

#include <asm/ptrace.h>

#define NR_EXCEPTIONS 32
#define VECTOR_DIVIDE 0
#define VECTOR_DEBUG 1
#define VECTOR_BREAKPOINT 3
#define VECTOR_OVERFLOW 4
#define VECTOR_INVALID_OP 6
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_SEGMENT_NOT_PRESENT 11
#define VECTOR_STACK_SEGMENT 12
#define VECTOR_GP_FAULT 13
#define VECTOR_PAGE_FAULT 14
#define VECTOR_X87 16
#define VECTOR_ALIGNMENT 17
#define VECTOR_SIMD 19
#define SYSCALL_VECTOR 0x80
/* Not a vector: entry.asm's iret_exc re-enters with it when the iret to user mode faults. */
#define TRAP_IRET_ERROR 0x100

const char *exception_name(unsigned int vector);
void show_regs(const struct pt_regs *regs);
void die(const char *what, struct pt_regs *regs) __noreturn;
void trap_handler(struct pt_regs *regs);
void do_page_fault(struct pt_regs *regs);

#endif
