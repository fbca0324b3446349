/*
 * virtq.h - the split virtqueue of virtio 1.x: how a driver hands buffers to
 * a device and gets them back (OS concept: a device controller's request
 * queue in shared memory, the producer/consumer ring of DMA descriptors).
 *
 * A split virtqueue lives in memory both sides can reach (DMA memory) and has
 * three parts (virtio 1.2, section 2.7):
 *
 *   descriptor table  size entries {addr, len, flags, next}: one buffer each;
 *                     a request is a chain of them linked by `next`
 *   available ring    written by the driver: the heads of chains it offers,
 *                     and idx, the number of entries it has ever offered
 *   used ring         written by the device: {id = head, len = bytes written}
 *                     of chains it is done with, and its own idx
 *
 * Both idx counters run freely and wrap at 2^16; the ring slot is idx modulo
 * size (a power of two, so the wrap needs no special case).  Descriptors
 * not in any chain form a free list through their `next` fields.
 *
 * This file is pure code: no system calls, so the host tests
 * (tests/host/test_virtq.c) play the device.  The transport
 * (transport.h) tells the device where the three parts are.
 */
#ifndef VIRTIO_VIRTQ_H
#define VIRTIO_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <abi/mica/syscall.h>

/* The largest queue this library drives (the device may offer more). */
#define VIRTQ_MAX_SIZE 256

/* Descriptor flags. */
#define VIRTQ_DESC_F_NEXT  1 /* the chain goes on in `next` */
#define VIRTQ_DESC_F_WRITE 2 /* the device writes this buffer (else it reads it) */

/* The available ring's flag: the driver does not want interrupts. */
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1
/* The used ring's flag: the device does not need to be notified. */
#define VIRTQ_USED_F_NO_NOTIFY 1

/* The layouts the specification fixes; all fields little-endian (x86 is). */
struct virtq_desc {
    uint64_t addr; /* physical address of the buffer */
    uint32_t len;
    uint16_t flags;
    uint16_t next;
};

struct virtq_avail {
    uint16_t flags;
    uint16_t idx;
    uint16_t ring[]; /* size entries, then uint16_t used_event (not used here) */
};

struct virtq_used_elem {
    uint32_t id;  /* head of the chain */
    uint32_t len; /* bytes the device wrote into the chain's buffers */
};

struct virtq_used {
    uint16_t flags;
    uint16_t idx;
    struct virtq_used_elem ring[]; /* size entries, then uint16_t avail_event */
};

/* Where the parts go in one block of DMA memory, and how big it is. */
struct virtq_layout {
    size_t desc_off, avail_off, used_off, total;
};

/* One buffer of a chain: physical address, length, and whether the device writes it. */
struct virtq_buf {
    uint64_t addr;
    uint32_t len;
    bool device_writes;
};

struct virtq {
    uint16_t size; /* entries, a power of two */
    volatile struct virtq_desc *desc;
    volatile struct virtq_avail *avail;
    volatile struct virtq_used *used;
    uint16_t free_head;                 /* first free descriptor */
    uint16_t num_free;                  /* how many are free */
    uint16_t avail_idx;                 /* our copy of avail->idx: chains offered so far */
    uint16_t last_used;                 /* used entries taken so far */
    uint16_t chain_len[VIRTQ_MAX_SIZE]; /* per head: descriptors in its chain, 0 if free */
    void *token[VIRTQ_MAX_SIZE];        /* per head: what the caller attached to the chain */
};

/* The layout of a queue of `size` entries (desc 16-, avail 2-, used 4-byte aligned;
 * each part starts on its own 4 KiB page here, which is more than enough). */
struct virtq_layout virtq_layout(uint16_t size);

/* Set up vq over mem (zeroed, at least virtq_layout(size).total bytes, laid out so).
 * -MICA_EINVAL if size is 0, not a power of two or above VIRTQ_MAX_SIZE. */
int virtq_init(struct virtq *vq, uint16_t size, void *mem);

/*
 * Offer a chain of n buffers (device-readable ones first, then device-writable,
 * as the specification requires) and attach token to it.  The chain becomes
 * visible to the device at once (after a write barrier).  Returns the head's
 *  index, -MICA_ENOSPC when fewer than n descriptors are free, -MICA_EINVAL for
 * n == 0, a NULL token, or a readable buffer after a writable one.
 */
int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *token);

/* Whether the device asked to be notified of new chains (full barrier first). */
bool virtq_should_notify(struct virtq *vq);

/*
 * Take one chain the device is done with: its token, and in *len the bytes
 * the device wrote.  NULL when there is none.  A used entry naming no chain
 * in flight (a broken device) gives NULL and sets *broken.
 */
void *virtq_get_used(struct virtq *vq, uint32_t *len, bool *broken);

/* Chains offered and not yet taken back. */
unsigned virtq_in_flight(const struct virtq *vq);

#endif
