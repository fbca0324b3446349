/*
 * main.c - the PS/2 keyboard driver (concepts: device controllers,
 * interrupt-driven input, a driver as an isolated user-space process).
 *
 * The manifest gives the driver exactly the controller's two ports
 * (ioports=0x60:1 ioports=0x64:1, not the speaker and NMI ports between
 * them) and interrupt line 1 (irq=1: "irq" to acknowledge, "irq_note" to
 * wait).  It initialises the controller (i8042.c), then serves idl/kbd.idl
 * on its endpoint "kbd" in one thread, to which the interrupt notification
 * is bound: an interrupt arrives as a message between requests.  For each
 * interrupt it reads the bytes the controller holds, decodes them
 * (scancode.c) and queues the resulting bytes in a ring buffer, from which
 * `read` takes them.
 *
 * A read that waits when the buffer is empty keeps the thread in its
 * callback, waiting on the interrupt notification itself (the interrupts
 * keep being served there) until a byte arrives; other clients' requests
 * queue on the endpoint meanwhile.  A keyboard normally has one reader, the
 * console, so this simple design does not cost anything in practice.
 */
#include <mica.h>
#include <portio.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "i8042.h"
#include "kbd_server.h"
#include "scancode.h"

#define RING_SIZE 1024 /* bytes of input kept while nobody reads; more are dropped */

static struct {
    mica_handle_t irq, irq_note;
    struct scancode_state keys;
    char ring[RING_SIZE];
    unsigned head, count; /* oldest byte at ring[head] */
    uint64_t dropped;
} kbd;

static void ring_put(const char *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (kbd.count == RING_SIZE) {
            kbd.dropped++;
            continue;
        }
        kbd.ring[(kbd.head + kbd.count) % RING_SIZE] = p[i];
        kbd.count++;
    }
}

/* The interrupt: take every byte the controller holds, then let the line fire again. */
static void interrupt(void)
{
    uint8_t status;
    while ((status = inb(I8042_STATUS)) & I8042_STATUS_OUTPUT) {
        uint8_t code = inb(I8042_DATA);
        if (status & I8042_STATUS_AUX)
            continue; /* a byte of port 2, which we switched off: ignore */
        char out[SCANCODE_OUT_MAX];
        ring_put(out, scancode_feed(&kbd.keys, code, out));
    }
    mica_irq_ack(kbd.irq);
}

static int kbd_read(void *ctx, const struct kbd_read_in *in, struct kbd_read_out *out)
{
    (void)ctx;
    if (in->max == 0 || in->max > KBD_CHUNK)
        return -MICA_EINVAL;
    while (kbd.count == 0) {
        if (!in->wait)
            return -MICA_EAGAIN;
        int64_t bits = mica_notify_wait(kbd.irq_note);
        if (bits < 0)
            return -MICA_EIO;
        interrupt();
    }
    unsigned n = kbd.count < in->max ? kbd.count : in->max;
    for (unsigned i = 0; i < n; i++)
        out->data[i] = (uint8_t)kbd.ring[(kbd.head + i) % RING_SIZE];
    kbd.head = (kbd.head + n) % RING_SIZE;
    kbd.count -= n;
    out->data_len = n;
    return 0;
}

static const struct kbd_server ops = {.read = kbd_read};

int main(const struct mica_server_start *st)
{
    mica_handle_t ep = mica_start_handle(st, "kbd");
    kbd.irq = mica_start_handle(st, "irq");
    kbd.irq_note = mica_start_handle(st, "irq_note");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 || !ep || !kbd.irq || !kbd.irq_note) {
        mica_printf("ps2kbd: missing handles (kbd, irq, irq_note, self); stopping\n");
        return 1;
    }
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    const char *why = "";
    if (!ipc || i8042_init(&why) < 0) {
        mica_printf("ps2kbd: the keyboard controller does not answer: %s\n", why);
        return 1;
    }
    if (mica_notify_bind(kbd.irq_note, MICA_THREAD_SELF) < 0)
        return 1;
    interrupt(); /* bytes that came before we listened, and the first acknowledgement */
    mica_printf("ps2kbd: keyboard ready (i8042, scan code set 1 through translation, irq 1)\n");
    struct mica_msg msg;
    if (mica_recv(ep, &msg) < 0)
        return 1;
    for (;;) {
        if (mica_tag_label(msg.tag) == MICA_MSG_NOTIFY) {
            interrupt();
            if (mica_recv(ep, &msg) < 0)
                return 1;
            continue;
        }
        kbd_dispatch(&ops, 0, &msg, ipc);
        if (mica_reply_recv(ep, &msg) < 0)
            return 1;
    }
}
