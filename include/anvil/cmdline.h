/*
 * The kernel command line, parsed into key=value parameters and bare
 * flags ("quiet").  Double quotes group spaces into one value:
 * init="/bin/sh -x".  The boot command line lives in kernel_cmdline.
 */
#ifndef ANVIL_CMDLINE_H
#define ANVIL_CMDLINE_H

#include <anvil/types.h>
#include <anvil/multiboot.h>

#define CMDLINE_MAX_PARAMS 64

struct cmdline_param {
	char *key;
	char *value;    /* "" for a bare flag */
};

struct cmdline {
	char buf[COMMAND_LINE_SIZE];
	int nr;
	struct cmdline_param params[CMDLINE_MAX_PARAMS];
};

/* Parse s into cl; returns the number of parameters, or -1 if there are too many. */
int cmdline_parse(struct cmdline *cl, const char *s);
/* The value of key (the last one if repeated), "" for a flag, NULL if absent. */
const char *cmdline_get(const struct cmdline *cl, const char *key);
long cmdline_get_long(const struct cmdline *cl, const char *key, long dflt);

extern struct cmdline kernel_cmdline;
const char *kernel_param(const char *key);
bool kernel_flag(const char *key);

#endif
