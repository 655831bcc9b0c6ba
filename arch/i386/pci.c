/*
 * PCI configuration space through the legacy 0xcf8/0xcfc mechanism, for
 * the few chipset functions anvil programs itself (the PIIX4 power
 * management function, for power-off; the IDE function's bus master, for
 * disk DMA), and finding a function by its class.
 */
#include <anvil/kernel.h>
#include <anvil/pci.h>
#include <asm/io.h>

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_CONFIG_ENABLE 0x80000000u

static u32 config_address(int bus, int dev, int fn, int off)
{
	return PCI_CONFIG_ENABLE | (bus << 16) | (dev << 11) | (fn << 8) | (off & 0xfc);
}

u32 pci_read_config32(int bus, int dev, int fn, int off)
{
	outl(PCI_CONFIG_ADDRESS, config_address(bus, dev, fn, off));
	return inl(PCI_CONFIG_DATA);
}

void pci_write_config32(int bus, int dev, int fn, int off, u32 val)
{
	outl(PCI_CONFIG_ADDRESS, config_address(bus, dev, fn, off));
	outl(PCI_CONFIG_DATA, val);
}

/*
 * The first function of class (base class and subclass, as config word
 * 0x0a holds them) on bus 0 -- the QEMU PC's only bus: true with its
 * device and function.  Functions 1-7 exist only behind a multi-function
 * header.
 */
bool pci_find_class(u16 class, int *devp, int *fnp)
{
	for (int dev = 0; dev < PCI_MAX_DEVICES; dev++) {
		for (int fn = 0; fn < PCI_MAX_FUNCTIONS; fn++) {
			u32 id = pci_read_config32(0, dev, fn, PCI_VENDOR_ID);

			if ((id & 0xffff) == PCI_VENDOR_NONE) {
				if (!fn)
					break;
				continue;
			}
			if (pci_read_config32(0, dev, fn, PCI_CLASS_REVISION) >> 16 == class) {
				*devp = dev;
				*fnp = fn;
				return true;
			}
			if (!fn && !(pci_read_config32(0, dev, 0, PCI_HEADER_DWORD) &
				     PCI_HEADER_MULTI_FUNCTION))
				break;
		}
	}
	return false;
}
