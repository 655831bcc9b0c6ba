/*
 * __syscall6(nr, a, b, c, d, e, f): the six-argument system call, which
 * needs ebp for the sixth argument (GCC cannot bind ebp to an asm
 * operand).  Returns the raw result (-errno on failure).
 */
	.text
	.globl __syscall6
	.type __syscall6, @function
__syscall6:
	pushl %ebp
	pushl %edi
	pushl %esi
	pushl %ebx
	movl 20(%esp), %eax      /* 4 saved registers + return address = 20 */
	movl 24(%esp), %ebx
	movl 28(%esp), %ecx
	movl 32(%esp), %edx
	movl 36(%esp), %esi
	movl 40(%esp), %edi
	movl 44(%esp), %ebp
	int $0x80
	popl %ebx
	popl %esi
	popl %edi
	popl %ebp
	ret
	.size __syscall6, . - __syscall6

	.section .note.GNU-stack, "", @progbits
