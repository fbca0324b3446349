/*
 * kbdclient.c - a test client of the PS/2 keyboard driver (drivers/ps2kbd,
 * system test "ps2kbd"): it sends malformed requests first (each must get
 * its error, and the driver keeps running), then says it is ready; the test
 * types keys through QEMU's monitor, and the client prints what it read, up
 * to and including the first carriage return (Enter), with control
 * characters escaped as \xNN.
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "kbd_client.h"
#include "rawcall.h"

#define TEXT_MAX 200

static unsigned malformed(mica_handle_t ep, struct mica_ipc_buffer *ipc)
{
    unsigned bad = 0;
    const uint64_t ok[4] = {16, 0, 0, 0};
    raw_expect("kbdclient", "label past the interface", raw_call(ep, ipc, KBD_LABEL_END, 0, 0, ok),
               MICA_ENOSYS, &bad);
    raw_expect("kbdclient", "read with a buffer word", raw_call(ep, ipc, KBD_LABEL_READ, 1, 0, ok),
               MICA_EINVAL, &bad);
    raw_expect("kbdclient", "read with a handle", raw_call(ep, ipc, KBD_LABEL_READ, 0, 1, ok),
               MICA_EINVAL, &bad);
    raw_expect("kbdclient", "read of 0 bytes",
               raw_call(ep, ipc, KBD_LABEL_READ, 0, 0, (const uint64_t[4]){0, 0, 0, 0}),
               MICA_EINVAL, &bad);
    raw_expect("kbdclient", "read of 257 bytes",
               raw_call(ep, ipc, KBD_LABEL_READ, 0, 0, (const uint64_t[4]){257, 0, 0, 0}),
               MICA_EINVAL, &bad);
    raw_expect("kbdclient", "read of 2^32 bytes (no u32)",
               raw_call(ep, ipc, KBD_LABEL_READ, 0, 0, (const uint64_t[4]){1ull << 32, 0, 0, 0}),
               MICA_EINVAL, &bad);
    raw_expect("kbdclient", "read with wait = 2 (no bool)",
               raw_call(ep, ipc, KBD_LABEL_READ, 0, 0, (const uint64_t[4]){16, 2, 0, 0}),
               MICA_EINVAL, &bad);
    uint8_t data[KBD_CHUNK];
    uint32_t len;
    raw_expect("kbdclient", "read without wait, nothing typed yet",
               -kbd_read(ep, ipc, KBD_CHUNK, false, data, &len), MICA_EAGAIN, &bad);
    return bad;
}

/* Append the bytes to text, escaping what is not printable; 1 once a '\r' came. */
static int append(char *text, unsigned *len, const uint8_t *data, uint32_t n)
{
    int done = 0;
    for (uint32_t i = 0; i < n && *len + 5 < TEXT_MAX; i++) {
        uint8_t c = data[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            text[(*len)++] = (char)c;
        else
            *len += (unsigned)mica_snprintf(text + *len, TEXT_MAX - *len, "\\x%02x", c);
        done |= c == '\r';
    }
    text[*len] = 0;
    return done || *len + 5 >= TEXT_MAX;
}

int main(const struct mica_server_start *st)
{
    mica_handle_t ep = mica_start_handle(st, "kbd");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0)
        return 1;
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    unsigned bad = malformed(ep, ipc);
    mica_printf("kbdclient: %u malformed requests answered wrongly; ready for keys\n", bad);
    char text[TEXT_MAX];
    unsigned len = 0, reads = 0;
    for (int done = 0; !done;) {
        uint8_t data[KBD_CHUNK];
        uint32_t n = 0;
        int err = kbd_read(ep, ipc, KBD_CHUNK, true, data, &n);
        if (err < 0) {
            mica_printf("kbdclient: read failed: %d\n", err);
            return 1;
        }
        reads++;
        done = append(text, &len, data, n);
    }
    mica_printf("kbdclient: read \"%s\" in %u reads\n", text, reads);
    return bad ? 1 : 0;
}
