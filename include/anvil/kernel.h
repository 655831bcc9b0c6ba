/*
 * The headers almost every kernel file needs, gathered in one include.
 */
#ifndef ANVIL_KERNEL_H
#define ANVIL_KERNEL_H

#include <anvil/types.h>
#include <anvil/compiler.h>
#include <anvil/printk.h>
#include <anvil/bug.h>
#include <lib/string.h>
#include <lib/format.h>
#include <lib/ctype.h>
#include <asm/processor.h>

#endif
