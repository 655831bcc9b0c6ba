/*
 * PCI configuration space through the legacy 0xcf8/0xcfc mechanism, for
 * the few chipset functions anvil programs itself (the PIIX4 power
 * management function, for power-off).
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
