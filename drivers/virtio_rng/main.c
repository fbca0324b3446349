/*
 * main.c - the virtio-rng driver: a user-space process that serves
 * idl/rng.idl with the random bytes of a virtio entropy device and feeds
 * the kernel's entropy pool with them (OS concepts: device drivers as
 * isolated processes, interrupts as messages, a bounded buffer between a
 * device and its clients, deferred replies, micro-reboot).
 *
 * One thread does everything in one loop; the device's interrupt
 * notification ("irq_note") is bound to it, so interrupts arrive as messages
 * on the same receive as the clients' requests:
 *
 *   a request     when the pool (rngdev.h) holds enough bytes and nobody is
 *                 waiting before it, it is answered at once; otherwise the
 *                 driver takes the caller's reply handle (SYS_REPLY_TAKE)
 *                 and puts it on the waiting list, and receives the next
 *                 message - several callers can wait for the device at once
 *   an interrupt  the filled buffers go into the pool, waiting callers are
 *                 answered in order (SYS_REPLY_SEND), and the freed buffers
 *                 go back to the device
 *   a timeout     every FEED_INTERVAL_NS (and as soon as there are bytes
 *                 after a start) 32 bytes of the pool go to the kernel's
 *                 entropy pool with SYS_ENTROPY_ADD
 *
 * A waiting caller's reply is written by the generated dispatcher too: the
 * driver keeps the request's count and, once the bytes are there, runs the
 * dispatcher again on the same request ("replaying"), which checks it,
 * calls get() and encodes the reply.  No message layout is written by hand.
 *
 * When the waiting list is full the loop stops receiving and waits for the
 * device only: further callers queue on the endpoint.  If the driver dies,
 * the kernel closes its reply handles and every waiting caller gets
 * -MICA_EPIPE and sends again (rng_get_r); the supervisor restarts the
 * driver, which resets the device first.  args=fault-null[:N] makes the
 * first life dereference a null pointer at its N-th request (default 50).
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <str.h>
#include <thread.h>
#include <idl.h>
#include "rng_server.h"
#include "rngdev.h"

#define WAITERS          32          /* callers that can wait for the device at once */
#define FEED_BYTES       32          /* bytes given to the kernel at each feeding */
#define FEED_INTERVAL_NS 3000000000u /* how often */
#define RETRY_NS         10000000u   /* a feeding that found the pool empty tries again */

struct waiter {
    mica_handle_t reply;
    uint32_t count;
};

struct driver {
    struct rngdev rng;
    mica_handle_t ep, irq_note, irq[4];
    struct mica_ipc_buffer *ipc;
    struct waiter wait[WAITERS]; /* a ring: wait_count callers from wait_head on */
    unsigned wait_head, wait_count;
    bool replaying; /* get() is answering a waiting caller: the bytes are there */
    bool deferred;  /* get() put the caller on the waiting list */
    uint64_t requests, bytes, fed, waited, accepted;
    uint64_t next_feed; /* when to feed the kernel next (ns since boot) */
    bool fault, logged_feed;
    uint64_t fault_after;
};

static struct driver drv;

/* ---- The protocol's callbacks ---- */

/* Put the caller on the waiting list; it is answered when the device has delivered. */
static int defer(struct driver *d, uint32_t count)
{
    int64_t reply = mica_reply_take();
    if (reply < 0) /* the kernel has already told the caller (EPIPE) */
        return -MICA_EIO;
    struct waiter *w = &d->wait[(d->wait_head + d->wait_count) % WAITERS];
    w->reply = (mica_handle_t)reply;
    w->count = count;
    d->wait_count++;
    d->waited++;
    d->deferred = true;
    return 0;
}

static int rng_get_bytes(void *ctx, const struct rng_get_in *in, struct rng_get_out *out)
{
    struct driver *d = ctx;
    if (in->count == 0 || in->count > sizeof out->data)
        return -MICA_EINVAL;
    bool now = d->replaying || (d->wait_count == 0 && rngdev_available(&d->rng) >= in->count);
    if (!now)
        return defer(d, in->count); /* the loop made sure there is room on the list */
    rngdev_take(&d->rng, out->data, in->count);
    out->data_len = in->count;
    d->requests++;
    d->bytes += in->count;
    return 0;
}

static int rng_stats(void *ctx, struct rng_stats_out *out)
{
    struct driver *d = ctx;
    out->requests = d->requests;
    out->bytes = d->bytes;
    out->device_bytes = d->rng.device_bytes;
    out->fed = d->fed;
    out->waited = d->waited;
    out->waiting = d->wait_count;
    return 0;
}

static const struct rng_server ops = {.get = rng_get_bytes, .stats = rng_stats};

/* ---- The device's bytes: waiting callers, the kernel ---- */

/* Answer waiting callers, oldest first, while the pool has their bytes. */
static void answer_waiters(struct driver *d)
{
    while (d->wait_count > 0) {
        struct waiter *w = &d->wait[d->wait_head];
        if (rngdev_available(&d->rng) < w->count)
            return;
        struct mica_msg m = {0, mica_tag(RNG_LABEL_GET, 0, 0), {w->count, 0, 0, 0}};
        d->replaying = true;
        rng_dispatch(&ops, d, &m, d->ipc);
        d->replaying = false;
        mica_reply_send(w->reply, &m); /* fails only if the caller is gone: nothing to do */
        mica_handle_close(w->reply);
        d->wait_head = (d->wait_head + 1) % WAITERS;
        d->wait_count--;
    }
}

