/*
 * msi.c - message-signalled interrupts, programmed by the device manager
 * (concepts: interrupt models - pin-based vs message-signalled).
 *
 * A PCI device that supports MSI raises an interrupt by writing a value to
 * an address in the local APIC's window; which vector arrives depends only
 * on that message.  So no interrupt line is shared and no I/O APIC is
 * involved.  The kernel hands out a vector with SYS_IRQ_BIND_MSI and says
 * which message raises it; this file writes the message where the device
 * looks for it:
 *
 *   MSI    a capability in configuration space with one address/data pair
 *          (this driver model uses one vector);
 *   MSI-X  a table in one of the device's BARs, 16 bytes per vector
 *          (address low, address high, data, control with a mask bit),
 *          so each queue of a device can have its own vector.
 */
#include "msi.h"

#define MSIX_CONTROL     2
#define MSIX_TABLE       4
#define MSIX_ENABLE      (1u << 15)
#define MSIX_FUNC_MASK   (1u << 14)
#define MSIX_ENTRY_WORDS 4
#define MSIX_VECTOR_MASK 1u
#define MSI_CONTROL      2
#define MSI_ADDRESS      4
#define MSI_ENABLE       1u
#define MSI_64BIT        (1u << 7)
#define MSI_MULTI_ENABLE (7u << 4)

unsigned msix_table_size(const struct pci_ecam *e, const struct pci_function *f)
{
    if (!f->msix_cap)
        return 0;
    return (pci_read16(e, f, f->msix_cap + MSIX_CONTROL) & 0x7ffu) + 1;
}

void msix_table_place(const struct pci_ecam *e, const struct pci_function *f, unsigned *bar,
                      uint64_t *offset)
{
    uint32_t v = pci_read32(e, f, f->msix_cap + MSIX_TABLE);
    *bar = v & 7;
    *offset = v & ~7u;
}

static void intx_off(const struct pci_ecam *e, const struct pci_function *f)
{
    uint16_t cmd = pci_read16(e, f, PCI_COMMAND);
    pci_write16(e, f, PCI_COMMAND, cmd | PCI_CMD_INTX_OFF);
}

void msix_enable(const struct pci_ecam *e, const struct pci_function *f, volatile uint32_t *table,
                 const struct mica_msi *msg, unsigned n)
{
    uint16_t ctl = pci_read16(e, f, f->msix_cap + MSIX_CONTROL);
    /* Enabled but masked as a whole while the table is written. */
    pci_write16(e, f, f->msix_cap + MSIX_CONTROL, ctl | MSIX_ENABLE | MSIX_FUNC_MASK);
    unsigned size = msix_table_size(e, f);
    for (unsigned k = 0; k < size; k++) {
        volatile uint32_t *entry = table + k * MSIX_ENTRY_WORDS;
        if (k < n) {
            entry[0] = (uint32_t)msg[k].address;
            entry[1] = (uint32_t)(msg[k].address >> 32);
            entry[2] = msg[k].data;
            entry[3] = 0; /* unmasked */
        } else {
            entry[3] = MSIX_VECTOR_MASK;
        }
    }
    intx_off(e, f);
    pci_write16(e, f, f->msix_cap + MSIX_CONTROL, (ctl | MSIX_ENABLE) & (uint16_t)~MSIX_FUNC_MASK);
}

void msi_enable(const struct pci_ecam *e, const struct pci_function *f, const struct mica_msi *msg)
{
    uint32_t at = f->msi_cap;
    uint16_t ctl = pci_read16(e, f, at + MSI_CONTROL);
    pci_write32(e, f, at + MSI_ADDRESS, (uint32_t)msg->address);
    if (ctl & MSI_64BIT) {
        pci_write32(e, f, at + MSI_ADDRESS + 4, (uint32_t)(msg->address >> 32));
        pci_write16(e, f, at + MSI_ADDRESS + 8, (uint16_t)msg->data);
    } else {
        pci_write16(e, f, at + MSI_ADDRESS + 4, (uint16_t)msg->data);
    }
    intx_off(e, f);
    pci_write16(e, f, at + MSI_CONTROL, (uint16_t)((ctl & ~MSI_MULTI_ENABLE) | MSI_ENABLE));
}
