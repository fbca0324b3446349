/*
 * test_virtq.c - host tests of the split virtqueue (drivers/virtio/virtq.c).
 *
 * The test plays the device: it reads the available ring and the descriptor
 * chains the way a virtio device does, and writes used entries in any order
 * it likes.  Checked: chains and their flags, completion out of order, the
 * free list after many rounds, wrap-around of the 16-bit indices, running out
 * of descriptors, bad arguments, and a device that returns nonsense.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "unit.h"
#include "../../drivers/virtio/virtq.h"

/* The device's side of one queue. */
struct fake_device {
    struct virtq *vq;  /* to reach the shared rings only */
    uint16_t seen;     /* available entries consumed */
    uint16_t used_idx; /* used entries published */
};

static void *queue_mem(uint16_t size)
{
    struct virtq_layout l = virtq_layout(size);
    return aligned_alloc(4096, l.total);
}

static struct virtq *new_queue(uint16_t size, struct fake_device *dev)
{
    struct virtq *vq = calloc(1, sizeof *vq);
    void *mem = queue_mem(size);
    memset(mem, 0, virtq_layout(size).total);
    CHECK_EQ(virtq_init(vq, size, mem), 0);
    *dev = (struct fake_device){vq, 0, 0};
    return vq;
}

static void free_queue(struct virtq *vq)
{
    free((void *)vq->desc);
    free(vq);
}

/* The device takes the next offered head, or -1. */
static int device_next_head(struct fake_device *dev)
{
    if (dev->seen == dev->vq->avail->idx)
        return -1;
    uint16_t head = dev->vq->avail->ring[dev->seen & (dev->vq->size - 1)];
    dev->seen++;
    return head;
}

/* The device walks a chain: how many descriptors, and the sum of the addresses. */
static unsigned device_walk(struct fake_device *dev, uint16_t head, uint64_t *addr_sum)
{
    unsigned n = 0;
    uint16_t d = head;
    *addr_sum = 0;
    for (;;) {
        n++;
        *addr_sum += dev->vq->desc[d].addr;
        if (!(dev->vq->desc[d].flags & VIRTQ_DESC_F_NEXT) || n > dev->vq->size)
            break;
        d = dev->vq->desc[d].next;
    }
    return n;
}

static void device_complete(struct fake_device *dev, uint32_t head, uint32_t len)
{
    volatile struct virtq_used_elem *e = &dev->vq->used->ring[dev->used_idx & (dev->vq->size - 1)];
    e->id = head;
    e->len = len;
    dev->used_idx++;
    dev->vq->used->idx = dev->used_idx;
}

static void test_layout(void)
{
    struct virtq_layout l = virtq_layout(256);
    CHECK_EQ(l.desc_off, 0);
    CHECK(l.avail_off >= 256 * 16 && l.avail_off % 4096 == 0);
    CHECK(l.used_off >= l.avail_off + 2 * (3 + 256) && l.used_off % 4096 == 0);
    CHECK(l.total >= l.used_off + 4 + 8 * 256 + 2);
    struct virtq vq;
    char mem[16];
    CHECK_EQ(virtq_init(&vq, 0, mem), -MICA_EINVAL);
    CHECK_EQ(virtq_init(&vq, 24, mem), -MICA_EINVAL);
    CHECK_EQ(virtq_init(&vq, 512, mem), -MICA_EINVAL);
}

