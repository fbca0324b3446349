/*
 * main.c - the serial console driver: a user-space process that drives the
 * 16550 UART on COM1 and serves idl/console.idl on its endpoint "console".
 *
 * Concept: interrupt-driven I/O in a microkernel.  The driver owns eight I/O
 * ports (ioports=0x3f8:8) and one interrupt line (irq=4).  The kernel turns
 * the line's interrupts into bits of a notification, which is bound to the
 * driver's only thread, so one loop receives both client requests and
 * "the UART interrupted" messages (docs/ipc.md, section 10):
 *
 *   UART raises IRQ 4 -> kernel masks the line, signals irq_note
 *   -> this thread receives MICA_MSG_NOTIFY -> serve_device() reads IIR,
 *   drains the receive FIFO into the rx ring, refills the transmit FIFO
 *   from the tx ring -> mica_irq_ack() unmasks the line.
 *
 * Requests that must wait are parked with their reply handles (parked.h),
 * so a blocked reader never stops writers.  docs/drivers.md describes the
 * driver; with args=fault-null or args=fault-port its first life crashes on
 * purpose after a few requests (the supervisor's restart test).
 */
#include <mica.h>
#include <print.h>
#include <str.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include <mica/string.h>
#include "console_server.h"
#include "parked.h"
#include "ring.h"
#include "uart16550.h"

#define COM1_BASE 0x3f8
#define RX_SIZE   CONSOLE_INPUT_BUFFER /* input kept until a client reads it; more is dropped */
#define TX_SIZE   4096                 /* output accepted before writers wait */

/* The deliberate faults: the first life crashes when this request arrives. */
#define FAULT_AT_REQUEST 4
#define FOREIGN_PORT     0x80

/* The kernel's log comes as this bit of the interrupt notification (SYS_CONSOLE_TAKE). */
#define LOG_BIT (1ull << 40)

/* The interrupt service loop gives up after this many rounds and polls instead. */
#define SERVICE_ROUNDS 1000
#define POLL_NS        1000000ull
#define BACKUP_NS      100000000ull /* idle: look at the UART and the kernel's log this often */

struct serial {
    struct uart uart;
    mica_handle_t ep, irq, irq_note;
    bool has_log; /* the kernel's log comes through us */
    struct mica_ipc_buffer *ipc;
    struct ring rx, tx;
    uint8_t rx_buf[RX_SIZE];
    uint8_t tx_buf[TX_SIZE];
    bool cr_sent;       /* a '\r' went out, its '\n' is still in the tx ring */
    bool device_busy;   /* the service loop gave up: poll the UART again soon */
    uint64_t tx_queued; /* bytes ever put into the tx ring */
    uint64_t tx_sent;   /* bytes ever taken from it by the transmitter */
    uint64_t rx_bytes, rx_dropped, rx_overruns, interrupts;
    uint32_t restarts;
    uint64_t requests; /* requests received in this life */
    char fault[16];    /* the args: "", "fault-null" or "fault-port" */
    struct park_list parked;
};

static struct serial serial;

/* ---- The device side ---- */

/* Read the line status; an overrun it reports (bytes the FIFO lost) is counted. */
static uint8_t read_lsr(struct serial *s)
{
    uint8_t lsr = uart_lsr(&s->uart);
    if (lsr & LSR_OVERRUN)
        s->rx_overruns++;
    return lsr;
}

/* Move every byte of the receive FIFO into the rx ring; when it is full, drop and count. */
static void receive(struct serial *s)
{
    for (unsigned i = 0; i < 4 * UART_FIFO_SIZE && (read_lsr(s) & LSR_DATA_READY); i++) {
        uint8_t b = uart_read_rbr(&s->uart);
        if (ring_put_byte(&s->rx, b))
            s->rx_bytes++;
        else
            s->rx_dropped++;
    }
}

/*
 * Refill the transmit FIFO (16 bytes) from the tx ring if it is empty, and
 * keep the "transmitter empty" interrupt enabled exactly while the ring
 * holds bytes: with nothing to send, it would only report the kernel's own
 * log bytes leaving.
 */
