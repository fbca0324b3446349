/*
 * transport.h - the virtio 1.x PCI "modern" transport: how a driver process
 * reaches a virtio device through the handles the supervisor gave it (OS
 * concept: device controllers - status and control registers in memory-mapped
 * I/O, feature negotiation, doorbells).
 *
 * The driver gets "cfg" (the function's configuration space, read-only),
 * "barN" (the BARs as VM objects of device memory) and maps what the
 * capabilities (pci_caps.h) point to.  Then, in the order virtio 1.2 section
 * 3.1.1 prescribes:
 *
 *   virtio_reset()           status 0: the device forgets everything (also
 *                            stops a device a crashed predecessor left running)
 *   virtio_negotiate()       ACKNOWLEDGE, DRIVER, features, FEATURES_OK
 *   virtio_queue_setup()     per queue: size, the three ring addresses, the
 *                            MSI-X vector, enable
 *   virtio_driver_ok()       DRIVER_OK: the device is live
 *
 * and virtio_fail() (FAILED) when something goes wrong on the way.
 */
#ifndef VIRTIO_TRANSPORT_H
#define VIRTIO_TRANSPORT_H

#include <stdint.h>
#include <mica.h>
#include <server.h>
#include "pci_caps.h"
#include "virtq.h"

/* Device status bits (virtio 1.2, 2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED      128

/* Feature bits every device type shares (virtio 1.2, 6). */
#define VIRTIO_F_VERSION_1 (1ull << 32)

/* Queues this library sets up per device (virtio-blk and virtio-rng need one). */
#define VIRTIO_MAX_QUEUES 4

/* A queue or the configuration without an MSI-X vector. */
#define VIRTIO_NO_VECTOR 0xffff

struct virtio_dev {
    struct virtio_pci_caps caps;
    volatile uint8_t *common; /* the mapped structures */
    volatile uint8_t *isr;
    volatile uint8_t *device; /* NULL if the device has no configuration */
    volatile uint8_t *notify;
    volatile uint8_t *doorbell[VIRTIO_MAX_QUEUES]; /* per queue, inside notify */
    uint64_t features;                             /* what both sides agreed on */
};

/*
 * Find and map the device's structures from the handles in st ("cfg",
 * "barN").  0, or a negative error with *why saying what is wrong.
 */
int virtio_open(struct virtio_dev *d, const struct mica_server_start *st, const char **why);

/* Reset the device and wait (up to a second) until it says it has. */
int virtio_reset(struct virtio_dev *d);

/*
 * ACKNOWLEDGE, DRIVER, then accept the device's features that are in wanted
 * (VIRTIO_F_VERSION_1 is always required) and set FEATURES_OK; the device
 * may refuse the set.  0, or -MICA_EIO (and FAILED is set).
 */
int virtio_negotiate(struct virtio_dev *d, uint64_t wanted);

/*
 * Reset and negotiate, up to three times (each failure is reported on the log with the
 * features offered and the status read back): a device that does not answer at once as it
 * should gets more chances before the driver gives up.  0, or an error with *why set.
 */
int virtio_start(struct virtio_dev *d, uint64_t wanted, const char *name, const char **why);

/*
 * Set up queue `index` over mem (DMA memory at physical address phys, at
 * least virtq_layout(max_size).total bytes, zeroed) with at most max_size
 * entries, its interrupts going to MSI-X vector `vector` (VIRTIO_NO_VECTOR
 * without MSI-X), and enable it.  0, -MICA_ENOENT if the device has no such
 * queue, -MICA_EIO if it refuses the vector.
 */
int virtio_queue_setup(struct virtio_dev *d, uint16_t index, struct virtq *vq, void *mem,
                       uint64_t phys, uint16_t max_size, uint16_t vector);

/* Route configuration-change interrupts to vector (VIRTIO_NO_VECTOR: none). */
int virtio_config_vector(struct virtio_dev *d, uint16_t vector);

void virtio_driver_ok(struct virtio_dev *d);
void virtio_fail(struct virtio_dev *d);
uint8_t virtio_status(const struct virtio_dev *d);

/* Ring the doorbell of queue `index` (after virtq_add and virtq_should_notify). */
void virtio_notify(struct virtio_dev *d, uint16_t index);

/* Read (and so clear) the ISR status: bit 0 a queue interrupt, bit 1 a configuration change. */
uint8_t virtio_isr(struct virtio_dev *d);

/* Read n (1, 2, 4 or 8) bytes at `offset` of the device-specific configuration
 * consistently (the generation counter must not change meanwhile); 0 for a field
 * outside the structure. */
uint64_t virtio_config_read(struct virtio_dev *d, uint32_t offset, unsigned n);

#endif
