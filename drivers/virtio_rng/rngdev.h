/*
 * rngdev.h - the virtio-rng device as the driver sees it: one request queue
 * of buffers the device fills with random bytes, and the pool of bytes
 * collected from it (OS concepts: a device controller's request queue, DMA,
 * a producer/consumer buffer between a device and its clients).
 *
 * virtio-rng (virtio 1.2, section 5.4) is the simplest virtio device: no
 * features, no configuration, one queue ("requestq").  The driver offers
 * device-writable buffers; the device fills each with as many random bytes
 * as it can (the used ring's len says how many) and hands it back.
 *
 * The buffers live in the driver's "dma" memory.  A buffer is offered only
 * while the pool has room for everything in flight plus it, so the bytes of
 * a returning buffer always fit and nothing is thrown away.  Bytes leave the
 * pool exactly once: no two clients ever get the same bytes.
 */
#ifndef VIRTIO_RNG_RNGDEV_H
#define VIRTIO_RNG_RNGDEV_H

#include <stdbool.h>
#include <stdint.h>
#include "../virtio/transport.h"

#define RNG_BUFS       8    /* device buffers */
#define RNG_BUF_BYTES  512  /* bytes per device buffer */
#define RNG_POOL_BYTES 8192 /* bytes ready for clients at most */

struct rng_buf {
    bool busy; /* offered to the device */
    uint8_t *mem;
    uint64_t phys;
};

struct rngdev {
    struct virtio_dev dev;
    struct virtq vq;
    struct rng_buf buf[RNG_BUFS];
    unsigned in_flight;           /* buffers offered */
    uint8_t pool[RNG_POOL_BYTES]; /* a ring: count bytes from head on */
    unsigned head, count;
    uint64_t device_bytes; /* delivered by the device in this life */
};

/*
 * Bring the device up from the handles in st: map it and the "dma" memory,
 * reset it (a crashed predecessor may have left it running), negotiate
 * (nothing but VIRTIO_F_VERSION_1), set up the queue with its interrupts on
 * MSI-X vector 0, DRIVER_OK, and offer the first buffers.  0 or an error
 * with *why saying what went wrong.
 */
int rngdev_start(struct rngdev *r, const struct mica_server_start *st, const char **why);

/* Offer free buffers to the device while the pool has room for their bytes. */
void rngdev_refill(struct rngdev *r);

/*
 * Move the bytes of every buffer the device has filled into the pool and
 * free the buffers (call rngdev_refill afterwards).  Returns the bytes
 * collected; *broken is set when the device wrote nonsense into the ring.
 */
unsigned rngdev_collect(struct rngdev *r, bool *broken);

/* Bytes in the pool. */
unsigned rngdev_available(const struct rngdev *r);

/* Take n bytes (at most rngdev_available()) out of the pool. */
void rngdev_take(struct rngdev *r, uint8_t *out, unsigned n);

#endif
