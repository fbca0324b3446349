/*
 * msi.h - pointing a PCI function's message-signalled interrupts at the
 * kernel's vectors (servers/devmgr/msi.c).
 */
#ifndef DEVMGR_MSI_H
#define DEVMGR_MSI_H

#include <abi/mica/syscall.h>
#include "pci.h"

/* How many MSI-X table entries the function has (0 without MSI-X). */
unsigned msix_table_size(const struct pci_ecam *e, const struct pci_function *f);

/* The BAR that holds the MSI-X table, and the table's offset in it. */
void msix_table_place(const struct pci_ecam *e, const struct pci_function *f, unsigned *bar,
                      uint64_t *offset);

/*
 * Write n messages into the MSI-X table at `table` (mapped), unmask them and
 * switch MSI-X on (INTx off).  Entries past n stay masked.
 */
void msix_enable(const struct pci_ecam *e, const struct pci_function *f, volatile uint32_t *table,
                 const struct mica_msi *msg, unsigned n);

/* Program the MSI capability with one message and switch it on (INTx off). */
void msi_enable(const struct pci_ecam *e, const struct pci_function *f, const struct mica_msi *msg);

#endif
