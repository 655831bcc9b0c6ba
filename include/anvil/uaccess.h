/*
 * Touching user memory from the kernel.  Every user pointer is checked
 * to lie below the task's address limit (TASK_SIZE; set_fs(KERNEL_DS)
 * lifts it for kernel buffers), and the copy itself may fault: the
 * faulting instruction has an entry in the exception table (__ex_table),
 * so the page-fault handler -- after trying to fault the page in --
 * resumes at a fixup that makes the copy report failure.  A bad user
 * pointer is therefore -EFAULT, never an oops.
 */
#ifndef ANVIL_UACCESS_H
#define ANVIL_UACCESS_H

#include <anvil/types.h>
#include <anvil/sched.h>
#include <abi/errno.h>

struct exception_table_entry {
	unsigned long insn;    /* an instruction that may fault on user memory */
	unsigned long fixup;   /* where to continue if it does */
};

static inline unsigned long get_fs(void)
{
	return current->addr_limit;
}

static inline void set_fs(unsigned long limit)
{
	current->addr_limit = limit;
}

static inline bool access_ok(const void *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr;

	return a + size >= a && a + size <= current->addr_limit;
}

/* These return the number of bytes NOT copied: 0 means success. */
unsigned long copy_from_user(void *to, const void *from, unsigned long n);
/* copy_from_user leaving the bytes it could not copy untouched (page-cache writes) */
unsigned long __copy_from_user_inatomic(void *to, const void *from, unsigned long n);
unsigned long copy_to_user(void *to, const void *from, unsigned long n);
unsigned long clear_user(void *to, unsigned long n);
/* Length of the string (excluding NUL), -EFAULT, or -ENAMETOOLONG if no NUL within max. */
long strncpy_from_user(char *dst, const char *src, long max);
/* Length of the string with its NUL (as Linux), 0 on a fault, > max if no NUL within max. */
long strnlen_user(const char *src, long max);

bool fixup_exception(struct pt_regs *regs);

/* (the union lets *ptr be const-qualified: we fill the bytes, then read the value) */
#define get_user(x, ptr)                                                        \
	({                                                                      \
		union {                                                         \
			__typeof__(*(ptr)) v;                                   \
			char b[sizeof(*(ptr))];                                 \
		} __u;                                                          \
		int __e = copy_from_user(__u.b, (ptr), sizeof(__u.b)) ? -EFAULT : 0; \
		if (!__e)                                                       \
			(x) = __u.v;                                            \
		__e;                                                            \
	})

#define put_user(x, ptr)                                                        \
	({                                                                      \
		__typeof__(*(ptr)) __v = (x);                                   \
		copy_to_user((ptr), &__v, sizeof(__v)) ? -EFAULT : 0;               \
	})

#endif
