/*
 * The user-copy primitives.  Each does its access with string
 * instructions (rep movsl then rep movsb for the tail; rep stosl/stosb;
 * lodsb) listed in the exception table.  If one faults on an address the
 * page-fault handler cannot fix, fixup_exception() moves eip to its fixup
 * label, where ecx still counts what was not done: bytes for movsb, which
 * is the return value we want; dwords for movsl, turned into bytes there
 * and copied on by movsb, so that a copy stops at the very byte that
 * faulted, as Linux's does.  Four bytes a step, not one: under QEMU's TCG
 * a rep iteration costs about the same whatever its size.
 */
#include <anvil/kernel.h>
#include <anvil/uaccess.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

/* "1: insn" may fault: resume at label 2 */
#define EX_TABLE(from, to) \
	".pushsection __ex_table, \"a\"\n\t.long " #from ", " #to "\n\t.popsection\n\t"

/*
 * The bulk of a long copy, 64 bytes at a time by plain movl pairs, each
 * listed in the exception table: under TCG a straight run of moves costs
 * a third of rep movsl (copy_page in arch/i386/page_ops.c measures it),
 * and a 4 KiB read() is mostly this copy.  A fault that cannot be fixed
 * leaves the pointers at the start of the block it hit; raw_copy's
 * careful copy then does that block again, up to the very faulting byte.
 * The bytes left for it.
 */
#define COPY_BLOCK 64

static unsigned long copy_blocks(char **to, const char **from, unsigned long n)
{
	char *d = *to;
	const char *s = *from;
	int faulted = 0;

	for (; n >= COPY_BLOCK && !faulted; n -= COPY_BLOCK, s += COPY_BLOCK, d += COPY_BLOCK) {
		__asm__ __volatile__(".irp off, 0, 8, 16, 24, 32, 40, 48, 56\n\t"
				     "1: movl \\off(%[s]), %%eax\n\t"
				     EX_TABLE(1b, 9f)
				     "2: movl \\off+4(%[s]), %%edx\n\t"
				     EX_TABLE(2b, 9f)
				     "3: movl %%eax, \\off(%[d])\n\t"
				     EX_TABLE(3b, 9f)
				     "4: movl %%edx, \\off+4(%[d])\n\t"
				     EX_TABLE(4b, 9f)
				     ".endr\n\t"
				     "jmp 10f\n"
				     "9: movl $1, %[f]\n"
				     "10:\n\t"
				     : [f] "+r"(faulted)
				     : [s] "r"(s), [d] "r"(d)
				     : "eax", "edx", "memory");
		if (faulted)
			break;
	}
	*to = d;
	*from = s;
	return n;
}

/* Copy n bytes; the bytes not copied (0, or from the first that faulted on). */
static unsigned long raw_copy(void *to, const void *from, unsigned long n)
{
	unsigned long tail;

	n = copy_blocks((char **)&to, (const char **)&from, n);
	tail = n & 3;
	n >>= 2;
	__asm__ __volatile__("1: rep movsl\n\t"
			     "   movl %3, %0\n\t"
			     "2: rep movsb\n\t"
			     "   jmp 4f\n"
			     "3: lea (%3,%0,4), %0\n\t"   /* movsl faulted: dwords left to bytes, */
			     "   jmp 2b\n"                 /* which go one by one up to the fault */
			     "4:\n\t"
			     EX_TABLE(1b, 3b)
			     EX_TABLE(2b, 4b)
			     : "+c"(n), "+D"(to), "+S"(from)
			     : "r"(tail)
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

/*
 * The same, but what could not be copied is left as it was: a write into
 * a page-cache page must not overwrite the file's bytes after a fault
 * with zeros (Linux's __copy_from_user_inatomic, as filemap uses it).
 */
unsigned long __copy_from_user_inatomic(void *to, const void *from, unsigned long n)
{
	if (!access_ok(from, n))
		return n;
	return raw_copy(to, from, n);
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
	unsigned long tail = n & 3;

	n >>= 2;
	__asm__ __volatile__("1: rep stosl\n\t"
			     "   movl %2, %0\n\t"
			     "2: rep stosb\n\t"
			     "   jmp 4f\n"
			     "3: lea (%2,%0,4), %0\n\t"   /* stosl faulted: dwords left to bytes, */
			     "   jmp 2b\n"                 /* which go one by one up to the fault */
			     "4:\n\t"
			     EX_TABLE(1b, 3b)
			     EX_TABLE(2b, 4b)
			     : "+c"(n), "+D"(to)
			     : "r"(tail), "a"(0)
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
