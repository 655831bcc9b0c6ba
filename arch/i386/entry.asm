; arch/i386/entry.asm - the way into and out of the kernel.
;
; Every exception, hardware interrupt and `int $0x80` system call enters
; through a small stub that pushes an error code (0 when the CPU pushes
; none) and the vector number, then jumps to trap_common, which saves
; the rest of struct pt_regs (asm/ptrace.h), switches to the kernel data
; segments and calls trap_handler(regs) in arch/i386/traps.c.  The way
; out, ret_from_trap, pops the frame and irets; a new task's first
; return to user mode also starts there (see kernel/fork.c).

%include "boot/layout.inc"

KERNEL_DS equ 0x10
TRAP_IRET_ERROR equ 0x100       ; anvil/traps.h: a trap number no vector has
FIRST_SYSTEM_VECTOR equ 0xef    ; asm/irq_vectors.h: the local APIC's vectors, to 0xff
NR_SYSTEM_VECTORS equ 0x100 - FIRST_SYSTEM_VECTOR

; Vectors where the CPU pushes an error code itself.
%macro STUB 1
isr_stub_%1:
%if %1 = 8 || (%1 >= 10 && %1 <= 14) || %1 = 17 || %1 = 21 || %1 = 29 || %1 = 30
	push dword %1
%else
	push dword 0
	push dword %1
%endif
	jmp trap_common
%endmacro

section .text
%assign v 0
%rep 48
	STUB v
%assign v v+1
%endrep
	STUB 128
%assign v FIRST_SYSTEM_VECTOR
%rep NR_SYSTEM_VECTORS
	STUB v
%assign v v+1
%endrep

trap_common:
	push gs
	push fs
	push es
	push ds
	push eax
	push ebp
	push edi
	push esi
	push edx
	push ecx
	push ebx
	mov ax, KERNEL_DS
	mov ds, ax
	mov es, ax
	; The kernel runs with null %fs and %gs.  Left holding the user's TLS
	; selector, an interrupt taken after a switch to a task without that
	; TLS slot would save the stale selector and fault popping it, and the
	; fault's own frame would save it again: a fault loop to a triple fault.
	xor eax, eax
	mov fs, ax
	mov gs, ax
	cld
	push esp                ; struct pt_regs *
	extern trap_handler
	call trap_handler
	add esp, 4

; Each instruction below that loads a user segment register can fault
; (#GP, #NP or #SS) on a selector the user left behind -- a TLS slot
; since cleared, a forged sigcontext's %fs -- so each has a label that
; trap_handler's fixup (fixup_user_exit in traps.c) recognises.
global ret_from_trap
ret_from_trap:
	pop ebx
	pop ecx
	pop edx
	pop esi
	pop edi
	pop ebp
	pop eax
global ret_pop_ds
ret_pop_ds:
	pop ds
global ret_pop_es
ret_pop_es:
	pop es
global ret_pop_fs
ret_pop_fs:
	pop fs
global ret_pop_gs
ret_pop_gs:
	pop gs
	add esp, 8              ; trapno, err
global ret_iret
ret_iret:
	iret

; The iret above faulted on the user's %cs or %ss.  The stack holds the
; user's iret frame exactly as the CPU pushed it on entry and the
; registers hold the user's values, so enter again as a trap from user
; mode: trap_handler sends SIGILL (32-bit Linux's iret_exc).
global iret_exc
iret_exc:
	push dword 0            ; err
	push dword TRAP_IRET_ERROR
	jmp trap_common

; Stub addresses for idt_init(): 48 exceptions/IRQs, then the system call.
section .rodata
global isr_stub_table
isr_stub_table:
%assign v 0
%rep 48
	dd isr_stub_ %+ v
%assign v v+1
%endrep
global isr_stub_syscall
isr_stub_syscall:
	dd isr_stub_128
; ... and the local APIC's, FIRST_SYSTEM_VECTOR to 0xff
global apic_stub_table
apic_stub_table:
%assign v FIRST_SYSTEM_VECTOR
%rep NR_SYSTEM_VECTORS
	dd isr_stub_ %+ v
%assign v v+1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
