/* PCI configuration space access (arch/i386/pci.c). */
#ifndef ANVIL_PCI_H
#define ANVIL_PCI_H

#include <anvil/types.h>

#define PCI_VENDOR_INTEL 0x8086
#define PCI_ID(vendor, device) ((u32)(device) << 16 | (vendor))

u32 pci_read_config32(int bus, int dev, int fn, int off);
void pci_write_config32(int bus, int dev, int fn, int off, u32 val);

#endif