static void test_one_chain(void)
{
    struct fake_device dev;
    struct virtq *vq = new_queue(8, &dev);
    int token = 7;
    struct virtq_buf bufs[3] = {{0x1000, 16, false}, {0x20000, 4096, true}, {0x1010, 1, true}};
    int head = virtq_add(vq, bufs, 3, &token);
    CHECK(head >= 0 && head < 8);
    CHECK_EQ(vq->avail->idx, 1);
    CHECK_EQ(vq->num_free, 5);
    CHECK_EQ(virtq_in_flight(vq), 1);
    CHECK(virtq_should_notify(vq));
    vq->used->flags = VIRTQ_USED_F_NO_NOTIFY;
    CHECK(!virtq_should_notify(vq));
    vq->used->flags = 0;
    /* The device sees the chain as it was built. */
    CHECK_EQ(device_next_head(&dev), head);
    uint16_t d0 = (uint16_t)head, d1 = vq->desc[d0].next, d2 = vq->desc[d1].next;
    CHECK_EQ(vq->desc[d0].addr, 0x1000);
    CHECK_EQ(vq->desc[d0].len, 16);
    CHECK_EQ(vq->desc[d0].flags, VIRTQ_DESC_F_NEXT);
    CHECK_EQ(vq->desc[d1].addr, 0x20000);
    CHECK_EQ(vq->desc[d1].flags, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE);
    CHECK_EQ(vq->desc[d2].len, 1);
    CHECK_EQ(vq->desc[d2].flags, VIRTQ_DESC_F_WRITE);
    /* Nothing used yet. */
    uint32_t len = 99;
    bool broken = false;
    CHECK(virtq_get_used(vq, &len, &broken) == NULL);
    CHECK(!broken);
    device_complete(&dev, (uint32_t)head, 4097);
    CHECK(virtq_get_used(vq, &len, &broken) == &token);
    CHECK_EQ(len, 4097);
    CHECK(!broken);
    CHECK_EQ(vq->num_free, 8);
    CHECK_EQ(virtq_in_flight(vq), 0);
    CHECK(virtq_get_used(vq, &len, &broken) == NULL);
    free_queue(vq);
}

static void test_bad_arguments(void)
{
    struct fake_device dev;
    struct virtq *vq = new_queue(8, &dev);
    int token;
    struct virtq_buf wrong_order[2] = {{0x1000, 8, true}, {0x2000, 8, false}};
    CHECK_EQ(virtq_add(vq, wrong_order, 2, &token), -MICA_EINVAL);
    CHECK_EQ(virtq_add(vq, wrong_order, 0, &token), -MICA_EINVAL);
    CHECK_EQ(virtq_add(vq, wrong_order, 1, NULL), -MICA_EINVAL);
    CHECK_EQ(vq->num_free, 8);
    CHECK_EQ(vq->avail->idx, 0);
    free_queue(vq);
}

/* Full queue: ENOSPC, nothing changes; one completion makes room again. */
static void test_out_of_descriptors(void)
{
    struct fake_device dev;
    struct virtq *vq = new_queue(8, &dev);
    int tokens[4];
    struct virtq_buf bufs[3] = {{0x1000, 16, false}, {0x2000, 512, true}, {0x3000, 1, true}};
    int h0 = virtq_add(vq, bufs, 3, &tokens[0]);
    int h1 = virtq_add(vq, bufs, 3, &tokens[1]);
    CHECK(h0 >= 0 && h1 >= 0 && h0 != h1);
    CHECK_EQ(vq->num_free, 2);
    CHECK_EQ(virtq_add(vq, bufs, 3, &tokens[2]), -MICA_ENOSPC);
    CHECK_EQ(vq->num_free, 2);
    CHECK_EQ(vq->avail->idx, 2);
    int h2 = virtq_add(vq, bufs, 2, &tokens[2]); /* two still fit */
    CHECK(h2 >= 0);
    CHECK_EQ(vq->num_free, 0);
    CHECK_EQ(virtq_add(vq, bufs, 1, &tokens[3]), -MICA_ENOSPC);
    for (int i = 0; i < 3; i++)
        CHECK(device_next_head(&dev) >= 0);
    device_complete(&dev, (uint32_t)h1, 0);
    uint32_t len;
    bool broken = false;
    CHECK(virtq_get_used(vq, &len, &broken) == &tokens[1]);
    CHECK_EQ(vq->num_free, 3);
    CHECK(virtq_add(vq, bufs, 3, &tokens[3]) >= 0);
    CHECK_EQ(vq->num_free, 0);
    free_queue(vq);
}

/*
 * Many rounds with chains of 1 to 4 descriptors, completed in a shuffled
 * order, for more than 2^16 chains: the indices wrap several times.  Every
 * token comes back exactly once, and the device always sees the addresses
 * the driver wrote.
 */
