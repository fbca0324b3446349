/*
 * blkdev.c - bringing up a virtio-blk device and moving requests through its
 * virtqueue (blkdev.h; OS concepts: device controllers, DMA, I/O queues).
 *
 * The "dma" memory (physically contiguous, kept by the supervisor across
 * restarts of the driver) is laid out as
 *
 *   0       the virtqueue (descriptors, available ring, used ring)
 *   64 KiB  the request slots: 16-byte header and status byte, 32 bytes each
 *   68 KiB  the GET_ID buffer
 */
#include <str.h>
#include "blkdev.h"

#define QUEUE_SIZE   256
#define SLOTS_OFFSET 0x10000
#define ID_OFFSET    0x11000
#define DMA_NEEDED   0x12000

/* Configuration fields (virtio 1.2, 5.2.4). */
#define CFG_CAPACITY 0
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX  12
#define CFG_BLK_SIZE 20

/* Map the "dma" memory and carve it up. */
static int setup_memory(struct blkdev *b, const struct mica_server_start *st, uint8_t **mem,
                        uint64_t *phys, const char **why)
{
    mica_handle_t dma = mica_start_handle(st, "dma"), self = mica_start_handle(st, "self");
    int64_t size = dma ? mica_vmo_size(dma) : -MICA_ENOENT;
    int64_t pa = dma ? mica_vmo_phys_addr(dma) : -MICA_ENOENT;
    if (size < DMA_NEEDED || pa < 0) {
        *why = "no \"dma\" memory of at least 72 KiB";
        return -MICA_ENOENT;
    }
    int64_t at = mica_vm_map(self, dma, 0, 0, DMA_NEEDED, MICA_PROT_READ | MICA_PROT_WRITE);
    if (at < 0) {
        *why = "cannot map the dma memory";
        return (int)at;
    }
    *mem = (uint8_t *)at;
    *phys = (uint64_t)pa;
    /* A predecessor's rings and headers are still there: start from zero. */
    memset(*mem, 0, DMA_NEEDED);
    for (unsigned i = 0; i < BLK_SLOTS; i++) {
        struct blk_slot *s = &b->slot[i];
        uint64_t off = SLOTS_OFFSET + 32ull * i;
        s->header = (volatile struct blk_req_header *)(*mem + off);
        s->status = *mem + off + 16;
        s->header_phys = *phys + off;
        s->status_phys = *phys + off + 16;
    }
    b->id_buf = *mem + ID_OFFSET;
    b->id_phys = *phys + ID_OFFSET;
    return 0;
}

/* Capacity, read-only, flush, and how large one request may be. */
static void read_config(struct blkdev *b)
{
    uint64_t f = b->dev.features;
    b->capacity = virtio_config_read(&b->dev, CFG_CAPACITY, 8);
    b->read_only = (f & VIRTIO_BLK_F_RO) != 0;
    b->can_flush = (f & VIRTIO_BLK_F_FLUSH) != 0;
    b->size_max = BLK_MAX_SECTORS * BLK_SECTOR;
    if (f & VIRTIO_BLK_F_SIZE_MAX) {
        uint32_t sm = (uint32_t)virtio_config_read(&b->dev, CFG_SIZE_MAX, 4);
        if (sm >= BLK_SECTOR && sm < b->size_max)
            b->size_max = sm & ~(BLK_SECTOR - 1);
    }
    b->max_segs = BLK_MAX_SEGS;
    if (f & VIRTIO_BLK_F_SEG_MAX) {
        uint32_t seg = (uint32_t)virtio_config_read(&b->dev, CFG_SEG_MAX, 4);
        if (seg >= 1 && seg < b->max_segs)
            b->max_segs = seg;
    }
    uint64_t most = (uint64_t)b->size_max * b->max_segs / BLK_SECTOR;
    b->max_sectors = most < BLK_MAX_SECTORS ? (uint32_t)most : BLK_MAX_SECTORS;
}

/* The device's serial number (GET_ID), waited for by polling: the server loop is not running yet.
 */
