/*
 * main.c - the virtio-blk driver: a user-space process that serves
 * idl/blk.idl for one virtio-blk disk (OS concepts: device drivers as
 * isolated processes, asynchronous I/O with several requests in flight,
 * interrupts as messages, micro-reboot).
 *
 * One thread does everything in one loop.  The device's interrupt
 * notification ("irq_note") is bound to it, so interrupts arrive as messages
 * on the same receive as the clients' requests:
 *
 *   a request    the generated dispatcher checks it; the callback checks the
 *                sectors and the buffer, takes the caller's reply handle
 *                (SYS_REPLY_TAKE) and the request goes to the device; the
 *                loop receives the next message at once
 *   an interrupt each finished request is answered through its reply
 *                handle (SYS_REPLY_SEND), with the reply the dispatcher
 *                wrote when it accepted the request, or EIO
 *
 * When every request slot is busy the loop stops receiving and waits for the
 * device: further callers queue on the endpoint (flow control for free).
 *
 * If the driver dies, the kernel closes its reply handles and every caller
 * whose request was in flight gets -MICA_EPIPE and sends it again; the
 * supervisor restarts the driver, which resets the device before anything
 * else.  args=fault-null[:N] / fault-port[:N] make the first life crash after
 * N requests (tests of exactly that).
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <str.h>
#include <thread.h>
#include <idl.h>
#include "blk_server.h"
#include "blkdev.h"

enum fault { FAULT_NONE, FAULT_NULL, FAULT_PORT };

/* A request accepted by a callback, handed to the device by the loop. */
struct pending {
    uint32_t type;
    uint64_t sector, phys;
    uint32_t bytes;
};

struct driver {
    struct blkdev blk;
    mica_handle_t ep, irq_note, irq[4];
    struct mica_ipc_buffer *ipc;
    struct blk_slot *deferred; /* set by a callback that sent its request on */
    struct pending pend;
    uint64_t accepted; /* requests received in this life */
    enum fault fault;
    uint64_t fault_after;
};

static struct driver drv;

/* ---- The protocol's callbacks ---- */

static int disk_info(void *ctx, struct blk_info_out *out)
{
    struct driver *d = ctx;
    out->sectors = d->blk.capacity;
    out->sector_size = BLK_SECTOR;
    out->max_sectors = d->blk.max_sectors;
    out->read_only = d->blk.read_only;
    mica_snprintf(out->model, sizeof out->model, "virtio-blk%s%s", d->blk.serial[0] ? " " : "",
                  d->blk.serial);
    return 0;
}

/*
 * The checks the interface cannot express: the sectors lie on the disk, the
 * range lies inside the client's buffer, and the buffer is DMA memory whose
 * physical address we may learn.  0 and *phys, or the error.
 */
static int check_io(struct driver *d, uint64_t sector, uint32_t count, mica_handle_t buf,
                    uint64_t offset, uint64_t *phys)
{
    if (count == 0 || count > d->blk.max_sectors)
        return -MICA_EINVAL;
    if (sector >= d->blk.capacity || count > d->blk.capacity - sector)
        return -MICA_EINVAL;
    uint64_t bytes = (uint64_t)count * BLK_SECTOR;
    int64_t size = mica_vmo_size(buf);
    if (size < 0 || offset > (uint64_t)size || bytes > (uint64_t)size - offset)
        return -MICA_EINVAL;
    int64_t pa = mica_vmo_phys_addr(buf); /* EINVAL for anonymous (scattered) memory */
    if (pa < 0)
        return -MICA_EINVAL;
    *phys = (uint64_t)pa + offset;
    return 0;
}

/* Accept a request for the device: a slot, the caller's reply handle, the buffer kept. */
static int defer(struct driver *d, uint32_t type, uint64_t sector, uint64_t phys, uint32_t bytes,
                 mica_handle_t buf)
{
    int64_t reply = mica_reply_take();
    if (reply < 0) { /* the kernel has already told the caller (EPIPE) */
        mica_idl_close_if_set(buf);
        return -MICA_EIO;
    }
    struct blk_slot *s = blkdev_slot(&d->blk); /* the loop made sure one is free */
    s->reply = (mica_handle_t)reply;
    s->buf = buf;
    d->pend = (struct pending){type, sector, phys, bytes};
    d->deferred = s;
    return 0;
}

static int start_io(struct driver *d, uint32_t type, uint64_t sector, uint32_t count,
                    mica_handle_t buf, uint64_t offset)
{
    uint64_t phys = 0;
    int err = type == VIRTIO_BLK_T_OUT && d->blk.read_only
                  ? -MICA_EPERM
                  : check_io(d, sector, count, buf, offset, &phys);
    if (err < 0) {
        mica_handle_close(buf);
        return err;
    }
    return defer(d, type, sector, phys, count * BLK_SECTOR, buf);
}

static int disk_read(void *ctx, const struct blk_read_in *in, struct blk_read_out *out)
{
    out->done = in->count; /* the answer if the device succeeds */
    return start_io(ctx, VIRTIO_BLK_T_IN, in->sector, in->count, in->buf, in->offset);
}

static int disk_write(void *ctx, const struct blk_write_in *in, struct blk_write_out *out)
{
    out->done = in->count;
    return start_io(ctx, VIRTIO_BLK_T_OUT, in->sector, in->count, in->buf, in->offset);
}

static int disk_flush(void *ctx)
{
    struct driver *d = ctx;
    if (!d->blk.can_flush) /* no volatile write cache: every finished write is durable */
        return 0;
    return defer(d, VIRTIO_BLK_T_FLUSH, 0, 0, 0, 0);
}

static const struct blk_server ops = {
    .info = disk_info, .read = disk_read, .write = disk_write, .flush = disk_flush};