static void test_out_of_order_and_wrap(void)
{
    struct fake_device dev;
    struct virtq *vq = new_queue(16, &dev);
    enum { ROUNDS = 200000 };
    static uint64_t tokens[ROUNDS];
    uint32_t pending[16];
    uint64_t expect_sum[16];
    unsigned npending = 0, completed = 0, started = 0;
    unsigned seed = 12345;
    bool broken = false;
    while (completed < ROUNDS) {
        /* Offer chains until the queue refuses. */
        while (started < ROUNDS) {
            unsigned n = 1 + (seed = seed * 1103515245 + 12345) % 4;
            struct virtq_buf bufs[4];
            uint64_t sum = 0;
            for (unsigned i = 0; i < n; i++) {
                bufs[i] = (struct virtq_buf){(uint64_t)started * 64 + i, 8, i > 0};
                sum += bufs[i].addr;
            }
            tokens[started] = started;
            int head = virtq_add(vq, bufs, n, &tokens[started]);
            if (head == -MICA_ENOSPC)
                break;
            CHECK(head >= 0);
            int seen = device_next_head(&dev);
            CHECK_EQ(seen, head);
            uint64_t walked;
            CHECK_EQ(device_walk(&dev, (uint16_t)head, &walked), n);
            CHECK_EQ(walked, sum);
            pending[npending] = (uint32_t)head;
            expect_sum[npending] = started;
            npending++;
            started++;
        }
        /* Complete a random one of those pending (out of order). */
        unsigned pick = (seed = seed * 1103515245 + 12345) % npending;
        device_complete(&dev, pending[pick], (uint32_t)expect_sum[pick]);
        uint32_t len = 0;
        uint64_t *t = virtq_get_used(vq, &len, &broken);
        CHECK(t != NULL);
        if (t == NULL)
            break;
        CHECK_EQ(*t, expect_sum[pick]);
        CHECK_EQ(len, (uint32_t)expect_sum[pick]);
        *t = UINT64_MAX; /* taken: a second return would be caught */
        pending[pick] = pending[npending - 1];
        expect_sum[pick] = expect_sum[npending - 1];
        npending--;
        completed++;
    }
    CHECK(!broken);
    CHECK_EQ(completed, ROUNDS);
    CHECK_EQ(vq->num_free, 16);
    CHECK_EQ(virtq_in_flight(vq), 0);
    CHECK_EQ(vq->avail_idx, (uint16_t)ROUNDS); /* wrapped: 200000 mod 65536 */
    for (unsigned i = 0; i < ROUNDS; i++)
        CHECK_EQ(tokens[i], UINT64_MAX);
    free_queue(vq);
}

/* A device that names a descriptor no chain starts at, or runs ahead, is caught. */
static void test_broken_device(void)
{
    struct fake_device dev;
    struct virtq *vq = new_queue(8, &dev);
    int token;
    struct virtq_buf bufs[2] = {{0x1000, 16, false}, {0x2000, 1, true}};
    int head = virtq_add(vq, bufs, 2, &token);
    uint32_t len;
    bool broken = false;
    device_complete(&dev, (uint32_t)(head + 1) % 8, 0); /* inside the chain, not its head */
    CHECK(virtq_get_used(vq, &len, &broken) == NULL);
    CHECK(broken);
    broken = false;
    dev.vq->used->ring[0].id = 1000; /* out of range */
    CHECK(virtq_get_used(vq, &len, &broken) == NULL);
    CHECK(broken);
    broken = false;
    dev.vq->used->idx = 5; /* more than was ever offered */
    CHECK(virtq_get_used(vq, &len, &broken) == NULL);
    CHECK(broken);
    CHECK_EQ(vq->num_free, 6); /* the real chain is still in flight */
    free_queue(vq);
}

int main(void)
{
    unit_run("virtq", "layout_and_sizes", test_layout);
    unit_run("virtq", "one_chain", test_one_chain);
    unit_run("virtq", "bad_arguments", test_bad_arguments);
    unit_run("virtq", "out_of_descriptors", test_out_of_descriptors);
    unit_run("virtq", "out_of_order_and_wrap", test_out_of_order_and_wrap);
    unit_run("virtq", "broken_device", test_broken_device);
    return unit_exit_code();
}
