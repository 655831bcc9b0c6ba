/*
 * Tests of the embedded symbol table used by backtraces (kernel/kallsyms.c).
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/kallsyms.h>
#include <anvil/setup.h>

#define SYM_BUF 96

KTEST(kallsyms_lookup_function)
{
	unsigned long addr = (unsigned long)kmain, size, offset;
	const char *name = kallsyms_lookup(addr + 5, &size, &offset);

	KT_STREQ(t, name, "kmain");
	KT_EQ(t, offset, 5);
	KT_ASSERT(t, size > 5);
	KT_STREQ(t, kallsyms_lookup(addr, NULL, &offset), "kmain");
	KT_EQ(t, offset, 0);
	/* the last byte of kmain is still kmain; one past it is not */
	KT_STREQ(t, kallsyms_lookup(addr + size - 1, NULL, NULL), "kmain");
	KT_ASSERT(t, !kallsyms_lookup(addr + size, NULL, NULL) ||
		     strcmp(kallsyms_lookup(addr + size, NULL, NULL), "kmain"));
}

KTEST(kallsyms_lookup_name_round_trip)
{
	KT_EQ(t, kallsyms_lookup_name("kallsyms_lookup"), (unsigned long)kallsyms_lookup);
	KT_EQ(t, kallsyms_lookup_name("panic"), (unsigned long)panic);
	KT_EQ(t, kallsyms_lookup_name("no_such_function_here"), 0);
}

KTEST(kallsyms_sprint_symbol)
{
	char buf[SYM_BUF];
	char want[SYM_BUF];
	unsigned long size;

	kallsyms_lookup((unsigned long)panic, &size, NULL);
	sprint_symbol(buf, sizeof(buf), (unsigned long)panic + 0x10);
	snprintf(want, sizeof(want), "panic+0x10/0x%lx", size);
	KT_STREQ(t, buf, want);
	/* outside the kernel text: no name, just the address */
	KT_ASSERT(t, kallsyms_lookup(0x1000, NULL, NULL) == NULL);
	sprint_symbol(buf, sizeof(buf), 0x1000);
	KT_STREQ(t, buf, "0x00001000");
}
