/*
 * virtq.c - the split virtqueue (virtq.h): the free-descriptor list, chains,
 * the available ring the driver fills and the used ring the device fills
 * (OS concept: a device's request queue in shared DMA memory).
 *
 * Memory ordering is what makes a shared ring work.  The device may look at
 * the rings at any moment, so (virtio 1.2, sections 2.7.13 and 2.7.14):
 *   - the descriptors and the ring entry must be in memory before the new
 *     avail->idx is (a write barrier between them);
 *   - avail->idx must be in memory before we read used->flags to decide
 *     whether to notify (a full barrier: a store followed by a load);
 *   - we must read used->idx before the used entries it covers (a read
 *     barrier).
 * On x86 the first and third need only stop the compiler from reordering;
 * the second needs a real fence (mfence), which __atomic_thread_fence gives.
 */
#include "virtq.h"

static bool power_of_two(unsigned n)
{
    return n != 0 && (n & (n - 1)) == 0;
}

static size_t page_up(size_t n)
{
    return (n + 4095) & ~(size_t)4095;
}

struct virtq_layout virtq_layout(uint16_t size)
{
    struct virtq_layout l;
    l.desc_off = 0;
    l.avail_off = page_up(sizeof(struct virtq_desc) * size);
    /* flags, idx, ring[size], used_event */
    l.used_off = l.avail_off + page_up(sizeof(uint16_t) * (3 + (size_t)size));
    /* flags, idx, ring[size], avail_event */
    l.total = l.used_off + page_up(2 * sizeof(uint16_t) + sizeof(struct virtq_used_elem) * size +
                                   sizeof(uint16_t));
    return l;
}

int virtq_init(struct virtq *vq, uint16_t size, void *mem)
{
    if (!power_of_two(size) || size > VIRTQ_MAX_SIZE)
        return -MICA_EINVAL;
    struct virtq_layout l = virtq_layout(size);
    uint8_t *base = mem;
    vq->size = size;
    vq->desc = (volatile struct virtq_desc *)(base + l.desc_off);
    vq->avail = (volatile struct virtq_avail *)(base + l.avail_off);
    vq->used = (volatile struct virtq_used *)(base + l.used_off);
    /* Every descriptor is free; the free list runs 0 -> 1 -> ... -> size-1. */
    for (uint16_t i = 0; i < size; i++) {
        vq->desc[i].next = (uint16_t)(i + 1 < size ? i + 1 : 0);
        vq->chain_len[i] = 0;
        vq->token[i] = NULL;
    }
    vq->free_head = 0;
    vq->num_free = size;
    vq->avail_idx = 0;
    vq->last_used = 0;
    vq->avail->flags = 0;
    vq->avail->idx = 0;
    return 0;
}

/* Readable buffers must all come before the writable ones in a chain. */
static bool order_ok(const struct virtq_buf *bufs, unsigned n)
{
    bool seen_writable = false;
    for (unsigned i = 0; i < n; i++) {
        if (!bufs[i].device_writes && seen_writable)
            return false;
        seen_writable = seen_writable || bufs[i].device_writes;
    }
    return true;
}

int virtq_add(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *token)
{
    if (n == 0 || token == NULL || !order_ok(bufs, n))
        return -MICA_EINVAL;
    if (n > vq->num_free)
        return -MICA_ENOSPC;
    /* Take n descriptors off the free list and fill them as one chain. */
    uint16_t head = vq->free_head, d = head;
    for (unsigned i = 0; i < n; i++) {
        volatile struct virtq_desc *desc = &vq->desc[d];
        uint16_t next_free = desc->next;
        desc->addr = bufs[i].addr;
        desc->len = bufs[i].len;
        desc->flags = (uint16_t)((bufs[i].device_writes ? VIRTQ_DESC_F_WRITE : 0) |
                                 (i + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
        /* A chain's links are the free list's links: the next free one is next. */
        if (i + 1 < n)
            d = next_free;
        else
            vq->free_head = next_free;
    }
    vq->num_free = (uint16_t)(vq->num_free - n);
    vq->chain_len[head] = (uint16_t)n;
    vq->token[head] = token;
    /* Offer the head: ring entry first, then (after a barrier) the index. */
    vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    vq->avail_idx++;
    vq->avail->idx = vq->avail_idx;
    return head;
}

bool virtq_should_notify(struct virtq *vq)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    return (vq->used->flags & VIRTQ_USED_F_NO_NOTIFY) == 0;
}

/* Put the chain that starts at head back on the free list. */
static void free_chain(struct virtq *vq, uint16_t head)
{
    uint16_t last = head;
    for (uint16_t i = 1; i < vq->chain_len[head]; i++)
        last = vq->desc[last].next;
    vq->desc[last].next = vq->free_head;
    vq->free_head = head;
    vq->num_free = (uint16_t)(vq->num_free + vq->chain_len[head]);
    vq->chain_len[head] = 0;
    vq->token[head] = NULL;
}

void *virtq_get_used(struct virtq *vq, uint32_t *len, bool *broken)
{
    uint16_t device_idx = vq->used->idx;
    if (device_idx == vq->last_used)
        return NULL;
    /* A device may never claim more than we offered. */
    if ((uint16_t)(device_idx - vq->last_used) > (uint16_t)(vq->avail_idx - vq->last_used)) {
        *broken = true;
        return NULL;
    }
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the entries after the index */
    volatile struct virtq_used_elem *e = &vq->used->ring[vq->last_used & (vq->size - 1)];
    uint32_t id = e->id;
    *len = e->len;
    if (id >= vq->size || vq->chain_len[id] == 0) {
        *broken = true; /* not the head of a chain in flight */
        return NULL;
    }
    vq->last_used++;
    void *token = vq->token[id];
    free_chain(vq, (uint16_t)id);
    return token;
}

unsigned virtq_in_flight(const struct virtq *vq)
{
    return (uint16_t)(vq->avail_idx - vq->last_used);
}
