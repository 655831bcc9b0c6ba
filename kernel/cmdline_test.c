/*
 * Tests of the command-line parser (kernel/cmdline.c) and of the boot
 * command line itself.
 */
#include <anvil/kernel.h>
#include <anvil/ktest.h>
#include <anvil/cmdline.h>

KTEST(cmdline_key_value_and_flags)
{
	static struct cmdline cl;

	KT_EQ(t, cmdline_parse(&cl, "  root=/dev/hda quiet  swap=hdb debug "), 4);
	KT_STREQ(t, cmdline_get(&cl, "root"), "/dev/hda");
	KT_STREQ(t, cmdline_get(&cl, "swap"), "hdb");
	KT_STREQ(t, cmdline_get(&cl, "quiet"), "");   /* a bare flag */
	KT_STREQ(t, cmdline_get(&cl, "debug"), "");
	KT_ASSERT(t, cmdline_get(&cl, "absent") == NULL);
	KT_ASSERT(t, cmdline_get(&cl, "roo") == NULL);  /* whole keys only */
}

KTEST(cmdline_quotes_empty_and_repeats)
{
	static struct cmdline cl;

	KT_EQ(t, cmdline_parse(&cl, "init=\"/bin/sh -x\" \"msg=a b\" empty= n=1 n=2"), 5);
	KT_STREQ(t, cmdline_get(&cl, "init"), "/bin/sh -x");
	KT_STREQ(t, cmdline_get(&cl, "msg"), "a b");
	KT_STREQ(t, cmdline_get(&cl, "empty"), "");
	KT_STREQ(t, cmdline_get(&cl, "n"), "2");        /* the last one wins */
	KT_EQ(t, cmdline_get_long(&cl, "n", -1), 2);
	KT_EQ(t, cmdline_get_long(&cl, "init", -1), -1); /* not a number: the default */
	KT_EQ(t, cmdline_parse(&cl, ""), 0);
}

KTEST(cmdline_value_with_equals_and_too_many)
{
	static struct cmdline cl;
	char many[CMDLINE_MAX_PARAMS * 3 + 8];
	int n = 0;

	KT_EQ(t, cmdline_parse(&cl, "opt=a=b"), 1);
	KT_STREQ(t, cmdline_get(&cl, "opt"), "a=b");
	for (int i = 0; i <= CMDLINE_MAX_PARAMS; i++)
		n += snprintf(many + n, sizeof(many) - n, "x ");
	KT_EQ(t, cmdline_parse(&cl, many), -1);
}

/* The boot command line reached the kernel (the runner passes test=...). */
KTEST(cmdline_boot_parameters)
{
	KT_ASSERT(t, kernel_param("test") != NULL);
	KT_ASSERT(t, kernel_flag("test"));
}
