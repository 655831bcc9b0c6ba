; arch/i386/trampoline.asm - where an application processor starts.
;
; INIT-SIPI-SIPI (arch/i386/smpboot.c) starts a CPU in real mode at
; TRAMPOLINE_PHYS (the STARTUP message's vector page), where smpboot.c
; copied these bytes.  The code must run at whatever address the copy
; sits, so it only uses offsets from trampoline_start plus that address.
; It loads a small GDT, enters protected mode, turns paging on with the
; page directory smpboot.c left in tr_cr3 (the kernel's, plus an identity
; map of low memory so the instruction after "mov cr0" is mapped), takes
; its idle task's stack from tr_esp and jumps to start_secondary().

%include "boot/layout.inc"

CR0_PE            equ 0x00000001
CR0_WP            equ 0x00010000
CR0_PG            equ 0x80000000
CR4_PSE           equ 0x00000010
KERNEL_CS         equ 0x08
KERNEL_DS         equ 0x10

%define PHYS(label) (TRAMPOLINE_PHYS + (label) - trampoline_start)

section .rodata
align 16
global trampoline_start, trampoline_end
global tr_cr3, tr_esp, tr_entry
trampoline_start:
bits 16
	cli
	mov ax, cs                  ; = TRAMPOLINE_PHYS >> 4
	mov ds, ax
	lgdt [tr_gdtr - trampoline_start]
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	jmp dword KERNEL_CS:PHYS(protected)

bits 32
protected:
	mov ax, KERNEL_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov eax, cr4
	or eax, CR4_PSE
	mov cr4, eax
	mov eax, [PHYS(tr_cr3)]
	mov cr3, eax
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	mov esp, [PHYS(tr_esp)]
	xor ebp, ebp                ; ends every backtrace
	mov eax, [PHYS(tr_entry)]
	jmp eax                     ; to the higher half: start_secondary()

align 8
tr_gdt:
	dq 0
	dq 0x00cf9a000000ffff       ; KERNEL_CS: flat 4 GiB ring-0 code
	dq 0x00cf92000000ffff       ; KERNEL_DS: flat 4 GiB ring-0 data
tr_gdtr:
	dw tr_gdtr - tr_gdt - 1
	dd PHYS(tr_gdt)

; filled in by smpboot.c for each CPU it starts
align 4
tr_cr3:   dd 0
tr_esp:   dd 0
tr_entry: dd 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
