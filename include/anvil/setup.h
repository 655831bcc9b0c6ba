/*
 * Boot-time initialisation steps, called once each, in order, by kmain
 * (kernel/main.c).
 */
#ifndef ANVIL_SETUP_H
#define ANVIL_SETUP_H

void kmain(unsigned long magic, unsigned long info_phys);
void vga_init(void);
void paging_init(void);
void crashtest_run(const char *kind);

#endif