/* Give the kernel FEED_BYTES when it is time and clients are not waiting for them. */
static void maybe_feed(struct driver *d)
{
    uint64_t now = mica_clock_ns();
    if (now < d->next_feed || d->wait_count > 0 || rngdev_available(&d->rng) < FEED_BYTES)
        return;
    uint8_t seed[FEED_BYTES];
    rngdev_take(&d->rng, seed, FEED_BYTES);
    int64_t total = mica_entropy_add(seed, FEED_BYTES);
    memset(seed, 0, sizeof seed);
    d->next_feed = now + FEED_INTERVAL_NS;
    if (total < 0) {
        mica_printf("rng: the kernel refused the bytes (error %ld)\n", total);
        return;
    }
    d->fed += FEED_BYTES;
    if (!d->logged_feed) /* once per life: the console is not for a line every few seconds */
        mica_printf("rng: fed the kernel %u bytes (it has taken %ld bytes from user space)\n",
                    FEED_BYTES, total);
    d->logged_feed = true;
}

/* How long the loop may wait before it must feed the kernel. */
static uint64_t until_feed(const struct driver *d)
{
    uint64_t now = mica_clock_ns();
    return d->next_feed > now ? d->next_feed - now : RETRY_NS;
}

static void on_interrupt(struct driver *d, uint64_t bits)
{
    if (!d->rng.dev.caps.msix_enabled)
        (void)virtio_isr(&d->rng.dev); /* reading it lowers a shared interrupt line */
    bool broken = false;
    rngdev_collect(&d->rng, &broken);
    if (broken) { /* a confused device: crash, and the supervisor restarts us with a reset */
        virtio_fail(&d->rng.dev);
        mica_panic("virtio-rng: the device wrote nonsense into the used ring");
    }
    for (unsigned k = 0; k < 4; k++)
        if ((bits & (1ull << k)) && d->irq[k])
            mica_irq_ack(d->irq[k]);
    answer_waiters(d);
    maybe_feed(d);
    rngdev_refill(&d->rng);
}

/* ---- Deliberate faults (tests) ---- */

static void parse_fault(struct driver *d, const struct mica_server_start *st)
{
    const char *a = st->args;
    d->fault = strncmp(a, "fault-null", 10) == 0 && st->restarts == 0; /* only the first life */
    d->fault_after = a[10] == ':' ? strtoul(a + 11, 0, 10) : 50;
}

static void maybe_fault(struct driver *d)
{
    if (!d->fault || d->accepted != d->fault_after)
        return;
    mica_printf("virtio-rng: deliberate fault at request %lu, %u callers waiting\n", d->accepted,
                d->wait_count);
    *(volatile int *)0 = 1;
}

/* ---- Start-up and the loop ---- */

static int setup(struct driver *d, const struct mica_server_start *st)
{
    const char *why = "";
    mica_handle_t self = mica_start_handle(st, "self");
    d->ep = mica_start_handle(st, "rng");
    d->irq_note = mica_start_handle(st, "irq_note");
    for (unsigned k = 0; k < 4; k++) {
        char name[5] = {'i', 'r', 'q', (char)('0' + k), 0};
        d->irq[k] = mica_start_handle(st, name);
    }
    if (!d->ep || !d->irq_note || mica_runtime_init(self) < 0) {
        mica_printf("virtio-rng: needs the handles \"rng\" and \"irq_note\"\n");
        return -MICA_ENOENT;
    }
    d->ipc = mica_thread_ipc_buffer();
    int err = rngdev_start(&d->rng, st, &why);
    if (err < 0) {
        mica_printf("virtio-rng: %s (error %d)\n", why, err);
        return err;
    }
    if (mica_notify_bind(d->irq_note, MICA_THREAD_SELF) < 0 || !d->ipc)
        return -MICA_ENOMEM;
    parse_fault(d, st);
    mica_printf("virtio-rng: ready (life %u): %u buffers of %u bytes, a pool of %u bytes, "
                "up to %u waiting callers, MSI-X %s\n",
                st->restarts, RNG_BUFS, RNG_BUF_BYTES, RNG_POOL_BYTES, WAITERS,
                d->rng.dev.caps.msix_enabled ? "on" : "off");
    return 0;
}

/* One message from a client: answered now, or its caller put on the waiting list. */
static void serve_request(struct driver *d, struct mica_msg *m)
{
    d->accepted++;
    maybe_fault(d);
    d->deferred = false;
    rng_dispatch(&ops, d, m, d->ipc);
    if (!d->deferred)
        mica_reply(m);
    rngdev_refill(&d->rng); /* the pool has room again */
}

static void serve(struct driver *d)
{
    for (;;) {
        struct mica_msg m;
        if (d->wait_count == WAITERS) { /* full: let callers wait on the endpoint */
            int64_t bits = mica_notify_wait_timed(d->irq_note, until_feed(d));
            if (bits > 0)
                on_interrupt(d, (uint64_t)bits);
            maybe_feed(d);
            continue;
        }
        int64_t r = mica_recv_timed(d->ep, &m, until_feed(d));
        if (r == -MICA_ETIMEDOUT) {
            maybe_feed(d);
            continue;
        }
        if (r < 0)
            return;
        if (mica_tag_label(m.tag) == MICA_MSG_NOTIFY)
            on_interrupt(d, m.w[0]);
        else
            serve_request(d, &m);
    }
}

int main(const struct mica_server_start *st)
{
    if (setup(&drv, st) < 0)
        return 1;
    serve(&drv);
    mica_printf("virtio-rng: receiving failed; stopping\n");
    return 1;
}
