/*
 * transport.c - the virtio 1.x PCI modern transport (transport.h; OS concept:
 * device controllers driven through memory-mapped registers).
 *
 * Every register is reached through a volatile pointer of the register's own
 * width: the compiler must neither merge, split, reorder nor drop an access
 * to device memory, and a 16-bit register must see a 16-bit access.  The
 * BARs are mapped uncached (devmgr made their VM objects so), so each access
 * goes to the device at once and in program order.
 */
#include "transport.h"

/* The common configuration structure (virtio 1.2, 4.1.4.3). */
#define COMMON_DEVICE_FEATURE_SELECT 0x00
#define COMMON_DEVICE_FEATURE        0x04
#define COMMON_DRIVER_FEATURE_SELECT 0x08
#define COMMON_DRIVER_FEATURE        0x0c
#define COMMON_CONFIG_MSIX_VECTOR    0x10
#define COMMON_NUM_QUEUES            0x12
#define COMMON_DEVICE_STATUS         0x14
#define COMMON_CONFIG_GENERATION     0x15
#define COMMON_QUEUE_SELECT          0x16
#define COMMON_QUEUE_SIZE            0x18
#define COMMON_QUEUE_MSIX_VECTOR     0x1a
#define COMMON_QUEUE_ENABLE          0x1c
#define COMMON_QUEUE_NOTIFY_OFF      0x1e
#define COMMON_QUEUE_DESC            0x20
#define COMMON_QUEUE_DRIVER          0x28
#define COMMON_QUEUE_DEVICE          0x30
#define COMMON_MIN_LENGTH            0x38

static uint8_t rd8(volatile uint8_t *base, uint32_t off)
{
    return *(volatile uint8_t *)(base + off);
}

static uint16_t rd16(volatile uint8_t *base, uint32_t off)
{
    return *(volatile uint16_t *)(base + off);
}

static uint32_t rd32(volatile uint8_t *base, uint32_t off)
{
    return *(volatile uint32_t *)(base + off);
}

static void wr8(volatile uint8_t *base, uint32_t off, uint8_t v)
{
    *(volatile uint8_t *)(base + off) = v;
}

static void wr16(volatile uint8_t *base, uint32_t off, uint16_t v)
{
    *(volatile uint16_t *)(base + off) = v;
}

static void wr32(volatile uint8_t *base, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(base + off) = v;
}

/* A 64-bit register written as two 32-bit halves, low first (4.1.3.1). */
static void wr64(volatile uint8_t *base, uint32_t off, uint64_t v)
{
    wr32(base, off, (uint32_t)v);
    wr32(base, off + 4, (uint32_t)(v >> 32));
}

/* ---- Finding and mapping the structures ---- */

/* The mapped BARs, so that structures sharing a BAR share its mapping. */
struct bar_maps {
    volatile uint8_t *at[6];
    uint64_t size[6];
};

static int map_bar(const struct mica_server_start *st, struct bar_maps *bars, uint8_t bar,
                   const char **why)
{
    if (bars->at[bar])
        return 0;
    char name[5] = {'b', 'a', 'r', (char)('0' + bar), 0};
    mica_handle_t h = mica_start_handle(st, name), self = mica_start_handle(st, "self");
    int64_t size = h ? mica_vmo_size(h) : -MICA_ENOENT;
    if (size <= 0) {
        *why = "a capability names a BAR without a memory handle";
        return -MICA_ENOENT;
    }
    int64_t at = mica_vm_map(self, h, 0, 0, (uint64_t)size, MICA_PROT_READ | MICA_PROT_WRITE);
    if (at < 0) {
        *why = "cannot map a BAR";
        return (int)at;
    }
    bars->at[bar] = (volatile uint8_t *)at;
    bars->size[bar] = (uint64_t)size;
    return 0;
}

/* Map the BAR a structure lies in and return where the structure is, or NULL. */
static volatile uint8_t *map_region(const struct mica_server_start *st, struct bar_maps *bars,
                                    const struct virtio_region *r, uint32_t min_length,
                                    const char **why)
{
    if (map_bar(st, bars, r->bar, why) < 0)
        return NULL;
    uint64_t end = (uint64_t)r->offset + r->length;
    if (r->length < min_length || end > bars->size[r->bar]) {
        *why = "a capability points outside its BAR";
        return NULL;
    }
    return bars->at[r->bar] + r->offset;
}