/* ---- Completions ---- */

/* Answer the caller of a finished request and free its slot. */
static void finish(struct blk_slot *s, uint8_t status)
{
    struct mica_msg m = s->answer;
    if (status != VIRTIO_BLK_S_OK)
        mica_idl_error_reply(&m, -MICA_EIO);
    if (s->reply) {
        mica_reply_send(s->reply, &m); /* fails only if the caller is gone: nothing to do */
        mica_handle_close(s->reply);
    }
    mica_idl_close_if_set(s->buf);
    blkdev_release(s);
}

static void on_interrupt(struct driver *d, uint64_t bits)
{
    if (!d->blk.dev.caps.msix_enabled)
        (void)virtio_isr(&d->blk.dev); /* reading it lowers a shared interrupt line */
    uint8_t status;
    bool broken = false;
    struct blk_slot *s;
    while ((s = blkdev_complete(&d->blk, &status, &broken)) != NULL)
        finish(s, status);
    if (broken) { /* a confused device: crash, and the supervisor restarts us with a reset */
        virtio_fail(&d->blk.dev);
        mica_panic("virtio-blk: the device wrote nonsense into the used ring");
    }
    for (unsigned k = 0; k < 4; k++)
        if ((bits & (1ull << k)) && d->irq[k])
            mica_irq_ack(d->irq[k]);
}

/* Hand the request a callback accepted to the device, with the reply to send when it is done. */
static void submit(struct driver *d, const struct mica_msg *answer)
{
    struct blk_slot *s = d->deferred;
    s->answer = *answer;
    if (blkdev_submit(&d->blk, s, d->pend.type, d->pend.sector, d->pend.phys, d->pend.bytes) < 0)
        finish(s, VIRTIO_BLK_S_IOERR); /* cannot happen: the loop checked for room */
}

/* ---- Deliberate faults (tests) ---- */

static void parse_fault(struct driver *d, const struct mica_server_start *st)
{
    const char *a = st->args;
    d->fault = strncmp(a, "fault-null", 10) == 0   ? FAULT_NULL
               : strncmp(a, "fault-port", 10) == 0 ? FAULT_PORT
                                                   : FAULT_NONE;
    d->fault_after = a[10] == ':' ? strtoul(a + 11, 0, 10) : 50;
    if (st->restarts > 0) /* only the first life crashes */
        d->fault = FAULT_NONE;
}

static void maybe_fault(struct driver *d)
{
    if (d->fault == FAULT_NONE || d->accepted != d->fault_after)
        return;
    mica_printf("virtio-blk: deliberate fault after %lu requests, %u in flight\n", d->accepted,
                virtq_in_flight(&d->blk.vq));
    if (d->fault == FAULT_NULL)
        *(volatile int *)0 = 1;
    uint8_t v;
    __asm__ volatile("inb $0x70, %0" : "=a"(v)); /* the CMOS port, which is not ours */
    mica_printf("virtio-blk: read port 0x70 (%u) - that must not happen\n", v);
}

/* ---- Start-up and the loop ---- */

static int setup(struct driver *d, const struct mica_server_start *st)
{
    const char *why = "";
    mica_handle_t self = mica_start_handle(st, "self");
    d->ep = mica_start_handle(st, "blk");
    d->irq_note = mica_start_handle(st, "irq_note");
    for (unsigned k = 0; k < 4; k++) {
        char name[5] = {'i', 'r', 'q', (char)('0' + k), 0};
        d->irq[k] = mica_start_handle(st, name);
    }
    if (!d->ep || !d->irq_note || mica_runtime_init(self) < 0) {
        mica_printf("virtio-blk: needs the handles \"blk\" and \"irq_note\"\n");
        return -MICA_ENOENT;
    }
    d->ipc = mica_thread_ipc_buffer();
    int err = blkdev_start(&d->blk, st, &why);
    if (err < 0) {
        mica_printf("virtio-blk: %s (error %d)\n", why, err);
        return err;
    }
    if (mica_notify_bind(d->irq_note, MICA_THREAD_SELF) < 0 || !d->ipc)
        return -MICA_ENOMEM;
    parse_fault(d, st);
    mica_printf("virtio-blk: ready (life %u): %lu sectors of %u bytes, %s%s, "
                "%u requests of up to %u sectors in flight, MSI-X %s, serial \"%s\"\n",
                st->restarts, d->blk.capacity, BLK_SECTOR,
                d->blk.read_only ? "read-only" : "read-write", d->blk.can_flush ? ", flush" : "",
                BLK_SLOTS, d->blk.max_sectors, d->blk.dev.caps.msix_enabled ? "on" : "off",
                d->blk.serial);
    return 0;
}

static void serve(struct driver *d)
{
    for (;;) {
        struct mica_msg m;
        if (!blkdev_has_room(&d->blk)) { /* full: let callers wait on the endpoint */
            int64_t bits = mica_notify_wait(d->irq_note);
            if (bits > 0)
                on_interrupt(d, (uint64_t)bits);
            continue;
        }
        if (mica_recv(d->ep, &m) < 0)
            return;
        if (mica_tag_label(m.tag) == MICA_MSG_NOTIFY) {
            on_interrupt(d, m.w[0]);
            continue;
        }
        d->accepted++;
        maybe_fault(d);
        d->deferred = NULL;
        blk_dispatch(&ops, d, &m, d->ipc);
        if (d->deferred)
            submit(d, &m);
        else
            mica_reply(&m);
    }
}

int main(const struct mica_server_start *st)
{
    if (setup(&drv, st) < 0)
        return 1;
    serve(&drv);
    mica_printf("virtio-blk: receiving failed; stopping\n");
    return 1;
}