static void transmit(struct serial *s)
{
    if (ring_count(&s->tx) > 0 && (read_lsr(s) & LSR_THR_EMPTY)) {
        uint8_t out[UART_FIFO_SIZE];
        uint32_t before = ring_count(&s->tx);
        unsigned n = uart_tx_take(&s->tx, &s->cr_sent, out, UART_FIFO_SIZE);
        for (unsigned i = 0; i < n; i++)
            uart_write_thr(&s->uart, out[i]);
        s->tx_sent += before - ring_count(&s->tx);
    }
    uint8_t want = IER_RX_DATA | IER_LINE_STAT;
    if (ring_count(&s->tx) > 0)
        want |= IER_TX_EMPTY;
    uart_set_interrupts(&s->uart, want);
}

/*
 * Serve everything the UART reports, then acknowledge the interrupt line.
 * The line is edge-triggered and masked by the kernel until the
 * acknowledgement: a condition that arises just before the unmask raises
 * no new edge.  So after acknowledging, the loop looks at IIR once more,
 * and stops only when that look finds nothing pending.
 */
static void serve_device(struct serial *s)
{
    bool acked = false;
    s->device_busy = true;
    for (unsigned round = 0; round < SERVICE_ROUNDS; round++) {
        enum uart_cause c = uart_cause(uart_iir(&s->uart));
        if (c == UART_NOTHING) {
            if (acked) {
                s->device_busy = false;
                break;
            }
            mica_irq_ack(s->irq);
            acked = true;
            continue;
        }
        acked = false;
        if (c == UART_RECEIVE)
            receive(s);
        else if (c == UART_TRANSMIT)
            transmit(s);
        else if (c == UART_LINE)
            read_lsr(s);
        else
            uart_msr(&s->uart);
    }
    if (s->device_busy) /* still interrupting after many rounds: look again shortly */
        mica_irq_ack(s->irq);
    receive(s); /* a byte that arrived while IIR reported another cause */
    transmit(s);
}

/*
 * Take the kernel's log lines into the tx ring, whole, between the clients'
 * writes, as long as they fit; the rest waits in the kernel until there is
 * room again (every event calls this).
 */
static void pull_log(struct serial *s)
{
    while (s->has_log && ring_room(&s->tx) > 0) {
        char buf[1024];
        uint32_t room = ring_room(&s->tx);
        int64_t n = mica_console_read(buf, room < sizeof buf ? room : sizeof buf);
        if (n <= 0)
            break;
        ring_put(&s->tx, (const uint8_t *)buf, (uint32_t)n);
        s->tx_queued += (uint64_t)n;
    }
    transmit(s);
}

/* ---- The console protocol ---- */

/* The request being served: fresh from a client, or parked and tried again. */
struct request {
    struct serial *s;
    struct parked *slot; /* where it waits if it must (NULL: the list is full) */
    bool retry;          /* slot is the parked request being tried again */
    bool writers_ahead;  /* an earlier request waits for room in the tx ring */
    bool readers_ahead;  /* an earlier reader waits for input */
    bool parked;         /* out: the request waits (no reply now) */
};

/* Let the request wait as `kind`; EAGAIN when no slot is left. */
static int park(struct request *rq, enum park_kind kind)
{
    if (!rq->slot)
        return -MICA_EAGAIN;
    rq->slot->kind = kind;
    rq->parked = true;
    return 0;
}

/* Put all len bytes into the tx ring and start sending, or nothing if they do not fit. */
static bool queue_bytes(struct request *rq, const uint8_t *data, uint32_t len)
{
    struct serial *s = rq->s;
    if (rq->writers_ahead || ring_room(&s->tx) < len)
        return false;
    ring_put(&s->tx, data, len);
    s->tx_queued += len;
    transmit(s);
    return true;
}

static int con_write(void *ctx, const struct console_write_in *in, struct console_write_out *out)
{
    struct request *rq = ctx;
    if (!queue_bytes(rq, in->data, in->data_len))
        return park(rq, PARK_WRITE);
    out->written = in->data_len;
    return 0;
}

