; arch/i386/switch.asm - switching kernel stacks, and where new tasks start.
;
; switch_to(&prev->thread.esp, next->thread.esp, prev) saves the
; callee-saved registers on prev's kernel stack, stores its esp, loads
; next's esp and pops next's registers.  It "returns" on next's stack --
; into whatever call of switch_to next was suspended in -- with eax = prev,
; so the resumed task can finish the switch (kernel/sched.c).
;
; A task that has never run has a hand-made frame (arch/i386/process.c)
; whose return address is ret_from_fork (user processes: continue into
; ret_from_trap with the pt_regs copied from the parent) or
; kernel_thread_start (kernel threads: call fn(arg), then do_exit).

section .text

global switch_to
switch_to:
	mov ecx, [esp + 4]          ; &prev->thread.esp
	mov edx, [esp + 8]          ; next->thread.esp
	mov eax, [esp + 12]         ; prev: returned in the next task
	push ebp
	push ebx
	push esi
	push edi
	mov [ecx], esp
	mov esp, edx
	pop edi
	pop esi
	pop ebx
	pop ebp
	ret

extern schedule_tail
extern ret_from_trap
extern do_exit

; A new user task leaves the kernel, so it lets go of the big kernel lock
; its CPU held across the switch (kernel/smp_lock.c); kernel threads keep it.
extern unlock_kernel

global ret_from_fork
ret_from_fork:
	push eax                    ; prev
	call schedule_tail
	add esp, 4
	cli                         ; iret restores the user's IF
	call unlock_kernel
	jmp ret_from_trap

; ebx = fn, esi = arg (placed in the initial frame by kernel_thread)
global kernel_thread_start
kernel_thread_start:
	push eax
	call schedule_tail
	add esp, 4
	push esi
	call ebx
	push eax
	call do_exit

; ret_to_user(regs): a kernel thread that has just exec'd a program (init)
; leaves the kernel through the frame exec filled in, like any trap.
global ret_to_user
ret_to_user:
	cli
	mov ebx, [esp + 4]          ; callee-saved across the call
	call unlock_kernel
	mov esp, ebx
	jmp ret_from_trap

section .note.GNU-stack noalloc noexec nowrite progbits
