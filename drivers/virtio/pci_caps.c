/*
 * pci_caps.c - walk a PCI function's capability list and pick out the
 * virtio structures and MSI-X (pci_caps.h; OS concept: device discovery).
 *
 * The list starts at the byte at 0x34 (the capabilities pointer), valid only
 * if bit 4 of the status register (0x06) is set; each entry's second byte
 * points to the next, 0 ends the list.  The configuration space comes from
 * the device, so nothing in it is trusted: every pointer is checked against
 * the space and the walk stops after 48 entries (a loop would never end).
 */
#include <abi/mica/syscall.h>
#include "pci_caps.h"

#define PCI_STATUS          0x06
#define PCI_STATUS_CAP_LIST (1u << 4)
#define PCI_CAP_PTR         0x34
#define MAX_CAPS            48 /* (256 - 64) / 4: more entries than fit is a loop */

static uint32_t rd32(const volatile uint8_t *cfg, size_t at)
{
    return (uint32_t)cfg[at] | (uint32_t)cfg[at + 1] << 8 | (uint32_t)cfg[at + 2] << 16 |
           (uint32_t)cfg[at + 3] << 24;
}

static uint16_t rd16(const volatile uint8_t *cfg, size_t at)
{
    return (uint16_t)(cfg[at] | cfg[at + 1] << 8);
}

/* A vendor capability at `at`: remember the structure it describes. */
static void vendor_cap(const volatile uint8_t *cfg, size_t at, struct virtio_pci_caps *out)
{
    uint8_t cap_len = cfg[at + 2], type = cfg[at + 3], bar = cfg[at + 4];
    if (cap_len < 16 || at + cap_len > 256 || bar > 5)
        return;
    struct virtio_region *r = type == VIRTIO_PCI_CAP_COMMON   ? &out->common
                              : type == VIRTIO_PCI_CAP_NOTIFY ? &out->notify
                              : type == VIRTIO_PCI_CAP_ISR    ? &out->isr
                              : type == VIRTIO_PCI_CAP_DEVICE ? &out->device
                                                              : NULL;
    if (r == NULL || r->present) /* another type, or not the first of its type */
        return;
    if (type == VIRTIO_PCI_CAP_NOTIFY) {
        if (cap_len < 20)
            return;
        out->notify_off_multiplier = rd32(cfg, at + 16);
    }
    r->present = true;
    r->bar = bar;
    r->offset = rd32(cfg, at + 8);
    r->length = rd32(cfg, at + 12);
}

static void msix_cap(const volatile uint8_t *cfg, size_t at, struct virtio_pci_caps *out)
{
    uint16_t control = rd16(cfg, at + 2);
    out->msix_present = true;
    out->msix_enabled = (control & 0x8000) != 0;
    out->msix_vectors = (uint16_t)((control & 0x7ff) + 1);
}

int virtio_pci_find_caps(const volatile uint8_t *cfg, size_t len, struct virtio_pci_caps *out,
                         const char **why)
{
    *out = (struct virtio_pci_caps){0};
    if (len < 256 || !(rd16(cfg, PCI_STATUS) & PCI_STATUS_CAP_LIST)) {
        *why = "no capability list";
        return -MICA_EINVAL;
    }
    size_t at = cfg[PCI_CAP_PTR] & 0xfc;
    for (unsigned n = 0; at != 0; n++) {
        if (n == MAX_CAPS || at < 0x40 || at + 4 > 256) {
            *why = "capability list is broken (loops or points outside)";
            return -MICA_EINVAL;
        }
        if (cfg[at] == PCI_CAP_ID_VENDOR)
            vendor_cap(cfg, at, out);
        else if (cfg[at] == PCI_CAP_ID_MSIX)
            msix_cap(cfg, at, out);
        at = cfg[at + 1] & 0xfc;
    }
    *why = !out->common.present   ? "no common configuration capability"
           : !out->notify.present ? "no notification capability"
           : !out->isr.present    ? "no ISR capability"
                                  : "";
    return **why ? -MICA_ENOENT : 0;
}
