/*
 * _start: the process entry point.  The kernel leaves the Linux start-up
 * stack at esp: argc, argv[0..argc-1], NULL, envp[], NULL, auxv pairs.
 * __libc_start (start.c) gets a pointer to argc and never returns.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp          /* marks the outermost frame for debuggers */
	movl %esp, %eax
	andl $-16, %esp          /* the i386 psABI wants 16-byte alignment at calls */
	subl $12, %esp
	pushl %eax
	call __libc_start
	hlt                      /* not reached */
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
