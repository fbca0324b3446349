/*
 * blkdev.h - the virtio-blk device as the driver sees it: its geometry and
 * features, and requests in flight on its one virtqueue (OS concepts: a
 * device controller's command queue, DMA, several I/O requests in flight).
 *
 * A virtio-blk request is a chain of descriptors (virtio 1.2, 5.2.6):
 *
 *   header  16 bytes the device reads: le32 type, le32 reserved, le64 sector
 *   data    the sectors: the device reads them (write) or writes them (read);
 *           here the client's own DMA memory, so nothing is copied
 *   status  1 byte the device writes: 0 OK, 1 IOERR, 2 UNSUPP
 *
 * The headers and status bytes live in the driver's "dma" memory, one per
 * request slot; the data descriptors point straight at the client's buffer.
 */
#ifndef VIRTIO_BLK_BLKDEV_H
#define VIRTIO_BLK_BLKDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <mica.h>
#include "../virtio/transport.h"

/* Request types and status values (virtio 1.2, 5.2.6). */
#define VIRTIO_BLK_T_IN     0
#define VIRTIO_BLK_T_OUT    1
#define VIRTIO_BLK_T_FLUSH  4
#define VIRTIO_BLK_T_GET_ID 8
#define VIRTIO_BLK_S_OK     0
#define VIRTIO_BLK_S_IOERR  1
#define VIRTIO_BLK_S_UNSUPP 2

/* Feature bits (virtio 1.2, 5.2.3). */
#define VIRTIO_BLK_F_SIZE_MAX (1ull << 1)
#define VIRTIO_BLK_F_SEG_MAX  (1ull << 2)
#define VIRTIO_BLK_F_RO       (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH    (1ull << 9)

#define BLK_SECTOR      512u
#define BLK_SLOTS       64   /* requests in flight at most */
#define BLK_MAX_SEGS    8    /* data descriptors per request at most */
#define BLK_MAX_SECTORS 8192 /* 4 MiB: the largest contiguous buffer there is */
#define BLK_ID_BYTES    20   /* GET_ID answers a serial of up to 20 bytes */

/* One request slot: its header and status in DMA memory, and who waits for it. */
struct blk_slot {
    bool busy;
    volatile struct blk_req_header *header;
    volatile uint8_t *status;
    uint64_t header_phys, status_phys;
    mica_handle_t reply;    /* the caller's reply handle (SYS_REPLY_TAKE), 0 for the driver's own */
    mica_handle_t buf;      /* the client's buffer, closed when the request is done */
    struct mica_msg answer; /* the reply to send if the device says OK */
};

struct blk_req_header {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};

struct blkdev {
    struct virtio_dev dev;
    struct virtq vq;
    uint64_t capacity; /* sectors of 512 bytes */
    uint32_t max_sectors;
    uint32_t size_max; /* bytes per data descriptor at most */
    unsigned max_segs;
    bool read_only, can_flush;
    char serial[BLK_ID_BYTES + 1];
    struct blk_slot slot[BLK_SLOTS];
    uint8_t *id_buf; /* for GET_ID, in DMA memory */
    uint64_t id_phys;
};

/*
 * Bring the device up from the handles in st: map it, reset it (a crashed
 * predecessor may have left it running), negotiate, read the configuration,
 * set up the queue in the "dma" memory and set DRIVER_OK.  The queue's
 * interrupts go to MSI-X vector 0 (bit 0 of "irq_note").  0 or an error with
 * *why saying what went wrong.
 */
int blkdev_start(struct blkdev *b, const struct mica_server_start *st, const char **why);

/* Whether a slot and enough descriptors for the largest request are free. */
bool blkdev_has_room(const struct blkdev *b);

/* A free slot (blkdev_has_room() said there is one). */
struct blk_slot *blkdev_slot(struct blkdev *b);

/*
 * Hand a request to the device: type VIRTIO_BLK_T_*, from sector on, data of
 * bytes bytes at physical address data_phys (none for a flush).  The slot
 * must have been taken with blkdev_slot().  0 or -MICA_ENOSPC.
 */
int blkdev_submit(struct blkdev *b, struct blk_slot *s, uint32_t type, uint64_t sector,
                  uint64_t data_phys, uint32_t bytes);

/*
 * Take one finished request: its slot (still busy: the caller answers and
 * then calls blkdev_release) and the device's status byte.  NULL when none
 * is finished; *broken is set when the device wrote nonsense into the ring.
 */
struct blk_slot *blkdev_complete(struct blkdev *b, uint8_t *status, bool *broken);

void blkdev_release(struct blk_slot *s);

#endif