static void read_serial(struct blkdev *b)
{
    struct blk_slot *s = blkdev_slot(b);
    b->serial[0] = 0;
    if (blkdev_submit(b, s, VIRTIO_BLK_T_GET_ID, 0, b->id_phys, BLK_ID_BYTES) < 0)
        return;
    struct blk_slot *done = NULL;
    uint8_t status = VIRTIO_BLK_S_IOERR;
    bool broken = false;
    for (int i = 0; i < 1000 && !done && !broken; i++) {
        done = blkdev_complete(b, &status, &broken);
        if (!done)
            mica_sleep(1000000);
    }
    if (done && status == VIRTIO_BLK_S_OK) {
        for (unsigned i = 0; i < BLK_ID_BYTES; i++) /* printable bytes only; NUL ends it */
            b->serial[i] = b->id_buf[i] >= 0x20 && b->id_buf[i] < 0x7f ? (char)b->id_buf[i] : 0;
        b->serial[BLK_ID_BYTES] = 0;
    }
    if (done)
        blkdev_release(done);
}

int blkdev_start(struct blkdev *b, const struct mica_server_start *st, const char **why)
{
    uint8_t *mem = NULL;
    uint64_t phys = 0;
    int err = virtio_open(&b->dev, st, why);
    if (err < 0)
        return err;
    if ((err = setup_memory(b, st, &mem, &phys, why)) < 0)
        return err;
    uint64_t wanted = VIRTIO_BLK_F_SIZE_MAX | VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO |
                      VIRTIO_BLK_F_BLK_SIZE | VIRTIO_BLK_F_FLUSH;
    if ((err = virtio_start(&b->dev, wanted, "virtio-blk", why)) < 0)
        return err;
    read_config(b);
    /* No configuration-change interrupts: a device that keeps its vector anyway does no harm. */
    if (b->dev.caps.msix_enabled)
        (void)virtio_config_vector(&b->dev, VIRTIO_NO_VECTOR);
    uint16_t vector = b->dev.caps.msix_enabled ? 0 : VIRTIO_NO_VECTOR;
    if ((err = virtio_queue_setup(&b->dev, 0, &b->vq, mem, phys, QUEUE_SIZE, vector)) < 0) {
        virtio_fail(&b->dev);
        *why = "cannot set up the request queue";
        return err;
    }
    virtio_driver_ok(&b->dev);
    read_serial(b);
    return 0;
}

bool blkdev_has_room(const struct blkdev *b)
{
    if (b->vq.num_free < 2 + b->max_segs)
        return false;
    for (unsigned i = 0; i < BLK_SLOTS; i++)
        if (!b->slot[i].busy)
            return true;
    return false;
}

struct blk_slot *blkdev_slot(struct blkdev *b)
{
    for (unsigned i = 0; i < BLK_SLOTS; i++) {
        if (!b->slot[i].busy) {
            b->slot[i].busy = true;
            b->slot[i].reply = 0;
            b->slot[i].buf = 0;
            return &b->slot[i];
        }
    }
    return NULL;
}

int blkdev_submit(struct blkdev *b, struct blk_slot *s, uint32_t type, uint64_t sector,
                  uint64_t data_phys, uint32_t bytes)
{
    struct virtq_buf bufs[2 + BLK_MAX_SEGS];
    unsigned n = 0;
    s->header->type = type;
    s->header->reserved = 0;
    s->header->sector = sector;
    *s->status = 0xff; /* not yet written by the device */
    bufs[n++] = (struct virtq_buf){s->header_phys, sizeof(struct blk_req_header), false};
    /* The data, cut into pieces the device accepts (SIZE_MAX), all of one direction. */
    bool device_writes = type == VIRTIO_BLK_T_IN || type == VIRTIO_BLK_T_GET_ID;
    for (uint32_t done = 0; done < bytes && n < 1 + b->max_segs;) {
        uint32_t piece = bytes - done < b->size_max ? bytes - done : b->size_max;
        bufs[n++] = (struct virtq_buf){data_phys + done, piece, device_writes};
        done += piece;
    }
    bufs[n++] = (struct virtq_buf){s->status_phys, 1, true};
    int head = virtq_add(&b->vq, bufs, n, s);
    if (head < 0)
        return head;
    if (virtq_should_notify(&b->vq))
        virtio_notify(&b->dev, 0);
    return 0;
}

struct blk_slot *blkdev_complete(struct blkdev *b, uint8_t *status, bool *broken)
{
    uint32_t len;
    struct blk_slot *s = virtq_get_used(&b->vq, &len, broken);
    if (s)
        *status = *s->status;
    return s;
}

void blkdev_release(struct blk_slot *s)
{
    s->busy = false;
}
