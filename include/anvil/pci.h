/* PCI configuration space access (arch/i386/pci.c). */
#ifndef ANVIL_PCI_H
#define ANVIL_PCI_H

#include <anvil/types.h>

#define PCI_VENDOR_INTEL 0x8086
#define PCI_VENDOR_NONE 0xffff          /* no function there */
#define PCI_ID(vendor, device) ((u32)(device) << 16 | (vendor))

/* configuration registers (dword offsets) and their bits */
#define PCI_VENDOR_ID 0x00
#define PCI_COMMAND 0x04                /* low half: command; high half: status */
#define PCI_COMMAND_IO 0x1
#define PCI_COMMAND_MASTER 0x4
#define PCI_CLASS_REVISION 0x08         /* class, subclass, prog-if, revision */
#define PCI_CLASS_PROG_SHIFT 8
#define PCI_HEADER_DWORD 0x0c           /* header type in bits 16-23 */
#define PCI_HEADER_MULTI_FUNCTION 0x00800000
#define PCI_BASE_ADDRESS_4 0x20
#define PCI_BASE_ADDRESS_IO 0x1
#define PCI_BASE_ADDRESS_IO_MASK 0xfffc
#define PCI_CLASS_STORAGE_IDE 0x0101
#define PCI_MAX_DEVICES 32
#define PCI_MAX_FUNCTIONS 8

u32 pci_read_config32(int bus, int dev, int fn, int off);
void pci_write_config32(int bus, int dev, int fn, int off, u32 val);
bool pci_find_class(u16 class, int *devp, int *fnp);

#endif
