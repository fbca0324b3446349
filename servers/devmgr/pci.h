/*
 * pci.h - PCI Express configuration space as the device manager sees it
 * (servers/devmgr/pci.c): finding the functions, their BARs and their
 * capabilities.
 */
#ifndef DEVMGR_PCI_H
#define DEVMGR_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_MAX_FUNCTIONS 64
#define PCI_BARS          6

/* Configuration-space registers (type 0 header) and capability ids. */
#define PCI_VENDOR    0x00
#define PCI_DEVICE    0x02
#define PCI_COMMAND   0x04
#define PCI_STATUS    0x06
#define PCI_CLASS_REV 0x08
#define PCI_HEADER    0x0e
#define PCI_BAR0      0x10
#define PCI_SECONDARY 0x19 /* type 1 (bridge): the bus behind it */
#define PCI_CAP_PTR   0x34
#define PCI_INTR_LINE 0x3c

#define PCI_CMD_IO         (1u << 0)
#define PCI_CMD_MEMORY     (1u << 1)
#define PCI_CMD_BUS_MASTER (1u << 2)
#define PCI_CMD_INTX_OFF   (1u << 10)
#define PCI_STATUS_CAPS    (1u << 4)
#define PCI_CAP_MSI        0x05
#define PCI_CAP_MSIX       0x11

struct pci_bar {
    uint64_t base; /* physical address or first I/O port; 0: not assigned */
    uint64_t size; /* 0: the BAR is not implemented */
    bool io;       /* an I/O-port BAR */
    bool prefetch;
};

struct pci_function {
    uint8_t bus, slot, func;
    uint16_t vendor, device;
    uint32_t class_code;       /* class << 16 | subclass << 8 | prog-if */
    uint8_t msi_cap, msix_cap; /* offsets of the capabilities, 0 if absent */
    struct pci_bar bar[PCI_BARS];
};

/* The ECAM window: configuration space of bus b starts at base + (b << 20). */
struct pci_ecam {
    volatile uint8_t *base; /* mapped, uncached: bus `bus_start` at offset 0 */
    uint8_t bus_start, bus_end;
};

/* Where the function's 4 KiB of configuration space lies, relative to bus_start's. */
uint64_t pci_cfg_offset(const struct pci_ecam *e, uint8_t bus, uint8_t slot, uint8_t func);

uint32_t pci_read32(const struct pci_ecam *e, const struct pci_function *f, uint32_t off);
uint16_t pci_read16(const struct pci_ecam *e, const struct pci_function *f, uint32_t off);
uint8_t pci_read8(const struct pci_ecam *e, const struct pci_function *f, uint32_t off);
void pci_write32(const struct pci_ecam *e, const struct pci_function *f, uint32_t off, uint32_t v);
void pci_write16(const struct pci_ecam *e, const struct pci_function *f, uint32_t off, uint16_t v);

/*
 * Walk the buses from bus_start down through every bridge and record up to
 * max functions (their BARs sized, their MSI and MSI-X capabilities found).
 * Returns how many were found.
 */
unsigned pci_enumerate(const struct pci_ecam *e, struct pci_function *out, unsigned max);

#endif