static int con_write_sync(void *ctx, const struct console_write_sync_in *in,
                          struct console_write_sync_out *out)
{
    struct request *rq = ctx;
    struct parked *p = rq->slot;
    if (!p) /* it may have to wait after its bytes are queued: refuse it before */
        return -MICA_EAGAIN;
    if (!rq->retry || !p->queued) {
        if (!queue_bytes(rq, in->data, in->data_len))
            return park(rq, PARK_SYNC);
        p->queued = true;
        p->target = rq->s->tx_queued;
    }
    if (rq->s->tx_sent < p->target)
        return park(rq, PARK_SYNC);
    out->written = in->data_len;
    return 0;
}

static int con_drain(void *ctx)
{
    struct request *rq = ctx;
    struct parked *p = rq->slot;
    uint64_t target = rq->retry ? p->target : rq->s->tx_queued;
    if (rq->s->tx_sent >= target)
        return 0;
    if (!p)
        return -MICA_EAGAIN;
    p->target = target;
    return park(rq, PARK_DRAIN);
}

static int con_read(void *ctx, const struct console_read_in *in, struct console_read_out *out)
{
    struct request *rq = ctx;
    if (in->max < 1 || in->max > CONSOLE_CHUNK)
        return -MICA_EINVAL;
    if (!rq->readers_ahead && ring_count(&rq->s->rx) > 0) {
        out->data_len = ring_get(&rq->s->rx, out->data, in->max);
        return 0;
    }
    if (!in->wait)
        return -MICA_EAGAIN;
    return park(rq, PARK_READ);
}

static int con_stats(void *ctx, struct console_stats_out *out)
{
    struct serial *s = ((struct request *)ctx)->s;
    out->rx_bytes = s->rx_bytes;
    out->rx_dropped = s->rx_dropped;
    out->rx_overruns = s->rx_overruns;
    out->tx_bytes = s->tx_sent;
    out->interrupts = s->interrupts;
    out->restarts = s->restarts;
    out->waiting = s->parked.n;
    return 0;
}

static const struct console_server ops = {
    .write = con_write,
    .read = con_read,
    .write_sync = con_write_sync,
    .drain = con_drain,
    .stats = con_stats,
};

/* The deliberate faults of the supervisor test, in the first life only. */
static void maybe_fault(struct serial *s)
{
    if (s->restarts != 0 || s->requests != FAULT_AT_REQUEST)
        return;
    if (strcmp(s->fault, "fault-null") == 0) {
        mica_printf("serial: fault-null: dereferencing NULL with a client waiting\n");
        *(volatile int *)0 = 1;
    }
    if (strcmp(s->fault, "fault-port") == 0) {
        mica_printf("serial: fault-port: writing port 0x%x, which is not mine\n", FOREIGN_PORT);
        __asm__ volatile("outb %0, %1" : : "a"((uint8_t)0), "Nd"((uint16_t)FOREIGN_PORT));
        mica_printf("serial: wrote port 0x%x - that must not happen\n", FOREIGN_PORT);
    }
}

/* A fresh request: answer it now, or park it with its reply handle. */
static void serve_request(struct serial *s, struct mica_msg *msg)
{
    s->requests++;
    maybe_fault(s);
    struct request rq = {
        .s = s,
        .slot = park_reserve(&s->parked, msg, s->ipc),
        .writers_ahead = park_any_for_room(&s->parked),
        .readers_ahead = park_any_reader(&s->parked),
    };
    console_dispatch(&ops, &rq, msg, s->ipc);
    if (!rq.parked) {
        mica_reply(msg);
        return;
    }
    int64_t reply = mica_reply_take();
    if (reply < 0) { /* the caller has been told EPIPE; forget the request */
        mica_printf("serial: cannot keep a reply handle (error %ld)\n", reply);
        return;
    }
    park_commit(&s->parked, (mica_handle_t)reply);
}

/*
 * Try every parked request again, oldest first.  One that still cannot
 * complete keeps later ones of its sort waiting (no overtaking).
 */
