/*
 * The user-copy primitives.  Each does its access with a single string
 * instruction (rep movsb / rep stosb / lodsb) that is listed in the
 * exception table.  If it faults on an address the page-fault handler
 * cannot fix, fixup_exception() moves eip to the fixup label: for rep
 * movsb that is simply the next instruction, because the CPU leaves ecx
 * holding the bytes not yet copied -- exactly the return value we want.
 */
#include <anvil/kernel.h>
#include <anvil/uaccess.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

/* "1: insn" may fault: resume at label 2 */
#define EX_TABLE(from, to) \
	".pushsection __ex_table, \"a\"\n\t.long " #from ", " #to "\n\t.popsection\n\t"

static unsigned long raw_copy(void *to, const void *from, unsigned long n)
{
	__asm__ __volatile__("1: rep movsb\n\t"
			     "2:\n\t"
			     EX_TABLE(1b, 2b)
			     : "+c"(n), "+D"(to), "+S"(from)
			     :
			     : "memory");
	return n;
}

unsigned long copy_from_user(void *to, const void *from, unsigned long n)
{
	unsigned long left;

	if (!access_ok(from, n)) {
		memset(to, 0, n);
		return n;
	}
	left = raw_copy(to, from, n);
	if (left)       /* never leave kernel memory uninitialised */
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long copy_to_user(void *to, const void *from, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return raw_copy(to, from, n);
}

unsigned long clear_user(void *to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	__asm__ __volatile__("1: rep stosb\n\t"
			     "2:\n\t"
			     EX_TABLE(1b, 2b)
			     : "+c"(n), "+D"(to)
			     : "a"(0)
			     : "memory");
	return n;
}

/* Copy one byte from user memory; false if it faulted. */
static bool get_user_byte(char *dst, const char *src)
{
	int ok = 1;
	char c = 0;

	__asm__ __volatile__("1: movb (%2), %1\n\t"
			     "2:\n\t"
			     ".pushsection .text.fixup, \"ax\"\n\t"
			     "3: movl $0, %0\n\t"
			     "jmp 2b\n\t"
			     ".popsection\n\t"
			     EX_TABLE(1b, 3b)
			     : "+r"(ok), "+q"(c)
			     : "r"(src));
	*dst = c;
	return ok;
}

long strncpy_from_user(char *dst, const char *src, long max)
{
	for (long i = 0; i < max; i++) {
		if (!access_ok(src + i, 1) || !get_user_byte(&dst[i], src + i))
			return -EFAULT;
		if (!dst[i])
			return i;
	}
	return -ENAMETOOLONG;
}

long strnlen_user(const char *src, long max)
{
	for (long i = 0; i < max; i++) {
		char c;

		if (!access_ok(src + i, 1) || !get_user_byte(&c, src + i))
			return 0;
		if (!c)
			return i + 1;
	}
	return max + 1;
}

bool fixup_exception(struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++) {
		if (e->insn == regs->eip) {
			regs->eip = e->fixup;
			return true;
		}
	}
	return false;
}
