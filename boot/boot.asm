; boot/boot.asm - where anvil starts.
;
; GRUB (or QEMU's -kernel loader) finds the Multiboot header below, loads
; the image at 1 MiB and jumps to _start in 32-bit protected mode with
; paging off: eax = the Multiboot magic, ebx = the physical address of
; the Multiboot information.  We build the early page directory (the
; kernel's swapper_pg_dir), turn paging on, jump to the higher half,
; remove the identity map and call kmain(magic, info).

%include "boot/layout.inc"

MULTIBOOT_MAGIC   equ 0x1BADB002
MULTIBOOT_FLAGS   equ 0x00000003    ; bit 0: page-align modules, bit 1: memory map
MULTIBOOT_CHECKSUM equ -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

PDE_PRESENT       equ 0x001
PDE_WRITE         equ 0x002
PDE_PSE           equ 0x080         ; 4 MiB page
CR0_PG            equ 0x80000000
CR0_WP            equ 0x00010000    ; honour read-only PTEs in ring 0 too (needed for COW checks)
CR4_PSE           equ 0x00000010

; The early map: the first BOOT_MAP_MB of physical memory, both at 0
; (so the instruction after "mov cr0" still runs) and at PAGE_OFFSET.
; 64 MiB covers the kernel, the Multiboot data and modules on every
; loader we support; paging_init() then maps exactly the RAM present.
BOOT_MAP_MB       equ 64            ; = BOOT_MAP_SIZE in asm/page.h
BOOT_PDES         equ BOOT_MAP_MB / 4
KERNEL_PDE        equ PAGE_OFFSET >> 22

section .multiboot
align 4
	dd MULTIBOOT_MAGIC
	dd MULTIBOOT_FLAGS
	dd MULTIBOOT_CHECKSUM

section .bss
align 4096
global swapper_pg_dir
swapper_pg_dir:
	resb 4096


section .text
global _start
_start:
	; Paging is off: every address we use must be physical.
	mov edi, swapper_pg_dir - PAGE_OFFSET
	xor ecx, ecx
.fill:
	mov edx, ecx
	shl edx, 22
	or edx, PDE_PRESENT | PDE_WRITE | PDE_PSE
	mov [edi + ecx * 4], edx                    ; identity
	mov [edi + (KERNEL_PDE + ecx) * 4], edx     ; higher half
	inc ecx
	cmp ecx, BOOT_PDES
	jb .fill

	mov edx, cr4
	or edx, CR4_PSE
	mov cr4, edx
	mov cr3, edi
	mov edx, cr0
	or edx, CR0_PG | CR0_WP
	mov cr0, edx

	; Still executing at the physical address; jump to the linked one.
	mov edx, higher_half
	jmp edx

higher_half:
	; The identity map is no longer needed: a NULL dereference must fault.
	xor ecx, ecx
.clear:
	mov dword [swapper_pg_dir + ecx * 4], 0
	inc ecx
	cmp ecx, BOOT_PDES
	jb .clear
	mov edx, cr3
	mov cr3, edx                                ; flush the TLB

	; The boot stack is task 0's (the idle task's) kernel stack, whose
	; thread_info kernel/sched.c fills in: `current` works from here on.
	extern init_thread_union
	mov esp, init_thread_union + THREAD_SIZE
	xor ebp, ebp                                ; ends every backtrace
call_kmain:
	push ebx                                    ; Multiboot info (physical)
	push eax                                    ; Multiboot magic
	extern kmain
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .note.GNU-stack noalloc noexec nowrite progbits