static void retry_parked(struct serial *s)
{
    bool writers_blocked = false, readers_blocked = false;
    unsigned i = 0;
    while (i < s->parked.n) {
        struct parked *p = &s->parked.slot[i];
        struct mica_msg msg;
        park_restore(&s->parked, i, &msg, s->ipc);
        struct request rq = {.s = s,
                             .slot = p,
                             .retry = true,
                             .writers_ahead = writers_blocked,
                             .readers_ahead = readers_blocked};
        console_dispatch(&ops, &rq, &msg, s->ipc);
        if (rq.parked) {
            writers_blocked = writers_blocked || park_waits_for_room(p);
            readers_blocked = readers_blocked || p->kind == PARK_READ;
            i++;
            continue;
        }
        mica_reply_send(p->reply, &msg); /* fails only if the caller is gone */
        mica_handle_close(p->reply);
        park_remove(&s->parked, i);
    }
}

/* ---- Start-up and the loop ---- */

/* Bind the interrupt notification to this thread.  Right after a restart the dead
 * predecessor's thread may still hold the binding for a moment. */
static int bind_interrupts(struct serial *s)
{
    int64_t r = -MICA_EBUSY;
    for (int tries = 0; tries < 100 && r == -MICA_EBUSY; tries++) {
        r = mica_notify_bind(s->irq_note, MICA_THREAD_SELF);
        if (r == -MICA_EBUSY)
            mica_sleep(POLL_NS);
    }
    return (int)r;
}

static int start(struct serial *s, const struct mica_server_start *st)
{
    s->ep = mica_start_handle(st, "console");
    s->irq = mica_start_handle(st, "irq");
    s->irq_note = mica_start_handle(st, "irq_note");
    s->restarts = st->restarts;
    strlcpy(s->fault, st->args, sizeof s->fault);
    s->uart.base = COM1_BASE;
    if (!s->ep || !s->irq || !s->irq_note) {
        mica_printf("serial: the manifest must give provides=console and irq=4\n");
        return -MICA_EINVAL;
    }
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 ||
        !(s->ipc = mica_thread_ipc_buffer())) {
        mica_printf("serial: no runtime\n");
        return -MICA_ENOMEM;
    }
    ring_init(&s->rx, s->rx_buf, RX_SIZE);
    ring_init(&s->tx, s->tx_buf, TX_SIZE);
    if (!uart_present(&s->uart)) {
        mica_printf("serial: no UART at 0x%x\n", COM1_BASE);
        return -MICA_ENOENT;
    }
    int err = bind_interrupts(s);
    if (err < 0) {
        mica_printf("serial: cannot bind the interrupt notification (error %d)\n", err);
        return err;
    }
    uart_setup(&s->uart);
    receive(s); /* input typed while no driver ran waits in the FIFO */
    transmit(s);
    serve_device(s); /* also unmasks the line if the predecessor died before its ack */
    /* From now on the kernel's log lines come through this driver, whole. */
    mica_handle_t ports = mica_start_handle(st, "ioports");
    s->has_log = ports && mica_console_take(ports, s->irq_note, LOG_BIT) == 0;
    mica_printf("serial: COM1 at 0x%x, irq 4, life %u%s%s%s\n", COM1_BASE, s->restarts,
                s->fault[0] ? ", args " : "", s->fault,
                s->has_log ? ", kernel log through the driver" : "");
    return 0;
}

int main(const struct mica_server_start *st)
{
    struct serial *s = &serial;
    if (start(s, st) < 0)
        return 1;
    pull_log(s); /* the start-up line, and what the kernel logged before */
    for (;;) {
        /* Even idle, the loop looks again every BACKUP_NS (as Linux's 8250 driver's backup
         * timer does): an interrupt or a log notification that never comes - a transmitter
         * that did not report empty - then costs a pause, not the console. */
        struct mica_msg msg;
        int64_t r = mica_recv_timed(s->ep, &msg, s->device_busy ? POLL_NS : BACKUP_NS);
        if (r == 0 && mica_tag_label(msg.tag) == MICA_MSG_NOTIFY) {
            s->interrupts++;
            serve_device(s);
        } else if (r == -MICA_ETIMEDOUT) { /* polling after a long service loop, or the backup */
            serve_device(s);
        } else if (r == 0) {
            serve_request(s, &msg);
        } else {
            continue; /* a sender's message could not be delivered: nothing to answer */
        }
        retry_parked(s);
        pull_log(s);
    }
}
