/*
 * rngdev.c - bringing up a virtio-rng device and collecting its random bytes
 * (rngdev.h; OS concepts: device controllers, DMA, a bounded buffer).
 *
 * The "dma" memory (physically contiguous, kept by the supervisor across
 * restarts of the driver) is laid out as
 *
 *   0       the virtqueue (descriptors, available ring, used ring)
 *   QBYTES  RNG_BUFS buffers of RNG_BUF_BYTES each, which the device fills
 */
#include <str.h>
#include "rngdev.h"

#define QUEUE_SIZE 16     /* more than RNG_BUFS: one descriptor per buffer */
#define QBYTES     0x4000 /* virtq_layout(16).total rounded up (three pages) */
#define DMA_NEEDED (QBYTES + RNG_BUFS * RNG_BUF_BYTES)

/* Map the "dma" memory, clear it and carve it up. */
static int setup_memory(struct rngdev *r, const struct mica_server_start *st, uint8_t **mem,
                        uint64_t *phys, const char **why)
{
    mica_handle_t dma = mica_start_handle(st, "dma"), self = mica_start_handle(st, "self");
    int64_t size = dma ? mica_vmo_size(dma) : -MICA_ENOENT;
    int64_t pa = dma ? mica_vmo_phys_addr(dma) : -MICA_ENOENT;
    if (size < DMA_NEEDED || pa < 0 || virtq_layout(QUEUE_SIZE).total > QBYTES) {
        *why = "no \"dma\" memory of at least 20 KiB";
        return -MICA_ENOENT;
    }
    int64_t at = mica_vm_map(self, dma, 0, 0, DMA_NEEDED, MICA_PROT_READ | MICA_PROT_WRITE);
    if (at < 0) {
        *why = "cannot map the dma memory";
        return (int)at;
    }
    *mem = (uint8_t *)at;
    *phys = (uint64_t)pa;
    memset(*mem, 0, DMA_NEEDED); /* a predecessor's rings are still there */
    for (unsigned i = 0; i < RNG_BUFS; i++) {
        r->buf[i].busy = false;
        r->buf[i].mem = *mem + QBYTES + i * RNG_BUF_BYTES;
        r->buf[i].phys = *phys + QBYTES + i * RNG_BUF_BYTES;
    }
    return 0;
}

int rngdev_start(struct rngdev *r, const struct mica_server_start *st, const char **why)
{
    uint8_t *mem = NULL;
    uint64_t phys = 0;
    int err = virtio_open(&r->dev, st, why);
    if (err < 0)
        return err;
    if ((err = setup_memory(r, st, &mem, &phys, why)) < 0)
        return err;
    if ((err = virtio_start(&r->dev, 0, "virtio-rng", why)) < 0)
        return err;
    if (r->dev.caps.msix_enabled)
        (void)virtio_config_vector(&r->dev, VIRTIO_NO_VECTOR);
    uint16_t vector = r->dev.caps.msix_enabled ? 0 : VIRTIO_NO_VECTOR;
    if ((err = virtio_queue_setup(&r->dev, 0, &r->vq, mem, phys, QUEUE_SIZE, vector)) < 0) {
        virtio_fail(&r->dev);
        *why = "cannot set up the request queue";
        return err;
    }
    r->in_flight = 0;
    r->head = r->count = 0;
    r->device_bytes = 0;
    virtio_driver_ok(&r->dev);
    rngdev_refill(r);
    return 0;
}

void rngdev_refill(struct rngdev *r)
{
    bool offered = false;
    for (unsigned i = 0; i < RNG_BUFS; i++) {
        struct rng_buf *b = &r->buf[i];
        unsigned promised = (r->in_flight + 1) * RNG_BUF_BYTES;
        if (b->busy || r->count + promised > RNG_POOL_BYTES)
            continue;
        struct virtq_buf vb = {b->phys, RNG_BUF_BYTES, true};
        if (virtq_add(&r->vq, &vb, 1, b) < 0)
            break; /* the queue is full: cannot happen with QUEUE_SIZE >= RNG_BUFS */
        b->busy = true;
        r->in_flight++;
        offered = true;
    }
    if (offered && virtq_should_notify(&r->vq))
        virtio_notify(&r->dev, 0);
}

/* Append n bytes to the pool (the caller made sure they fit). */
static void put(struct rngdev *r, const uint8_t *src, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        r->pool[(r->head + r->count + i) % RNG_POOL_BYTES] = src[i];
    r->count += n;
}

unsigned rngdev_collect(struct rngdev *r, bool *broken)
{
    unsigned total = 0;
    uint32_t len;
    struct rng_buf *b;
    while ((b = virtq_get_used(&r->vq, &len, broken)) != NULL) {
        if (len > RNG_BUF_BYTES) { /* a device claiming more than the buffer holds */
            *broken = true;
            len = RNG_BUF_BYTES;
        }
        put(r, b->mem, len);
        b->busy = false;
        r->in_flight--;
        total += len;
    }
    r->device_bytes += total;
    return total;
}

unsigned rngdev_available(const struct rngdev *r)
{
    return r->count;
}

void rngdev_take(struct rngdev *r, uint8_t *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        out[i] = r->pool[r->head];
        r->pool[r->head] = 0; /* handed out once: not kept */
        r->head = (r->head + 1) % RNG_POOL_BYTES;
    }
    r->count -= n;
}