int virtio_open(struct virtio_dev *d, const struct mica_server_start *st, const char **why)
{
    *d = (struct virtio_dev){0};
    mica_handle_t cfg = mica_start_handle(st, "cfg"), self = mica_start_handle(st, "self");
    if (!cfg || !self) {
        *why = "no \"cfg\" handle (no device= in the manifest?)";
        return -MICA_ENOENT;
    }
    int64_t cfg_at = mica_vm_map(self, cfg, 0, 0, 4096, MICA_PROT_READ);
    if (cfg_at < 0) {
        *why = "cannot map the configuration space";
        return (int)cfg_at;
    }
    int err = virtio_pci_find_caps((const volatile uint8_t *)cfg_at, 4096, &d->caps, why);
    mica_vm_unmap(self, (uint64_t)cfg_at, 4096);
    if (err < 0)
        return err;
    struct bar_maps bars = {0};
    d->common = map_region(st, &bars, &d->caps.common, COMMON_MIN_LENGTH, why);
    d->isr = d->common ? map_region(st, &bars, &d->caps.isr, 1, why) : NULL;
    d->notify = d->isr ? map_region(st, &bars, &d->caps.notify, 2, why) : NULL;
    if (!d->notify)
        return -MICA_EINVAL;
    if (d->caps.device.present && !(d->device = map_region(st, &bars, &d->caps.device, 1, why)))
        return -MICA_EINVAL;
    return 0;
}

/* ---- Status and features ---- */

uint8_t virtio_status(const struct virtio_dev *d)
{
    return rd8(d->common, COMMON_DEVICE_STATUS);
}

static void add_status(struct virtio_dev *d, uint8_t bits)
{
    wr8(d->common, COMMON_DEVICE_STATUS, (uint8_t)(virtio_status(d) | bits));
}

int virtio_reset(struct virtio_dev *d)
{
    wr8(d->common, COMMON_DEVICE_STATUS, 0);
    for (int i = 0; i < 1000; i++) { /* the device says 0 once the reset is done */
        if (virtio_status(d) == 0)
            return 0;
        mica_sleep(1000000);
    }
    return -MICA_ETIMEDOUT;
}

void virtio_fail(struct virtio_dev *d)
{
    add_status(d, VIRTIO_STATUS_FAILED);
}

void virtio_driver_ok(struct virtio_dev *d)
{
    add_status(d, VIRTIO_STATUS_DRIVER_OK);
}

static uint64_t device_features(struct virtio_dev *d)
{
    wr32(d->common, COMMON_DEVICE_FEATURE_SELECT, 0);
    uint64_t low = rd32(d->common, COMMON_DEVICE_FEATURE);
    wr32(d->common, COMMON_DEVICE_FEATURE_SELECT, 1);
    uint64_t high = rd32(d->common, COMMON_DEVICE_FEATURE);
    return high << 32 | low;
}

int virtio_negotiate(struct virtio_dev *d, uint64_t wanted)
{
    add_status(d, VIRTIO_STATUS_ACKNOWLEDGE);
    add_status(d, VIRTIO_STATUS_DRIVER);
    uint64_t offered = device_features(d);
    if (!(offered & VIRTIO_F_VERSION_1)) { /* a legacy-only device: not ours */
        virtio_fail(d);
        return -MICA_EIO;
    }
    d->features = offered & (wanted | VIRTIO_F_VERSION_1);
    wr32(d->common, COMMON_DRIVER_FEATURE_SELECT, 0);
    wr32(d->common, COMMON_DRIVER_FEATURE, (uint32_t)d->features);
    wr32(d->common, COMMON_DRIVER_FEATURE_SELECT, 1);
    wr32(d->common, COMMON_DRIVER_FEATURE, (uint32_t)(d->features >> 32));
    add_status(d, VIRTIO_STATUS_FEATURES_OK);
    if (!(virtio_status(d) & VIRTIO_STATUS_FEATURES_OK)) { /* the device refused the set */
        virtio_fail(d);
        return -MICA_EIO;
    }
    return 0;
}

