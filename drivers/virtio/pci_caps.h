/*
 * pci_caps.h - finding a virtio device's registers through its PCI
 * capabilities (OS concept: device discovery - a device describes where its
 * registers are, the driver does not assume).
 *
 * A virtio 1.x PCI device ("modern", virtio 1.2 section 4.1.4) has no fixed
 * register layout.  Its configuration space holds a list of capabilities;
 * the vendor-specific ones (ID 0x09) each say "structure of type T is in BAR
 * b at offset o, length l":
 *
 *   byte 0  cap_vndr = 0x09     byte 4  bar (0..5)
 *   byte 1  cap_next            byte 5  id, 6-7 padding
 *   byte 2  cap_len             byte 8  offset (le32)
 *   byte 3  cfg_type            byte 12 length (le32)
 *                               byte 16 notify_off_multiplier (le32, type 2 only)
 *
 * The types this library uses: 1 common configuration, 2 notifications, 3 the
 * ISR status byte, 4 the device-specific configuration.  The MSI-X
 * capability (ID 0x11) tells whether message-signalled interrupts with a
 * vector table are on.  Pure code, host-tested in tests/host/test_virtio_caps.c.
 */
#ifndef VIRTIO_PCI_CAPS_H
#define VIRTIO_PCI_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCI_CAP_ID_VENDOR 0x09
#define PCI_CAP_ID_MSIX   0x11

#define VIRTIO_PCI_CAP_COMMON 1
#define VIRTIO_PCI_CAP_NOTIFY 2
#define VIRTIO_PCI_CAP_ISR    3
#define VIRTIO_PCI_CAP_DEVICE 4

/* One structure of the device: which BAR, where in it, how long. */
struct virtio_region {
    bool present;
    uint8_t bar;
    uint32_t offset, length;
};

struct virtio_pci_caps {
    struct virtio_region common, notify, isr, device;
    uint32_t notify_off_multiplier;
    bool msix_present, msix_enabled;
    uint16_t msix_vectors; /* entries in the MSI-X table */
};

/*
 * Walk the capability list of the configuration space cfg (len bytes, at
 * least 256) and fill *out.  Of several capabilities of one type the first
 * is used, as the specification recommends; ones naming a BAR above 5 or too
 * short are skipped.  Returns 0, or -MICA_ENOENT when the common, notify or
 * ISR structure is missing (with *why saying which), -MICA_EINVAL for a
 * configuration space without a capability list or with a looping one.
 */
int virtio_pci_find_caps(const volatile uint8_t *cfg, size_t len, struct virtio_pci_caps *out,
                         const char **why);

#endif