int virtio_start(struct virtio_dev *d, uint64_t wanted, const char *name, const char **why)
{
    int err = 0;
    for (int attempt = 1; attempt <= 3; attempt++) {
        if ((err = virtio_reset(d)) < 0) {
            *why = "the device does not finish its reset";
            continue;
        }
        if ((err = virtio_negotiate(d, wanted)) == 0)
            return 0;
        *why = "feature negotiation failed (no VIRTIO_F_VERSION_1, or refused)";
        mica_printf("%s: attempt %d: features offered %#lx, status %#x: %s\n", name, attempt,
                    device_features(d), virtio_status(d), *why);
    }
    return err;
}

/* ---- Queues, doorbells, interrupts ---- */

int virtio_config_vector(struct virtio_dev *d, uint16_t vector)
{
    wr16(d->common, COMMON_CONFIG_MSIX_VECTOR, vector);
    return rd16(d->common, COMMON_CONFIG_MSIX_VECTOR) == vector ? 0 : -MICA_EIO;
}

/* The largest power of two that is at most n (n > 0). */
static uint16_t power_of_two_below(uint16_t n)
{
    uint16_t p = 1;
    while ((uint32_t)p * 2 <= n)
        p = (uint16_t)(p * 2);
    return p;
}

int virtio_queue_setup(struct virtio_dev *d, uint16_t index, struct virtq *vq, void *mem,
                       uint64_t phys, uint16_t max_size, uint16_t vector)
{
    if (index >= VIRTIO_MAX_QUEUES || index >= rd16(d->common, COMMON_NUM_QUEUES))
        return -MICA_ENOENT;
    wr16(d->common, COMMON_QUEUE_SELECT, index);
    uint16_t size = rd16(d->common, COMMON_QUEUE_SIZE); /* the device's maximum */
    if (size == 0)
        return -MICA_ENOENT;
    size = power_of_two_below(size < max_size ? size : max_size);
    int err = virtq_init(vq, size, mem);
    if (err < 0)
        return err;
    struct virtq_layout l = virtq_layout(size);
    wr16(d->common, COMMON_QUEUE_SIZE, size);
    wr64(d->common, COMMON_QUEUE_DESC, phys + l.desc_off);
    wr64(d->common, COMMON_QUEUE_DRIVER, phys + l.avail_off);
    wr64(d->common, COMMON_QUEUE_DEVICE, phys + l.used_off);
    if (d->caps.msix_enabled) {
        wr16(d->common, COMMON_QUEUE_MSIX_VECTOR, vector);
        if (rd16(d->common, COMMON_QUEUE_MSIX_VECTOR) != vector)
            return -MICA_EIO; /* the device could not allocate the vector */
    }
    /* Each queue has its own doorbell: notify_off * multiplier into the notify structure. */
    uint32_t doorbell =
        (uint32_t)rd16(d->common, COMMON_QUEUE_NOTIFY_OFF) * d->caps.notify_off_multiplier;
    if ((uint64_t)doorbell + 2 > d->caps.notify.length)
        return -MICA_EIO;
    d->doorbell[index] = d->notify + doorbell;
    wr16(d->common, COMMON_QUEUE_ENABLE, 1);
    return 0;
}

void virtio_notify(struct virtio_dev *d, uint16_t index)
{
    if (index < VIRTIO_MAX_QUEUES && d->doorbell[index])
        wr16(d->doorbell[index], 0, index);
}

uint8_t virtio_isr(struct virtio_dev *d)
{
    return rd8(d->isr, 0);
}

uint64_t virtio_config_read(struct virtio_dev *d, uint32_t offset, unsigned n)
{
    if (!d->device || offset + n > d->caps.device.length)
        return 0;
    uint64_t v;
    uint8_t gen;
    do { /* a multi-byte field may change while we read it: read again if it did */
        gen = rd8(d->common, COMMON_CONFIG_GENERATION);
        v = n == 1   ? rd8(d->device, offset)
            : n == 2 ? rd16(d->device, offset)
            : n == 4
                ? rd32(d->device, offset)
                : (uint64_t)rd32(d->device, offset) | (uint64_t)rd32(d->device, offset + 4) << 32;
    } while (gen != rd8(d->common, COMMON_CONFIG_GENERATION));
    return v;
}
